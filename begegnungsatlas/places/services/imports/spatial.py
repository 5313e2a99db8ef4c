"""Batch point-in-polygon and distance helpers for the importer.

``area_assignment`` in the atlas answers one point per call; an import of 10,000 rows asks one STRtree query for
all points instead. It reuses the atlas' cached index so that both agree on every point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from begegnungsatlas.atlas.selectors import areas as area_selectors
from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer


def assign_areas_bulk(lons: Sequence[float], lats: Sequence[float]) -> list[tuple[int | None, int | None]]:
    """For each point ``(kommune_id, smallest_area_id)``; ``(None, None)`` outside every area."""
    n = len(lons)
    if n == 0:
        return []
    idx = area_selectors._index()  # the atlas' cached STRtree (same answers as area_assignment)
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


def to_metric_xy(lons: Sequence[float], lats: Sequence[float]) -> np.ndarray:
    if len(lons) == 0:
        return np.zeros((0, 2))
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.column_stack([x, y])


def metric_to_lonlat(x: float, y: float, crs: str = METRIC_CRS) -> tuple[float, float]:
    lon, lat = transformer(crs, WEB_CRS).transform(x, y)
    return float(lon), float(lat)
