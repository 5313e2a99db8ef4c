"""Result type shared by the location models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .._checks import IntArray

Problem = Literal["mclp", "lscp", "p-median"]


@dataclass(frozen=True, eq=False)
class LocationResult:
    """Outcome of a location model.

    Attributes
    ----------
    problem : {"mclp", "lscp", "p-median"}
        Which model was solved.
    selected : ndarray of int
        Sorted indices of the *new* sites chosen (fixed sites are not included).
    fixed : ndarray of int
        Sorted indices of the sites that were open beforehand.
    objective : float
        MCLP: covered demand weight (including weight covered by fixed sites);
        LSCP: number of new sites; p-median: total weighted cost to the nearest open
        site (fixed or new).
    bound : float
        A proven bound on the optimum: an upper bound for MCLP (maximisation), a lower
        bound for LSCP and p-median. Equal to ``objective`` when ``optimal``.
    optimal : bool
        True when ``objective`` is proven optimal.
    status : str
        Short human-readable solver status.
    method : str
        How the answer was obtained (e.g. ``"milp"``, ``"greedy+swap"``).
    seconds : float
        Wall-clock time of the solve, including the model reductions.
    assignment : ndarray of int
        Per demand point: the open site serving it (p-median: nearest open site;
        coverage models: lowest-index open site covering it), ``-1`` if none.
    """

    problem: Problem
    selected: IntArray
    fixed: IntArray
    objective: float
    bound: float
    optimal: bool
    status: str
    method: str
    seconds: float
    assignment: IntArray
    stats: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("selected", "fixed", "assignment"):
            getattr(self, name).setflags(write=False)

    @property
    def open_sites(self) -> IntArray:
        """All open sites, fixed and new, sorted."""
        return np.union1d(self.fixed, self.selected)

    @property
    def gap(self) -> float:
        """Relative distance between objective and bound (0 when optimal).

        >>> r = LocationResult("mclp", np.array([1]), np.array([], dtype=np.int64), 90.0, 100.0,
        ...                    False, "heuristic", "greedy+swap", 0.0, np.array([1]))
        >>> round(r.gap, 3)
        0.1
        """
        scale = max(abs(self.bound), abs(self.objective), 1e-12)
        return abs(self.bound - self.objective) / scale
