"""Demo loader for places: Dortmund's real facilities (Open Data Dortmund, OSM) and a few labelled examples for
Kreis Düren — all through the importer, so the demo exercises the same path planners use.

Real data is imported as it is: no invented opening hours or offers. Operators (actors) are only set where the
data itself names them (name, ``objektzusa``, the link's web site).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from begegnungsatlas.data import DATA_DIR

from .services.imports import ImportResult, import_file

OPEN_DATA_DORTMUND = "Open Data Dortmund"
OSM_SOURCE = "OpenStreetMap (© OpenStreetMap-Mitwirkende, ODbL)"
EXAMPLES_SOURCE = "Beispieldaten Begegnungsatlas"
POI = DATA_DIR / "dortmund" / "poi"


def _t(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _joined(v: dict[str, Any]) -> str:
    name, extra = _t(v.get("objektname")), _t(v.get("objektzusa"))
    return f"{name} – {extra}" if extra else name


def _address(v: dict[str, Any]) -> str:
    number = _t(v.get("hausnummer"))
    return f"{_t(v.get('strasse'))} {number}".strip() if number and number != "None" else _t(v.get("strasse"))


# --- operators, only where the data says it ---------------------------------------------------------------

def _senior_meeting_actor(v: dict[str, Any]) -> str:
    name, link = _t(v.get("objektname")), _t(v.get("link"))
    if name.startswith("AWO"):
        return "AWO Dortmund"  # every AWO entry links to awo-dortmund.de
    if name.startswith("Städtisches Begegnungszentrum"):
        return "Stadt Dortmund"
    if name.startswith("Caritasverband") and "caritas-dortmund.de" in link:
        return "Caritasverband Dortmund"
    if name.startswith("Jüdische Kultusgemeinde Groß-Dortmund"):
        return "Jüdische Kultusgemeinde Groß-Dortmund"
    if name.startswith("VIF "):
        return "VIF"
    return ""


_YOUTH_ACTORS = [
    (re.compile(r"^JFS "), "Stadt Dortmund"),  # städtische Jugendfreizeitstätten
    (re.compile(r"\bAWO\b"), "AWO Dortmund"),
    (re.compile(r"\bCVJM\b"), "CVJM Dortmund"),
    (re.compile(r"\bVMDO e\.V\."), "VMDO e.V."),
    (re.compile(r"Stern im Norden e\.V\."), "Stern im Norden e.V."),
]


def _youth_actor(v: dict[str, Any]) -> str:
    name = _t(v.get("objektname"))
    return next((org for pattern, org in _YOUTH_ACTORS if pattern.search(name)), "")


def _library_actor(v: dict[str, Any]) -> str:
    name, link = _t(v.get("objektname")), _t(v.get("link"))
    if name == "Stadt- und Landesbibliothek Dortmund":
        return "Stadt Dortmund"
    if name.startswith("Förderverein"):
        return name
    if "//www.dortmund.de/" in link:
        return "Stadt Dortmund"
    return ""


def _library_name(v: dict[str, Any]) -> str:
    if _t(v.get("objektname")) == "Stadt- und Landesbibliothek Dortmund" and _t(v.get("objektzusa")):
        return _t(v.get("objektzusa"))
    return _joined(v)


def _youth_groups(v: dict[str, Any]) -> str:
    name = _t(v.get("objektname")).lower()
    groups = ["jugendliche"]
    if re.search(r"kinder|kidz|kids|juki", name):
        groups.insert(0, "kinder")
    return ", ".join(groups)


def _library_groups(v: dict[str, Any]) -> str:
    text = _library_name(v).lower()
    return "alle, kinder, jugendliche" if "kinder- und jugend" in text else "alle"


def _office_building(v: dict[str, Any]) -> str:
    info = _t(v.get("i_zusinfo"))
    if "Bezirksverwaltung" in info:
        return "town_hall"
    if info.startswith("im ") or " | im " in info:
        return "other"
    return "standalone"


DORTMUND_BASE: dict[str, Any] = {
    "street": _address, "city": "ort", "website": "link", "contact_email": "p_email", "description": "i_zusinfo",
}
DORTMUND_PLACES: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = [
    ("senior_meetings.geojson",
     {"name": _joined, "actors": _senior_meeting_actor, "target_groups": lambda v: "senioren"}, None),
    ("youth_centers.geojson",
     {"name": _joined, "actors": _youth_actor, "target_groups": _youth_groups}, None),
    ("libraries.geojson",
     {"name": _library_name, "actors": _library_actor, "target_groups": _library_groups}, {"objektart": "Bibliothek"}),
    ("seniors_office.geojson",
     {"name": _joined, "actors": lambda v: "Stadt Dortmund", "target_groups": lambda v: "senioren",
      "shared_building": _office_building, "source_id": "uuid"}, None),
]

HEALTHCARE_KINDS = {
    "doctor": "Arztpraxis", "pharmacy": "Apotheke", "dentist": "Zahnarztpraxis", "physiotherapist": "Physiotherapie",
    "podiatrist": "Podologie", "speech_therapist": "Logopädie", "psychotherapist": "Psychotherapie",
    "clinic": "Klinik", "hospital": "Krankenhaus", "alternative": "Naturheilkunde", "occupational_therapist": "Ergotherapie",
    "counselling": "Beratung", "midwife": "Hebamme", "laboratory": "Labor", "blood_donation": "Blutspende",
    "rehabilitation": "Rehabilitation",
}
CONTEXT_LAYERS: list[tuple[str, str, str]] = [
    ("kindergarten.geojson", "kitas", "Kitas"),
    ("schools.geojson", "schulen", "Schulen"),
    ("senior_daycare.geojson", "tagespflege", "Tagespflege"),
    ("assisted_living.geojson", "betreutes-wohnen", "Betreutes Wohnen"),
    ("playgrounds.geojson", "spielplaetze", "Spielplätze"),
    ("weekly_markets.geojson", "wochenmaerkte", "Wochenmärkte"),
    ("pools.geojson", "baeder", "Bäder"),
]


def _healthcare_kind(v: dict[str, Any]) -> str:
    return HEALTHCARE_KINDS.get(_t(v.get("healthcare")), "Gesundheitseinrichtung")


def _report(out: Callable[[str], object], label: str, result: ImportResult) -> None:
    out(f"{label}: {result.created} neu, {result.skipped} übersprungen, {result.excluded} ausgefiltert.")
    for line in result.issue_lines()[:5]:
        out("  " + line)


def load(*, out: Callable[[str], object] = print) -> None:
    for filename, special, where in DORTMUND_PLACES:
        result = import_file(POI / filename, actor=None, mapping={**DORTMUND_BASE, **special},
                             source=OPEN_DATA_DORTMUND, where=where)
        _report(out, f"Orte aus {filename}", result)
    for filename, layer, layer_name in CONTEXT_LAYERS:
        result = import_file(POI / filename, actor=None, layer=layer, layer_name=layer_name, replace=True,
                             mapping={"name": "objektname", "kind": "objektart", "street": _address},
                             source=OPEN_DATA_DORTMUND)
        _report(out, f"Kontextebene {layer_name}", result)
    result = import_file(POI / "healthcare.geojson", actor=None, layer="gesundheit", layer_name="Gesundheit",
                         replace=True, mapping={"name": _healthcare_kind, "kind": "healthcare"}, source=OSM_SOURCE)
    _report(out, "Kontextebene Gesundheit", result)
    result = import_file(DATA_DIR / "examples" / "kreis_dueren_beispielorte.csv", actor=None, source=EXAMPLES_SOURCE)
    _report(out, "Beispielorte Kreis Düren (CSV)", result)
