"""Dasymetric spreading: counts per area (a table, e.g. persons 65+ per Kommune) → counts per point inside it.

An area table says how many persons of a group live in each area, not where. To use it as the need of a
point-based method (nearest, coverage, 2SFCA, MCLP, ...), each area's count is spread onto points inside the area:

* **grid** – onto the cells of a population grid that belong to the area, in proportion to the grid's population
  (e.g. the Zensus 1 km grid): the table says *how many*, the grid says *where*;
* **sample** – where no grid cell with population belongs to the area: evenly onto a regular lattice of points
  inside the polygon (cell centres of a square grid with the given spacing, aligned to multiples of it, so with
  EPSG:3035 coordinates they are INSPIRE cell centres);
* **point** – a polygon too small to hold a lattice point gets one point inside it
  (``shapely.point_on_surface``).

Counts are whole persons and are split with the largest-remainder method, so the points of an area add up to the
area's count **exactly** (no rounding drift). Coordinates in metres; areas are shapely polygons in the same CRS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ._checks import FloatArray, IntArray
from .errors import AnalysisError, EmptyInputError

__all__ = ["Spread", "largest_remainder", "lattice_points", "spread_counts"]


@dataclass(frozen=True)
class Spread:
    """Points carrying the spread counts.

    ``xy`` (k, 2) point coordinates; ``area`` (k,) index of the area each point belongs to; ``source`` (k,) index
    of the weighting point it came from, -1 for lattice and surface points; ``counts`` (k, c) whole persons per
    point and column; ``method`` per area: ``"grid"``, ``"sample"`` or ``"point"``.
    """

    xy: FloatArray
    area: IntArray
    source: IntArray
    counts: IntArray
    method: list[str]


def largest_remainder(total: int, weights: Any) -> IntArray:
    """Split the whole number ``total`` in proportion to ``weights`` so that the parts add up to ``total``.

    Each part is the floor of its quota; the rest goes one by one to the largest remainders (ties: first index).
    Zero weights get nothing; all weights zero is an error.

    >>> largest_remainder(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    >>> largest_remainder(7, [0, 2, 5]).tolist()
    [0, 2, 5]
    >>> int(largest_remainder(1001, [0.3, 0.3, 0.4]).sum())
    1001
    """
    n = int(total)
    if n < 0:
        raise AnalysisError(f"total must not be negative, got {total}")
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.size == 0 or not np.isfinite(w).all() or (w < 0).any():
        raise AnalysisError("weights must be finite and not negative")
    wsum = float(w.sum())
    if wsum <= 0:
        raise AnalysisError("weights are all zero; nothing to spread onto")
    quota = n * (w / wsum)
    parts = np.floor(quota).astype(np.int64)
    rest = n - int(parts.sum())
    if rest < 0:  # float noise can only push a floor up by one at most
        order = np.argsort(quota - parts, kind="stable")
        for j in order[: -rest]:
            parts[j] -= 1
        rest = 0
    if rest:
        remainder = np.where(w > 0, quota - parts, -1.0)
        order = np.lexsort((np.arange(w.size), -remainder))
        parts[order[:rest]] += 1
    return parts


def lattice_points(polygon: BaseGeometry, spacing: float) -> FloatArray:
    """Centres of the square cells of size ``spacing`` (aligned to multiples of it) that lie inside ``polygon``.

    >>> square = shapely.box(0, 0, 300, 200)
    >>> lattice_points(square, 100).tolist()
    [[50.0, 50.0], [150.0, 50.0], [250.0, 50.0], [50.0, 150.0], [150.0, 150.0], [250.0, 150.0]]
    """
    s = float(spacing)
    if not np.isfinite(s) or s <= 0:
        raise AnalysisError(f"spacing must be a positive distance, got {spacing}")
    minx, miny, maxx, maxy = polygon.bounds
    xs = np.arange(np.floor(minx / s) * s + s / 2, maxx, s)
    ys = np.arange(np.floor(miny / s) * s + s / 2, maxy, s)
    if xs.size * ys.size > 5_000_000:
        raise AnalysisError(f"spacing {s:g} m gives too many points for an area of this size")
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    if pts.size == 0:
        return np.zeros((0, 2))
    inside = shapely.contains_xy(polygon, pts[:, 0], pts[:, 1])
    return np.asarray(pts[inside], dtype=np.float64)


def spread_counts(
    areas: list[BaseGeometry],
    counts: Any,
    *,
    spacing: float,
    points: Any = None,
    weights: Any = None,
    point_area: Any = None,
) -> Spread:
    """Spread whole counts per area (``counts``, shape (n areas, c columns)) onto points inside the areas.

    ``points`` (m, 2) and ``weights`` (m,) are an optional weighting grid (cell centres and population); a point
    belongs to the area given by ``point_area`` (m,; -1 for none) or, without it, to the first area containing it.
    An area with weighting points of positive total weight is spread onto them in proportion to the weights
    (``"grid"``); any other area evenly onto its lattice points at ``spacing`` (``"sample"``) or, when none lies
    inside, onto one point on its surface (``"point"``). Per area and column the points add up to the count.

    >>> a = shapely.box(0, 0, 2000, 1000)
    >>> b = shapely.box(2000, 0, 3000, 1000)
    >>> s = spread_counts([a, b], [[100], [7]], spacing=500, points=[[500, 500], [1500, 500]], weights=[1, 3])
    >>> s.method, s.counts[:, 0].tolist(), s.area.tolist()
    (['grid', 'sample'], [25, 75, 2, 2, 2, 1], [0, 0, 1, 1, 1, 1])
    >>> [int(s.counts[s.area == i].sum()) for i in (0, 1)]
    [100, 7]
    """
    if len(areas) == 0:
        raise EmptyInputError("no areas given")
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim == 1:
        table = table.reshape(-1, 1)
    if table.ndim != 2 or table.shape[0] != len(areas) or table.shape[1] == 0:
        raise AnalysisError(f"counts must have shape ({len(areas)}, columns), got {table.shape}")
    if not np.isfinite(table).all() or (table < 0).any() or (table != np.round(table)).any():
        raise AnalysisError("counts must be whole numbers, not negative")
    whole = table.astype(np.int64)
    for geom in areas:
        if geom is None or geom.is_empty or geom.area <= 0:
            raise AnalysisError("every area needs a polygon with a positive area")

    wxy = np.zeros((0, 2)) if points is None else np.asarray(points, dtype=np.float64).reshape(-1, 2)
    w = np.zeros(wxy.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.shape[0] != wxy.shape[0]:
        raise AnalysisError("points and weights must have the same length")
    if not np.isfinite(wxy).all() or not np.isfinite(w).all() or (w < 0).any():
        raise AnalysisError("weighting points must be finite and their weights not negative")
    if point_area is None:
        owner = np.full(wxy.shape[0], -1, dtype=np.int64)
        if wxy.shape[0]:
            tree = shapely.STRtree(areas)
            hit_pt, hit_area = tree.query(shapely.points(wxy), predicate="within")
            for p, a in zip(hit_pt.tolist(), hit_area.tolist(), strict=True):
                if owner[p] < 0 or a < owner[p]:
                    owner[p] = a
    else:
        owner = np.asarray(point_area, dtype=np.int64).reshape(-1)
        if owner.shape[0] != wxy.shape[0]:
            raise AnalysisError("point_area must have one entry per weighting point")

    out_xy: list[FloatArray] = []
    out_area: list[IntArray] = []
    out_source: list[IntArray] = []
    out_counts: list[IntArray] = []
    method: list[str] = []
    for i, geom in enumerate(areas):
        idx = np.flatnonzero((owner == i) & (w > 0))
        if idx.size:
            xy, src, share = wxy[idx], idx.astype(np.int64), w[idx]
            method.append("grid")
        else:
            xy = lattice_points(geom, spacing)
            if xy.shape[0] == 0:
                p = shapely.point_on_surface(geom)
                xy = np.array([[p.x, p.y]], dtype=np.float64)
                method.append("point")
            else:
                method.append("sample")
            src = np.full(xy.shape[0], -1, dtype=np.int64)
            share = np.ones(xy.shape[0])
        parts = np.column_stack([largest_remainder(int(n), share) for n in whole[i]])
        out_xy.append(xy)
        out_area.append(np.full(xy.shape[0], i, dtype=np.int64))
        out_source.append(src)
        out_counts.append(parts.astype(np.int64))
    return Spread(
        xy=np.vstack(out_xy), area=np.concatenate(out_area), source=np.concatenate(out_source),
        counts=np.vstack(out_counts), method=method,
    )
