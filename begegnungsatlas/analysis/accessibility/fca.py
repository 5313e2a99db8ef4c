"""Floating catchment accessibility: 2SFCA, E2SFCA, FCA ratio and gravity (weighted catchment).

Definitions follow PySAL ``access`` 1.1 (``access.fca``) so that values agree with it to
rounding error, with two deliberate differences in edge cases (documented per function):
a demand point with no supply in reach gets ``0`` here (``access`` gives NaN), and a
supply point with no weighted demand in reach contributes nothing (``access`` divides by
zero).

All functions take coordinates in metres and a catchment ``radius``; pass ``costs``
(a :class:`~.costs.CostPairs`, e.g. from :mod:`begegnungsatlas.analysis.network`) to use
network distances instead of straight-line ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import FloatArray
from ..errors import AnalysisError
from .costs import CostPairs, check_nonnegative, check_radius, euclidean_costs, metric_xy
from .decay import Decay, GravityDecay, default_step_decay

__all__ = [
    "enhanced_two_step_fca",
    "fca_ratio",
    "gravity",
    "normalize_access",
    "two_step_fca",
    "weighted_catchment",
]


def _pairs(
    demand_xy: Any, supply_xy: Any, radius: float, detour_factor: float, costs: CostPairs | None
) -> tuple[CostPairs, int, int]:
    demand = metric_xy(demand_xy, name="demand")
    supply = metric_xy(supply_xy, name="supply")
    radius = check_radius(radius)
    if costs is None:
        pairs = euclidean_costs(demand, supply, radius, detour_factor=detour_factor)
    else:
        costs.check_shape(demand.shape[0], supply.shape[0])
        pairs = costs.within(radius)
    return pairs, demand.shape[0], supply.shape[0]


def _weights(pairs: CostPairs, decay: Decay | None) -> FloatArray | None:
    if decay is None:
        return None
    w = np.asarray(decay(pairs.cost), dtype=np.float64)
    if not np.isfinite(w).all():
        raise AnalysisError(
            "distance decay gives an infinite weight (a supply point at distance 0?); "
            "use a decay with min_dist > 0"
        )
    return w


def _two_step(pairs: CostPairs, demand: FloatArray, capacity: FloatArray, w: FloatArray | None) -> FloatArray:
    """Step 1: supply-to-demand ratio per supply point; step 2: sum of ratios in reach."""
    contrib = demand[pairs.origin] if w is None else demand[pairs.origin] * w
    demand_in_reach = np.bincount(pairs.dest, weights=contrib, minlength=pairs.n_dest)
    ratio = np.zeros(pairs.n_dest)
    served = demand_in_reach > 0
    ratio[served] = capacity[served] / demand_in_reach[served]
    reach = ratio[pairs.dest] if w is None else ratio[pairs.dest] * w
    return np.asarray(np.bincount(pairs.origin, weights=reach, minlength=pairs.n_origin), dtype=np.float64)


def two_step_fca(
    demand_xy: Any,
    demand: Any,
    supply_xy: Any,
    capacity: Any,
    radius: float,
    *,
    decay: Decay | None = None,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
    normalize: bool = False,
) -> FloatArray:
    """Two-step floating catchment area (Luo & Wang 2003), optionally with a decay.

    Step 1: for each supply point ``j``, ``R_j = S_j / Σ_{i: d_ij <= r} D_i f(d_ij)``.
    Step 2: for each demand point ``i``, ``A_i = Σ_{j: d_ij <= r} R_j f(d_ij)``.
    Without ``decay``, ``f = 1`` (the original 2SFCA). Same as
    ``access.Access.two_stage_fca(max_cost=radius, weight_fn=decay)``.

    Parameters
    ----------
    demand_xy, supply_xy : array_like (n, 2)
        Points in metres (e.g. EPSG:25832).
    demand : array_like (n_demand,) or None
        Demand weight (e.g. residents of a target group); ``None`` means 1 each.
    capacity : array_like (n_supply,) or None
        Supply (places, seats, staff); ``None`` means 1 each.
    radius : float
        Catchment size in metres (cost cutoff).
    normalize : bool
        Divide by the demand-weighted mean access (``access``'s ``normalize=True``).

    Returns
    -------
    numpy.ndarray
        Supply per unit of demand for every demand point; 0 where no supply is in reach.

    Examples
    --------
    Two places of 10 seats, 100 m apart; 40 people next to the first and 10 next to the
    second, both 1 km apart from the other place:

    >>> a = two_step_fca([[0, 0], [100, 0]], [40, 10], [[0, 5], [100, 5]], [10, 10], radius=50)
    >>> a.tolist()
    [0.25, 1.0]
    >>> two_step_fca([[0, 0], [100, 0]], [40, 10], [[0, 5], [100, 5]], [10, 10], radius=500).tolist()
    [0.4, 0.4]
    """
    pairs, n_demand, n_supply = _pairs(demand_xy, supply_xy, radius, detour_factor, costs)
    dem = check_nonnegative(demand, n_demand, name="demand")
    cap = check_nonnegative(capacity, n_supply, name="capacity")
    access = _two_step(pairs, dem, cap, _weights(pairs, decay))
    return normalize_access(access, dem) if normalize else access


def enhanced_two_step_fca(
    demand_xy: Any,
    demand: Any,
    supply_xy: Any,
    capacity: Any,
    radius: float,
    *,
    decay: Decay | None = None,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
    normalize: bool = False,
) -> FloatArray:
    """Enhanced 2SFCA (Luo & Qi 2009): 2SFCA with distance-decay weights in both steps.

    ``decay`` defaults to three zones up to ``radius`` with weights 1, 0.68, 0.22
    (:func:`~.decay.default_step_decay`); any decay works, e.g.
    :class:`~.decay.GaussianDecay` (kernel density 2SFCA). Same as
    ``access.Access.enhanced_two_stage_fca(max_cost=radius, weight_fn=decay)``.

    Examples
    --------
    >>> from begegnungsatlas.analysis.accessibility.decay import StepDecay
    >>> zones = StepDecay((500.0, 1000.0), (1.0, 0.5))
    >>> enhanced_two_step_fca([[1000, 0], [1800, 0]], [10, 10], [[1000, 0]], [6], 1000, decay=zones).tolist()
    [0.4, 0.2]
    """
    return two_step_fca(
        demand_xy,
        demand,
        supply_xy,
        capacity,
        radius,
        decay=default_step_decay(check_radius(radius)) if decay is None else decay,
        detour_factor=detour_factor,
        costs=costs,
        normalize=normalize,
    )


def weighted_catchment(
    demand_xy: Any,
    supply_xy: Any,
    capacity: Any,
    radius: float,
    *,
    decay: Decay | None = None,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
    demand: Any = None,
    normalize: bool = False,
) -> FloatArray:
    """Supply in reach, optionally decay-weighted: ``A_i = Σ_{j: d_ij <= r} S_j f(d_ij)``.

    Same as ``access.Access.weighted_catchment(max_cost=radius, weight_fn=decay)``.
    ``demand`` is only needed for ``normalize``.

    >>> weighted_catchment([[1000, 0]], [[1300, 0], [1600, 0], [6000, 0]], [2, 3, 7], 1000).tolist()
    [5.0]
    """
    pairs, n_demand, n_supply = _pairs(demand_xy, supply_xy, radius, detour_factor, costs)
    cap = check_nonnegative(capacity, n_supply, name="capacity")
    w = _weights(pairs, decay)
    contrib = cap[pairs.dest] if w is None else cap[pairs.dest] * w
    access = np.asarray(np.bincount(pairs.origin, weights=contrib, minlength=n_demand), dtype=np.float64)
    if normalize:
        return normalize_access(access, check_nonnegative(demand, n_demand, name="demand"))
    return access


def gravity(
    demand_xy: Any,
    supply_xy: Any,
    capacity: Any,
    radius: float,
    *,
    scale: float,
    alpha: float = -1.0,
    min_dist: float = 0.0,
    detour_factor: float = 1.0,
    costs: CostPairs | None = None,
) -> FloatArray:
    """Gravity (Hansen) potential ``Σ_j S_j (max(d_ij, min_dist)/scale)^alpha`` for ``d_ij <= radius``.

    The cutoff keeps the computation sparse; choose it where the decay is negligible.

    >>> gravity([[1000, 0]], [[1100, 0], [1200, 0]], [1, 1], 1000, scale=100, alpha=-1).tolist()
    [1.5]
    """
    return weighted_catchment(
        demand_xy,
        supply_xy,
        capacity,
        radius,
        decay=GravityDecay(scale=scale, alpha=alpha, min_dist=min_dist),
        detour_factor=detour_factor,
        costs=costs,
    )


def fca_ratio(
    demand_xy: Any,
    demand: Any,
    supply_xy: Any,
    capacity: Any,
    radius: float,
    *,
    detour_factor: float = 1.0,
    supply_costs: CostPairs | None = None,
    demand_costs: CostPairs | None = None,
) -> FloatArray:
    """Floating catchment ratio: supply within ``radius`` of ``i`` / demand within ``radius`` of ``i``.

    The demand side counts ``i`` itself. Same as ``access.Access.fca_ratio(max_cost=radius)``
    with demand-to-demand neighbour costs. Where no demand is in reach (all zero) the
    ratio is NaN. ``demand_costs`` are demand-to-demand costs (``n_demand × n_demand``).

    >>> fca_ratio([[1000, 0], [1100, 0], [6000, 0]], [10, 30, 5], [[1050, 0]], [8], 200).tolist()
    [0.2, 0.2, 0.0]
    """
    pairs, n_demand, n_supply = _pairs(demand_xy, supply_xy, radius, detour_factor, supply_costs)
    neighbours, _, _ = _pairs(demand_xy, demand_xy, radius, detour_factor, demand_costs)
    dem = check_nonnegative(demand, n_demand, name="demand")
    cap = check_nonnegative(capacity, n_supply, name="capacity")
    supply_in_reach = np.bincount(pairs.origin, weights=cap[pairs.dest], minlength=n_demand)
    demand_in_reach = np.bincount(neighbours.origin, weights=dem[neighbours.dest], minlength=n_demand)
    ratio = np.full(n_demand, np.nan)
    has = demand_in_reach > 0
    ratio[has] = supply_in_reach[has] / demand_in_reach[has]
    return ratio


def normalize_access(access: Any, demand: Any) -> FloatArray:
    """Divide by the demand-weighted mean access, so 1 means "as good as the average person".

    NaN values are left out of the mean (as ``access`` does).

    >>> normalize_access([1.0, 3.0], [1, 1]).tolist()
    [0.5, 1.5]
    """
    values = np.asarray(access, dtype=np.float64)
    weights = np.asarray(demand, dtype=np.float64)
    total = weights.sum()
    mean = np.nansum(values * weights) / total if total > 0 else 0.0
    if not mean > 0:
        raise AnalysisError("cannot normalise: the demand-weighted mean access is zero")
    return np.asarray(values / mean, dtype=np.float64)
