"""Writes for regions and areas."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shapely
from django.db import transaction

from begegnungsatlas.core.geo import area_km2, to_geojson, to_shape

from ..models import Area, AreaLevel, Region


def region_get_or_create(*, slug: str, name: str, ars: str = "", levels: list[tuple[str, str, str, bool]]) -> Region:
    """Create a region with its levels ``(slug, name, plural, is_municipality)`` ordered from top to bottom."""
    region, _ = Region.objects.get_or_create(slug=slug, defaults={"name": name, "ars": ars})
    for rank, (lslug, lname, lplural, is_muni) in enumerate(levels):
        AreaLevel.objects.update_or_create(
            region=region, slug=lslug,
            defaults={"name": lname, "name_plural": lplural, "rank": rank, "is_municipality": is_muni},
        )
    return region


def area_fields_from_geometry(geometry: dict[str, Any] | None, *, simplify_tolerance: float = 0.0) -> dict[str, Any]:
    """Derived columns of an area from its GeoJSON geometry (bbox, centroid, km², web geometry)."""
    if geometry is None:
        return {"geometry": None, "geometry_web": None}
    geom = to_shape(geometry)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    minx, miny, maxx, maxy = geom.bounds
    c = geom.representative_point() if geom.centroid.is_empty else geom.centroid
    web = geom.simplify(simplify_tolerance, preserve_topology=True) if simplify_tolerance else geom
    return {
        "geometry": to_geojson(geom),
        "geometry_web": to_geojson(web, precision=5),
        "min_lon": minx, "min_lat": miny, "max_lon": maxx, "max_lat": maxy,
        "centroid_lon": float(c.x), "centroid_lat": float(c.y),
        "area_km2": round(area_km2(geom), 4),
    }


@transaction.atomic
def areas_upsert(
    *,
    level: AreaLevel,
    features: Iterable[dict[str, Any]],
    code: Callable[[dict[str, Any]], str],
    name: Callable[[dict[str, Any]], str],
    parent_code: Callable[[dict[str, Any]], str | None] | None = None,
    source: str = "",
) -> list[Area]:
    """Create or update the areas of ``level`` from GeoJSON features (all or nothing)."""
    parent_level = AreaLevel.objects.filter(region=level.region, rank=level.rank - 1).first()
    parents = {a.code: a for a in Area.objects.filter(level=parent_level)} if parent_level else {}
    out = []
    for feature in features:
        props = feature.get("properties") or {}
        parent = None
        if parent_code is not None:
            pcode = parent_code(props)
            parent = parents.get(pcode) if pcode else None
        elif parent_level is not None and len(parents) == 1:
            parent = next(iter(parents.values()))
        fields = area_fields_from_geometry(feature.get("geometry"))
        area, _ = Area.objects.update_or_create(
            level=level, code=code(props), valid_from=None,
            defaults={"region": level.region, "name": name(props), "parent": parent, "source": source, **fields},
        )
        out.append(area)
    return out
