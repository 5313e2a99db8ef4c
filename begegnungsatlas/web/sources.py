"""Bundled data sets with source and licence, shown on /daten/ and in docs/DATA.md."""

from django.utils.translation import gettext_lazy as _

DATA_SOURCES = [
    {
        "title": _("Gemeindegrenzen (VG250, Gebietsstand 15.05.2022, generalisiert)"),
        "attribution": "© GeoBasis-DE / BKG (2022), Daten geändert/generalisiert",
        "licence": "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
    },
    {
        "title": _("Zensus 2022, Einwohnerzahl je Gemeinde (Tabelle 1000A-0000)"),
        "attribution": "Zensus 2022, © Statistische Ämter des Bundes und der Länder",
        "licence": "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0)",
        "url": "https://www.govdata.de/dl-de/by-2-0",
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
    },
    {
        "title": _("Dortmund: statistische Unterbezirke, Sozialindikatoren 2018 und 2024, Einrichtungen"),
        "attribution": _(
            "Stadt Dortmund, Open-Data-Portal und Statistikatlas Dortmund; zusammengestellt im Projekt "
            "anienabe/SpatialJustice (MIT). Die Lizenz der Dortmunder Open Data ist in der Quelle nicht angegeben."
        ),
        "licence": _("Quelle nennt keine Lizenz (Dortmunder Open Data üblicherweise Datenlizenz Deutschland)"),
        "url": "https://open-data.dortmund.de/",
    },
    {
        "title": _("OpenStreetMap-Daten (Gesundheitseinrichtungen Dortmund, Wegenetze)"),
        "attribution": "© OpenStreetMap contributors",
        "licence": "Open Database License (ODbL) 1.0",
        "url": "https://www.openstreetmap.org/copyright",
    },
]
