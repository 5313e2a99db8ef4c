"""Column mapping (target field → source column) and parsing of German-style values.

A mapping value is a column name, or — for Python callers such as the demo loader — a callable that gets the
row's raw values and returns the value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ColumnRef = str | Callable[[dict[str, Any]], Any]

# Target fields of a place import, with labels for the mapping form.
PLACE_FIELDS: dict[str, Any] = {
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Beschreibung"),
    "status": gettext_lazy("Status (besteht/geplant/Potenzialraum)"),
    "street": gettext_lazy("Straße (ggf. mit Hausnummer)"),
    "housenumber": gettext_lazy("Hausnummer"),
    "postcode": gettext_lazy("PLZ"),
    "city": gettext_lazy("Ort"),
    "lat": gettext_lazy("Breitengrad (WGS 84)"),
    "lon": gettext_lazy("Längengrad (WGS 84)"),
    "x": gettext_lazy("Rechtswert (EPSG:25832)"),
    "y": gettext_lazy("Hochwert (EPSG:25832)"),
    "opening_hours": gettext_lazy("Öffnungszeiten (OSM-Format)"),
    "target_groups": gettext_lazy("Zielgruppen"),
    "qualities": gettext_lazy("Qualitäten"),
    "actors": gettext_lazy("Träger / Akteure"),
    "actor_kind": gettext_lazy("Art des Trägers"),
    "offers": gettext_lazy("Angebote"),
    "website": gettext_lazy("Website"),
    "contact_name": gettext_lazy("Ansprechperson"),
    "contact_email": gettext_lazy("E-Mail"),
    "contact_phone": gettext_lazy("Telefon"),
    "wheelchair": gettext_lazy("Rollstuhl"),
    "shared_building": gettext_lazy("Gebäude (Mitnutzung)"),
    "open_for_groups": gettext_lazy("offen für freie Gruppen"),
    "capacity": gettext_lazy("Kapazität"),
    "source_id": gettext_lazy("Quell-ID"),
    "is_example": gettext_lazy("Beispieldaten"),
}
CONTEXT_FIELDS: dict[str, Any] = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Art"),
    "street": gettext_lazy("Straße"),
    "housenumber": gettext_lazy("Hausnummer"),
    "lat": PLACE_FIELDS["lat"],
    "lon": PLACE_FIELDS["lon"],
    "x": PLACE_FIELDS["x"],
    "y": PLACE_FIELDS["y"],
}

# Recognised headers (normalised: lower case, umlauts folded, only letters/digits).
HEADER_ALIASES: dict[str, list[str]] = {
    "name": ["name", "bezeichnung", "objektname", "titel", "einrichtung", "nameeinrichtung", "namedesortes", "ort_name"],
    "description": ["beschreibung", "description", "info", "erlaeuterung"],
    "status": ["status"],
    "street": ["strasse", "str", "street", "adresse", "anschrift", "addrstreet", "strasseundhausnummer"],
    "housenumber": ["hausnummer", "hausnr", "nr", "housenumber", "addrhousenumber"],
    "postcode": ["plz", "postleitzahl", "postcode", "zip", "addrpostcode"],
    "city": ["ort", "stadt", "city", "gemeinde", "addrcity", "kommune", "wohnort"],
    "lat": ["lat", "latitude", "breite", "breitengrad", "geobreite", "ykoordinate"],
    "lon": ["lon", "lng", "long", "longitude", "laenge", "laengengrad", "geolaenge", "xkoordinate"],
    "x": ["x", "rechtswert", "ostwert", "easting", "utmx"],
    "y": ["y", "hochwert", "nordwert", "northing", "utmy"],
    "opening_hours": ["oeffnungszeiten", "openinghours", "oeffnungszeit", "zeiten"],
    "target_groups": ["zielgruppen", "zielgruppe", "targetgroups"],
    "qualities": ["qualitaeten", "qualities", "qualitaet"],
    "actors": ["traeger", "betreiber", "operator", "akteure", "akteur", "organisation"],
    "actor_kind": ["traegerart", "artdestraegers", "operatortype"],
    "offers": ["angebote", "angebot", "offers"],
    "website": ["website", "webseite", "internet", "homepage", "url", "link", "web"],
    "contact_name": ["ansprechperson", "ansprechpartner", "ansprechpartnerin", "kontaktperson", "kontakt"],
    "contact_email": ["email", "mail", "pemail", "kontaktemail"],
    "contact_phone": ["telefon", "tel", "phone", "telefonnummer"],
    "wheelchair": ["rollstuhl", "wheelchair", "rollstuhlgerecht", "barrierefrei"],
    "shared_building": ["gebaeude", "mitnutzung", "sharedbuilding"],
    "open_for_groups": ["offenfuergruppen", "freiegruppen", "openforgroups"],
    "capacity": ["kapazitaet", "plaetze", "capacity", "personen"],
    "source_id": ["id", "sourceid", "quellid", "uuid", "osmid", "objektid", "nummer"],
    "is_example": ["beispiel", "beispieldaten", "isexample"],
    "kind": ["art", "objektart", "typ", "kategorie"],
}


def norm_header(text: str) -> str:
    text = str(text).lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return re.sub(r"[^a-z0-9]", "", text)


def guess_mapping(columns: list[str], *, fields: Mapping[str, Any] = PLACE_FIELDS) -> dict[str, str]:
    """Default mapping by recognising common German/English headers."""
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(norm_header(col), col)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for target in fields:
        for alias in HEADER_ALIASES.get(target, []):
            found = by_norm.get(alias)
            if found is not None and found not in used:
                mapping[target] = found
                used.add(found)
                break
    return mapping


def parse_mapping_args(items: list[str] | None) -> dict[str, str]:
    """Parse ``field=column`` pairs (CLI ``--map``)."""
    from .errors import ImportFileError

    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise ImportFileError(_("Zuordnung „%(item)s“: bitte als Feld=Spalte angeben.") % {"item": item})
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def value_of(values: dict[str, Any], ref: ColumnRef | None) -> Any:
    if ref is None or ref == "":
        return None
    if callable(ref):
        return ref(values)
    return values.get(ref)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class ValueProblem(ValueError):
    """A single value cannot be read; the message is German."""


def parse_number(value: Any) -> float | None:
    """Read numbers in German or English notation: ``51,4869``, ``7.3725``, ``1.234,5``, ``384096,39``.

    >>> parse_number("51,4869"), parse_number("1.234,5"), parse_number("7.3725"), parse_number("5.705.228")
    (51.4869, 1234.5, 7.3725, 5705228.0)
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(_("„%(v)s“ ist keine Zahl.") % {"v": value})
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValueProblem(_("„%(v)s“ ist keine Zahl.") % {"v": value})
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError as exc:
        raise ValueProblem(_("„%(v)s“ ist keine Zahl.") % {"v": value}) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem(_("„%(v)s“ ist keine Zahl.") % {"v": value})
    return number


