"""What each candidate adds, and how the objective changes with the number of new sites.

Planners ask "where should the next 1-3 places go?" and "is a fourth one worth it?":
:func:`added_coverage` gives every candidate's coverage gain on its own (given the
sites already open), :func:`tradeoff_curve` solves MCLP or p-median for ``p = 1..p_max``
so the gain of each further site can be read off.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .._checks import FloatArray
from ..errors import AnalysisError
from ._inputs import as_coverage, check_cost, check_fixed, check_weights
from ._result import LocationResult
from .mclp import mclp
from .pmedian import p_median

Model = Literal["mclp", "p-median"]


def added_coverage(coverage: Any, *, weights: Any = None, fixed: Any = None) -> FloatArray:
    """Demand weight each candidate would newly cover if it alone were added to ``fixed``.

    Weight already covered by a fixed site counts for nobody; a fixed candidate adds 0.

    >>> cov = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1]])
    >>> added_coverage(cov, weights=[5, 2, 1], fixed=[0]).tolist()
    [0.0, 2.0, 3.0]
    """
    cov = as_coverage(coverage)
    n, m = cov.shape
    w = check_weights(weights, n)
    fixed_idx = check_fixed(fixed, m)
    uncovered = w.copy()
    if fixed_idx.size:
        uncovered[np.diff(sp.csr_array(cov[:, fixed_idx]).indptr) > 0] = 0.0
    gain = np.asarray(cov.T @ uncovered, dtype=np.float64)
    gain[fixed_idx] = 0.0
    return gain


def tradeoff_curve(
    model: Model,
    matrix: Any,
    *,
    p_max: int = 5,
    weights: Any = None,
    fixed: Any = None,
    time_limit: float | None = None,
) -> list[LocationResult]:
    """Solve ``model`` for ``p = 1 .. p_max`` new sites (capped at the free candidates).

    ``matrix`` is a coverage matrix for ``"mclp"`` and a cost matrix for ``"p-median"``.
    Each entry is an independent optimum, so the chosen sets need not be nested.

    >>> cov = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]])
    >>> [r.objective for r in tradeoff_curve("mclp", cov, p_max=5, weights=[1, 3, 3, 2])]
    [6.0, 8.0, 9.0]
    """
    if isinstance(p_max, bool) or not isinstance(p_max, int | np.integer) or p_max < 1:
        raise AnalysisError(f"p_max must be a positive integer, got {p_max!r}")
    if model == "mclp":
        cov = as_coverage(matrix)
        m = cov.shape[1]
        free = m - check_fixed(fixed, m).size
        return [
            mclp(cov, p=p, weights=weights, fixed=fixed, time_limit=time_limit)
            for p in range(1, min(int(p_max), free) + 1)
        ]
    if model == "p-median":
        cost = check_cost(matrix)
        m = cost.shape[1]
        free = m - check_fixed(fixed, m).size
        return [
            p_median(cost, p=p, weights=weights, fixed=fixed, time_limit=time_limit)
            for p in range(1, min(int(p_max), free) + 1)
        ]
    raise AnalysisError(f"model must be 'mclp' or 'p-median', got {model!r}")
