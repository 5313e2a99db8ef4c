"""GeoJSON for the maps: the points of the filtered places and the outlines that serve as the offline base map."""

from __future__ import annotations

from datetime import datetime
from threading import Lock
from typing import Any

import shapely
from django.db.models import Max
from django.urls import reverse

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.geo import to_geojson, to_shape

from ..models import Place
from .places import PlaceFilter, places_filtered, places_open_now


def place_points(f: PlaceFilter, *, at: datetime | None = None) -> dict[str, Any]:
    """A FeatureCollection of the places matching ``f`` (only what a marker and its popup need)."""
    base = Place.objects.filter(is_published=True).select_related("kommune").only(
        "id", "name", "lon", "lat", "status", "kind", "opening_hours", "is_example", "kommune__name"
    )
    places = list(places_filtered(f, base=base).exclude(lon=None).exclude(lat=None))
    if f.open_now:
        places = places_open_now(places, at=at)
    detail = reverse("places:detail", args=[0])[:-2]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": p.pk,
                "geometry": {"type": "Point", "coordinates": [round(p.lon or 0.0, 6), round(p.lat or 0.0, 6)]},
                "properties": {
                    "name": p.name,
                    "kommune": p.kommune.name if p.kommune is not None else "",
                    "status": p.get_status_display(),
                    "status_key": p.status,
                    "example": p.is_example,
                    "url": f"{detail}{p.pk}/",
                },
            }
            for p in places
        ],
    }


_outlines: dict[str, Any] = {}
_lock = Lock()


def area_outlines() -> dict[str, Any]:
    """Kommunen (Kreis Düren) and Stadtbezirke (Dortmund), simplified: the base map without a tile server."""
    stamp = (Area.objects.aggregate(m=Max("id"))["m"], Area.objects.count())
    with _lock:
        if _outlines.get("stamp") == stamp:
            cached: dict[str, Any] = _outlines["data"]
            return cached
        areas = (Area.objects.with_geometry().select_related("level", "region")
                 .filter(level__rank__in=[0, 1], region__is_reference=False).exclude(geometry=None).order_by("level__rank", "name"))
        features = []
        for area in areas:
            # Dortmund's rank 0 is the city (already drawn by its Stadtbezirke); Kreis Düren's is the Kreis.
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
