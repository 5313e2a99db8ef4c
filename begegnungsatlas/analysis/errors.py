"""Exceptions raised by the analysis core.

Every error names the problem in plain words so that an adapter can show it to a
planner unchanged (the adapters translate the message class, not the text).
"""

from __future__ import annotations


class AnalysisError(ValueError):
    """Base class: the input cannot give a meaningful answer."""


class EmptyInputError(AnalysisError):
    """An input array has no rows where at least one is needed."""


class InvalidCoordinatesError(AnalysisError):
    """Coordinates are NaN/inf, or geographic where metres are needed."""


class InfeasibleError(AnalysisError):
    """The problem has no solution (e.g. a population floor no region can reach)."""


class CRSError(AnalysisError):
    """A coordinate reference system is missing, unknown or not metric."""
