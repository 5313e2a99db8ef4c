"""Dasymetric spreading of area counts onto points (``analysis.dasymetric``).

The polygons and counts here are SYNTHETIC (squares in metres, invented counts), chosen so the expected split can
be worked out by hand; the real Kreis Düren table is tested in ``tests/gaps/test_area_tables.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from begegnungsatlas.analysis.dasymetric import largest_remainder, lattice_points, spread_counts
from begegnungsatlas.analysis.errors import AnalysisError


def test_largest_remainder_adds_up_exactly_for_awkward_weights() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        w = rng.random(rng.integers(1, 50)) * rng.choice([1e-6, 1.0, 1e6])
        total = int(rng.integers(0, 100_000))
        parts = largest_remainder(total, w)
        assert int(parts.sum()) == total
        assert (parts >= 0).all()
        quota = total * w / w.sum()
        assert (np.abs(parts - quota) < 1.0 + 1e-9).all()  # every part within one of its quota


def test_largest_remainder_refuses_zero_weights() -> None:
    with pytest.raises(AnalysisError):
        largest_remainder(5, [0, 0])


def test_grid_areas_follow_the_weights_and_sum_exactly() -> None:
    a = shapely.box(0, 0, 3000, 1000)
    points = [[500, 500], [1500, 500], [2500, 500]]
    s = spread_counts([a], [[1000, 9]], spacing=1000, points=points, weights=[1, 1, 1])
    assert s.method == ["grid"]
    assert s.counts.sum(axis=0).tolist() == [1000, 9]
    assert s.counts[:, 0].tolist() == [334, 333, 333]
    assert s.counts[:, 1].tolist() == [3, 3, 3]
    assert s.source.tolist() == [0, 1, 2]


def test_zero_weight_cells_are_left_out_and_an_area_without_weight_is_sampled() -> None:
    a = shapely.box(0, 0, 2000, 2000)
    b = shapely.box(2000, 0, 4000, 2000)
    # b holds one grid cell, but with no population: b falls back to the lattice.
    points = [[500, 500], [1500, 1500], [3000, 1000]]
    s = spread_counts([a, b], [[10], [4]], spacing=1000, points=points, weights=[0, 5, 0])
    assert s.method == ["grid", "sample"]
    assert s.xy[s.area == 0].tolist() == [[1500.0, 1500.0]]
    assert s.counts[s.area == 0, 0].tolist() == [10]
    assert s.xy[s.area == 1].tolist() == [[2500.0, 500.0], [3500.0, 500.0], [2500.0, 1500.0], [3500.0, 1500.0]]
    assert s.counts[s.area == 1, 0].tolist() == [1, 1, 1, 1]
    assert (s.source[s.area == 1] == -1).all()


def test_point_area_overrides_containment() -> None:
    a = shapely.box(0, 0, 1000, 1000)
    b = shapely.box(1000, 0, 2000, 1000)
    s = spread_counts([a, b], [[6], [8]], spacing=500, points=[[500, 500], [1500, 500]], weights=[1, 1],
                      point_area=[1, 0])
    assert s.xy[s.area == 0].tolist() == [[1500.0, 500.0]]
    assert s.counts[:, 0].tolist() == [6, 8]


def test_a_polygon_too_small_for_the_lattice_gets_one_point_inside() -> None:
    tiny = shapely.box(10, 10, 60, 60)
    s = spread_counts([tiny], [[42]], spacing=1000)
    assert s.method == ["point"]
    assert tiny.contains(shapely.Point(*s.xy[0]))
    assert s.counts.tolist() == [[42]]


def test_lattice_points_lie_inside_an_l_shape() -> None:
    ell = shapely.Polygon([(0, 0), (2000, 0), (2000, 1000), (1000, 1000), (1000, 2000), (0, 2000)])
    pts = lattice_points(ell, 500)
    assert len(pts) == 12  # 16 lattice cells in the box, 4 in the cut-out quarter
    assert all(ell.contains(shapely.Point(x, y)) for x, y in pts)


@pytest.mark.parametrize("bad", [[[-1]], [[1.5]], [[float("nan")]]])
def test_bad_counts_are_refused(bad: list[list[float]]) -> None:
    with pytest.raises(AnalysisError):
        spread_counts([shapely.box(0, 0, 1000, 1000)], bad, spacing=100)


def test_many_areas_and_columns_sum_exactly() -> None:
    rng = np.random.default_rng(3)
    areas = [shapely.box(x * 1000, 0, x * 1000 + 1000, 1000) for x in range(20)]
    counts = rng.integers(0, 5000, size=(20, 3))
    pts = rng.random((300, 2)) * [20_000, 1000]
    s = spread_counts(areas, counts, spacing=250, points=pts, weights=rng.integers(0, 50, 300))
    for i in range(20):
        assert s.counts[s.area == i].sum(axis=0).tolist() == counts[i].tolist()
