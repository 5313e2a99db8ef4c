"""Contiguity-constrained Ward regions: the number asked, contiguity, the floor, errors."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from begegnungsatlas.analysis.errors import AnalysisError, InfeasibleError
from begegnungsatlas.analysis.regionalisation import (
    contiguity_from_polygons,
    regions_are_contiguous,
    ward_regions,
    within_region_ssd,
)


def _lattice(side: int, seed: int = 1) -> tuple[object, np.ndarray, np.ndarray]:
    cells = [box(c, r, c + 1, r + 1) for r in range(side) for c in range(side)]
    rng = np.random.default_rng(seed)
    r, c = np.divmod(np.arange(side * side), side)
    attrs = np.c_[np.sin(c / 4.0), np.cos(r / 3.0)] + 0.2 * rng.normal(size=(side * side, 2))
    return contiguity_from_polygons(cells), attrs, rng.uniform(50, 150, side * side)


def test_ward_gives_the_number_of_regions_asked_and_they_are_contiguous():
    adj, attrs, _pop = _lattice(12)
    result = ward_regions(attrs, adj, 9)
    assert result.n_regions == 9
    assert regions_are_contiguous(adj, result.labels)
    assert result.method == "ward"


def test_every_merge_raises_the_ssd_by_the_ward_distance_so_fewer_regions_never_lower_it():
    adj, attrs, _pop = _lattice(8)
    ssds = [ward_regions(attrs, adj, k).ssd for k in (40, 20, 10, 5, 2, 1)]
    assert ssds == sorted(ssds)
    assert ssds[-1] == pytest.approx(within_region_ssd((attrs - attrs.mean(0)) / attrs.std(0), np.zeros(64, int)))


def test_the_floor_merges_small_regions_until_each_reaches_it():
    adj, attrs, pop = _lattice(10)
    result = ward_regions(attrs, adj, 30, floor_variable=pop, floor=800)
    assert result.population is not None
    assert result.population.min() >= 800
    assert result.n_regions <= 30
    assert regions_are_contiguous(adj, result.labels)
    floor_only = ward_regions(attrs, adj, floor_variable=pop, floor=800)
    assert floor_only.population is not None
    assert floor_only.population.min() >= 800


def test_bad_inputs_are_refused():
    adj, attrs, pop = _lattice(4)
    with pytest.raises(AnalysisError, match="n_regions, a floor"):
        ward_regions(attrs, adj)
    with pytest.raises(AnalysisError, match="between 1 and 16"):
        ward_regions(attrs, adj, 17)
    with pytest.raises(InfeasibleError, match="cannot be reached"):
        ward_regions(attrs, adj, 2, floor_variable=pop, floor=1e9)
    islands = np.zeros((3, 3))
    with pytest.raises(InfeasibleError, match="connected parts"):
        ward_regions([[0.0], [1.0], [2.0]], islands, 2)
