"""Indicator metadata of the bundled demo data, transcribed from the data READMEs (no invented sources).

Dortmund: ``begegnungsatlas/data/dortmund/README.md``; the files hold shares/rates as published in the
Statistikatlas Dortmund and no absolute population counts.
"""

from __future__ import annotations

DORTMUND_SOURCE = (
    "Stadt Dortmund, Statistikatlas Dortmund 2018 (Veröffentlichung 2019) und Statistikatlas 2024 "
    "(statistikportal.dortmund.de), übertragen im GitHub-Repository anienabe/SpatialJustice "
    "(sj-explorer/data/do_data2018.geojson, do_data2024.geojson)"
)
DORTMUND_LICENCE = (
    "Repository: MIT (© 2026 anienabe); Lizenz der Dortmunder Ausgangsdaten im Repository nicht angegeben"
)
DORTMUND_CAVEAT = (
    " Werte wie im Statistikatlas veröffentlicht, von den Repository-Autor:innen aus PDFs übertragen und nicht "
    "gegen die amtlichen Tabellen geprüft. 2018 und 2024 stammen aus verschiedenen Veröffentlichungen – "
    "Vergleiche mit Vorsicht."
)
NO_AGG = (
    " Die Dateien enthalten keine Einwohnerzahlen je Unterbezirk; eine korrekte Zusammenfassung zu statistischen "
    "Bezirken oder Stadtbezirken ist daher nicht möglich (dort „nicht verfügbar“)."
)

# slug, title, unit, decimals, polarity, key, definition, interpretation
DORTMUND: list[tuple[str, str, str, int, int, bool, str, str]] = [
    ("unemployed_pct", "Arbeitslose", "%", 1, -1, True,
     "Anteil der Arbeitslosen in Prozent (Spalte unemployed_pct); die Bezugsgröße ist in den Quelldateien nicht "
     "angegeben, siehe Statistikatlas Dortmund.",
     "Höhere Werte bedeuten mehr Arbeitslosigkeit im Unterbezirk."),
    ("unemployed_under_25_pct", "Arbeitslose unter 25 Jahren", "%", 1, -1, False,
     "Anteil der Arbeitslosen unter 25 Jahren in Prozent (Spalte unemployed_under_25_pct); Bezugsgröße siehe "
     "Statistikatlas Dortmund.",
     "Höhere Werte bedeuten mehr Jugendarbeitslosigkeit."),
    ("children_under_15_SGB_II_pct", "Kinder unter 15 Jahren mit SGB-II-Leistungen (Kinderarmut)", "%", 1, -1, True,
     "SGB-II-Quote der Kinder unter 15 Jahren in Prozent (Spalte children_under_15_SGB_II_pct).",
     "Maß für Kinderarmut: höhere Werte bedeuten mehr Kinder in Haushalten mit Grundsicherung für Arbeitsuchende."),
    ("over_65_SGB_XII_pct", "Menschen ab 65 Jahren mit SGB-XII-Leistungen (Altersarmut)", "%", 1, -1, True,
     "Anteil der Menschen über 65 Jahren mit Leistungen nach SGB XII in Prozent (Spalte over_65_SGB_XII_pct).",
     "Maß für Altersarmut: höhere Werte bedeuten mehr ältere Menschen mit Sozialhilfeleistungen."),
    ("transfer_payment_pct", "Transferleistungsbeziehende", "%", 1, -1, True,
     "Anteil der Empfänger:innen von Transferleistungen in Prozent (Spalte transfer_payment_pct); welche "
     "Leistungen einbezogen sind, siehe Statistikatlas Dortmund.",
     "Höhere Werte bedeuten mehr Menschen, die auf Sozialleistungen angewiesen sind."),
    ("single_households_over_65_pct", "Alleinlebende ab 65 Jahren", "%", 1, -1, True,
     "Anteil der Einpersonenhaushalte von Menschen über 65 Jahren in Prozent (Spalte single_households_over_65_pct). "
     "Die Werte von 2018 und 2024 liegen weit auseinander (z. B. Bövinghausen 11,2 % und 31,6 %); vermutlich "
     "unterschiedliche Bezugsgrößen – nicht über die Zeit vergleichen.",
     "Höhere Werte bedeuten mehr allein lebende Ältere – ein Hinweis auf Bedarf an Begegnungsorten."),
    ("households_with_children_pct", "Haushalte mit Kindern", "%", 1, 0, False,
     "Anteil der Haushalte mit Kindern in Prozent (Spalte households_with_children_pct).", ""),
    ("share_0_6_pct", "Anteil 0 bis 6 Jahre", "%", 1, 0, False,
     "Anteil der Altersgruppe 0–6 Jahre an der Bevölkerung in Prozent (Spalte share_0_6_pct; genaue "
     "Altersabgrenzung siehe Statistikatlas).", ""),
    ("share_6_18_pct", "Anteil 6 bis 18 Jahre", "%", 1, 0, False,
     "Anteil der Altersgruppe 6–18 Jahre an der Bevölkerung in Prozent (Spalte share_6_18_pct).", ""),
    ("share_18_30_pct", "Anteil 18 bis 30 Jahre", "%", 1, 0, False,
     "Anteil der Altersgruppe 18–30 Jahre an der Bevölkerung in Prozent (Spalte share_18_30_pct).", ""),
    ("share_65_80_pct", "Anteil 65 bis 80 Jahre", "%", 1, 0, True,
     "Anteil der Altersgruppe 65–80 Jahre an der Bevölkerung in Prozent (Spalte share_65_80_pct).", ""),
    ("share_80plus_pct", "Anteil 80 Jahre und älter", "%", 1, 0, True,
     "Anteil der Menschen ab 80 Jahren an der Bevölkerung in Prozent (Spalte share_80plus_pct).", ""),
    ("average_age_years", "Durchschnittsalter", "Jahre", 1, 0, True,
     "Durchschnittsalter der Bevölkerung in Jahren (Spalte average_age_years).", ""),
    ("female_population_pct", "Frauenanteil", "%", 1, 0, False,
     "Anteil der Frauen an der Bevölkerung in Prozent (Spalte female_population_pct; nur 2018).", ""),
    ("births_per_1000_abs", "Geburten je 1.000 Einwohner:innen", "je 1.000", 1, 0, False,
     "Lebendgeborene je 1.000 Einwohner:innen (Spalte births_per_1000_abs).", ""),
    ("deaths_per_1000_abs", "Sterbefälle je 1.000 Einwohner:innen", "je 1.000", 1, 0, False,
     "Gestorbene je 1.000 Einwohner:innen (Spalte deaths_per_1000_abs).", ""),
    ("saldo_births_deaths_pct", "Saldo Geburten – Sterbefälle", "wie Quelle", 1, 0, False,
     "Saldo aus Geburten und Sterbefällen (Spalte saldo_births_deaths_pct). Achtung, eigene Nachrechnung: die "
     "Werte 2018 entsprechen (Geburten − Sterbefälle) / Sterbefälle × 100, die Werte 2024 der Differenz je "
     "1.000 Einwohner:innen (Bövinghausen 2018: 10,3 − 11,8 → −12,7; 2024: 7,8 − 14,8 → −6,9). Die Jahre "
     "sind nicht vergleichbar.", ""),
    ("living_space_per_inhabitant_sq_abs", "Wohnfläche je Einwohner:in", "m²", 1, 0, False,
     "Wohnfläche in Quadratmetern je Einwohner:in (Spalte living_space_per_inhabitant_sq_abs).", ""),
    ("new_flats_1999_2016_pct", "Neubauwohnungen 1999–2016", "%", 1, 0, False,
     "Anteil der 1999 bis 2016 gebauten Wohnungen in Prozent (Spalte new_flats_1999_2016_pct).", ""),
    ("building_density_pct", "Bebauungsdichte", "%", 1, 0, False,
     "Bebauungsdichte in Prozent (Spalte building_density_pct); Definition siehe Statistikatlas.", ""),
    ("population_density_ha_abs", "Einwohner:innen je Hektar", "EW/ha", 1, 0, False,
     "Einwohner:innen je Hektar (Spalte population_density_ha_abs). Nicht je Hektar Gesamtfläche (das ergäbe "
     "rund 1,9 Mio. Einwohner:innen statt rund 0,6 Mio.), vermutlich je Hektar Siedlungsfläche – ungeprüft.", ""),
    ("secondary_school_recommendation_pct", "Schulempfehlung (weiterführende Schule)", "%", 1, 0, False,
     "Anteil laut Spalte secondary_school_recommendation_pct in Prozent (nur 2018, 169 von 170 Unterbezirken); "
     "welche Schulform gemeint ist, steht in den Quelldateien nicht – siehe Statistikatlas 2019.", ""),
]

