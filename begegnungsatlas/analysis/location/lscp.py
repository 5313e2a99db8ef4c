"""Location set covering problem (LSCP; Toregas, Swain, ReVelle & Bergman 1971).

Open as few new sites as possible so that every demand point lies within the
service radius of an open site (new or fixed).
"""

from __future__ import annotations

import math
import time
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .._checks import IntArray
from ..errors import AnalysisError, InfeasibleError
from ._inputs import as_coverage, check_fixed, coverage_from_xy, first_cover
from ._milp import lp_min, solve_min
from ._reduce import essential_rows, merge_identical_rows, undominated_columns
from ._result import LocationResult

Uncoverable = Literal["raise", "ignore"]
Method = Literal["exact", "heuristic"]

_LISTED = 10  # how many uncovered demand indices an error message names


def _reduce(cov: sp.csr_array, fixed: IntArray) -> tuple[sp.csr_array, IntArray]:
    """Rows still to cover (implied rows removed) and undominated free columns."""
    n, m = cov.shape
    by_fixed = np.zeros(n, dtype=bool)
    if fixed.size:
        by_fixed = np.diff(sp.csr_array(cov[:, fixed]).indptr) > 0
    free = np.setdiff1d(np.arange(m, dtype=np.int64), fixed)
    rows = np.flatnonzero(~by_fixed & (np.diff(cov.indptr) > 0))
    sub = sp.csr_array(cov[rows][:, free])
    sub, _, _ = merge_identical_rows(sub, np.zeros(sub.shape[0]))
    # Alternate row and column reductions until nothing changes (usually 2-3 passes).
    while True:
        shape = sub.shape
        sub = sp.csr_array(sub[essential_rows(sub)])
        keep = undominated_columns(sub)
        sub, free = sp.csr_array(sub[:, keep]), free[keep]
        if sub.shape == shape:
            return sub, free


def _greedy(cov: sp.csr_array) -> IntArray:
    """Chvátal's greedy set cover, then drop sites made redundant by later ones."""
    csc = sp.csc_array(cov)
    cov_t = sp.csr_array(cov.T)
    need = np.ones(cov.shape[0])
    chosen: list[int] = []
    gain = cov_t @ need
    while need.any():
        j = int(np.argmax(gain))
        chosen.append(j)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        newly = rows[need[rows] > 0]
        gain -= cov_t[:, newly] @ need[newly]
        need[newly] = 0.0
    count = np.asarray(cov[:, np.asarray(chosen)].sum(axis=1)).reshape(-1)
    for j in reversed(list(chosen)):
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        if (count[rows] >= 2).all():
            count[rows] -= 1
            chosen.remove(j)
    return np.asarray(sorted(chosen), dtype=np.int64)


def lscp(
    coverage: Any,
    *,
    fixed: Any = None,
    uncoverable: Uncoverable = "raise",
    method: Method = "exact",
    time_limit: float | None = None,
) -> LocationResult:
    """Location set covering: fewest new sites so that all demand is covered.

    Parameters
    ----------
    coverage : array_like or scipy.sparse matrix, shape (n_demand, n_candidates)
        Non-zero where candidate j covers demand point i.
    fixed : array_like of int, optional
        Candidate indices already open; they are free and not counted in the objective.
    uncoverable : {"raise", "ignore"}
        What to do with demand points no candidate covers: raise ``InfeasibleError``
        naming them, or cover what is coverable and leave them unassigned (-1).
    method : {"exact", "heuristic"}
        MILP (HiGHS via scipy) or greedy set cover with the rounded-up LP relaxation as
        lower bound.
    time_limit : float, optional
        Seconds for the exact solver.

    Returns
    -------
    LocationResult
        ``objective`` is the number of new sites; ``bound`` a lower bound.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(5.0)
    >>> cov = np.abs(x[:, None] - x[None, :]) <= 1
    >>> res = lscp(cov)
    >>> res.selected.tolist(), res.objective
    ([1, 3], 2.0)
    >>> lscp(cov, fixed=[4]).selected.tolist()
    [1]
    >>> lscp(np.array([[1, 0], [0, 0]]))
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.InfeasibleError: 1 demand point(s) are covered by no candidate site: [1]
    """
    start = time.perf_counter()
    cov = as_coverage(coverage)
    fixed_idx = check_fixed(fixed, cov.shape[1])
    if uncoverable not in ("raise", "ignore"):
        raise AnalysisError(f"uncoverable must be 'raise' or 'ignore', got {uncoverable!r}")
    if method not in ("exact", "heuristic"):
        raise AnalysisError(f"method must be 'exact' or 'heuristic', got {method!r}")
    lonely = np.flatnonzero(np.diff(cov.indptr) == 0)
    if lonely.size and uncoverable == "raise":
        listed = ", ".join(str(i) for i in lonely[:_LISTED]) + (", ..." if lonely.size > _LISTED else "")
        raise InfeasibleError(f"{lonely.size} demand point(s) are covered by no candidate site: [{listed}]")
    sub, columns = _reduce(cov, fixed_idx)
    stats = {"rows": int(sub.shape[0]), "columns": int(sub.shape[1]), "uncoverable": int(lonely.size)}
    r, c = sub.shape
    if r == 0:
        chosen, bound, optimal, status, used = np.zeros(0, np.int64), 0.0, True, "trivial", "reduction"
    elif method == "exact":
        out = solve_min(np.ones(c), sub, np.ones(r), np.full(r, np.inf), np.ones(c), time_limit=time_limit)
        bound, optimal, status, used = math.ceil(out.bound - 1e-6), out.optimal, out.status, "milp"
        if out.x is None:
            chosen, used = _greedy(sub), "milp (time limit) + greedy"
        else:
            chosen = np.flatnonzero(out.x > 0.5).astype(np.int64)
    else:
        chosen = _greedy(sub)
        bound = math.ceil(lp_min(np.ones(c), sub, np.ones(r), np.full(r, np.inf)) - 1e-6)
        optimal, status, used = False, "heuristic", "greedy"
    selected = np.sort(columns[chosen])
    objective = float(selected.size)
    if not optimal and bound >= objective:
        optimal, status = True, f"{status}; proven optimal by bound"
    return LocationResult(
        problem="lscp",
        selected=selected,
        fixed=fixed_idx,
        objective=objective,
        bound=objective if optimal else float(max(bound, 0)),
        optimal=optimal,
        status=status,
        method=used,
        seconds=time.perf_counter() - start,
        assignment=first_cover(cov, np.union1d(fixed_idx, selected)),
        stats=stats,
    )


def lscp_from_xy(
    demand_xy: Any,
    candidate_xy: Any,
    *,
    radius: float,
    fixed: Any = None,
    uncoverable: Uncoverable = "raise",
    method: Method = "exact",
    time_limit: float | None = None,
) -> LocationResult:
    """LSCP from projected coordinates (metres) and a straight-line service radius.

    >>> res = lscp_from_xy([[0, 0], [900, 0], [5000, 0]], [[450, 0], [5000, 0], [0, 0]], radius=500)
    >>> res.selected.tolist()
    [0, 1]
    """
    cov = coverage_from_xy(demand_xy, candidate_xy, radius=radius)
    return lscp(cov, fixed=fixed, uncoverable=uncoverable, method=method, time_limit=time_limit)
