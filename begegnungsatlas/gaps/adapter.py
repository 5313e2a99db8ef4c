"""Thin adapter over ``begegnungsatlas.analysis``: arrays in, arrays out, analysis errors → GapsError.

Nothing here reads or writes the database; services pass coordinates in EPSG:25832 (metres).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from begegnungsatlas.analysis.accessibility import coverage, enhanced_two_step_fca, nearest, two_step_fca
from begegnungsatlas.analysis.dasymetric import Spread, spread_counts
from begegnungsatlas.analysis.errors import AnalysisError
from begegnungsatlas.analysis.location import (
    added_coverage,
    coverage_from_xy,
    lscp,
    mclp,
    p_median,
    tradeoff_curve,
)
from begegnungsatlas.analysis.network import (
    WalkingNetwork,
    network_cost_matrix,
    network_costs,
    network_coverage,
    outside_network,
)

from .errors import GapsError

METHODS = ("nearest", "coverage", "2sfca", "e2sfca")
SITING_METHODS = ("mclp", "pmedian", "lscp")
#: Walking distances are searched up to this far (the largest distance the form accepts); a cell with no place
#: within it has no finite nearest distance (``inf``).
NETWORK_CUTOFF_M = 20_000.0


@dataclass(frozen=True)
class CellValues:
    """Per demand cell: the method's value and whether the cell counts as served within the distance."""

    value: np.ndarray
    served: np.ndarray
    nearest_distance: np.ndarray


def _analysis_error(exc: AnalysisError) -> GapsError:
    return GapsError(_("Die Berechnung ist nicht möglich: %(detail)s") % {"detail": exc})


def outside(network: WalkingNetwork, xy: Any) -> np.ndarray:
    """Points (EPSG:25832) outside the network's extent (convex hull of its nodes)."""
    try:
        return np.asarray(outside_network(network, xy), dtype=bool)
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc


def cell_values(method: str, demand_xy: Any, demand: Any, supply_xy: Any, capacity: Any, radius: float,
                *, network: WalkingNetwork | None = None) -> CellValues:
    """Nearest distance (m), covered (0/1), 2SFCA or E2SFCA (places per 1,000 persons) for every cell.

    With ``network`` every distance is the walking distance on it (``analysis.network.network_costs``, searched
    up to ``NETWORK_CUTOFF_M``); the caller passes only points inside the network's extent."""
    if method not in METHODS:
        raise GapsError(_("Unbekannte Methode „%(m)s“.") % {"m": method})
    try:
        costs = None
        if network is not None:
            costs = network_costs(network, demand_xy, supply_xy, cutoff=max(NETWORK_CUTOFF_M, radius))
        near = nearest(demand_xy, supply_xy, costs=costs)
        served = near.distance <= radius
        if method == "nearest":
            value = near.distance
        elif method == "coverage":
            value = coverage(demand_xy, supply_xy, radius, weights=demand, costs=costs).covered.astype(float)
        elif method == "2sfca":
            value = 1000.0 * two_step_fca(demand_xy, demand, supply_xy, capacity, radius, costs=costs)
        else:
            value = 1000.0 * enhanced_two_step_fca(demand_xy, demand, supply_xy, capacity, radius, costs=costs)
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc
    return CellValues(value=np.asarray(value, dtype=float), served=served,
                      nearest_distance=np.asarray(near.distance, dtype=float))


@dataclass(frozen=True)
class SitingResult:
    selected: list[int]  # candidate positions (0-based, among the candidates only)
    covered_before: float
    covered_after: float
    total: float
    added: list[float]  # per candidate, alone
    curve: list[tuple[int, float, list[int]]]  # (p, covered weight, chosen candidate positions)
    optimal: bool


