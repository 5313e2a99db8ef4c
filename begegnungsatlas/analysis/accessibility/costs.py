"""Sparse demand-to-supply travel costs within a cutoff.

All accessibility functions work on :class:`CostPairs`: only the (demand, supply) pairs
whose cost is at most a cutoff are stored, so memory grows with the number of pairs in
reach, never with ``n_demand × n_supply``. :func:`euclidean_costs` builds them with a
k-d tree; :mod:`begegnungsatlas.analysis.network` builds them from a walking network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from .._checks import FloatArray, IntArray, as_xy, require_metric
from ..errors import AnalysisError

__all__ = ["CostPairs", "check_detour", "check_nonnegative", "check_radius", "euclidean_costs", "metric_xy"]

# The k-d tree compares squared distances; search a hair wider and filter on the
# exact cost so that a pair at exactly the radius is never lost to rounding.
_SEARCH_SLACK = 1.0 + 1e-9


@dataclass(frozen=True)
class CostPairs:
    """Travel costs of all (origin, destination) pairs with cost <= ``cutoff``.

    Attributes
    ----------
    origin, dest : numpy.ndarray of int64
        Row indices into the origin (demand) and destination (supply) points.
    cost : numpy.ndarray of float64
        Cost (metres) of each pair.
    n_origin, n_dest : int
        Number of origin and destination points (pairs may leave some out).
    cutoff : float
        Every pair with a cost up to ``cutoff`` is present.
    """

    origin: IntArray
    dest: IntArray
    cost: FloatArray
    n_origin: int
    n_dest: int
    cutoff: float

    def within(self, radius: float) -> CostPairs:
        """Keep the pairs with cost <= ``radius`` (which must not exceed ``cutoff``).

        >>> p = CostPairs(np.array([0, 0]), np.array([0, 1]), np.array([5.0, 9.0]), 1, 2, 10.0)
        >>> p.within(6.0).dest.tolist()
        [0]
        >>> p.within(20.0)
        Traceback (most recent call last):
        ...
        begegnungsatlas.analysis.errors.AnalysisError: radius 20.0 exceeds the cutoff 10.0 the costs were computed with
        """
        radius = check_radius(radius)
        if radius > self.cutoff:
            raise AnalysisError(
                f"radius {radius} exceeds the cutoff {self.cutoff} the costs were computed with"
            )
        if radius == self.cutoff:
            return self
        keep = self.cost <= radius
        return CostPairs(
            self.origin[keep], self.dest[keep], self.cost[keep], self.n_origin, self.n_dest, radius
        )

    def check_shape(self, n_origin: int, n_dest: int) -> None:
        """Refuse costs computed for other point sets."""
        if (self.n_origin, self.n_dest) != (n_origin, n_dest):
            raise AnalysisError(
                f"costs were computed for {self.n_origin} demand × {self.n_dest} supply points, "
                f"but {n_origin} × {n_dest} were given"
            )


def check_radius(radius: float, name: str = "radius") -> float:
    """Return ``radius`` as float if it is finite and positive.

    >>> check_radius(0)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: radius must be a positive, finite distance in metres, got 0
    """
    value = float(radius)
    if not np.isfinite(value) or value <= 0:
        raise AnalysisError(f"{name} must be a positive, finite distance in metres, got {radius!r}")
    return value


def check_nonnegative(values: Any, n: int, *, name: str) -> FloatArray:
    """Return ``values`` (or ones if ``None``) as float64 of length ``n``; refuse NaN and negatives.

    >>> check_nonnegative([3, -1], 2, name="capacity")
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: capacity: value 1 is negative (-1.0)
    """
    if values is None:
        return np.ones(n, dtype=np.float64)
    arr = np.asarray(values, dtype=np.float64).ravel()
    if arr.size != n:
        raise AnalysisError(f"{name}: expected {n} values, got {arr.size}")
    finite = np.isfinite(arr)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise AnalysisError(f"{name}: value {bad} is NaN or infinite")
    if (arr < 0).any():
        bad = int(np.flatnonzero(arr < 0)[0])
        raise AnalysisError(f"{name}: value {bad} is negative ({arr[bad]})")
    return arr


def metric_xy(points: Any, *, name: str) -> FloatArray:
    """Validated (n, 2) coordinates in metres (non-empty, finite, not lon/lat)."""
    xy = as_xy(points, name=name)
    require_metric(xy, name=name)
    return xy


def check_detour(detour_factor: float) -> float:
    """A detour factor stretches straight-line distance; it must be finite and >= 1."""
    value = float(detour_factor)
    if not np.isfinite(value) or value < 1.0:
        raise AnalysisError(f"detour_factor must be a finite number >= 1, got {detour_factor!r}")
    return value


def euclidean_costs(
    demand_xy: Any, supply_xy: Any, radius: float, *, detour_factor: float = 1.0
) -> CostPairs:
    """All demand-supply pairs with ``detour_factor × straight-line distance <= radius``.

    Coordinates must be in a metric CRS (e.g. EPSG:25832). The k-d tree is built on the
    larger point set, so a million demand points cost one tree build and one sweep.

    Examples
    --------
    >>> p = euclidean_costs([[0, 0], [3000, 0]], [[300, 400], [900, 0]], radius=1000)
    >>> p.origin.tolist(), p.dest.tolist(), p.cost.tolist()
    ([0, 0], [0, 1], [500.0, 900.0])
    >>> euclidean_costs([[1000, 0]], [[1500, 0]], radius=1000, detour_factor=1.3).cost.tolist()
    [650.0]
    """
    demand = metric_xy(demand_xy, name="demand")
    supply = metric_xy(supply_xy, name="supply")
    radius = check_radius(radius)
    detour = check_detour(detour_factor)
    search = radius / detour * _SEARCH_SLACK
    big_is_demand = demand.shape[0] >= supply.shape[0]
    big, small = (demand, supply) if big_is_demand else (supply, demand)
    big_tree = cKDTree(big, balanced_tree=False, compact_nodes=False)
    small_tree = cKDTree(small)
    found = small_tree.sparse_distance_matrix(big_tree, search, output_type="ndarray")
    small_idx = found["i"].astype(np.int64)
    big_idx = found["j"].astype(np.int64)
    origin, dest = (big_idx, small_idx) if big_is_demand else (small_idx, big_idx)
    if origin.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return CostPairs(empty, empty.copy(), np.zeros(0), demand.shape[0], supply.shape[0], radius)
    delta = demand[origin] - supply[dest]
    cost = np.hypot(delta[:, 0], delta[:, 1])
    if detour != 1.0:
        cost *= detour
    keep = cost <= radius
    if not keep.all():
        origin, dest, cost = origin[keep], dest[keep], cost[keep]
    return CostPairs(origin, dest, cost, demand.shape[0], supply.shape[0], radius)
