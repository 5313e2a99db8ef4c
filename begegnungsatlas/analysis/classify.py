"""Choropleth classification: quantiles, equal interval, standard deviation, natural breaks, manual.

Every method returns a :class:`Classification` with the *upper bounds* of the classes
(``breaks``, the same convention as mapclassify's ``bins``: class ``c`` holds the values
``breaks[c-1] < y <= breaks[c]``), the class index of each value and the class counts.

Missing values (NaN) get class ``-1`` and take no part in computing the breaks.
When there are fewer distinct values than requested classes, ``k`` is reduced to the
number of distinct values instead of failing (mapclassify raises or warns there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import FloatArray, IntArray
from .errors import AnalysisError, EmptyInputError

__all__ = [
    "Classification",
    "classify",
    "equal_interval",
    "fisher_jenks",
    "manual_breaks",
    "quantiles",
    "std_mean",
]

MISSING_CLASS = -1
# Relative tolerance (of the total sum of squares) under which two split costs count as equal.
_FJ_TIE_RTOL = 1e-10


@dataclass(frozen=True)
class Classification:
    """Result of a classification.

    Attributes
    ----------
    method : str
        Name of the method (``"quantiles"``, ``"equal_interval"``, ...).
    breaks : numpy.ndarray
        Upper bound of each class, ascending; the last one is the maximum value.
    classes : numpy.ndarray
        Class index (0 .. k-1) of every input value; ``-1`` for missing values.
    counts : numpy.ndarray
        Number of values in each class.
    """

    method: str
    breaks: FloatArray
    classes: IntArray
    counts: IntArray

    @property
    def k(self) -> int:
        """Number of classes actually formed."""
        return int(self.breaks.size)


def _finite_values(values: Any) -> tuple[FloatArray, FloatArray]:
    """Return (all values as float64 1-d, the non-missing ones); refuse empty and infinite input."""
    y = np.asarray(values, dtype=np.float64).ravel()
    if y.size == 0:
        raise EmptyInputError("classification: no values given")
    if np.isinf(y).any():
        bad = int(np.flatnonzero(np.isinf(y))[0])
        raise AnalysisError(f"classification: value {bad} is infinite")
    present = y[~np.isnan(y)]
    if present.size == 0:
        raise EmptyInputError("classification: all values are missing (NaN)")
    return y, present


def _check_k(k: int) -> None:
    if not isinstance(k, int | np.integer) or k < 1:
        raise AnalysisError(f"classification: number of classes k must be a positive integer, got {k!r}")


def _assign(method: str, y: FloatArray, breaks: FloatArray) -> Classification:
    """Put every value into the first class whose upper bound is >= the value."""
    classes = np.full(y.shape, MISSING_CLASS, dtype=np.int64)
    present = ~np.isnan(y)
    classes[present] = np.searchsorted(breaks, y[present], side="left")
    counts = np.bincount(classes[present], minlength=breaks.size).astype(np.int64)
    return Classification(method=method, breaks=breaks, classes=classes, counts=counts)


def quantiles(values: Any, k: int = 5) -> Classification:
    """Classes holding (about) the same number of values.

    Breaks are the ``j/k`` quantiles (linear interpolation), ``j = 1..k``; repeated
    breaks caused by ties collapse, so fewer than ``k`` classes may result.

    Examples
    --------
    >>> c = quantiles([1, 2, 3, 4, 5, 6, 7, 8, float("nan")], k=4)
    >>> c.breaks.tolist()
    [2.75, 4.5, 6.25, 8.0]
    >>> c.classes.tolist()
    [0, 0, 1, 1, 2, 2, 3, 3, -1]
    >>> quantiles([1, 1, 1, 1, 2], k=4).breaks.tolist()
    [1.0, 2.0]
    """
    _check_k(k)
    y, present = _finite_values(values)
    probs = np.arange(1, k + 1, dtype=np.float64) / k
    breaks = np.unique(np.quantile(present, probs))
    return _assign("quantiles", y, breaks)


def equal_interval(values: Any, k: int = 5) -> Classification:
    """Classes of equal width between the minimum and the maximum.

    Upper bounds are ``min + w, min + 2w, ..., max`` with ``w = (max - min) / k``
    (computed as mapclassify does, so the breaks agree bit for bit). With fewer
    distinct values than ``k``, ``k`` is reduced to the number of distinct values.

    Examples
    --------
    >>> equal_interval([0, 1, 5, 10], k=4).breaks.tolist()
    [2.5, 5.0, 7.5, 10.0]
    >>> equal_interval([3, 3, 3], k=4).breaks.tolist()
    [3.0]
    """
    _check_k(k)
    y, present = _finite_values(values)
    k = min(k, int(np.unique(present).size))
    y_min, y_max = float(present.min()), float(present.max())
    if k == 1:
        return _assign("equal_interval", y, np.array([y_max]))
    width = (y_max - y_min) / k
    # np.arange rounds its step the way mapclassify's bins do; keep exactly k bounds.
    breaks = np.arange(y_min + width, y_max + width, width)[:k]
    if breaks.size < k:
        breaks = (y_min + width) + np.arange(k, dtype=np.float64) * width
    breaks[-1] = y_max
    return _assign("equal_interval", y, breaks)


def std_mean(values: Any, multiples: Sequence[float] = (-2.0, -1.0, 1.0, 2.0)) -> Classification:
    """Classes bounded at the mean plus multiples of the standard deviation.

    Uses the sample standard deviation (``ddof=1``) and appends the maximum as a last
    bound when it lies above the highest multiple, like mapclassify ``StdMean``. Classes
    below the minimum may stay empty. If all values are equal there is one class.

    Examples
    --------
    >>> c = std_mean([1, 2, 3, 4, 5, 6, 7, 8, 9, 30])
    >>> c.breaks.round(3).tolist()
    [-9.133, -0.817, 15.817, 24.133, 30.0]
    >>> c.counts.tolist()
    [0, 0, 9, 0, 1]
    """
    y, present = _finite_values(values)
    mult = np.asarray(multiples, dtype=np.float64)
    if mult.size == 0 or not np.all(np.diff(mult) > 0):
        raise AnalysisError("std_mean: multiples must be a non-empty, strictly increasing sequence")
    if np.unique(present).size == 1:
        return _assign("std_mean", y, np.array([float(present[0])]))
    sd = float(present.std(ddof=1))
    mean = float(present.mean())
    cuts = [mean + sd * float(w) for w in mult]
    y_max = float(present.max())
    if cuts[-1] < y_max:
        cuts.append(y_max)
    return _assign("std_mean", y, np.array(cuts))


def manual_breaks(values: Any, breaks: Sequence[float]) -> Classification:
    """Classes with upper bounds given by the planner.

    The maximum is appended as a last bound if it lies above the last given one
    (as mapclassify ``UserDefined`` does).

    Examples
    --------
    >>> c = manual_breaks([1, 5, 10, 50], [5, 20])
    >>> c.breaks.tolist(), c.classes.tolist()
    ([5.0, 20.0, 50.0], [0, 0, 1, 2])
    >>> manual_breaks([1, 2], [3, 2])
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: manual_breaks: breaks must be finite and strictly increasing, got [3.0, 2.0]
    """
    y, present = _finite_values(values)
    bounds = np.asarray(breaks, dtype=np.float64).ravel()
    if bounds.size == 0 or not np.isfinite(bounds).all() or not np.all(np.diff(bounds) > 0):
        raise AnalysisError(
            f"manual_breaks: breaks must be finite and strictly increasing, got {bounds.tolist()}"
        )
    y_max = float(present.max())
    if bounds[-1] < y_max:
        bounds = np.append(bounds, y_max)
    return _assign("manual", y, bounds)


def fisher_jenks(values: Any, k: int = 5) -> Classification:
    """Natural breaks: the exact Fisher-Jenks optimum.

    Finds the partition of the sorted values into ``k`` contiguous classes with the least
    total within-class sum of squared deviations (Fisher 1958, Jenks 1977), by dynamic
    programming with divide and conquer in ``O(k n log n)`` time and ``O(k n)`` memory.
    Arithmetic is float64; among split points whose costs agree within a relative
    ``1e-10`` of the total sum of squares the earliest is kept, which is mapclassify's
    ``FisherJenks`` tie rule (mapclassify itself computes in float32, so on near-ties
    closer than float32 precision the two may pick different, equally good, breaks). With fewer distinct values than ``k`` each distinct value becomes
    its own class.

    Examples
    --------
    >>> c = fisher_jenks([1, 2, 3, 10, 11, 12, 30, 31, float("nan")], k=3)
    >>> c.breaks.tolist()
    [3.0, 12.0, 31.0]
    >>> c.counts.tolist()
    [3, 3, 2]
    >>> fisher_jenks([4, 4, 7], k=5).breaks.tolist()
    [4.0, 7.0]
    """
    _check_k(k)
    y, present = _finite_values(values)
    x = np.sort(present)
    distinct = np.unique(x)
    if distinct.size <= k:
        return _assign("fisher_jenks", y, distinct)
    starts = _fisher_jenks_starts(x, k)
    # The upper bound of class c is the last value before the next class starts.
    breaks = np.append(x[starts[1:] - 1], x[-1])
    return _assign("fisher_jenks", y, breaks)


def _fisher_jenks_starts(x: FloatArray, k: int) -> IntArray:
    """Start index of each of the ``k`` optimal classes of the sorted array ``x``.

    ``cost[b]`` is the least sum of squared deviations for ``x[:b]`` split into ``j``
    classes; ``back[j][b]`` is where the last of those classes starts. The best start
    of the last class never decreases as ``b`` grows (the within-class sum of squares
    of sorted data satisfies the quadrangle inequality), so each layer is solved by
    divide and conquer over ``b`` (Grønlund et al. 2017, *Fast exact k-means,
    k-medians and Bregman divergence clustering in 1D*): ``O(n log n)`` per layer,
    ``O(k n log n)`` in all. Every level of the recursion is one vectorised pass.
    """
    n = x.size
    # Centring reduces cancellation in "sum of squares minus square of sum".
    xc = x - x.mean()
    s1 = np.concatenate(([0.0], np.cumsum(xc)))
    s2 = np.concatenate(([0.0], np.cumsum(xc * xc)))
    ends = np.arange(n + 1, dtype=np.float64)
    cost = s2 - s1 * s1 / np.maximum(ends, 1.0)  # one class over x[:b]
    back = np.zeros((k + 1, n + 1), dtype=np.int64)
    tie = _FJ_TIE_RTOL * max(float(cost[n]), np.finfo(np.float64).tiny)
    for j in range(2, k + 1):
        new_cost = np.full(n + 1, np.inf)
        # Only x[:n] matters for the last class; earlier layers need every prefix b >= j.
        b_lo = n if j == k else j
        _fj_layer(s1, s2, cost, new_cost, back[j], b_lo, n, j - 1, tie)
        cost = new_cost
    starts = np.zeros(k, dtype=np.int64)
    end = n
    for j in range(k, 1, -1):
        starts[j - 1] = back[j, end]
        end = int(starts[j - 1])
    return starts


def _fj_layer(
    s1: FloatArray,
    s2: FloatArray,
    prev: FloatArray,
    out: FloatArray,
    back: IntArray,
    b_lo: int,
    b_hi: int,
    a_min: int,
    tie: float,
) -> None:
    """Fill ``out[b]`` and ``back[b]`` for ``b_lo <= b <= b_hi`` by level-wise divide and conquer.

    ``out[b] = min over a in [a_min, b-1] of prev[a] + ssd(x[a:b])`` with
    ``ssd(x[a:b]) = s2[b] - s2[a] - (s1[b] - s1[a])**2 / (b - a)``. Each pending task is a
    range of ``b`` with a window of admissible ``a``; its middle ``b`` is solved by
    scanning the window, and the halves inherit the window cut at the found start.
    ``s2[b]`` is the same for every ``a`` and is added after the minimum.
    """
    base = prev - s2  # the part of the cost that depends on a alone
    lo_b = np.array([b_lo], dtype=np.int64)
    hi_b = np.array([b_hi], dtype=np.int64)
    lo_a = np.array([a_min], dtype=np.int64)
    hi_a = np.array([b_hi - 1], dtype=np.int64)
    while lo_b.size:
        mid = (lo_b + hi_b) // 2
        first = lo_a
        # length >= 1: a_min <= lo_a <= lo_b - 1 <= mid - 1 holds for every task.
        length = np.minimum(hi_a, mid - 1) - first + 1
        width = int(length.max())
        if mid.size * width <= 2 * int(length.sum()) + 1024:
            # Windows of similar length: one padded 2-D block, no per-element bookkeeping.
            a2 = first[:, None] + np.arange(width)
            valid = a2 < (first + length)[:, None]
            np.minimum(a2, (first + length - 1)[:, None], out=a2)
            d1 = np.take(s1, mid)[:, None] - np.take(s1, a2)
            d1 *= d1
            d1 /= mid[:, None] - a2
            total = np.take(base, a2)
            total -= d1
            total[~valid] = np.inf
            seg_min = total.min(axis=1)
            # Exact ties (common with integer data) must not be decided by rounding noise:
            # keep the earliest start among candidates within ``tie`` of the minimum.
            opt = first + np.argmax(total <= (seg_min + tie)[:, None], axis=1)
        else:
            offsets = np.zeros(mid.size, dtype=np.int64)
            np.cumsum(length[:-1], out=offsets[1:])
            a = np.arange(int(length.sum()), dtype=np.int64)
            a += np.repeat(first - offsets, length)
            d1 = np.repeat(np.take(s1, mid), length)
            d1 -= np.take(s1, a)
            d1 *= d1
            d1 /= np.repeat(mid, length) - a
            total = np.take(base, a)
            total -= d1
            seg_min = np.minimum.reduceat(total, offsets)
            near = total <= np.repeat(seg_min + tie, length)
            opt = np.minimum.reduceat(np.where(near, a, np.iinfo(np.int64).max), offsets)
        out[mid] = seg_min + s2[mid]
        back[mid] = opt
        left = lo_b <= mid - 1
        right = mid + 1 <= hi_b
        lo_b = np.concatenate((lo_b[left], mid[right] + 1))
        hi_b = np.concatenate((mid[left] - 1, hi_b[right]))
        lo_a = np.concatenate((lo_a[left], opt[right]))
        hi_a = np.concatenate((opt[left], hi_a[right]))


_METHODS = {
    "quantiles": quantiles,
    "equal_interval": equal_interval,
    "fisher_jenks": fisher_jenks,
    "natural_breaks": fisher_jenks,
}


def classify(values: Any, method: str, k: int = 5) -> Classification:
    """Dispatch by method name (``quantiles``, ``equal_interval``, ``fisher_jenks`` /
    ``natural_breaks``, ``std_mean``); for manual breaks call :func:`manual_breaks`.

    Examples
    --------
    >>> classify([1, 2, 3, 4], "quantiles", k=2).breaks.tolist()
    [2.5, 4.0]
    >>> classify([1, 2], "jenks")
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.AnalysisError: unknown classification method 'jenks'; choose one of: equal_interval, fisher_jenks, natural_breaks, quantiles, std_mean
    """
    if method == "std_mean":
        return std_mean(values)
    func = _METHODS.get(method)
    if func is None:
        names = ", ".join(sorted([*_METHODS, "std_mean"]))
        raise AnalysisError(f"unknown classification method {method!r}; choose one of: {names}")
    return func(values, k)
