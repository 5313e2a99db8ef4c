"""Input checks and coverage construction for the location models.

Coverage is always held as a ``scipy.sparse.csr_array`` of shape
(n_demand, n_candidates) with float64 ones where a candidate covers a demand point,
sorted column indices and no explicit zeros. Building it from coordinates uses a
k-d tree, so the cost is proportional to the number of (demand, candidate) pairs within
the radius and never to n_demand x n_candidates.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.spatial import cKDTree

from .._checks import FloatArray, IntArray, as_xy, require_metric
from ..errors import AnalysisError, EmptyInputError

BoolArray = npt.NDArray[np.bool_]


def check_radius(radius: float) -> float:
    """Return the service radius as float, or raise if it is not positive and finite.

    >>> check_radius(1000)
    1000.0
    >>> check_radius(0)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: radius must be a positive finite distance, got 0
    """
    value = float(radius)
    if not np.isfinite(value) or value <= 0.0:
        raise AnalysisError(f"radius must be a positive finite distance, got {radius}")
    return value


def check_weights(weights: Any, n_demand: int) -> FloatArray:
    """Return demand weights (default: all ones) as float64, or raise.

    >>> check_weights(None, 3).tolist()
    [1.0, 1.0, 1.0]
    >>> check_weights([1, -2], 2)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: weights: weight 1 is negative (-2.0); demand weights must be >= 0
    """
    if weights is None:
        return np.ones(n_demand, dtype=np.float64)
    arr = np.asarray(weights, dtype=np.float64).reshape(-1)
    if arr.shape[0] != n_demand:
        raise AnalysisError(f"weights: expected {n_demand} values (one per demand point), got {arr.shape[0]}")
    finite = np.isfinite(arr)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise AnalysisError(f"weights: weight {bad} is NaN or infinite")
    if (arr < 0).any():
        bad = int(np.flatnonzero(arr < 0)[0])
        raise AnalysisError(f"weights: weight {bad} is negative ({arr[bad]}); demand weights must be >= 0")
    return arr


def check_fixed(fixed: Any, n_candidates: int) -> IntArray:
    """Return the sorted unique indices of candidates that are already open.

    >>> check_fixed([3, 1, 3], 5).tolist()
    [1, 3]
    >>> check_fixed([7], 5)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: fixed: candidate index 7 is out of range for 5 candidates
    """
    if fixed is None:
        return np.zeros(0, dtype=np.int64)
    raw = np.asarray(fixed).reshape(-1)
    if raw.size == 0:
        return np.zeros(0, dtype=np.int64)
    if raw.dtype == np.bool_:
        raise AnalysisError("fixed: give candidate indices, not a boolean mask")
    if not np.issubdtype(raw.dtype, np.integer):
        raise AnalysisError(f"fixed: candidate indices must be integers, got dtype {raw.dtype}")
    arr = raw.astype(np.int64)
    bad = arr[(arr < 0) | (arr >= n_candidates)]
    if bad.size:
        raise AnalysisError(
            f"fixed: candidate index {int(bad[0])} is out of range for {n_candidates} candidates"
        )
    return np.unique(arr)


def check_p(p: int, n_free: int) -> int:
    """Return ``p`` (new sites to open) or raise if it is not in 1..n_free.

    >>> check_p(2, 3)
    2
    >>> check_p(4, 3)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: p=4 is larger than the number of free (not fixed) candidates, 3
    """
    if isinstance(p, bool) or not isinstance(p, int | np.integer):
        raise AnalysisError(f"p must be an integer, got {p!r}")
    if p <= 0:
        raise AnalysisError(f"p must be at least 1 (number of new sites to open), got {p}")
    if p > n_free:
        raise AnalysisError(f"p={p} is larger than the number of free (not fixed) candidates, {n_free}")
    return int(p)


def check_cost(cost: Any) -> FloatArray:
    """Return a dense, non-negative cost matrix (n_demand, n_candidates); ``inf`` = unreachable.

    For a *sparse* matrix only the stored entries are costs (as in
    ``scipy.sparse.csgraph``): a missing entry means "not reachable" and becomes
    ``inf``, an explicitly stored 0 stays distance 0. In a dense matrix ``inf`` marks an
    unreachable pair; NaN and negative costs are refused.

    >>> check_cost([[0.0, 2.0]]).shape
    (1, 2)
    >>> check_cost(sp.csr_array(([3.0], ([0], [1])), shape=(1, 2))).tolist()
    [[inf, 3.0]]
    >>> check_cost([[1.0, -1.0]])
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: cost: entry (0, 1) is negative; costs must be >= 0
    """
    if sp.issparse(cost):
        coo = sp.coo_array(cost)
        if coo.ndim != 2:
            raise AnalysisError(f"cost: expected a 2-D matrix (demand x candidates), got shape {coo.shape}")
        coo.sum_duplicates()
        arr = np.full(coo.shape, np.inf, dtype=np.float64)
        arr[coo.row, coo.col] = np.asarray(coo.data, dtype=np.float64)
    else:
        arr = np.array(cost, dtype=np.float64)
    if arr.ndim != 2:
        raise AnalysisError(f"cost: expected a 2-D matrix (demand x candidates), got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise EmptyInputError("cost: no demand points (0 rows)")
    if arr.shape[1] == 0:
        raise EmptyInputError("cost: no candidate sites (0 columns)")
    if np.isnan(arr).any():
        i, j = np.argwhere(np.isnan(arr))[0]
        raise AnalysisError(f"cost: entry ({i}, {j}) is NaN")
    if (arr < 0).any():
        i, j = np.argwhere(arr < 0)[0]
        raise AnalysisError(f"cost: entry ({i}, {j}) is negative; costs must be >= 0")
    return arr


def as_coverage(coverage: Any) -> sp.csr_array:
    """Return a 0/1 coverage matrix as canonical CSR (float64 ones, sorted indices).

    Accepts a dense boolean/0-1 array or any scipy.sparse matrix; a non-zero entry
    means "candidate j covers demand i".

    >>> as_coverage([[1, 0], [0, 1]]).nnz
    2
    """
    if sp.issparse(coverage):
        mat = sp.csr_array(coverage)
    else:
        arr = np.asarray(coverage)
        if arr.ndim != 2:
            raise AnalysisError(
                f"coverage: expected a 2-D matrix (demand x candidates), got shape {arr.shape}"
            )
        mat = sp.csr_array(arr != 0)
    if mat.shape[0] == 0:
        raise EmptyInputError("coverage: no demand points (0 rows)")
    if mat.shape[1] == 0:
        raise EmptyInputError("coverage: no candidate sites (0 columns)")
    mat = sp.csr_array(mat != 0, dtype=np.float64)
    mat.eliminate_zeros()
    mat.sort_indices()
    return mat


def coverage_from_cost(cost: Any, *, radius: float) -> sp.csr_array:
    """Coverage matrix ``cost <= radius`` from a dense or sparse cost matrix.

    For a sparse cost matrix only the stored entries are distances (as in
    ``scipy.sparse.csgraph``): a missing entry means "not reachable", an explicitly
    stored 0 means distance 0.

    >>> coverage_from_cost(np.array([[0.0, 5.0], [2.0, 1.0]]), radius=2).toarray().tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    r = check_radius(radius)
    if sp.issparse(cost):
        # Stay sparse: only stored entries can cover (missing = unreachable).
        coo = sp.coo_array(cost)
        if coo.shape[0] == 0 or coo.shape[1] == 0:
            raise EmptyInputError(f"cost: empty matrix of shape {coo.shape}")
        data = np.asarray(coo.data, dtype=np.float64)
        if np.isnan(data).any() or (data < 0).any():
            raise AnalysisError("cost: stored entries must be non-negative numbers")
        keep = data <= r
        mat = sp.csr_array((np.ones(int(keep.sum())), (coo.row[keep], coo.col[keep])), shape=coo.shape)
        mat.sum_duplicates()
        return as_coverage(mat)
    return as_coverage(check_cost(cost) <= r)


