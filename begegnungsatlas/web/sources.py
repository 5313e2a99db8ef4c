"""Bundled data sets with source and licence, shown on /daten/ and in docs/DATA.md.

``matches`` are phrases that name the data set in a stored ``source`` text (areas, indicators); the atlas uses
them to print the registered attribution and licence on maps and in exports (``sources_named_in``).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

DATA_SOURCES: list[dict[str, Any]] = [
    {
        "title": _("Gemeindegrenzen (VG250, Gebietsstand 15.05.2022, generalisiert)"),
        "attribution": "© GeoBasis-DE / BKG (2022), Daten geändert/generalisiert",
        "licence": "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
        "matches": ("VG250",),
    },
    {
        "title": _("Zensus 2022, Einwohnerzahl je Gemeinde (Tabelle 1000A-0000)"),
        "attribution": "Zensus 2022, © Statistische Ämter des Bundes und der Länder",
        "licence": "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
        "matches": ("Zensus 2022",),
    },
    {
        "title": _("Zensus 2011, Gitterzellen 1 km: Altersklassen und Geburtsland (Kreis Düren, Dortmund)"),
        "attribution": "© Statistisches Bundesamt, Wiesbaden 2018 (Zensus 2011)",
        "licence": _("Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet"),
        "url": "https://www.zensus2011.de/",
    },
    {
        "title": _("Bevölkerung nach Altersgruppen, Kreise NRW (Regionalstatistik 12411-02-03-4)"),
        "attribution": "© Statistische Ämter des Bundes und der Länder; aufbereitet vom Projekt MEmilio (Apache-2.0)",
        "licence": "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
        "matches": ("12411-02-03-4",),
    },
    {
        "title": _("Dortmund: statistische Unterbezirke, Sozialindikatoren 2018 und 2024, Einrichtungen"),
        "attribution": _(
            "Stadt Dortmund, Open-Data-Portal und Statistikatlas Dortmund; zusammengestellt im Projekt "
            "anienabe/SpatialJustice (MIT). Die Lizenz der Dortmunder Open Data ist in der Quelle nicht angegeben."
        ),
        "licence": _("Quelle nennt keine Lizenz (Dortmunder Open Data üblicherweise Datenlizenz Deutschland)"),
        "url": "https://open-data.dortmund.de/",
        "matches": ("Stadt Dortmund",),
    },
    {
        "title": _("OpenStreetMap-Daten (Gesundheitseinrichtungen Dortmund, Wegenetze)"),
        "attribution": "© OpenStreetMap contributors",
        "licence": "Open Database License (ODbL) 1.0",
        "url": "https://www.openstreetmap.org/copyright",
        "matches": ("OpenStreetMap",),
    },
]


def sources_named_in(text: str) -> list[dict[str, Any]]:
    """The registered data sets a stored source text names (in registry order)."""
    return [s for s in DATA_SOURCES if any(m in text for m in s.get("matches", ()))]
