"""Location of new places among candidate sites (capability C3).

Three classic models, each exact (MILP solved by HiGHS through ``scipy.optimize.milp``)
or heuristic with a proven bound:

* :func:`mclp` — maximal covering (Church & ReVelle 1974),
* :func:`lscp` — location set covering (Toregas et al. 1971),
* :func:`p_median` — p-median (Hakimi 1964; ReVelle & Swain 1970).

Sites listed in ``fixed`` (existing places) are open from the start and never count
towards ``p``. All functions return a :class:`LocationResult`.

>>> import numpy as np
>>> demand = np.array([[0.0, 0.0], [800.0, 0.0], [4000.0, 0.0]])
>>> sites = np.array([[400.0, 0.0], [4000.0, 300.0]])
>>> mclp_from_xy(demand, sites, radius=500, p=1, weights=[1, 1, 1]).selected.tolist()
[0]
"""

from ._inputs import coverage_from_cost, coverage_from_xy
from ._result import LocationResult
from .lscp import lscp, lscp_from_xy
from .mclp import mclp, mclp_from_xy
from .pmedian import p_median, p_median_from_xy
from .tradeoff import added_coverage, tradeoff_curve

__all__ = [
    "LocationResult",
    "added_coverage",
    "coverage_from_cost",
    "coverage_from_xy",
    "lscp",
    "lscp_from_xy",
    "mclp",
    "mclp_from_xy",
    "p_median",
    "p_median_from_xy",
    "tradeoff_curve",
]
