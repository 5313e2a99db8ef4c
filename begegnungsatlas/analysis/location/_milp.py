"""Thin wrapper around ``scipy.optimize.milp`` (HiGHS) for the location models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .._checks import FloatArray


@dataclass(frozen=True)
class MilpOutcome:
    """Solution of a minimisation MILP: ``x`` is None when no feasible point was found."""

    x: FloatArray | None
    objective: float
    bound: float
    optimal: bool
    status: str


def solve_min(
    c: FloatArray,
    a: sp.csr_array,
    lower: FloatArray,
    upper: FloatArray,
    integrality: FloatArray,
    *,
    time_limit: float | None,
) -> MilpOutcome:
    """Minimise ``c @ x`` s.t. ``lower <= a @ x <= upper``, ``0 <= x <= 1``.

    The relative MIP gap is set to 0 so that "optimal" means proven optimal, not
    within HiGHS's default 0.01 %.

    >>> c = np.array([-1.0, -2.0])
    >>> a = sp.csr_array(np.array([[1.0, 1.0]]))
    >>> out = solve_min(c, a, np.array([-np.inf]), np.array([1.0]), np.ones(2), time_limit=None)
    >>> out.x.round().tolist(), out.objective, out.optimal
    ([0.0, 1.0], -2.0, True)
    """
    options: dict[str, Any] = {"disp": False, "mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = milp(
        c,
        integrality=integrality,
        bounds=Bounds(np.zeros(c.shape[0]), np.ones(c.shape[0])),
        constraints=LinearConstraint(a, lower, upper),
        options=options,
    )
    x = None if res.x is None else np.asarray(res.x, dtype=np.float64)
    objective = float(res.fun) if res.fun is not None else float("inf")
    dual = getattr(res, "mip_dual_bound", None)
    optimal = res.status == 0
    if optimal:
        bound = objective
    elif dual is not None and np.isfinite(dual):
        bound = float(dual)
    else:
        bound = -float("inf")
    return MilpOutcome(x=x, objective=objective, bound=bound, optimal=optimal, status=str(res.message))


def lp_min(c: FloatArray, a: sp.csr_array, lower: FloatArray, upper: FloatArray) -> float:
    """Optimal value of the LP relaxation of :func:`solve_min` (a bound for the MILP).

    >>> a = sp.csr_array(np.array([[1.0, 1.0]]))
    >>> lp_min(np.array([1.0, 1.0]), a, np.array([1.0]), np.array([np.inf]))
    1.0
    """
    rows_ub = []
    rhs_ub = []
    finite_up = np.isfinite(upper)
    finite_lo = np.isfinite(lower)
    if finite_up.any():
        rows_ub.append(a[np.flatnonzero(finite_up)])
        rhs_ub.append(upper[finite_up])
    if finite_lo.any():
        rows_ub.append(-a[np.flatnonzero(finite_lo)])
        rhs_ub.append(-lower[finite_lo])
    res = linprog(
        c,
        A_ub=sp.vstack(rows_ub).tocsr(),
        b_ub=np.concatenate(rhs_ub),
        bounds=(0.0, 1.0),
        method="highs",
    )
    if res.status != 0:
        raise RuntimeError(f"LP relaxation failed: {res.message}")
    return float(res.fun)