#: Status indicators of the MSS demo for Dortmund (all: higher is worse).
DORTMUND_MSS = ["unemployed_pct", "children_under_15_SGB_II_pct", "over_65_SGB_XII_pct", "transfer_payment_pct"]

ZENSUS_SOURCE = "Zensus 2022, Tabelle 1000A-0000 „Bevölkerung kompakt“, Statistische Ämter des Bundes und der Länder"
DL_DE_BY = "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)"

NRW_SOURCE = (
    "Regionalstatistik Tabelle 12411-02-03-4 (Bevölkerungsfortschreibung, Kreise), zu 11 Altersgruppen "
    "zusammengefasst im GitHub-Repository SciCompMod/memilio (Apache-2.0), © Statistische Ämter des Bundes "
    "und der Länder"
)
NRW_AGE_GROUPS = [
    ("<3 years", "alter_unter_3", "unter 3 Jahre"),
    ("3-5 years", "alter_3_5", "3 bis 5 Jahre"),
    ("6-14 years", "alter_6_14", "6 bis 14 Jahre"),
    ("15-17 years", "alter_15_17", "15 bis 17 Jahre"),
    ("18-24 years", "alter_18_24", "18 bis 24 Jahre"),
    ("25-29 years", "alter_25_29", "25 bis 29 Jahre"),
    ("30-39 years", "alter_30_39", "30 bis 39 Jahre"),
    ("40-49 years", "alter_40_49", "40 bis 49 Jahre"),
    ("50-64 years", "alter_50_64", "50 bis 64 Jahre"),
    ("65-74 years", "alter_65_74", "65 bis 74 Jahre"),
    (">74 years", "alter_75_plus", "75 Jahre und älter"),
]
NRW_PERIOD = "2022/23 (?)"
