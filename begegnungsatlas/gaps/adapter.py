"""Thin adapter over ``begegnungsatlas.analysis``: arrays in, arrays out, analysis errors → GapsError.

Nothing here reads or writes the database; services pass coordinates in EPSG:25832 (metres).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from begegnungsatlas.analysis.accessibility import coverage, enhanced_two_step_fca, nearest, two_step_fca
from begegnungsatlas.analysis.errors import AnalysisError
from begegnungsatlas.analysis.location import added_coverage, coverage_from_xy, mclp, tradeoff_curve

from .errors import GapsError

METHODS = ("nearest", "coverage", "2sfca", "e2sfca")


@dataclass(frozen=True)
class CellValues:
    """Per demand cell: the method's value and whether the cell counts as served within the distance."""

    value: np.ndarray
    served: np.ndarray
    nearest_distance: np.ndarray


def _analysis_error(exc: AnalysisError) -> GapsError:
    return GapsError(_("Die Berechnung ist nicht möglich: %(detail)s") % {"detail": exc})


def cell_values(method: str, demand_xy: Any, demand: Any, supply_xy: Any, capacity: Any, radius: float) -> CellValues:
    """Nearest distance (m), covered (0/1), 2SFCA or E2SFCA (places per 1,000 persons) for every cell."""
    if method not in METHODS:
        raise GapsError(_("Unbekannte Methode „%(m)s“.") % {"m": method})
    try:
        near = nearest(demand_xy, supply_xy)
        served = near.distance <= radius
        if method == "nearest":
            value = near.distance
        elif method == "coverage":
            value = coverage(demand_xy, supply_xy, radius, weights=demand).covered.astype(float)
        elif method == "2sfca":
            value = 1000.0 * two_step_fca(demand_xy, demand, supply_xy, capacity, radius)
        else:
            value = 1000.0 * enhanced_two_step_fca(demand_xy, demand, supply_xy, capacity, radius)
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


def siting(demand_xy: Any, demand: Any, existing_xy: Any, candidate_xy: Any, radius: float, p: int) -> SitingResult:
    """MCLP with the existing places fixed: where ``p`` new places cover most of the group within ``radius``."""
    existing = np.asarray(existing_xy, dtype=float).reshape(-1, 2)
    candidates = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    if candidates.shape[0] == 0:
        raise GapsError(_("Es gibt keine Standortkandidaten (Potenzialräume, geplante Orte oder hochgeladene Orte)."))
    sites = np.vstack([existing, candidates])
    fixed = np.arange(existing.shape[0])
    offset = existing.shape[0]
    p = max(1, min(int(p), candidates.shape[0]))
    try:
        cov = coverage_from_xy(demand_xy, sites, radius=radius)
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
