"""Downloads of a scenario: the area table as CSV/XLSX, the cells as GeoJSON (points at the cell centres)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

AREA_COLUMNS = ["rank", "name", "demand", "unserved", "unserved_share", "value", "mean_distance", "places", "cells"]


def area_header() -> list[str]:
    return [_("Rang"), _("Gebiet"), _("Personen der Zielgruppe"), _("davon ohne Ort im Umkreis"),
            _("Anteil ohne Ort"), _("Wert der Methode"), _("mittlere Entfernung (m)"), _("Orte im Gebiet"),
            _("Rasterzellen")]


def _need(results: dict[str, Any]) -> list[str]:
    """How the need was made (area table spread onto cells), when it was not a plain grid."""
    return [results["need_label"]] if results.get("need_label") else []


def areas_csv(results: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow([_("Datenstand"), results["data_year"], results["grid_name"], results["method_label"],
                     *_need(results)])
    writer.writerow(area_header())
    for a in results["areas"]:
        writer.writerow([a[c] if a[c] is not None else "" for c in AREA_COLUMNS])
    return buf.getvalue()


def areas_xlsx(results: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Versorgung"
    sheet.append([_("Datenstand"), results["data_year"], results["grid_name"], results["method_label"],
                  *_need(results)])
    sheet.append(area_header())
    for a in results["areas"]:
        sheet.append([a[c] for c in AREA_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells_geojson(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "name": f"versorgung_{results['data_year']}",
        "features": [
            {"type": "Feature", "id": c["cell_id"],
             "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
             "properties": {"cell_id": c["cell_id"], "demand": c["demand"], "value": c["value"],
                            "served": c["served"], "outside_network": bool(c.get("outside")),
                            "data_year": results["data_year"],
                            **({"need": results["need_label"]} if results.get("need_label") else {})}}
            for c in results["cells"]
        ],
    }


def clusters_csv(result: dict[str, Any]) -> str:
    """Bundling clusters; first how distances were measured (with the network's attribution) and, on foot, the
    places left out because they lie outside the walking network."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    distance = result["distance"]
    writer.writerow([_("Entfernung"), distance["label"], f"{result['radius']:.0f} m", result["group"],
                     *([distance["licence"]] if distance["mode"] == "network" else [])])
    if result.get("outside_places"):
        writer.writerow([_("außerhalb des Wegenetzes, nicht berücksichtigt"), " | ".join(result["outside_places"])])
    writer.writerow([_("Cluster"), _("Orte"), _("Angebote"), _("Bereiche")])
    for i, c in enumerate(result["clusters"], start=1):
        writer.writerow([i, " | ".join(c["places"]), " | ".join(c["offers"]), " | ".join(c["categories"])])
    return buf.getvalue()
