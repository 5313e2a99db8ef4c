"""Composite index in the manner of Berlin's Monitoring Soziale Stadtentwicklung (MSS).

The MSS method (Senatsverwaltung für Stadtentwicklung und Wohnen Berlin, MSS reports
2013-2023) works in these steps, each a function here:

1. :func:`population_mask` - areas with fewer inhabitants than a threshold (MSS: 300)
   are left out of the standardisation and get no class.
2. :func:`zscores` - every indicator is z-standardised over the included areas,
   unweighted (each area counts once, whatever its population; sample standard
   deviation). A population-weighted variant is offered but is *not* what MSS does.
3. :func:`composite_index` - the status index is the mean of the z-scores of the status
   indicators, the dynamics index the mean of the z-scores of their changes. Each
   indicator carries a polarity: ``+1`` if a higher value is better (e.g. employment
   rate), ``-1`` if worse (unemployment, transfer receipt, child poverty, the MSS
   indicators). After signing, a *higher index always means a better situation*.
4. :func:`classify_status` / :func:`classify_dynamics` - the index is expressed in standard
   deviations of the index over the included areas and cut into classes: status high
   (> +1), medium, low (< -1), very low (< -1.5); dynamics positive (> +1), stable,
   negative (< -1).
5. :func:`matrix_group` - status class × dynamics class gives one of 12 groups.

:func:`mss_index` runs all steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._checks import FloatArray, IntArray
from .errors import AnalysisError, EmptyInputError

__all__ = [
    "DYNAMICS_LABELS",
    "STATUS_LABELS",
    "DynamicsCutoffs",
    "MSSResult",
    "StatusCutoffs",
    "classify_dynamics",
    "classify_status",
    "composite_index",
    "matrix_group",
    "mss_index",
    "population_mask",
    "zscores",
]

BoolArray = npt.NDArray[np.bool_]

NOT_CLASSIFIED = 0
#: Status classes 1..4 (MSS: hoch, mittel, niedrig, sehr niedrig).
STATUS_LABELS = {1: "high", 2: "medium", 3: "low", 4: "very low"}
#: Dynamics classes 1..3 (MSS: positiv, stabil, negativ).
DYNAMICS_LABELS = {1: "positive", 2: "stable", 3: "negative"}
DEFAULT_POPULATION_THRESHOLD = 300.0


@dataclass(frozen=True)
class StatusCutoffs:
    """Cut-offs in standard deviations of the status index (MSS defaults).

    ``high`` < index: high; ``low`` <= index <= ``high``: medium;
    ``very_low`` <= index < ``low``: low; index < ``very_low``: very low.
    """

    high: float = 1.0
    low: float = -1.0
    very_low: float = -1.5

    def __post_init__(self) -> None:
        if not self.very_low < self.low < self.high:
            raise AnalysisError(
                "status cut-offs must satisfy very_low < low < high, got "
                f"very_low={self.very_low}, low={self.low}, high={self.high}"
            )


@dataclass(frozen=True)
class DynamicsCutoffs:
    """Cut-offs in standard deviations of the dynamics index (MSS default: ±1)."""

    positive: float = 1.0
    negative: float = -1.0

    def __post_init__(self) -> None:
        if not self.negative < self.positive:
            raise AnalysisError(
                "dynamics cut-offs must satisfy negative < positive, got "
                f"negative={self.negative}, positive={self.positive}"
            )


def population_mask(population: Any, threshold: float = DEFAULT_POPULATION_THRESHOLD) -> BoolArray:
    """Areas taking part in the standardisation: population at least ``threshold``.

    Examples
    --------
    >>> population_mask([120, 300, 4500]).tolist()
    [False, True, True]
    """
    pop = np.asarray(population, dtype=np.float64).ravel()
    if pop.size == 0:
        raise EmptyInputError("population: no areas given")
    if np.isnan(pop).any() or (pop < 0).any():
        bad = int(np.flatnonzero(np.isnan(pop) | (pop < 0))[0])
        raise AnalysisError(f"population: value for area {bad} is missing or negative")
    mask: BoolArray = pop >= threshold
    return mask


def _as_table(values: Any, name: str) -> FloatArray:
    table = np.asarray(values, dtype=np.float64)
    if table.ndim == 1:
        table = table[:, None]
    if table.ndim != 2 or table.shape[0] == 0 or table.shape[1] == 0:
        raise EmptyInputError(
            f"{name}: expected a non-empty table (areas × indicators), got shape {table.shape}"
        )
    return table


def _included(included: Any, n: int) -> BoolArray:
    mask = np.ones(n, dtype=bool) if included is None else np.asarray(included, dtype=bool).ravel()
    if mask.size != n:
        raise AnalysisError(f"included: expected {n} flags, got {mask.size}")
    if mask.sum() < 2:
        raise EmptyInputError("fewer than two areas are included; a standard deviation needs at least two")
    return mask


def zscores(
    values: Any,
    *,
    included: Any = None,
    weights: Any = None,
    ddof: int = 1,
    name: str = "indicators",
) -> FloatArray:
    """z-standardise each column over the included areas; excluded areas get NaN.

    Parameters
    ----------
    values : array_like, shape (n_areas,) or (n_areas, n_indicators)
    included : array_like of bool, optional
        Areas used for mean and standard deviation (default: all).
    weights : array_like, optional
        If given, weighted mean and weighted standard deviation (e.g. by population).
        MSS does not weight; leave it ``None`` to follow MSS.
    ddof : int
        Delta degrees of freedom of the unweighted standard deviation (1 = sample SD,
        as SPSS and MSS use).

    Examples
    --------
    >>> zscores([2.0, 4.0, 6.0, 100.0], included=[True, True, True, False]).ravel().tolist()
    [-1.0, 0.0, 1.0, nan]
    """
    table = _as_table(values, name)
    mask = _included(included, table.shape[0])
    sub = table[mask]
    if np.isnan(sub).any():
        area, col = (int(v) for v in np.argwhere(np.isnan(table) & mask[:, None])[0])
        raise AnalysisError(f"{name}: value missing for included area {area}, indicator {col}")
    if weights is None:
        mean = sub.mean(axis=0)
        sd = sub.std(axis=0, ddof=ddof)
    else:
        w = np.asarray(weights, dtype=np.float64).ravel()
        if w.size != table.shape[0] or not np.isfinite(w).all() or (w < 0).any():
            raise AnalysisError("weights: expected one finite, non-negative weight per area")
        wi = w[mask]
        if wi.sum() <= 0:
            raise AnalysisError("weights: the included areas have zero total weight")
        mean = np.average(sub, axis=0, weights=wi)
        sd = np.sqrt(np.average((sub - mean) ** 2, axis=0, weights=wi))
    if (sd == 0).any():
        col = int(np.flatnonzero(sd == 0)[0])
        raise AnalysisError(f"{name}: indicator {col} has the same value in every included area (SD is 0)")
    z = (table - mean) / sd
    z[~mask] = np.nan
    return np.asarray(z, dtype=np.float64)


def composite_index(z: Any, polarity: Any) -> FloatArray:
    """Mean of the z-scores after signing them by polarity (+1: higher is better, -1: worse).

    Examples
    --------
    >>> composite_index([[1.0, -0.5], [-1.0, 0.5]], polarity=[-1, 1]).tolist()
    [-0.75, 0.75]
    """
    table = _as_table(z, "z-scores")
    pol = np.asarray(polarity, dtype=np.float64).ravel()
    if pol.size != table.shape[1] or not np.isin(pol, (-1.0, 1.0)).all():
        raise AnalysisError(
            f"polarity: expected one value of +1 or -1 per indicator ({table.shape[1]}), got {pol.tolist()}"
        )
    return np.asarray((table * pol).mean(axis=1), dtype=np.float64)


def _index_in_sd(index: Any, included: Any) -> tuple[FloatArray, BoolArray]:
    """Index in standard deviations (z-score) over included, non-missing areas."""
    idx = np.asarray(index, dtype=np.float64).ravel()
    mask = _included(included, idx.size) & ~np.isnan(idx)
    return zscores(idx, included=mask, name="index").ravel(), mask


def classify_status(index: Any, *, included: Any = None, cutoffs: StatusCutoffs | None = None) -> IntArray:
    """Status class per area: 1 high, 2 medium, 3 low, 4 very low, 0 not classified.

    The index is first expressed in standard deviations over the included areas.

    Examples
    --------
    >>> classify_status([2.0, 0.1, -0.1, -1.2, -1.8, 0.0, 0.0, 0.0, 1.0, 0.0]).tolist()
    [1, 2, 2, 3, 4, 2, 2, 2, 2, 2]
    """
    cut = cutoffs or StatusCutoffs()
    z, mask = _index_in_sd(index, included)
    classes = np.full(z.size, NOT_CLASSIFIED, dtype=np.int64)
    zi = z[mask]
    classes[mask] = np.select([zi > cut.high, zi >= cut.low, zi >= cut.very_low], [1, 2, 3], default=4)
    return classes


def classify_dynamics(
    index: Any, *, included: Any = None, cutoffs: DynamicsCutoffs | None = None
) -> IntArray:
    """Dynamics class per area: 1 positive, 2 stable, 3 negative, 0 not classified.

    Examples
    --------
    >>> classify_dynamics([3.0, 0.0, 0.0, 0.0, -3.0]).tolist()
    [1, 2, 2, 2, 3]
    """
    cut = cutoffs or DynamicsCutoffs()
    z, mask = _index_in_sd(index, included)
    classes = np.full(z.size, NOT_CLASSIFIED, dtype=np.int64)
    zi = z[mask]
    classes[mask] = np.select([zi > cut.positive, zi >= cut.negative], [1, 2], default=3)
    return classes


def matrix_group(status_class: Any, dynamics_class: Any) -> npt.NDArray[np.str_]:
    """Status × dynamics group code ``"<status>.<dynamics>"`` (e.g. ``"4.3"``: very low, negative).

    Areas without a status or dynamics class get the empty string.

    Examples
    --------
    >>> matrix_group([1, 4, 0], [2, 3, 1]).tolist()
    ['1.2', '4.3', '']
    """
    s = np.asarray(status_class, dtype=np.int64).ravel()
    d = np.asarray(dynamics_class, dtype=np.int64).ravel()
    if s.size != d.size:
        raise AnalysisError(f"matrix_group: {s.size} status classes but {d.size} dynamics classes")
    codes = np.char.add(np.char.add(s.astype(str), "."), d.astype(str))
    return np.where((s > 0) & (d > 0), codes, "")


@dataclass(frozen=True)
class MSSResult:
    """All intermediate and final figures of :func:`mss_index` (one row per area)."""

    included: BoolArray
    status_z: FloatArray
    dynamics_z: FloatArray
    status_index: FloatArray
    dynamics_index: FloatArray
    status_class: IntArray
    dynamics_class: IntArray
    group: npt.NDArray[np.str_]


def mss_index(
    status_values: Any,
    dynamics_values: Any,
    population: Any,
    *,
    status_polarity: Any,
    dynamics_polarity: Any,
    population_threshold: float = DEFAULT_POPULATION_THRESHOLD,
    status_cutoffs: StatusCutoffs | None = None,
    dynamics_cutoffs: DynamicsCutoffs | None = None,
    weights: Any = None,
) -> MSSResult:
    """Run the MSS steps: mask, z-scores, indices, classes and matrix groups.

    Parameters
    ----------
    status_values : array_like (n_areas, n_status_indicators)
        Indicator values, e.g. unemployment share in %.
    dynamics_values : array_like (n_areas, n_dynamics_indicators)
        Changes of the indicators over the period, e.g. in percentage points.
    population : array_like (n_areas,)
    status_polarity, dynamics_polarity : sequence of +1/-1
        +1 where a higher value (or increase) is better, -1 where it is worse.

    Examples
    --------
    >>> r = mss_index([[5.0], [10.0], [15.0], [7.0]], [[-1.0], [0.0], [1.0], [0.0]],
    ...               [1000, 1000, 1000, 50], status_polarity=[-1], dynamics_polarity=[-1])
    >>> r.included.tolist(), r.status_class.tolist(), r.group.tolist()
    ([True, True, True, False], [2, 2, 2, 0], ['2.2', '2.2', '2.2', ''])
    """
    included = population_mask(population, population_threshold)
    status_table = _as_table(status_values, "status indicators")
    dyn_table = _as_table(dynamics_values, "dynamics indicators")
    if not status_table.shape[0] == dyn_table.shape[0] == included.size:
        raise AnalysisError(
            f"row counts differ: {status_table.shape[0]} status rows, {dyn_table.shape[0]} "
            f"dynamics rows, {included.size} population values"
        )
    status_z = zscores(status_table, included=included, weights=weights, name="status indicators")
    dyn_z = zscores(dyn_table, included=included, weights=weights, name="dynamics indicators")
    status_index = composite_index(status_z, status_polarity)
    dyn_index = composite_index(dyn_z, dynamics_polarity)
    status_class = classify_status(status_index, included=included, cutoffs=status_cutoffs)
    dyn_class = classify_dynamics(dyn_index, included=included, cutoffs=dynamics_cutoffs)
    return MSSResult(
        included=included,
        status_z=status_z,
        dynamics_z=dyn_z,
        status_index=status_index,
        dynamics_index=dyn_index,
        status_class=status_class,
        dynamics_class=dyn_class,
        group=matrix_group(status_class, dyn_class),
    )