def coverage_from_xy(demand_xy: Any, candidate_xy: Any, *, radius: float) -> sp.csr_array:
    """Coverage matrix of all (demand, candidate) pairs within ``radius`` metres.

    Coordinates must be projected (metres, e.g. EPSG:25832); a distance equal to the
    radius counts as covered.

    >>> cov = coverage_from_xy([[0, 0], [3000, 0]], [[500, 0], [3000, 900]], radius=1000)
    >>> cov.toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    demand, candidates = metric_xy(demand_xy, candidate_xy)
    r = check_radius(radius)
    tree = cKDTree(candidates)
    hits = tree.query_ball_point(demand, r, return_sorted=True)
    lengths = np.fromiter(map(len, hits), dtype=np.int64, count=len(hits))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.fromiter(chain.from_iterable(hits), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(indices.shape[0], dtype=np.float64)
    return sp.csr_array((data, indices, indptr), shape=(demand.shape[0], candidates.shape[0]))


def metric_xy(demand_xy: Any, candidate_xy: Any) -> tuple[FloatArray, FloatArray]:
    """Check both coordinate arrays: shape (n, 2), finite, non-empty, metric."""
    demand = as_xy(demand_xy, name="demand_xy")
    candidates = as_xy(candidate_xy, name="candidate_xy")
    require_metric(demand, name="demand_xy")
    require_metric(candidates, name="candidate_xy")
    return demand, candidates


def first_cover(coverage: sp.csr_array, open_sites: IntArray) -> IntArray:
    """For each demand point, the lowest-index open site covering it, or -1.

    >>> first_cover(as_coverage([[0, 1, 1], [1, 0, 0]]), np.array([1, 2])).tolist()
    [1, -1]
    """
    sub = sp.csr_array(coverage[:, open_sites])
    sub.sort_indices()
    counts = np.diff(sub.indptr)
    out = np.full(coverage.shape[0], -1, dtype=np.int64)
    has = counts > 0
    out[has] = open_sites[sub.indices[sub.indptr[:-1][has]]]
    return out
