"""Distance-decay functions for floating catchments and gravity models.

Each is a small frozen dataclass that maps an array of costs (metres) to weights in a
single vectorised call. The formulas are those of PySAL ``access.weights`` (``step_fn``,
``gaussian``, ``gravity``) so results agree with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .._checks import FloatArray
from ..errors import AnalysisError

__all__ = ["Decay", "GaussianDecay", "GravityDecay", "StepDecay", "default_step_decay"]

#: Any vectorised map from costs to weights.
Decay = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True)
class StepDecay:
    """Piecewise-constant weights: ``weights[i]`` for costs in ``(thresholds[i-1], thresholds[i]]``.

    Costs above the last threshold get weight 0 (Luo & Qi 2009 use zones with weights
    1, 0.68, 0.22 derived from a Gaussian).

    Examples
    --------
    >>> StepDecay.from_mapping({500: 1.0, 1000: 0.68, 1500: 0.22})(np.array([0.0, 500, 501, 1500, 1600])).tolist()
    [1.0, 1.0, 0.68, 0.22, 0.0]
    """

    thresholds: tuple[float, ...]
    weights: tuple[float, ...]
    _t: FloatArray = field(init=False, repr=False, compare=False)
    _w: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        t = np.asarray(self.thresholds, dtype=np.float64)
        w = np.asarray(self.weights, dtype=np.float64)
        if t.size == 0 or t.size != w.size:
            raise AnalysisError("step decay: give as many weights as thresholds (at least one)")
        if not np.isfinite(t).all() or not np.all(np.diff(t) > 0):
            raise AnalysisError(f"step decay: thresholds must be finite and increasing, got {t.tolist()}")
        if not np.isfinite(w).all() or (w < 0).any():
            raise AnalysisError(f"step decay: weights must be finite and non-negative, got {w.tolist()}")
        object.__setattr__(self, "_t", t)
        object.__setattr__(self, "_w", np.append(w, 0.0))

    @classmethod
    def from_mapping(cls, steps: Mapping[float, float]) -> StepDecay:
        """Build from ``{threshold: weight}`` as in ``access.weights.step_fn``."""
        items = sorted(steps.items())
        return cls(tuple(float(k) for k, _ in items), tuple(float(v) for _, v in items))

    def __call__(self, cost: FloatArray) -> FloatArray:
        # side="left": a cost equal to a threshold belongs to that step (x <= k).
        out: FloatArray = self._w[np.searchsorted(self._t, cost, side="left")]
        return out


@dataclass(frozen=True)
class GaussianDecay:
    """``exp(-d² / (2 σ²))``, not normalised, so weight 1 at distance 0.

    >>> GaussianDecay(sigma=500)(np.array([0.0, 500.0])).round(4).tolist()
    [1.0, 0.6065]
    """

    sigma: float

    def __post_init__(self) -> None:
        if not np.isfinite(self.sigma) or self.sigma <= 0:
            raise AnalysisError(f"gaussian decay: sigma must be positive and finite, got {self.sigma!r}")

    def __call__(self, cost: FloatArray) -> FloatArray:
        out: FloatArray = np.exp(-cost * cost / (2 * self.sigma**2))
        return out


@dataclass(frozen=True)
class GravityDecay:
    """``(max(d, min_dist) / scale) ** alpha`` (alpha is usually negative, e.g. -1 or -2).

    ``min_dist`` avoids the infinite weight at distance 0.

    >>> GravityDecay(scale=100, alpha=-2, min_dist=10)(np.array([0.0, 100.0, 200.0])).round(9).tolist()
    [100.0, 1.0, 0.25]
    """

    scale: float
    alpha: float
    min_dist: float = 0.0

    def __post_init__(self) -> None:
        if not np.isfinite(self.scale) or self.scale <= 0:
            raise AnalysisError(f"gravity decay: scale must be positive and finite, got {self.scale!r}")
        if not np.isfinite(self.alpha) or not np.isfinite(self.min_dist) or self.min_dist < 0:
            raise AnalysisError("gravity decay: alpha must be finite and min_dist finite and >= 0")

    def __call__(self, cost: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore"):  # distance 0 with alpha < 0: inf, refused by the caller
            out: FloatArray = np.power(np.maximum(cost, self.min_dist) / self.scale, self.alpha)
        return out


def default_step_decay(radius: float) -> StepDecay:
    """Three equal zones up to ``radius`` with Luo & Qi's weights 1, 0.68, 0.22.

    (PySAL ``access`` uses the same weights at 10/20/30 minutes.)

    >>> default_step_decay(900)
    StepDecay(thresholds=(300.0, 600.0, 900.0), weights=(1.0, 0.68, 0.22))
    """
    return StepDecay((radius / 3, 2 * radius / 3, float(radius)), (1.0, 0.68, 0.22))
