"""Candidate sites uploaded by the planner (CSV/XLSX/GeoJSON rows with name, lon, lat); checked, never stored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..errors import GapsError
from .population import read_rows

MAX_CANDIDATES = 500


def candidates_from_file(name: str, data: bytes) -> list[dict[str, Any]]:
    rows = read_rows(name, data)
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=2):
        lower = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            lon = float(lower.get("lon", lower.get("longitude", "")).replace(",", "."))
            lat = float(lower.get("lat", lower.get("latitude", "")).replace(",", "."))
        except ValueError as exc:
            raise GapsError(_("Kandidaten, Zeile %(row)s: lon und lat müssen Zahlen sein.") % {"row": i}) from exc
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GapsError(_("Kandidaten, Zeile %(row)s: Koordinaten außerhalb des Wertebereichs.") % {"row": i})
        out.append({"name": lower.get("name") or _("Kandidat %(n)s") % {"n": i - 1}, "lon": lon, "lat": lat,
                    "kind": _("hochgeladen"), "id": None})
        if len(out) > MAX_CANDIDATES:
            raise GapsError(_("Höchstens %(n)s Kandidaten.") % {"n": MAX_CANDIDATES})
    if not out:
        raise GapsError(_("Die Kandidatendatei enthält keine Zeilen."))
    return out
