"""Selection with spatial spread – framework-free (no Django import).

The call asks for winners spread over the district („Verteilung der Kommunen im Kreisgebiet“,
„Lage im Kreisgebiet“). The rule, shown to the office next to the pure ranking:

1. At most one grant per Kommune (switchable).
2. Greedy by adjusted score. The first winner is the best score. Every further candidate loses
   ``penalty × max(0, 1 − d / radius_km)`` points, where ``d`` is the distance (km, between Kommune
   centroids) to the nearest winner already chosen. A candidate in the same place as a winner loses the whole
   ``penalty``; one ``radius_km`` or more away loses nothing. The candidate with the highest adjusted score
   wins the next grant (ties: higher raw score, then the order given).
3. The price of the spread is the sum of the pure ranking's scores minus the sum of the chosen ones.

>>> cands = [Candidate("a", "K1", 4.5, 6.48, 50.80), Candidate("b", "K1", 4.4, 6.48, 50.80),
...          Candidate("c", "K2", 4.3, 6.49, 50.81), Candidate("d", "K3", 4.0, 6.36, 50.92)]
>>> r = select(cands, n=2, penalty=1.0, radius_km=20)
>>> [c.key for c in r.pure], [s.candidate.key for s in r.spread], round(r.cost, 2)
(['a', 'b'], ['a', 'd'], 0.4)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    group: Hashable  # the Kommune
    score: float
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class Step:
    candidate: Candidate
    adjusted: float
    penalty: float
    nearest_km: float | None


@dataclass
class Result:
    pure: list[Candidate]
    spread: list[Step]
    skipped_same_group: list[Candidate] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return sum(c.score for c in self.pure) - sum(s.candidate.score for s in self.spread)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine, mean earth radius 6371 km).

    >>> round(distance_km(6.48, 50.80, 6.36, 50.92), 1)
    15.8
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def select(candidates: Sequence[Candidate], *, n: int, penalty: float = 0.5, radius_km: float = 20.0,
           one_per_group: bool = True) -> Result:
    if n < 0 or penalty < 0 or radius_km <= 0:
        raise ValueError("n, penalty must be >= 0 and radius_km > 0")
    order = {c.key: i for i, c in enumerate(candidates)}
    ranked = sorted(candidates, key=lambda c: (-c.score, order[c.key]))
    pure = ranked[:n]
    chosen: list[Step] = []
    skipped: list[Candidate] = []
    pool = list(ranked)
    while pool and len(chosen) < n:
        best: Step | None = None
        for cand in pool:
            nearest = None
            for step in chosen:
                c = step.candidate
                if None not in (cand.lon, cand.lat, c.lon, c.lat):
                    d = distance_km(cand.lon, cand.lat, c.lon, c.lat)  # type: ignore[arg-type]
                    nearest = d if nearest is None else min(nearest, d)
            pen = 0.0 if nearest is None else penalty * max(0.0, 1.0 - nearest / radius_km)
            step = Step(cand, cand.score - pen, pen, nearest)
            if best is None or (step.adjusted, step.candidate.score) > (best.adjusted, best.candidate.score):
                best = step
        assert best is not None
        chosen.append(best)
        pool.remove(best.candidate)
        if one_per_group:
            same = [c for c in pool if c.group == best.candidate.group]
            skipped.extend(same)
            pool = [c for c in pool if c.group != best.candidate.group]
    return Result(pure=pure, spread=chosen, skipped_same_group=skipped)