def _sites(existing_xy: Any, candidate_xy: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Existing places first (fixed), then the candidates: all sites, the fixed indices, the offset."""
    existing = np.asarray(existing_xy, dtype=float).reshape(-1, 2)
    candidates = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    if candidates.shape[0] == 0:
        raise GapsError(_("Es gibt keine Standortkandidaten (Potenzialräume, geplante Orte oder hochgeladene Orte)."))
    return np.vstack([existing, candidates]), np.arange(existing.shape[0]), existing.shape[0]


def _coverage(demand_xy: Any, sites: Any, radius: float, network: WalkingNetwork | None) -> Any:
    if network is None:
        return coverage_from_xy(demand_xy, sites, radius=radius)
    return network_coverage(network, demand_xy, sites, radius)


def siting(demand_xy: Any, demand: Any, existing_xy: Any, candidate_xy: Any, radius: float, p: int,
           *, network: WalkingNetwork | None = None) -> SitingResult:
    """MCLP with the existing places fixed: where ``p`` new places cover most of the group within ``radius``."""
    sites, fixed, offset = _sites(existing_xy, candidate_xy)
    candidates = sites[offset:]
    p = max(1, min(int(p), candidates.shape[0]))
    try:
        cov = _coverage(demand_xy, sites, radius, network)
        w = np.asarray(demand, dtype=float)
        result = mclp(cov, p=p, weights=w, fixed=fixed)
        gains = added_coverage(cov, weights=w, fixed=fixed)
        curve = tradeoff_curve("mclp", cov, p_max=5, weights=w, fixed=fixed)
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc
    covered_before = float(w[np.diff(cov[:, fixed].tocsr().indptr) > 0].sum()) if fixed.size else 0.0
    return SitingResult(
        selected=[int(j) - offset for j in result.selected],
        covered_before=covered_before,
        covered_after=float(result.objective),
        total=float(w.sum()),
        added=[float(g) for g in gains[offset:]],
        curve=[(k, float(r.objective), [int(j) - offset for j in r.selected]) for k, r in enumerate(curve, start=1)],
        optimal=bool(result.optimal),
    )


@dataclass(frozen=True)
class MedianResult:
    selected: list[int]  # candidate positions (0-based, among the candidates only)
    mean_before: float | None  # population-weighted mean distance (m) to the nearest existing place
    mean_after: float
    total: float
    unreached_before: float  # persons with no place within NETWORK_CUTOFF_M (walking only; left out of the means)
    unreached_after: float
    curve: list[tuple[int, float, list[int]]]  # (p, mean distance, chosen candidate positions)
    optimal: bool


def _mean(cost: np.ndarray, w: np.ndarray, open_sites: np.ndarray) -> tuple[float | None, float]:
    """Population-weighted mean distance to the nearest open site over the persons that reach one, and the
    persons that reach none (only with walking distances beyond the cutoff)."""
    if open_sites.size == 0:
        return None, 0.0
    d = cost[:, open_sites].min(axis=1)
    ok = np.isfinite(d)
    reached = float(w[ok].sum())
    return (float((d[ok] * w[ok]).sum() / reached) if reached > 0 else None), float(w[~ok].sum())


def siting_median(demand_xy: Any, demand: Any, existing_xy: Any, candidate_xy: Any, p: int,
                  *, network: WalkingNetwork | None = None) -> MedianResult:
    """p-median with the existing places fixed: ``p`` new places that shorten the mean distance most.

    With ``network`` the costs are walking distances (``analysis.network.network_cost_matrix``); pairs farther
    than ``NETWORK_CUTOFF_M`` are unreachable (the core charges them a penalty)."""
    sites, fixed, offset = _sites(existing_xy, candidate_xy)
    xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    w = np.asarray(demand, dtype=float)
    total = float(w.sum())
    if total <= 0:
        raise GapsError(_("Im Raster gibt es niemanden aus dieser Zielgruppe."))
    p = max(1, min(int(p), sites.shape[0] - offset))
    try:
        if network is None:
            cost = np.sqrt(((xy[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
        else:
            cost = network_cost_matrix(network, xy, sites, cutoff=NETWORK_CUTOFF_M)
        result = p_median(cost, p=p, weights=w, fixed=fixed)
        curve = tradeoff_curve("p-median", cost, p_max=5, weights=w, fixed=fixed)
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc
    before, unreached_before = _mean(cost, w, fixed)
    after, unreached_after = _mean(cost, w, np.union1d(fixed, np.asarray(result.selected, dtype=np.int64)))
    return MedianResult(
        selected=[int(j) - offset for j in result.selected],
        mean_before=before,
        mean_after=float(after) if after is not None else float("nan"),
        total=total,
        unreached_before=unreached_before,
        unreached_after=unreached_after,
        curve=[(k, float(_mean(cost, w, np.union1d(fixed, np.asarray(r.selected, dtype=np.int64)))[0] or 0.0),
                [int(j) - offset for j in r.selected]) for k, r in enumerate(curve, start=1)],
        optimal=bool(result.optimal),
    )


@dataclass(frozen=True)
class CoverAllResult:
    selected: list[int]  # candidate positions (0-based): the fewest new places so everyone is within reach
    needed: int
    uncoverable: float  # persons no existing place and no candidate reaches within the distance
    total: float
    optimal: bool


def siting_cover_all(demand_xy: Any, demand: Any, existing_xy: Any, candidate_xy: Any,
                     radius: float, *, network: WalkingNetwork | None = None) -> CoverAllResult:
    """LSCP with the existing places fixed: how many new places (at least) so that every person of the group
    has a place within ``radius``? Cells without persons of the group need no cover; persons no site can reach
    are reported, not allowed to make the problem infeasible."""
    sites, fixed, offset = _sites(existing_xy, candidate_xy)
    w = np.asarray(demand, dtype=float)
    rows = np.flatnonzero(w > 0)
    if rows.size == 0:
        raise GapsError(_("Im Raster gibt es niemanden aus dieser Zielgruppe."))
    xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)[rows]
    try:
        cov = _coverage(xy, sites, radius, network)
        result = lscp(cov, fixed=fixed, uncoverable="ignore")
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc
    lonely = np.diff(cov.tocsr().indptr) == 0
    return CoverAllResult(
        selected=[int(j) - offset for j in result.selected],
        needed=int(result.selected.size),
        uncoverable=float(w[rows][lonely].sum()),
        total=float(w.sum()),
        optimal=bool(result.optimal),
    )


def spread(areas: list[Any], counts: Any, *, spacing: float, points: Any = None, weights: Any = None,
           point_area: Any = None) -> Spread:
    """Area counts → counts per point inside the areas (``analysis.dasymetric.spread_counts``); polygons and
    points in EPSG:3035 metres, so lattice points are INSPIRE cell centres."""
    try:
        return spread_counts(areas, counts, spacing=spacing, points=points, weights=weights, point_area=point_area)
    except AnalysisError as exc:
        raise _analysis_error(exc) from exc
