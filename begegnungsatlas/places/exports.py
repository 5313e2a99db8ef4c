"""Writers for a list of places: CSV (``;``, UTF-8 with BOM for Excel), XLSX and GeoJSON.

They take the places from ``places_search`` (published places, prefetched) so that exports show exactly
what the public list shows for the same filters, "open now" included. Only public fields are written;
the fixed contact person of a place is public by design of the register.

Cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` at the start) are prefixed with
``'`` in CSV and XLSX (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .models import Place

COLUMNS = [
    ("id", "ID"), ("name", "Name"), ("kind", "Art"), ("status", "Status"), ("street", "Straße"),
    ("postcode", "PLZ"), ("city", "Ort"), ("kommune_code", "Kommune (ARS)"), ("kommune", "Kommune"),
    ("area", "Gebiet"), ("lon", "Längengrad"), ("lat", "Breitengrad"), ("target_groups", "Zielgruppen"),
    ("qualities", "Qualitäten"), ("opening_hours", "Öffnungszeiten"), ("wheelchair", "Rollstuhl"),
    ("open_for_groups", "Raum für freie Gruppen"), ("shared_building", "Gebäude"), ("website", "Website"),
    ("virtual_url", "Online-Adresse"), ("capacity", "Kapazität"), ("contact_name", "Ansprechperson"),
    ("contact_email", "E-Mail Ansprechperson"), ("contact_phone", "Telefon Ansprechperson"),
    ("actors", "Akteure"), ("offers", "Angebote"), ("is_example", "Beispieldaten"),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def place_record(place: Place) -> dict[str, Any]:
    """One place as a flat dict of public fields (keys of ``COLUMNS``)."""
    return {
        "id": place.pk, "name": place.name, "kind": place.kind, "status": place.status, "street": place.street,
        "postcode": place.postcode, "city": place.city,
        "kommune_code": place.kommune.code if place.kommune else "",
        "kommune": place.kommune.name if place.kommune else "",
        "area": place.area.name if place.area else "",
        "lon": place.lon, "lat": place.lat,
        "target_groups": ", ".join(tg.slug for tg in place.target_groups.all()),
        "qualities": ", ".join(q.slug for q in place.qualities.all()),
        "opening_hours": place.opening_hours, "wheelchair": place.wheelchair,
        "open_for_groups": place.open_for_groups, "shared_building": place.shared_building,
        "website": place.website, "virtual_url": place.virtual_url, "capacity": place.capacity,
        "contact_name": place.contact_name, "contact_email": place.contact_email,
        "contact_phone": place.contact_phone,
        "actors": "; ".join(f"{pa.organisation.name} ({pa.get_role_display()})" for pa in place.place_actors.all()),
        "offers": "; ".join(o.title for o in place.offers.all()),
        "is_example": place.is_example,
    }


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if value is None:
        return ""
    return _safe(value)


def write_csv(places: Iterable[Place]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _key, label in COLUMNS])
    for place in places:
        rec = place_record(place)
        writer.writerow([_cell(rec[key]) for key, _label in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_xlsx(places: Iterable[Place]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Orte der Begegnung")
    ws.append([label for _key, label in COLUMNS])
    for place in places:
        rec = place_record(place)
        ws.append([_cell(rec[key]) if not isinstance(rec[key], int | float) or isinstance(rec[key], bool)
                   else rec[key] for key, _label in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_geojson(places: Iterable[Place]) -> bytes:
    features = []
    for place in places:
        rec = place_record(place)
        geometry = (
            {"type": "Point", "coordinates": [place.lon, place.lat]}
            if place.lon is not None and place.lat is not None else None
        )
        props = {k: v for k, v in rec.items() if k not in {"lon", "lat", "id"}}
        features.append({"type": "Feature", "id": place.pk, "geometry": geometry, "properties": props})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
