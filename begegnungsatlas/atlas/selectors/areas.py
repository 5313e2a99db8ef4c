"""Reads for areas, including point-in-polygon lookup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import shapely
from django.db.models import QuerySet

from begegnungsatlas.core.geo import to_shape

from ..models import Area, AreaLevel

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


@dataclass
class _Index:
    stamp: tuple[Any, ...]
    ids: list[int]
    ranks: list[int]
    is_muni: list[bool]
    tree: shapely.STRtree


_cache: dict[str, _Index] = {}
_lock = Lock()


def _stamp() -> tuple[Any, ...]:
    # Two small queries on every lookup. The areas' stamp changes when areas are added, removed or closed, and when
    # a polygon is rewritten in place (``geometry_changed_at``, stamped by every ORM write) — in this process or any
    # other. The levels' part changes when a level's rank or role is edited, which decides which area is the
    # smallest, which one is the Kommune and which levels take part at all.
    levels = tuple(AreaLevel.objects.order_by("id").values_list(
        "id", "rank", "is_municipality", "grid_size_m", "composed_of_id", "region__is_reference"))
    return (Area.objects.geometry_stamp(), levels)


def _index() -> _Index:
    stamp = _stamp()
    with _lock:
        idx = _cache.get("all")
        if idx is not None and idx.stamp == stamp:
            return idx
        rows = list(
            Area.objects.exclude(geometry=None).filter(
                region__is_reference=False, valid_to__isnull=True, level__grid_size_m__isnull=True,
                level__composed_of__isnull=True,
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
            is_muni=[a.level.is_municipality for a in rows], tree=shapely.STRtree(geoms),
        )
        _cache["all"] = idx
        return idx


def area_ids_at(lons: Sequence[float], lats: Sequence[float]) -> list[tuple[int | None, int | None]]:
    """For each point ``(kommune_id, smallest_area_id)``; ``(None, None)`` outside every area.

    One STRtree query for all points, so an import of 10,000 rows costs one call. Grid levels and reference
    regions take no part (see ``_index``).
    """
    n = len(lons)
    if n == 0:
        return []
    idx = _index()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    hits = idx.tree.query(points, predicate="intersects")
    best_rank = [-1] * n
    smallest: list[int | None] = [None] * n
    kommune: list[int | None] = [None] * n
    for point_i, tree_i in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
        rank = idx.ranks[tree_i]
        if rank > best_rank[point_i]:
            best_rank[point_i] = rank
            smallest[point_i] = idx.ids[tree_i]
        if idx.is_muni[tree_i] and kommune[point_i] is None:
            kommune[point_i] = idx.ids[tree_i]
    return list(zip(kommune, smallest, strict=True))


def area_assignment(*, lon: float, lat: float) -> tuple[Area | None, Area | None]:
    """Return ``(kommune, smallest area)`` containing the point (either may be None)."""
    kommune_id, area_id = area_ids_at([lon], [lat])[0]
    wanted = [i for i in (kommune_id, area_id) if i is not None]
    if not wanted:
        return None, None
    areas = Area.objects.select_related("level").defer("geometry", "geometry_web").in_bulk(wanted)
    return (areas.get(kommune_id) if kommune_id else None), (areas.get(area_id) if area_id else None)


def kommunen() -> QuerySet[Area]:
    return Area.objects.filter(level__is_municipality=True).select_related("region", "level").order_by("name")


def levels_visible(*, region: Any, user: Actor) -> QuerySet[AreaLevel]:
    """Levels of a region the user may see: drafts (Sozialraum proposals) only for the social planners."""
    from ..permissions import can_read_internal

    qs = AreaLevel.objects.filter(region=region).order_by("rank")
    return qs if can_read_internal(user) else qs.filter(is_draft=False)


def levels_of(*, region_slug: str) -> QuerySet[AreaLevel]:
    return AreaLevel.objects.filter(region__slug=region_slug).order_by("rank")
