"""Reads for areas, including point-in-polygon lookup."""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock
from typing import Any, cast

import numpy as np
import shapely
from django.db.models import Max, QuerySet

from begegnungsatlas.core.geo import to_shape

from ..models import Area, AreaLevel


@dataclass
class _Index:
    stamp: tuple[Any, ...]
    ids: list[int]
    ranks: list[int]
    is_muni: list[bool]
    tree: shapely.STRtree
    geoms: list[Any]


_cache: dict[str, _Index] = {}
_lock = Lock()


def _stamp() -> tuple[Any, ...]:
    agg = Area.objects.aggregate(n=Max("id"))
    return (agg["n"], Area.objects.count(), Area.objects.filter(valid_to__isnull=True).count())


def _index() -> _Index:
    stamp = _stamp()
    with _lock:
        idx = _cache.get("all")
        if idx is not None and idx.stamp == stamp:
            return idx
        rows = list(
            Area.objects.exclude(geometry=None).filter(
                region__is_reference=False, valid_to__isnull=True, level__grid_size_m__isnull=True
            )
            .select_related("level").only(
                "id", "geometry", "level__rank", "level__is_municipality"
            )
        )
        geoms = []
        for a in rows:
            g = to_shape(cast(dict[str, Any], a.geometry))  # rows without geometry are excluded above
            geoms.append(g if g.is_valid else shapely.make_valid(g))
        idx = _Index(
            stamp=stamp, ids=[a.id for a in rows], ranks=[a.level.rank for a in rows],
            is_muni=[a.level.is_municipality for a in rows], tree=shapely.STRtree(geoms), geoms=geoms,
        )
        _cache["all"] = idx
        return idx


def areas_containing(*, lon: float, lat: float) -> list[Area]:
    """All areas (any level, any region) that contain the point, from the largest to the smallest."""
    idx = _index()
    hits = idx.tree.query(shapely.Point(lon, lat), predicate="intersects")
    if len(hits) == 0:
        return []
    order = sorted((int(i) for i in np.asarray(hits)), key=lambda i: idx.ranks[i])
    areas = Area.objects.select_related("level").defer("geometry", "geometry_web").in_bulk(
        [idx.ids[i] for i in order]
    )
    return [areas[idx.ids[i]] for i in order if idx.ids[i] in areas]


def area_assignment(*, lon: float, lat: float) -> tuple[Area | None, Area | None]:
    """Return ``(kommune, smallest area)`` containing the point (either may be None)."""
    containing = areas_containing(lon=lon, lat=lat)
    if not containing:
        return None, None
    kommune = next((a for a in containing if a.level.is_municipality), None)
    return kommune, containing[-1]


def kommunen() -> QuerySet[Area]:
    return Area.objects.filter(level__is_municipality=True).select_related("region", "level").order_by("name")


def levels_of(*, region_slug: str) -> QuerySet[AreaLevel]:
    return AreaLevel.objects.filter(region__slug=region_slug).order_by("rank")
