"""Proximity measures: nearest supply point, supply points within a radius, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from .._checks import FloatArray, IntArray
from ..errors import AnalysisError
from .costs import CostPairs, check_detour, check_nonnegative, check_radius, euclidean_costs, metric_xy

__all__ = ["CoverageResult", "NearestResult", "count_within", "coverage", "nearest"]

NO_SUPPLY = -1


@dataclass(frozen=True)
class NearestResult:
    """Distance (metres) to and index of the nearest supply point per demand point.

    Where nothing is found (network costs or ``max_distance`` given), the distance is
    ``inf`` and the index ``-1``.
    """

    distance: FloatArray
    index: IntArray


def nearest(
    demand_xy: Any,
    supply_xy: Any,
    *,
    detour_factor: float = 1.0,
    max_distance: float | None = None,
    costs: CostPairs | None = None,
    workers: int = -1,
) -> NearestResult:
    """Nearest supply point for every demand point (k-d tree, all cores by default).

    Examples
    --------
    >>> r = nearest([[0, 0], [1000, 0]], [[100, 0], [700, 0], [5000, 0]])
    >>> r.distance.tolist(), r.index.tolist()
    ([100.0, 300.0], [0, 1])
    >>> nearest([[0, 0], [1000, 0]], [[100, 0], [700, 0]], detour_factor=1.2).distance.tolist()
    [120.0, 360.0]
    """
    demand = metric_xy(demand_xy, name="demand")
    supply = metric_xy(supply_xy, name="supply")
    detour = check_detour(detour_factor)
    if costs is not None:
        costs.check_shape(demand.shape[0], supply.shape[0])
        pairs = costs if max_distance is None else costs.within(max_distance)
        return _nearest_from_pairs(pairs)
    bound = np.inf if max_distance is None else check_radius(max_distance, "max_distance") / detour
    tree = cKDTree(supply)
    dist, idx = tree.query(demand, k=1, distance_upper_bound=bound, workers=workers)
    found = np.isfinite(dist)
    index = np.where(found, idx, NO_SUPPLY).astype(np.int64)
    distance = dist * detour if detour != 1.0 else dist
    return NearestResult(distance=np.asarray(distance, dtype=np.float64), index=index)


def _nearest_from_pairs(pairs: CostPairs) -> NearestResult:
    distance = np.full(pairs.n_origin, np.inf)
    index = np.full(pairs.n_origin, NO_SUPPLY, dtype=np.int64)
    if pairs.cost.size:
        # Sort by origin, then cost: the first pair of each origin is its nearest.
        order = np.lexsort((pairs.dest, pairs.cost, pairs.origin))
        origin = pairs.origin[order]
        first = np.flatnonzero(np.r_[True, origin[1:] != origin[:-1]])
        distance[origin[first]] = pairs.cost[order][first]
        index[origin[first]] = pairs.dest[order][first]
    return NearestResult(distance=distance, index=index)


def count_within(
    demand_xy: Any,
    supply_xy: Any,
    radius: float,
    *,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
) -> IntArray:
    """Number of supply points within ``radius`` of every demand point.

    >>> count_within([[0, 0], [3000, 0]], [[100, 0], [900, 0], [2500, 0]], 1000).tolist()
    [2, 1]
    """
    pairs = _pairs_for(demand_xy, supply_xy, radius, detour_factor, costs)
    return np.bincount(pairs.origin, minlength=pairs.n_origin).astype(np.int64)


@dataclass(frozen=True)
class CoverageResult:
    """Which demand points have a supply point within the radius, and the covered share."""

    covered: npt.NDArray[np.bool_]
    covered_weight: float
    total_weight: float

    @property
    def share(self) -> float:
        """Covered share of the (weighted) demand, between 0 and 1."""
        return self.covered_weight / self.total_weight


def coverage(
    demand_xy: Any,
    supply_xy: Any,
    radius: float,
    *,
    weights: Any = None,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
) -> CoverageResult:
    """Share of (weighted) demand with at least one supply point within ``radius``.

    >>> c = coverage([[1000, 0], [4000, 0], [10000, 0]], [[1100, 0]], 1000, weights=[30, 50, 20])
    >>> c.covered.tolist(), c.share
    ([True, False, False], 0.3)
    """
    radius = check_radius(radius)
    demand = metric_xy(demand_xy, name="demand")
    w = check_nonnegative(weights, demand.shape[0], name="weights")
    total = float(w.sum())
    if total <= 0:
        raise AnalysisError("weights: total demand weight is zero; coverage is undefined")
    if costs is None:
        covered = nearest(demand, supply_xy, detour_factor=detour_factor).distance <= radius
    else:
        pairs = _pairs_for(demand, supply_xy, radius, detour_factor, costs)
        covered = np.zeros(demand.shape[0], dtype=bool)
        covered[pairs.origin] = True
    return CoverageResult(covered=covered, covered_weight=float(w[covered].sum()), total_weight=total)


def _pairs_for(
    demand_xy: Any, supply_xy: Any, radius: float, detour_factor: float, costs: CostPairs | None
) -> CostPairs:
    if costs is None:
        return euclidean_costs(demand_xy, supply_xy, radius, detour_factor=detour_factor)
    demand = metric_xy(demand_xy, name="demand")
    supply = metric_xy(supply_xy, name="supply")
    costs.check_shape(demand.shape[0], supply.shape[0])
    return costs.within(radius)
