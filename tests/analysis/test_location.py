"""Unit tests for begegnungsatlas.analysis.location (no peers needed)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import cdist

from begegnungsatlas.analysis.errors import (
    AnalysisError,
    EmptyInputError,
    InfeasibleError,
    InvalidCoordinatesError,
)
from begegnungsatlas.analysis.location import (
    added_coverage,
    coverage_from_cost,
    coverage_from_xy,
    lscp,
    lscp_from_xy,
    mclp,
    mclp_from_xy,
    p_median,
    p_median_from_xy,
    tradeoff_curve,
)

LINE = np.arange(5.0)
LINE_COST = np.abs(LINE[:, None] - LINE[None, :])
LINE_COV = LINE_COST <= 1.0


def _instance(seed: int, n: int = 14, m: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 3000, (n, 2))
    sites = rng.uniform(0, 3000, (m, 2))
    weights = rng.integers(0, 10, n).astype(float)
    return cdist(demand, sites), weights, sites


def _brute(m: int, p: int, fixed: list[int], value) -> float:
    free = [j for j in range(m) if j not in fixed]
    return max(value(np.array(fixed + list(c), dtype=int)) for c in combinations(free, p))


# --- hand-checkable instances ---------------------------------------------------------------


def test_mclp_line_prefers_heavy_end() -> None:
    res = mclp(LINE_COV, p=1, weights=[1, 1, 1, 1, 5])
    assert res.selected.tolist() == [3]
    assert res.objective == 7.0
    assert res.optimal
    assert res.bound == 7.0
    assert res.assignment.tolist() == [-1, -1, 3, 3, 3]


def test_mclp_fixed_site_is_open_and_free() -> None:
    res = mclp(LINE_COV, p=1, weights=[1, 1, 1, 1, 5], fixed=[4])
    assert res.fixed.tolist() == [4]
    assert res.selected.tolist() == [1]
    assert res.open_sites.tolist() == [1, 4]
    assert res.objective == 9.0


def test_mclp_returns_fewer_sites_when_more_add_nothing() -> None:
    res = mclp(LINE_COV, p=4)
    assert res.objective == 5.0
    assert res.optimal
    assert res.selected.size < 4


def test_lscp_line_needs_two() -> None:
    res = lscp(LINE_COV)
    assert res.selected.tolist() == [1, 3]
    assert res.objective == 2.0
    assert res.optimal
    assert (res.assignment >= 0).all()


def test_lscp_ignore_covers_what_is_coverable() -> None:
    cov = np.array([[1, 0], [0, 0], [0, 1]])
    with pytest.raises(InfeasibleError, match=r"1 demand point\(s\) are covered by no candidate site: \[1\]"):
        lscp(cov)
    res = lscp(cov, uncoverable="ignore")
    assert res.selected.tolist() == [0, 1]
    assert res.assignment.tolist() == [0, -1, 1]


def test_p_median_line() -> None:
    x = np.array([0.0, 1.0, 2.0, 10.0, 11.0])
    res = p_median(np.abs(x[:, None] - x[None, :]), p=2)
    assert res.selected.tolist() == [1, 3]
    assert res.objective == 3.0
    assert res.assignment.tolist() == [1, 1, 1, 3, 3]


def test_from_xy_wrappers_match_matrix_api() -> None:
    cost, weights, _ = _instance(3)
    rng = np.random.default_rng(3)
    demand = rng.uniform(0, 3000, (14, 2))
    sites = rng.uniform(0, 3000, (7, 2))
    cost = cdist(demand, sites)
    assert (
        mclp_from_xy(demand, sites, radius=900, p=2, weights=weights).objective
        == mclp(cost <= 900, p=2, weights=weights).objective
    )
    assert (
        lscp_from_xy(demand, sites, radius=1500, uncoverable="ignore").objective
        == lscp(cost <= 1500, uncoverable="ignore").objective
    )
    assert p_median_from_xy(demand, sites, p=2, weights=weights).objective == pytest.approx(
        p_median(cost, p=2, weights=weights).objective
    )


def test_coverage_builders_agree() -> None:
    rng = np.random.default_rng(0)
    demand = rng.uniform(0, 5000, (300, 2))
    sites = rng.uniform(0, 5000, (40, 2))
    cost = cdist(demand, sites)
    dense = coverage_from_cost(cost, radius=800).toarray()
    assert (coverage_from_xy(demand, sites, radius=800).toarray() == dense).all()
    # Sparse cost: stored entries are distances, missing means unreachable.
    sparse = sp.csr_array(np.where(cost <= 1200, cost, 0.0))
    assert (coverage_from_cost(sparse, radius=800).toarray() == dense).all()


# --- brute force on random instances ---------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_mclp_matches_brute_force(seed: int) -> None:
    cost, weights, _ = _instance(seed)
    cov = cost <= 900
    fixed = [seed % 7] if seed % 2 else []
    p = 2 + seed % 2
    best = _brute(7, p, fixed, lambda s: float(weights[cov[:, s].any(axis=1)].sum()))
    res = mclp(cov, p=p, weights=weights, fixed=fixed)
    assert res.optimal
    assert res.objective == best
    assert res.selected.size <= p
    assert not set(res.selected) & set(fixed)
    heur = mclp(cov, p=p, weights=weights, fixed=fixed, method="heuristic")
    assert heur.objective <= best <= heur.bound + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_p_median_matches_brute_force(seed: int) -> None:
    cost, weights, _ = _instance(seed)
    fixed = [seed % 7] if seed % 2 else []
    p = 2 + seed % 2
    best = -_brute(7, p, fixed, lambda s: -float(weights @ cost[:, s].min(axis=1)))
    res = p_median(cost, p=p, weights=weights, fixed=fixed)
    assert res.optimal
    assert res.objective == pytest.approx(best, rel=1e-12)
    assert res.selected.size == p
    heur = p_median(cost, p=p, weights=weights, fixed=fixed, method="heuristic")
    assert heur.bound <= best * (1 + 1e-9) <= heur.objective * (1 + 2e-9)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", ["exact", "heuristic"])
def test_p_median_single_site_without_fixed_sites(seed: int, method: str) -> None:
    # p = 1 with nothing fixed used to crash in the vertex substitution (no site left to compare).
    cost, weights, _ = _instance(seed)
    res = p_median(cost, p=1, weights=weights, method=method)  # type: ignore[arg-type]
    totals = weights @ cost
    assert res.objective == pytest.approx(float(totals.min()), rel=1e-12)
    assert res.selected.tolist() == [int(np.argmin(totals))]
    assert res.optimal


def test_p_median_sparse_missing_entries_are_unreachable_not_zero() -> None:
    # Site 1 reaches only demand 1 (cost 1); site 0 reaches both (5 and 7). Read as 0, the
    # missing entry would make site 1 look perfect; as unreachable, site 0 is the answer.
    cost = sp.csr_array(([5.0, 7.0, 1.0], ([0, 1, 1], [0, 0, 1])), shape=(2, 2))
    res = p_median(cost, p=1)
    assert res.selected.tolist() == [0]
    assert res.objective == pytest.approx(12.0)
    assert res.stats["unreached"] == 0
    # An explicitly stored 0 is a distance of 0.
    zero = sp.csr_array(([0.0, 7.0, 1.0], ([0, 1, 1], [1, 0, 1])), shape=(2, 2))
    assert p_median(zero, p=1).selected.tolist() == [1]


def test_p_median_leaves_unreachable_demand_unassigned_with_a_penalty() -> None:
    cost = np.array([[1.0, np.inf], [np.inf, 2.0], [np.inf, np.inf]])
    res = p_median(cost, p=1, weights=[1, 5, 1], unreachable_cost=100.0)
    assert res.selected.tolist() == [1]  # reaching the heavier demand point is cheaper
    assert res.assignment.tolist() == [-1, 1, -1]
    assert res.stats["unreached"] == 2
    assert res.objective == pytest.approx(100.0 + 10.0 + 100.0)
    with pytest.raises(AnalysisError, match="unreachable_cost"):
        p_median(cost, p=1, unreachable_cost=1.5)


def test_p_median_sparse_costs_match_brute_force_with_infinite_pairs() -> None:
    rng = np.random.default_rng(5)
    dense = rng.uniform(100, 3000, (12, 6))
    dense[dense > 2200] = np.inf
    sparse = sp.csr_array(np.where(np.isfinite(dense), dense, 0.0))
    penalty = 4.0 * float(dense[np.isfinite(dense)].max())
    filled = np.where(np.isfinite(dense), dense, penalty)
    best = -_brute(6, 2, [], lambda s: -float(filled[:, s].min(axis=1).sum()))
    assert p_median(sparse, p=2).objective == pytest.approx(best, rel=1e-12)


def test_added_coverage_counts_only_demand_no_open_site_covers() -> None:
    cov = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)
    gains = added_coverage(cov, weights=[4, 3, 2, 1], fixed=[0])
    assert gains.tolist() == [0.0, 5.0, 3.0]
    assert added_coverage(cov).tolist() == [1.0, 3.0, 2.0]


def test_tradeoff_curve_solves_each_p_and_caps_at_free_candidates() -> None:
    cost, weights, sites = _instance(2, n=20, m=6)
    cov = cost <= 1200
    curve = tradeoff_curve("mclp", cov, p_max=5, weights=weights, fixed=[0])
    assert [len(r.selected) <= p for p, r in zip(range(1, 6), curve, strict=True)] == [True] * 5
    for p, r in enumerate(curve, start=1):
        best = _brute(6, p, [0], lambda s: float(weights[cov[:, s].any(axis=1)].sum()))
        assert r.objective == pytest.approx(best)
    objectives = [r.objective for r in curve]
    assert objectives == sorted(objectives)
    medians = tradeoff_curve("p-median", cost, p_max=9, weights=weights)
    assert len(medians) == 6  # capped at the 6 candidates
    assert [r.objective for r in medians] == sorted((r.objective for r in medians), reverse=True)
    with pytest.raises(AnalysisError, match="model must be"):
        tradeoff_curve("lscp", cov)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(4))
def test_p_median_exact_milp_path_matches_brute_force(seed: int) -> None:
    # Zero Lagrangian iterations force the k-nearest MILP (the bound cannot prove anything),
    # and k_nearest=1 forces the widening loop.
    cost, weights, _ = _instance(seed, n=16, m=8)
    best = -_brute(8, 3, [], lambda s: -float(weights @ cost[:, s].min(axis=1)))
    res = p_median(cost, p=3, weights=weights, k_nearest=1, lagrangian_iterations=0)
    assert res.optimal
    assert res.method == "milp (k-nearest)"
    assert res.objective == pytest.approx(best, rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_lscp_matches_brute_force(seed: int) -> None:
    cost, _, _ = _instance(seed)
    cov = cost <= 1400
    fixed = [seed % 7] if seed % 2 else []
    coverable = cov.any(axis=1)
    free = [j for j in range(7) if j not in fixed]
    best = min(
        len(c)
        for r in range(len(free) + 1)
        for c in combinations(free, r)
        if cov[:, fixed + list(c)].any(axis=1)[coverable].all()
    )
    res = lscp(cov, fixed=fixed, uncoverable="ignore")
    assert res.optimal
    assert res.objective == best
    heur = lscp(cov, fixed=fixed, uncoverable="ignore", method="heuristic")
    assert heur.bound <= best <= heur.objective
    assert (heur.assignment[coverable] >= 0).all()


def test_mclp_heuristic_bound_bounds_optimum_on_larger_instance() -> None:
    rng = np.random.default_rng(11)
    demand = rng.uniform(0, 10000, (2000, 2))
    sites = rng.uniform(0, 10000, (150, 2))
    weights = rng.integers(1, 30, 2000)
    exact = mclp_from_xy(demand, sites, radius=900, p=8, weights=weights)
    heur = mclp_from_xy(demand, sites, radius=900, p=8, weights=weights, method="heuristic")
    assert exact.optimal
    assert heur.objective <= exact.objective <= heur.bound + 1e-6
    assert 0.0 <= heur.gap < 0.1


# --- bad input -------------------------------------------------------------------------------


def test_bad_inputs_name_the_problem() -> None:
    with pytest.raises(EmptyInputError, match="demand_xy: no points given"):
        mclp_from_xy(np.zeros((0, 2)), [[0, 0]], radius=100, p=1)
    with pytest.raises(EmptyInputError, match="coverage: no candidate sites"):
        mclp(np.zeros((3, 0)), p=1)
    with pytest.raises(InvalidCoordinatesError, match="candidate_xy: coordinate 1 is NaN or infinite"):
        mclp_from_xy([[0, 0]], [[0, 0], [np.nan, 5]], radius=100, p=1)
    with pytest.raises(InvalidCoordinatesError, match="demand_xy: coordinates look geographic"):
        lscp_from_xy([[6.4, 50.8], [6.5, 50.9]], [[500000, 5600000]], radius=100)
    with pytest.raises(AnalysisError, match="radius must be a positive finite distance, got -5"):
        mclp_from_xy([[0, 0], [900, 40]], [[350000, 5600000]], radius=-5, p=1)
    with pytest.raises(AnalysisError, match="radius must be a positive finite distance, got 0"):
        coverage_from_cost(LINE_COST, radius=0)
    with pytest.raises(
        AnalysisError, match=r"p=5 is larger than the number of free \(not fixed\) candidates, 4"
    ):
        mclp(LINE_COV, p=5, fixed=[0])
    with pytest.raises(AnalysisError, match="p must be at least 1"):
        p_median(LINE_COST, p=0)
    with pytest.raises(AnalysisError, match=r"weights: weight 2 is negative \(-1.0\)"):
        p_median(LINE_COST, p=1, weights=[1, 1, -1, 1, 1])
    with pytest.raises(AnalysisError, match="weights: expected 5 values"):
        mclp(LINE_COV, p=1, weights=[1, 2])
    bad = LINE_COST.copy()
    bad[1, 2] = np.nan
    with pytest.raises(AnalysisError, match=r"cost: entry \(1, 2\) is NaN"):
        p_median(bad, p=1)
    with pytest.raises(AnalysisError, match="fixed: candidate index 9 is out of range for 5 candidates"):
        lscp(LINE_COV, fixed=[9])
    with pytest.raises(AnalysisError, match="method must be 'exact' or 'heuristic'"):
        mclp(LINE_COV, p=1, method="fast")  # type: ignore[arg-type]


def test_result_is_frozen() -> None:
    res = mclp(LINE_COV, p=1)
    with pytest.raises(AttributeError):
        res.objective = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        res.selected[0] = 4
