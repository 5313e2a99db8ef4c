"""Bundling of offers: which places lie within walking distance of each other, and which site would bring the
most different offers within reach (seed 004, "Zentrum für soziale Integration").

Coordinates in metres (EPSG:25832); straight-line distance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ._checks import IntArray, as_xy, require_metric
from .errors import AnalysisError

__all__ = ["proximity_clusters", "reach_counts"]


def _radius(radius: float) -> float:
    r = float(radius)
    if not np.isfinite(r) or r <= 0:
        raise AnalysisError(f"radius must be a positive finite distance, got {radius}")
    return r


def proximity_clusters(xy: Any, radius: float) -> IntArray:
    """Cluster label per point: points chained by steps of at most ``radius`` share a label (single linkage).

    Labels are numbered by first appearance (0, 1, ...).

    >>> proximity_clusters([[0, 0], [500, 0], [900, 0], [5000, 0]], 500).tolist()
    [0, 0, 0, 1]
    """
    pts = as_xy(xy, name="xy")
    require_metric(pts, name="xy")
    r = _radius(radius)
    pairs = cKDTree(pts).query_pairs(r, output_type="ndarray")
    n = pts.shape[0]
    graph = sp.coo_array((np.ones(pairs.shape[0]), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _count, raw = connected_components(graph, directed=False)
    _uniq, first = np.unique(raw, return_index=True)
    order = np.argsort(first)
    relabel = np.empty(order.size, dtype=np.int64)
    relabel[raw[first[order]]] = np.arange(order.size)
    out: IntArray = relabel[raw].astype(np.int64)
    return out


def reach_counts(centre_xy: Any, item_xy: Any, item_keys: Any, radius: float) -> IntArray:
    """For each candidate centre, the number of *distinct* item keys (e.g. offers) within ``radius``.

    >>> reach_counts([[0, 0], [3000, 0]], [[100, 0], [200, 0], [2900, 0]], [7, 8, 7], 500).tolist()
    [2, 1]
    """
    centres = as_xy(centre_xy, name="centre_xy")
    items = as_xy(item_xy, name="item_xy")
    require_metric(centres, name="centre_xy")
    require_metric(items, name="item_xy")
    keys = np.asarray(item_keys).reshape(-1)
    if keys.shape[0] != items.shape[0]:
        raise AnalysisError(f"item_keys: expected {items.shape[0]} keys (one per item), got {keys.shape[0]}")
    r = _radius(radius)
    _uniq, codes = np.unique(keys, return_inverse=True)
    hits = cKDTree(items).query_ball_point(centres, r)
    return np.array([np.unique(codes[h]).size if len(h) else 0 for h in hits], dtype=np.int64)
