"""p-median problem (Hakimi 1964; ReVelle & Swain 1970).

Open ``p`` new sites so that the total weighted cost (distance) from each demand point
to its nearest open site (new or fixed) is as small as possible.
"""

from __future__ import annotations

import time
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

from .._checks import FloatArray, IntArray
from ..errors import AnalysisError
from ._inputs import check_cost, check_fixed, check_p, check_weights, metric_xy
from ._milp import solve_min
from ._result import LocationResult

Method = Literal["exact", "heuristic"]


def _nearest(cost: FloatArray, open_sites: IntArray) -> tuple[FloatArray, IntArray]:
    sub = cost[:, open_sites]
    pos = np.argmin(sub, axis=1)
    return sub[np.arange(cost.shape[0]), pos], open_sites[pos]


def _total(cost: FloatArray, w: FloatArray, open_sites: IntArray) -> float:
    return float(w @ _nearest(cost, open_sites)[0])


def _with_penalty(cost: FloatArray, unreachable_cost: float | None) -> FloatArray:
    """Replace unreachable (infinite) costs by a penalty larger than every finite cost.

    >>> _with_penalty(np.array([[1.0, np.inf], [2.0, 5.0]]), None).tolist()
    [[1.0, 20.0], [2.0, 5.0]]
    """
    unreachable = ~np.isfinite(cost)
    finite_max = float(cost[~unreachable].max()) if (~unreachable).any() else 0.0
    if unreachable_cost is None:
        if not unreachable.any():
            return cost
        penalty = 4.0 * max(finite_max, 1.0)
    else:
        penalty = float(unreachable_cost)
        if not np.isfinite(penalty) or penalty <= finite_max:
            raise AnalysisError(
                f"unreachable_cost must be finite and larger than every finite cost ({finite_max}), got {unreachable_cost}"
            )
    return np.where(unreachable, penalty, cost)


def _restricted_milp(
    cost: FloatArray,
    w: FloatArray,
    free: IntArray,
    fixed: IntArray,
    p: int,
    k: IntArray,
    time_limit: float | None,
) -> tuple[IntArray | None, float, float, bool, str, IntArray]:
    """Assignment MILP where demand i may use only its k_i nearest useful free sites.

    Any farther assignment is represented by one variable u_i at cost
    min(nearest fixed site, (k_i+1)-th nearest free site), a lower bound on its true
    cost, so the model's optimum is a lower bound on the true optimum.
    Returns (chosen free positions, model objective, model bound, optimal, status,
    rows whose cut-off "farther" option is used).
    """
    n = cost.shape[0]
    fc = cost[:, free]
    fixed_cost = cost[:, fixed].min(axis=1) if fixed.size else np.full(n, np.inf)
    order = np.argsort(fc, axis=1, kind="stable")
    sorted_cost = np.take_along_axis(fc, order, axis=1)
    useful = (sorted_cost < fixed_cost[:, None]).sum(axis=1)
    take = np.minimum(useful, k)
    far = fixed_cost.copy()
    cut = useful > k
    if cut.any():
        far[cut] = np.minimum(far[cut], sorted_cost[cut, k[cut]])
    rows = np.repeat(np.arange(n), take)
    k_max = int(take.max())
    # Row-major boolean indexing keeps the pairs in the same order as ``rows``.
    cols = order[:, :k_max][np.arange(k_max)[None, :] < take[:, None]]
    nz = rows.size
    far_rows = np.flatnonzero(np.isfinite(far))
    nf = far_rows.size
    c = free.size
    total = c + nz + nf
    # Variables: x (c, binary), z (nz, continuous), u (nf, continuous).
    obj = np.concatenate([np.zeros(c), w[rows] * fc[rows, cols], w[far_rows] * far[far_rows]])
    assign = sp.csr_array(
        (np.ones(nz + nf), (np.concatenate([rows, far_rows]), c + np.arange(nz + nf))), shape=(n, total)
    )
    link = sp.csr_array(
        (
            np.concatenate([np.ones(nz), -np.ones(nz)]),
            (np.tile(np.arange(nz), 2), np.concatenate([c + np.arange(nz), cols])),
        ),
        shape=(nz, total),
    )
    count = sp.csr_array((np.ones(c), (np.zeros(c, np.int64), np.arange(c))), shape=(1, total))
    a = sp.vstack([assign, link, count]).tocsr()
    lower = np.concatenate([np.ones(n), np.full(nz, -np.inf), [float(p)]])
    upper = np.concatenate([np.ones(n), np.zeros(nz), [float(p)]])
    integrality = np.concatenate([np.ones(c), np.zeros(nz + nf)])
    out = solve_min(obj, a, lower, upper, integrality, time_limit=time_limit)
    if out.x is None:
        return None, out.objective, out.bound, False, out.status, np.zeros(0, np.int64)
    chosen = np.flatnonzero(out.x[:c] > 0.5).astype(np.int64)
    used_far = far_rows[out.x[c + nz :] > 1e-6]
    return chosen, out.objective, out.bound, out.optimal, out.status, used_far[cut[used_far]]


