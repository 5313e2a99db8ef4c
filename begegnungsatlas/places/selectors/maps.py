"""GeoJSON for the maps: the points of the filtered places and the outlines that serve as the offline base map."""

from __future__ import annotations

from datetime import datetime
from threading import Lock
from typing import Any

import shapely
from django.urls import reverse
from django.utils import timezone

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.geo import to_geojson, to_shape

from ..models import Place, PlaceStatus
from ..opening_hours import is_open_at
from .places import PlaceFilter, places_filtered

MAX_POINTS = 3000  # markers per response; beyond that the map asks for its view (bbox) only


def place_points(f: PlaceFilter, *, at: datetime | None = None, limit: int = MAX_POINTS) -> dict[str, Any]:
    """A FeatureCollection of (at most ``limit``) places matching ``f``: only what a marker and its popup need.

    ``numberMatched`` is the number of all matching places with a location and ``truncated`` says whether some
    were left out; the map then loads the points of its current view (``bbox`` in ``f``) as the user moves.
    Rows are read as tuples (no model instances), so a response stays cheap at 100,000 places."""
    qs = places_filtered(f, base=Place.objects.filter(is_published=True)).exclude(lon=None).exclude(lat=None)
    cols = ("id", "name", "lon", "lat", "status", "is_example", "kommune__name", "opening_hours")
    if f.open_now:
        rows = [r for r in qs.values_list(*cols) if r[7] and is_open_at(r[7], at or timezone.now())]
        total = len(rows)
        rows = rows[:limit]
    else:
        rows = list(qs.values_list(*cols)[:limit + 1])
        total = len(rows) if len(rows) <= limit else qs.count()
        rows = rows[:limit]
    detail = reverse("places:detail", args=[0])[:-2]
    labels = dict(PlaceStatus.choices)
    return {
        "type": "FeatureCollection",
        "numberMatched": total,
        "numberReturned": len(rows),
        "truncated": total > len(rows),
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "name": name,
                    "kommune": kommune or "",
                    "status": str(labels.get(status, status)),
                    "status_key": status,
                    "example": example,
                    "url": f"{detail}{pk}/",
                },
            }
            for pk, name, lon, lat, status, example, kommune, _hours in rows
        ],
    }


_outlines: dict[str, Any] = {}
_lock = Lock()


def area_outlines() -> dict[str, Any]:
    """The outlines of the Kommunen and city districts (levels of rank 0 and 1), simplified: the base map without a
    tile server."""
    stamp = Area.objects.geometry_stamp()  # also changes when a boundary import rewrites polygons in place
    with _lock:
        if _outlines.get("stamp") == stamp:
            cached: dict[str, Any] = _outlines["data"]
            return cached
        areas = (Area.objects.with_geometry().select_related("level", "region")
                 .filter(level__rank__in=[0, 1], region__is_reference=False).exclude(geometry=None).order_by("level__rank", "name"))
        features = []
        for area in areas:
            # A city's rank 0 is the city itself (already drawn by its districts); a Kreis's rank 0 is the Kreis.
            if area.level.rank == 0 and area.level.is_municipality:
                continue
            geom = to_shape(area.geometry_web or area.geometry or {})
            geom = shapely.simplify(geom, 0.0006, preserve_topology=True)
            features.append({
                "type": "Feature",
                "properties": {"name": area.name, "code": area.code, "level": area.level.name,
                               "rank": area.level.rank, "region": area.region.name},
                "geometry": to_geojson(geom, precision=5),
            })
        data = {"type": "FeatureCollection", "features": features}
        _outlines["stamp"], _outlines["data"] = stamp, data
        return data
