"""Input checks shared by the analysis modules (framework-free)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import EmptyInputError, InvalidCoordinatesError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Projected coordinates in metres for Germany (UTM 32N) are far outside the
# lon/lat box; values that all fit in [-180, 180] x [-90, 90] look geographic.
_GEOGRAPHIC_LIMIT_X = 180.0
_GEOGRAPHIC_LIMIT_Y = 90.0


def as_xy(points: Any, *, name: str, allow_empty: bool = False) -> FloatArray:
    """Return ``points`` as a float64 array of shape (n, 2), or raise.

    >>> as_xy([[0, 0], [1, 2]], name="demand").shape
    (2, 2)
    """
    arr = np.asarray(points, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InvalidCoordinatesError(f"{name}: expected an array of shape (n, 2), got {arr.shape}")
    if arr.shape[0] == 0 and not allow_empty:
        raise EmptyInputError(f"{name}: no points given")
    if not np.isfinite(arr).all():
        bad = int(np.flatnonzero(~np.isfinite(arr).all(axis=1))[0])
        raise InvalidCoordinatesError(f"{name}: coordinate {bad} is NaN or infinite")
    return arr


def require_metric(xy: FloatArray, *, name: str) -> None:
    """Refuse coordinates that look like degrees (lon/lat) for metric work.

    >>> require_metric(np.array([[7.0, 51.0], [7.1, 51.1]]), name="demand")
    Traceback (most recent call last):
    ...
    begegnungsatlas.analysis.errors.InvalidCoordinatesError: demand: coordinates look geographic (degrees); project them to a metric CRS such as EPSG:25832 first
    """
    if xy.size == 0:
        return
    if (np.abs(xy[:, 0]) <= _GEOGRAPHIC_LIMIT_X).all() and (np.abs(xy[:, 1]) <= _GEOGRAPHIC_LIMIT_Y).all():
        span = float(np.ptp(xy, axis=0).max())
        if span < 10.0:
            raise InvalidCoordinatesError(
                f"{name}: coordinates look geographic (degrees); project them to a metric CRS "
                "such as EPSG:25832 first"
            )