def _exact(
    cost: FloatArray, w: FloatArray, fixed: IntArray, p: int, k: int | None, time_limit: float | None
) -> tuple[IntArray | None, float, bool, str, int]:
    """Solve restricted models, doubling k_i where the cut-off was used, until it provably does not bind."""
    n, m = cost.shape
    free = np.setdiff1d(np.arange(m, dtype=np.int64), fixed)
    k_rows = np.full(n, min(free.size, k if k is not None else max(4, -(-free.size // p))), dtype=np.int64)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    best: IntArray | None = None
    best_value, bound, status = np.inf, -np.inf, "not solved"
    while True:
        left = None if deadline is None else max(deadline - time.perf_counter(), 0.1)
        chosen, model_value, model_bound, optimal, status, grow = _restricted_milp(
            cost, w, free, fixed, p, k_rows, left
        )
        bound = max(bound, model_bound)
        if chosen is not None and chosen.size == p:
            sites = np.union1d(fixed, free[chosen])
            value = _total(cost, w, sites)
            if value < best_value:
                best, best_value = free[chosen], value
            tol = 1e-9 * max(abs(value), 1.0)
            if optimal and value <= model_value + tol:
                return best, value, True, status, int(k_rows.max())
        timed_out = deadline is not None and time.perf_counter() >= deadline
        if timed_out and optimal:
            status = "time limit reached while widening the k-nearest restriction"
        if not optimal or timed_out or grow.size == 0:
            return best, bound, False, status, int(k_rows.max())
        k_rows[grow] = np.minimum(free.size, 2 * k_rows[grow])


def _interchange(cost: FloatArray, w: FloatArray, fixed: IntArray, p: int, max_rounds: int = 100) -> IntArray:
    """Greedy start, then best-improvement vertex substitution (Teitz & Bart 1968)."""
    n, m = cost.shape
    wd = w[:, None] * cost
    free_mask = np.ones(m, dtype=bool)
    free_mask[fixed] = False
    current = np.full(n, np.inf) if fixed.size == 0 else cost[:, fixed].min(axis=1)
    chosen: list[int] = []
    for _ in range(p):
        totals = np.minimum(wd, (w * current)[:, None]).sum(axis=0)
        totals[~free_mask] = np.inf
        totals[chosen] = np.inf
        j = int(np.argmin(totals))
        chosen.append(j)
        current = np.minimum(current, cost[:, j])
    value = float(w @ current)
    for _ in range(max_rounds):
        best = (value * (1 - 1e-12), -1, -1)
        for pos in range(len(chosen)):
            rest = np.asarray(fixed.tolist() + chosen[:pos] + chosen[pos + 1 :], dtype=np.int64)
            # With p = 1 and nothing fixed, removing the only site leaves nothing open.
            base = cost[:, rest].min(axis=1) if rest.size else np.full(n, np.inf)
            totals = np.minimum(wd, (w * base)[:, None]).sum(axis=0)
            totals[~free_mask] = np.inf
            totals[chosen] = np.inf
            j_in = int(np.argmin(totals))
            if totals[j_in] < best[0]:
                best = (float(totals[j_in]), pos, j_in)
        if best[1] < 0:
            break
        value, pos, j_in = best
        chosen[pos] = j_in
    return np.asarray(sorted(chosen), dtype=np.int64)


def _lagrangian_bound(
    cost: FloatArray, w: FloatArray, fixed: IntArray, p: int, upper: float, lam: FloatArray, iterations: int
) -> float:
    """Best Lagrangian lower bound (assignment constraints relaxed), by subgradient steps.

    For multipliers lam, L(lam) = sum(lam) + sum over open j of rho_j with
    rho_j = sum_i min(0, w_i c_ij - lam_i), opening the fixed sites and the p free
    sites with the most negative rho. Every L(lam) is a valid lower bound.
    """
    m = cost.shape[1]
    wd = w[:, None] * cost
    free = np.setdiff1d(np.arange(m, dtype=np.int64), fixed)
    best, theta, stale = -np.inf, 2.0, 0
    for _ in range(iterations):
        red = np.minimum(wd - lam[:, None], 0.0)
        rho = red.sum(axis=0)
        pick = free[np.argpartition(rho[free], p - 1)[:p]]
        open_sites = np.concatenate([fixed, pick])
        value = float(lam.sum() + rho[open_sites].sum())
        if not np.isfinite(best) or value > best + 1e-12 * max(abs(best), 1.0):
            best, stale = value, 0
        else:
            stale += 1
            if stale >= 10:
                theta, stale = theta / 2, 0
        g = 1.0 - (red[:, open_sites] < 0).sum(axis=1)
        norm = float(g @ g)
        if norm == 0 or theta < 1e-5 or upper - best <= 1e-9 * max(upper, 1.0):
            break
        lam = lam + theta * max(upper - value, 1e-9 * max(upper, 1.0)) / norm * g
    return best


def p_median(
    cost: Any,
    *,
    p: int,
    weights: Any = None,
    fixed: Any = None,
    method: Method = "exact",
    time_limit: float | None = None,
    k_nearest: int | None = None,
    lagrangian_iterations: int = 300,
    unreachable_cost: float | None = None,
) -> LocationResult:
    """p-median: open ``p`` new sites minimising total weighted cost to the nearest open site.

    Parameters
    ----------
    cost : array_like or scipy.sparse matrix, shape (n_demand, n_candidates)
        Non-negative cost (e.g. distance in metres) from demand i to site j. ``inf``
        (or, in a sparse matrix, a missing entry) means site j cannot reach demand i.
    p : int
        Number of *new* sites; sites in ``fixed`` are open in addition.
    weights : array_like, optional
        Demand weight per point, >= 0; default 1 each.
    fixed : array_like of int, optional
        Candidate indices already open (existing places).
    method : {"exact", "heuristic"}
        ``"exact"``: assignment MILP restricted to each demand point's ``k`` nearest
        useful sites plus a lower-bounding "farther" option; k doubles until the
        restriction provably does not bind, so the result is the true optimum.
        ``"heuristic"``: greedy + vertex substitution with a Lagrangian lower bound.
    time_limit : float, optional
        Seconds for the exact solver overall.
    k_nearest : int, optional
        Starting k for the exact method (default max(4, free sites / p)); it doubles
        for the demand points whose cut-off option the solution uses.
    lagrangian_iterations : int
        Subgradient steps for the heuristic's bound.
    unreachable_cost : float, optional
        Cost charged per unit of weight for a demand point that no open site reaches
        (default: 4 x the largest finite cost). It must exceed every finite cost, so a
        reachable open site is always preferred; such points get assignment ``-1`` and
        are counted in ``stats["unreached"]``. The objective includes these charges.

    Returns
    -------
    LocationResult
        ``objective`` is the total weighted cost; ``bound`` a lower bound;
        ``assignment`` the nearest open site of every demand point.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 2.0, 10.0, 11.0])
    >>> cost = np.abs(x[:, None] - x[None, :])
    >>> res = p_median(cost, p=2)
    >>> res.selected.tolist(), res.objective, res.assignment.tolist()
    ([1, 3], 3.0, [1, 1, 1, 3, 3])
    >>> p_median(cost, p=1, fixed=[4]).selected.tolist()
    [1]
    """
    start = time.perf_counter()
    d_true = check_cost(cost)
    d = _with_penalty(d_true, unreachable_cost)
    n, m = d.shape
    w = check_weights(weights, n)
    fixed_idx = check_fixed(fixed, m)
    p = check_p(p, m - fixed_idx.size)
    if method not in ("exact", "heuristic"):
        raise AnalysisError(f"method must be 'exact' or 'heuristic', got {method!r}")
    if k_nearest is not None and k_nearest < 1:
        raise AnalysisError(f"k_nearest must be at least 1, got {k_nearest}")
    rows = np.flatnonzero(w > 0)
    dw, ww = d[rows], w[rows]
    stats: dict[str, int] = {"rows": int(rows.size)}
    if rows.size == 0:
        selected = np.setdiff1d(np.arange(m), fixed_idx)[:p].astype(np.int64)
        bound, optimal, status, used = 0.0, True, "trivial: all weights are 0", "reduction"
    else:
        # Heuristic first: its Lagrangian bound often proves optimality at once, and it
        # is the fallback if the exact solver runs out of time.
        selected = _interchange(dw, ww, fixed_idx, p)
        upper = _total(dw, ww, np.union1d(fixed_idx, selected))
        lam = ww * _nearest(dw, np.union1d(fixed_idx, selected))[0]
        bound = _lagrangian_bound(dw, ww, fixed_idx, p, upper, lam, lagrangian_iterations)
        optimal, status, used = False, "heuristic", "vertex substitution + Lagrangian bound"
        proven = upper <= bound + 1e-9 * max(abs(upper), 1.0)
        if method == "exact" and not proven:
            left = None if time_limit is None else max(time_limit - (time.perf_counter() - start), 0.1)
            found, milp_bound, optimal, status, k_used = _exact(dw, ww, fixed_idx, p, k_nearest, left)
            stats["k_nearest"] = k_used
            bound, used = max(bound, milp_bound), "milp (k-nearest)"
            if found is not None and _total(dw, ww, np.union1d(fixed_idx, found)) < upper:
                selected = np.sort(found)
            elif not optimal:
                used = "milp (time limit) + vertex substitution"
    open_sites = np.union1d(fixed_idx, selected)
    nearest_cost, assignment = _nearest(d, open_sites)
    objective = float(w @ nearest_cost)
    unreached = ~np.isfinite(d_true[np.arange(n), assignment])
    assignment[unreached] = -1
    stats["unreached"] = int(unreached.sum())
    if optimal or objective <= bound + 1e-9 * max(abs(objective), 1.0):
        if not optimal:
            status = f"{status}; proven optimal by bound"
        optimal, bound = True, objective
    return LocationResult(
        problem="p-median",
        selected=selected,
        fixed=fixed_idx,
        objective=objective,
        bound=float(bound),
        optimal=optimal,
        status=status,
        method=used,
        seconds=time.perf_counter() - start,
        assignment=assignment,
        stats=stats,
    )


def p_median_from_xy(
    demand_xy: Any,
    candidate_xy: Any,
    *,
    p: int,
    weights: Any = None,
    fixed: Any = None,
    method: Method = "exact",
    time_limit: float | None = None,
) -> LocationResult:
    """p-median on straight-line distances (metres) between projected coordinates.

    >>> res = p_median_from_xy([[0, 0], [100, 0], [5000, 0]], [[50, 0], [5000, 0]], p=1, fixed=[1])
    >>> res.selected.tolist(), res.objective
    ([0], 100.0)
    """
    demand, candidates = metric_xy(demand_xy, candidate_xy)
    return p_median(
        cdist(demand, candidates), p=p, weights=weights, fixed=fixed, method=method, time_limit=time_limit
    )
