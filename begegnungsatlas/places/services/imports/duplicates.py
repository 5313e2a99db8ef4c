"""Duplicate detection: similar normalised name and a distance below a threshold (default 50 m).

>>> normalise_name("AWO-Begegnungsstätte  Sölde e.V.")
'awo begegnungsstatte solde'
>>> similar_names("Seniorenbüro Brackel", "Seniorenbüro Dortmund Brackel")
True
>>> similar_names("Stadtteilbibliothek Huckarde", "Städtisches Begegnungszentrum Huckarde")
False
>>> similar_names("Seniorentreff 1", "Seniorentreff 2")
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from scipy.spatial import cKDTree

from .mapping import fold

DEFAULT_DISTANCE_M = 50.0
DEFAULT_SIMILARITY = 0.85
_NOISE = {"e", "v", "ev", "ggmbh", "gmbh", "der", "die", "das", "und"}


def normalise_name(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(name))
    return " ".join(w for w in words if w not in _NOISE)


def similar_names(a: str, b: str, *, threshold: float = DEFAULT_SIMILARITY) -> bool:
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if re.findall(r"\d+", na) != re.findall(r"\d+", nb):
        return False  # "Treff 1" and "Treff 2" are different places
    ta, tb = set(na.split()), set(nb.split())
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(small) >= 2 and small <= big:
        return True
    return SequenceMatcher(None, na, nb).ratio() >= threshold


@dataclass(frozen=True)
class Neighbour:
    index: int  # index into the reference list
    distance_m: float


def find_similar(
    query_xy: np.ndarray,
    query_names: list[str],
    ref_xy: np.ndarray,
    ref_names: list[str],
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    threshold: float = DEFAULT_SIMILARITY,
    same_set: bool = False,
) -> list[Neighbour | None]:
    """For each query point the nearest reference with a similar name within ``distance_m``.

    With ``same_set`` the query and reference are the same list and only earlier entries count (the later row
    is the duplicate of the earlier one).
    """
    out: list[Neighbour | None] = [None] * len(query_names)
    if len(ref_names) == 0 or len(query_names) == 0:
        return out
    tree = cKDTree(ref_xy)
    candidates = tree.query_ball_point(query_xy, r=distance_m)
    for i, cands in enumerate(candidates):
        best: Neighbour | None = None
        for j in cands:
            if same_set and j >= i:
                continue
            if not similar_names(query_names[i], ref_names[j], threshold=threshold):
                continue
            d = float(np.hypot(*(query_xy[i] - ref_xy[j])))
            if best is None or d < best.distance_m:
                best = Neighbour(index=j, distance_m=d)
        out[i] = best
    return out