TRUE_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0", ""}


def parse_bool(value: Any) -> bool:
    text = text_of(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueProblem(_("„%(v)s“ ist weder ja noch nein.") % {"v": value})


STATUS_WORDS = {
    "existing": "existing", "besteht": "existing", "bestehend": "existing", "vorhanden": "existing", "": "existing",
    "planned": "planned", "geplant": "planned", "in planung": "planned",
    "potential": "potential", "potenzialraum": "potential", "potentialraum": "potential", "potenzial": "potential",
}
WHEELCHAIR_WORDS = {
    "yes": "yes", "ja": "yes", "rollstuhlgerecht": "yes", "barrierefrei": "yes",
    "limited": "limited", "eingeschränkt": "limited", "eingeschraenkt": "limited", "teilweise": "limited",
    "no": "no", "nein": "no", "": "unknown", "unknown": "unknown", "unbekannt": "unknown",
}
SHARED_BUILDING_WORDS = {
    "": "standalone", "eigenständig": "standalone", "standalone": "standalone", "nein": "standalone",
    "kita": "kita", "schule": "school", "school": "school", "kirche": "church", "gemeindehaus": "church",
    "church": "church", "unterkunft": "refugee_housing", "refugee_housing": "refugee_housing",
    "rathaus": "town_hall", "verwaltung": "town_hall", "town_hall": "town_hall", "bibliothek": "library",
    "library": "library", "senioreneinrichtung": "senior_home", "senior_home": "senior_home",
    "vereinsheim": "club_house", "club_house": "club_house", "andere": "other", "other": "other",
}
ORG_KIND_WORDS = {
    "kommune": "kommune", "stadt": "kommune", "gemeinde": "kommune", "kreis": "kreis", "verein": "verein",
    "wohlfahrtsverband": "wohlfahrtsverband", "kirche": "kirche", "religionsgemeinschaft": "kirche",
    "initiative": "initiative", "unternehmen": "unternehmen", "stiftung": "stiftung", "sonstige": "sonstige",
}


def choice(value: Any, words: dict[str, str], *, label: str) -> str:
    text = text_of(value).lower()
    if text in words:
        return words[text]
    if text in words.values():
        return text
    raise ValueProblem(
        _("„%(v)s“ ist kein gültiger Wert für %(label)s. Möglich: %(opts)s")
        % {"v": value, "label": label, "opts": ", ".join(sorted({k for k in words if k}))}
    )


def split_list(value: Any) -> list[str]:
    """Split a list cell on ``,``, ``;``, ``|`` or line breaks."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [text_of(v) for v in value if text_of(v)]
    return [part.strip() for part in re.split(r"[,;|\n]", str(value)) if part.strip()]


def split_actors(value: Any) -> list[str]:
    """Actor names may contain commas ("AWO Ortsverein X, Treffpunkt"): split on ``|``, ``;`` and line breaks only."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [text_of(v) for v in value if text_of(v)]
    return [part.strip() for part in re.split(r"[|;\n]", str(value)) if part.strip()]


def guess_org_kind(name: str) -> str:
    """Kind of an organisation from its name (only where the name says it)."""
    low = name.lower()
    if re.search(r"\b(awo|caritas|diakonie|drk|paritätische|paritaetische|arbeiterwohlfahrt|johanniter|malteser)", low):
        return "wohlfahrtsverband"
    if low.startswith(("stadt ", "gemeinde ")) or low.endswith(" stadt"):
        return "kommune"
    if low.startswith("kreis "):
        return "kreis"
    if re.search(r"kirchengemeinde|pfarrei|kirche|kultusgemeinde|moschee|gemeinde\b.*k\.d\.ö\.r", low):
        return "kirche"
    if re.search(r"\bstiftung\b", low):
        return "stiftung"
    if re.search(r"\be\.\s?v\.|\bverein\b|\bcvjm\b", low):
        return "verein"
    if re.search(r"\binitiative\b", low):
        return "initiative"
    if re.search(r"\b(gmbh|ag|kg)\b", low):
        return "unternehmen"
    return "sonstige"


def fold(text: str) -> str:
    """Lower case without accents, for name comparison."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in text if not unicodedata.combining(c))
