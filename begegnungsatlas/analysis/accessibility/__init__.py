"""Accessibility of supply points (places) from demand points (residents).

Proximity (:mod:`.proximity`: nearest place, count and coverage within a radius) and
floating catchment measures (:mod:`.fca`: 2SFCA, E2SFCA, FCA ratio, gravity) on sparse
demand-to-supply costs (:mod:`.costs`), Euclidean or from a walking network.
"""

from .costs import CostPairs, euclidean_costs
from .decay import GaussianDecay, GravityDecay, StepDecay, default_step_decay
from .fca import (
    enhanced_two_step_fca,
    fca_ratio,
    gravity,
    normalize_access,
    two_step_fca,
    weighted_catchment,
)
from .proximity import CoverageResult, NearestResult, count_within, coverage, nearest

__all__ = [
    "CostPairs",
    "CoverageResult",
    "GaussianDecay",
    "GravityDecay",
    "NearestResult",
    "StepDecay",
    "count_within",
    "coverage",
    "default_step_decay",
    "enhanced_two_step_fca",
    "euclidean_costs",
    "fca_ratio",
    "gravity",
    "nearest",
    "normalize_access",
    "two_step_fca",
    "weighted_catchment",
]
