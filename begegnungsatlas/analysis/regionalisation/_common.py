"""Shared pieces of the regionalisation algorithms: inputs, the objective, the result.

The objective everywhere is the *within-region sum of squared deviations* (SSD) on the
attribute matrix the algorithm worked on (z-scores by default)::

    SSD = sum over regions r, over areas i in r, over attributes k of (z_ik - mean_rk) ** 2

It is computed from per-region sums, ``SSD_r = sum(z**2) - |sum(z)|**2 / n_r``, which is
what makes moves and tree cuts cheap to evaluate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..errors import AnalysisError, EmptyInputError, InfeasibleError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RegionalisationResult:
    """Outcome of a regionalisation run.

    Attributes
    ----------
    labels : ndarray of int64, shape (n,)
        Region of each area, numbered ``0 .. n_regions - 1``.
    n_regions : int
        Number of regions.
    ssd : float
        Within-region sum of squared deviations on the (standardised) attributes.
    population : ndarray of float64, shape (n_regions,) or None
        Sum of the floor variable per region (``None`` when none was given).
    seed : int or None
        Seed of the random generator (``None``: deterministic algorithm).
    iterations : int
        Constructions plus improving moves (max-p) or cuts plus moves (SKATER).
    seconds : float
        Wall-clock time of the call.
    method : str
        ``"max-p"`` or ``"skater"``.
    """

    labels: IntArray
    n_regions: int
    ssd: float
    population: FloatArray | None
    seed: int | None
    iterations: int
    seconds: float
    method: str


def prepare_attributes(attributes: Any, *, standardise: bool) -> FloatArray:
    """Return the attribute matrix as float64 (n, k), z-scored if asked.

    z-scores use the population standard deviation (``ddof=0``); a constant column
    becomes all zeros (it cannot separate anything).

    >>> prepare_attributes([[1.0], [3.0]], standardise=True).ravel().tolist()
    [-1.0, 1.0]
    >>> prepare_attributes([[1.0], [float("nan")]], standardise=True)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: attributes: row 1 contains NaN or infinite values
    """
    arr = np.asarray(attributes, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise AnalysisError(f"attributes: expected a 1-D or 2-D array, got {arr.ndim} dimensions")
    if arr.shape[0] == 0:
        raise EmptyInputError("attributes: no areas given")
    if arr.shape[1] == 0:
        raise EmptyInputError("attributes: no attribute columns given")
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise AnalysisError(f"attributes: row {bad} contains NaN or infinite values")
    if not standardise:
        return arr.copy()
    mean = arr.mean(axis=0)
    std = arr.std(axis=0)
    std[std == 0] = 1.0
    z: FloatArray = (arr - mean) / std
    return z


def prepare_adjacency(adjacency: Any, n: int) -> sp.csr_array:
    """Check a contiguity matrix and return it as a symmetric 0/1 CSR array without self-links.

    >>> prepare_adjacency(sp.csr_array(np.array([[1, 1], [1, 0]])), 2).toarray().tolist()
    [[0, 1], [1, 0]]
    """
    if not sp.issparse(adjacency):
        adjacency = sp.csr_array(np.asarray(adjacency))
    adj = sp.csr_array(adjacency, dtype=np.int8)
    if adj.shape != (n, n):
        raise AnalysisError(f"adjacency: expected shape ({n}, {n}) to match the attributes, got {adj.shape}")
    adj.setdiag(0)
    adj.eliminate_zeros()
    adj.data[:] = 1
    if (adj != adj.T).nnz:
        raise AnalysisError("adjacency: the matrix is not symmetric (contiguity must go both ways)")
    adj.sort_indices()
    return adj


def prepare_floor_variable(values: Any, n: int, *, name: str = "floor_variable") -> FloatArray:
    """Return the spatially extensive floor variable as float64 (n,), checked.

    >>> prepare_floor_variable([1, -2], 2)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: floor_variable: value 1 is negative
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise AnalysisError(f"{name}: expected {n} values to match the attributes, got shape {arr.shape}")
    finite = np.isfinite(arr)
    if not finite.all():
        raise AnalysisError(f"{name}: value {int(np.flatnonzero(~finite)[0])} is NaN or infinite")
    if (arr < 0).any():
        raise AnalysisError(f"{name}: value {int(np.flatnonzero(arr < 0)[0])} is negative")
    return arr


