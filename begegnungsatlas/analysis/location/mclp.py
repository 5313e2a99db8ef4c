"""Maximal covering location problem (MCLP; Church & ReVelle 1974).

Open ``p`` new sites among the candidates so that the demand weight within the
service radius of at least one open site (new or fixed) is as large as possible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .._checks import FloatArray, IntArray
from ..errors import AnalysisError
from ._inputs import as_coverage, check_fixed, check_p, check_weights, coverage_from_xy, first_cover
from ._milp import lp_min, solve_min
from ._reduce import merge_identical_rows, undominated_columns
from ._result import LocationResult

Method = Literal["exact", "heuristic"]


@dataclass(frozen=True)
class _Model:
    """MCLP after the exact reductions: rows are demand groups, columns candidates."""

    cov: sp.csr_array
    weights: FloatArray
    columns: IntArray  # original candidate index of each column
    base: float  # weight already covered by fixed sites


def _reduce(cov: sp.csr_array, weights: FloatArray, fixed: IntArray) -> _Model:
    """Drop what cannot change the answer, merge what is interchangeable."""
    n, m = cov.shape
    by_fixed = np.zeros(n, dtype=bool)
    if fixed.size:
        by_fixed = np.diff(sp.csr_array(cov[:, fixed]).indptr) > 0
    base = float(weights[by_fixed].sum())
    active = ~by_fixed & (weights > 0) & (np.diff(cov.indptr) > 0)
    free = np.setdiff1d(np.arange(m, dtype=np.int64), fixed)
    sub = sp.csr_array(cov[np.flatnonzero(active)][:, free])
    sub, w, _ = merge_identical_rows(sub, weights[active])
    keep = undominated_columns(sub)
    sub = sp.csr_array(sub[:, keep])
    sub, w, _ = merge_identical_rows(sub, w)
    return _Model(cov=sub, weights=w, columns=free[keep], base=base)


def _covered_weight(cov: sp.csr_array, weights: FloatArray, open_sites: IntArray) -> float:
    hit = np.diff(sp.csr_array(cov[:, open_sites]).indptr) > 0
    return float(weights[hit].sum())


def _exact(model: _Model, p: int, time_limit: float | None) -> tuple[IntArray | None, float, bool, str]:
    """MILP on the reduced model; returns (columns, upper bound, optimal, status)."""
    r, c = model.cov.shape
    # Variables: x_j (open column j, binary) then y_r (row r covered, continuous in [0, 1]).
    # y_r <= sum_{j covers r} x_j ; sum_j x_j <= p ; maximise sum_r w_r y_r.
    a = sp.vstack(
        [
            sp.hstack([-model.cov, sp.eye_array(r, format="csr")]),
            sp.hstack([sp.csr_array(np.ones((1, c))), sp.csr_array((1, r))]),
        ]
    ).tocsr()
    upper = np.concatenate([np.zeros(r), [float(p)]])
    lower = np.full(r + 1, -np.inf)
    cost = np.concatenate([np.zeros(c), -model.weights])
    integrality = np.concatenate([np.ones(c), np.zeros(r)])
    out = solve_min(cost, a, lower, upper, integrality, time_limit=time_limit)
    bound = model.base - out.bound
    if out.x is None:
        return None, bound, False, out.status
    chosen = np.flatnonzero(out.x[:c] > 0.5).astype(np.int64)
    return chosen, bound, out.optimal, out.status


def _lp_bound(model: _Model, p: int) -> float:
    r, c = model.cov.shape
    a = sp.vstack(
        [
            sp.hstack([-model.cov, sp.eye_array(r, format="csr")]),
            sp.hstack([sp.csr_array(np.ones((1, c))), sp.csr_array((1, r))]),
        ]
    ).tocsr()
    upper = np.concatenate([np.zeros(r), [float(p)]])
    value = lp_min(np.concatenate([np.zeros(c), -model.weights]), a, np.full(r + 1, -np.inf), upper)
    return model.base - value


def _greedy_swap(model: _Model, p: int, max_rounds: int = 200) -> tuple[IntArray, float]:
    """Greedy by marginal weight, then best-improvement 1-swaps; returns (columns, bound).

    The bound is the submodularity bound f(S) + sum of the p largest marginal gains
    w.r.t. the final S (Nemhauser & Wolsey 1978), valid for any S.
    """
    cov, w = model.cov, model.weights
    csc = sp.csc_array(cov)
    cov_t = sp.csr_array(cov.T)
    uncovered = w.copy()
    gain = cov_t @ uncovered
    chosen: list[int] = []
    for _ in range(p):
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        newly = rows[uncovered[rows] > 0]
        gain -= cov_t[:, newly] @ uncovered[newly]
        uncovered[newly] = 0.0
        gain[j] = -np.inf
    count = np.asarray(cov[:, np.asarray(chosen, dtype=np.int64)].sum(axis=1)).reshape(-1)
    tol = 1e-9 * max(float(w.sum()), 1.0)
    for _ in range(max_rounds):
        add_gain = cov_t @ (w * (count == 0))
        best = (tol, -1, -1)
        for pos, j in enumerate(chosen):
            rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
            only = rows[count[rows] == 1]
            loss = float(w[only].sum())
            swap_gain = add_gain + cov_t[:, only] @ w[only]
            swap_gain[chosen] = -np.inf
            k = int(np.argmax(swap_gain))
            if swap_gain[k] - loss > best[0]:
                best = (float(swap_gain[k] - loss), pos, k)
        if best[1] < 0:
            break
        _, pos, k = best
        old = chosen[pos]
        count[csc.indices[csc.indptr[old] : csc.indptr[old + 1]]] -= 1
        count[csc.indices[csc.indptr[k] : csc.indptr[k + 1]]] += 1
        chosen[pos] = k
    value = float(w[count > 0].sum())
    add_gain = cov_t @ (w * (count == 0))
    add_gain[chosen] = 0.0
    top = np.sort(add_gain)[::-1][:p]
    bound = model.base + value + float(top[top > 0].sum())
    return np.asarray(sorted(chosen), dtype=np.int64), bound


def mclp(
    coverage: Any,
    *,
    p: int,
    weights: Any = None,
    fixed: Any = None,
    method: Method = "exact",
    time_limit: float | None = None,
) -> LocationResult:
    """Maximal covering location: choose at most ``p`` new sites to cover most demand.

    Parameters
    ----------
    coverage : array_like or scipy.sparse matrix, shape (n_demand, n_candidates)
        Non-zero where candidate j covers demand point i (see ``coverage_from_xy`` and
        ``coverage_from_cost``).
    p : int
        Number of *new* sites. Sites in ``fixed`` are open in addition and do not
        count towards ``p``. Fewer than ``p`` are returned only when further sites
        would cover no additional demand.
    weights : array_like, optional
        Demand weight per point (e.g. population), >= 0; default 1 each.
    fixed : array_like of int, optional
        Candidate indices that are already open (existing places).
    method : {"exact", "heuristic"}
        ``"exact"``: MILP (HiGHS via scipy) on the reduced model. ``"heuristic"``:
        greedy + 1-swap, with the LP relaxation as upper bound.
    time_limit : float, optional
        Seconds for the exact solver; if reached, the best solution found is returned
        with ``optimal=False`` and HiGHS's proven upper bound.

    Returns
    -------
    LocationResult
        ``objective`` is the covered weight, ``bound`` an upper bound on the optimum.

    Examples
    --------
    Five demand points on a line, candidates at the same places, radius 1:

    >>> import numpy as np
    >>> x = np.arange(5.0)
    >>> cov = np.abs(x[:, None] - x[None, :]) <= 1
    >>> res = mclp(cov, p=1, weights=[1, 1, 1, 1, 5])
    >>> res.selected.tolist(), res.objective, res.optimal
    ([3], 7.0, True)

    With a place already open at 4 (covering 3 and 4), the new site goes to 1:

    >>> res = mclp(cov, p=1, weights=[1, 1, 1, 1, 5], fixed=[4])
    >>> res.selected.tolist(), res.objective
    ([1], 9.0)
    """
    start = time.perf_counter()
    cov = as_coverage(coverage)
    n, m = cov.shape
    w = check_weights(weights, n)
    fixed_idx = check_fixed(fixed, m)
    p = check_p(p, m - fixed_idx.size)
    if method not in ("exact", "heuristic"):
        raise AnalysisError(f"method must be 'exact' or 'heuristic', got {method!r}")
    model = _reduce(cov, w, fixed_idx)
    stats = {"rows": int(model.cov.shape[0]), "columns": int(model.cov.shape[1])}
    if model.cov.shape[1] <= p:
        # Every useful column fits: opening all of them is optimal.
        cols, bound, optimal, status, used = (
            np.arange(model.cov.shape[1]),
            np.inf,
            True,
            "trivial",
            "reduction",
        )
    elif method == "exact":
        found, bound, optimal, status = _exact(model, p, time_limit)
        used = "milp"
        if found is None:
            found, greedy_bound = _greedy_swap(model, p)
            bound = min(bound, greedy_bound)
            used = "milp (time limit) + greedy+swap"
        cols = found
    else:
        cols, bound = _greedy_swap(model, p)
        bound = min(bound, _lp_bound(model, p))
        optimal, status, used = False, "heuristic", "greedy+swap"
    selected = np.sort(model.columns[cols])
    open_sites = np.union1d(fixed_idx, selected)
    objective = _covered_weight(cov, w, open_sites)
    if optimal:
        bound = objective
    elif bound <= objective + 1e-9 * max(abs(objective), 1.0):
        optimal, bound = True, objective
        status = f"{status}; proven optimal by bound"
    return LocationResult(
        problem="mclp",
        selected=selected,
        fixed=fixed_idx,
        objective=objective,
        bound=float(bound),
        optimal=optimal,
        status=status,
        method=used,
        seconds=time.perf_counter() - start,
        assignment=first_cover(cov, open_sites),
        stats=stats,
    )


def mclp_from_xy(
    demand_xy: Any,
    candidate_xy: Any,
    *,
    radius: float,
    p: int,
    weights: Any = None,
    fixed: Any = None,
    method: Method = "exact",
    time_limit: float | None = None,
) -> LocationResult:
    """MCLP from projected coordinates (metres) and a straight-line service radius.

    >>> demand = [[0, 0], [100, 0], [5000, 0]]
    >>> sites = [[50, 0], [5000, 100]]
    >>> res = mclp_from_xy(demand, sites, radius=200, p=1, weights=[1, 1, 3])
    >>> res.selected.tolist(), res.objective
    ([1], 3.0)
    """
    cov = coverage_from_xy(demand_xy, candidate_xy, radius=radius)
    return mclp(cov, p=p, weights=weights, fixed=fixed, method=method, time_limit=time_limit)
