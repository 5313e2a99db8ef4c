"""Exact size reductions of coverage models.

Each reduction keeps the optimal objective value unchanged:

* rows (demand points) with the same coverage set are interchangeable, so they merge
  into one row whose weight is the sum of theirs;
* a column (candidate) whose coverage set is contained in another column's set is
  never better than that column, so it can be dropped (for equal sets the
  lowest index is kept).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._checks import FloatArray, IntArray


def merge_identical_rows(cov: sp.csr_array, weights: FloatArray) -> tuple[sp.csr_array, FloatArray, IntArray]:
    """Merge rows with identical coverage sets; return (matrix, weights, row_of_group).

    ``row_of_group[k]`` is the group index of original row ``k``.

    >>> cov = sp.csr_array(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    >>> m, w, g = merge_identical_rows(cov, np.array([1.0, 2.0, 5.0]))
    >>> m.toarray().tolist(), w.tolist(), g.tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [3.0, 5.0], [0, 0, 1])
    """
    cov.sort_indices()
    indptr, indices = cov.indptr, cov.indices.astype(np.int64)
    keys: dict[bytes, int] = {}
    group = np.empty(cov.shape[0], dtype=np.int64)
    first: list[int] = []
    # One dict lookup per row; the keys are the raw bytes of the sorted column lists.
    for i in range(cov.shape[0]):
        key = indices[indptr[i] : indptr[i + 1]].tobytes()
        g = keys.get(key)
        if g is None:
            g = len(first)
            keys[key] = g
            first.append(i)
        group[i] = g
    merged_w = np.bincount(group, weights=weights, minlength=len(first)).astype(np.float64)
    merged = sp.csr_array(cov[np.asarray(first, dtype=np.int64)])
    return merged, merged_w, group


def _subset_pairs(csc: sp.csc_array) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs (j, k), j != k, with set(j) a subset of set(k); also the set sizes."""
    size = np.diff(csc.indptr).astype(np.float64)
    inter = sp.coo_array(csc.T @ csc)
    j, k, shared = inter.row.astype(np.int64), inter.col.astype(np.int64), inter.data
    keep = (j != k) & (shared >= size[j] - 0.5)
    return j[keep], k[keep], size


def undominated_columns(cov: sp.csr_array) -> IntArray:
    """Indices of columns not dominated by another column (and not empty).

    Column j is dominated by k when its coverage set is a subset of k's and either
    the subset is strict or k < j. Dropping dominated columns keeps the optimum of
    MCLP and LSCP, because k can always replace j.

    >>> cov = sp.csr_array(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    >>> undominated_columns(cov).tolist()
    [1]
    """
    j, k, size = _subset_pairs(sp.csc_array(cov))
    beats = (size[k] > size[j] + 0.5) | (k < j)
    dominated = np.zeros(cov.shape[1], dtype=bool)
    dominated[j[beats]] = True
    dominated[size == 0] = True
    return np.flatnonzero(~dominated).astype(np.int64)


def essential_rows(cov: sp.csr_array) -> IntArray:
    """Rows to keep in a set-covering model: drop rows implied by another row.

    Row k is implied by row j when j's coverage set is a subset of k's (strict, or
    equal with j < k): any selection covering j also covers k. Empty rows are kept
    (the caller deals with them). Returns the sorted indices of the rows to keep.

    >>> cov = sp.csr_array(np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 0.0]]))
    >>> essential_rows(cov).tolist()
    [1]
    """
    j, k, size = _subset_pairs(sp.csc_array(cov.T))
    nonempty = size[j] > 0.5
    implied = nonempty & ((size[k] > size[j] + 0.5) | (j < k))
    drop = np.zeros(cov.shape[0], dtype=bool)
    drop[k[implied]] = True
    return np.flatnonzero(~drop).astype(np.int64)