def check_components_reach_floor(adj: sp.csr_array, pop: FloatArray, floor: float) -> IntArray:
    """Return component labels; raise InfeasibleError if the total or a component misses the floor.

    >>> adj = sp.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> check_components_reach_floor(adj, np.array([5.0, 5.0, 3.0]), 4.0)
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.InfeasibleError: floor 4 cannot be reached: the connected part containing area 2 (1 areas) has only 3 in total; connect it (islands='connect') or lower the floor
    """
    total = float(pop.sum())
    if total < floor:
        raise InfeasibleError(
            f"floor {floor:g} cannot be reached: all areas together have only {total:g}; lower the floor"
        )
    n_comp, comp_raw = connected_components(adj, directed=False)
    comp: IntArray = comp_raw.astype(np.int64)
    comp_total = np.bincount(comp, weights=pop, minlength=n_comp)
    short = np.flatnonzero(comp_total < floor)
    if short.size:
        c = int(short[0])
        members = np.flatnonzero(comp == c)
        raise InfeasibleError(
            f"floor {floor:g} cannot be reached: the connected part containing area {int(members[0])} "
            f"({members.size} areas) has only {comp_total[c]:g} in total; connect it "
            "(islands='connect') or lower the floor"
        )
    return comp


def relabel(labels: IntArray) -> IntArray:
    """Renumber labels to ``0 .. p-1`` in order of first appearance.

    >>> relabel(np.array([7, 7, 3, 9, 3])).tolist()
    [0, 0, 1, 2, 1]
    """
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def within_region_ssd(attributes: FloatArray, labels: Any) -> float:
    """Within-region sum of squared deviations from the region means.

    Use this to score any partition (including a peer's) the same way.

    >>> z = np.array([[0.0], [2.0], [10.0]])
    >>> within_region_ssd(z, [0, 0, 1])
    2.0
    """
    lab = np.asarray(labels, dtype=np.int64)
    z = np.asarray(attributes, dtype=np.float64)
    if z.ndim == 1:
        z = z[:, None]
    p = int(lab.max()) + 1
    counts = np.bincount(lab, minlength=p).astype(np.float64)
    sums = np.zeros((p, z.shape[1]))
    np.add.at(sums, lab, z)
    means = sums / np.maximum(counts, 1.0)[:, None]
    return float(((z - means[lab]) ** 2).sum())


def regions_are_contiguous(adjacency: Any, labels: Any) -> bool:
    """True if every region induces a connected subgraph of the contiguity graph.

    >>> adj = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> regions_are_contiguous(adj, [0, 1, 0])
    False
    """
    lab = np.asarray(labels, dtype=np.int64)
    adj = sp.coo_array(adjacency)
    keep = lab[adj.row] == lab[adj.col]
    inner = sp.csr_array((np.ones(int(keep.sum())), (adj.row[keep], adj.col[keep])), shape=adj.shape)
    n_comp, _ = connected_components(inner, directed=False)
    return int(n_comp) == int(np.unique(lab).size)


def region_population(pop: FloatArray | None, labels: IntArray, p: int) -> FloatArray | None:
    """Sum of the floor variable per region, or ``None``.

    >>> region_population(np.array([1.0, 2.0, 4.0]), np.array([0, 1, 1]), 2).tolist()
    [1.0, 6.0]
    """
    if pop is None:
        return None
    return np.bincount(labels, weights=pop, minlength=p).astype(np.float64)
