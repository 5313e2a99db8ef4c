"""Accessibility: hand-computed nearest, coverage, 2SFCA, E2SFCA, gravity; bad input; adapters."""

from __future__ import annotations

import numpy as np
import pytest

from begegnungsatlas.analysis.accessibility import (
    CostPairs,
    GaussianDecay,
    StepDecay,
    count_within,
    coverage,
    enhanced_two_step_fca,
    euclidean_costs,
    fca_ratio,
    gravity,
    nearest,
    two_step_fca,
    weighted_catchment,
)
from begegnungsatlas.analysis.adapters import points_from_geodataframe, points_from_geojson
from begegnungsatlas.analysis.errors import (
    AnalysisError,
    CRSError,
    EmptyInputError,
    InvalidCoordinatesError,
)

# A small town in EPSG:25832 metres: three housing blocks and two places.
ORIGIN = np.array([390_000.0, 5_700_000.0])
DEMAND = ORIGIN + np.array([[0.0, 0.0], [600.0, 0.0], [3000.0, 0.0]])
POP = np.array([100.0, 300.0, 50.0])
SUPPLY = ORIGIN + np.array([[300.0, 0.0], [3000.0, 400.0]])
SEATS = np.array([20.0, 10.0])


def test_nearest_distance_and_index() -> None:
    r = nearest(DEMAND, SUPPLY)
    assert r.distance.tolist() == [300.0, 300.0, 400.0]
    assert r.index.tolist() == [0, 0, 1]


def test_nearest_with_max_distance_marks_unreached() -> None:
    r = nearest(DEMAND, SUPPLY, max_distance=350.0)
    assert r.index.tolist() == [0, 0, -1]
    assert np.isinf(r.distance[2])


def test_count_within_and_coverage_weighted() -> None:
    assert count_within(DEMAND, SUPPLY, 350.0).tolist() == [1, 1, 0]
    c = coverage(DEMAND, SUPPLY, 350.0, weights=POP)
    assert c.covered.tolist() == [True, True, False]
    assert c.share == pytest.approx(400 / 450)


def test_detour_factor_stretches_distance() -> None:
    assert count_within(DEMAND, SUPPLY, 350.0, detour_factor=1.2).tolist() == [0, 0, 0]
    assert nearest(DEMAND, SUPPLY, detour_factor=1.5).distance.tolist() == [450.0, 450.0, 600.0]


def test_radius_boundary_is_inclusive() -> None:
    assert count_within(DEMAND, SUPPLY, 300.0).tolist() == [1, 1, 0]


def test_two_step_fca_hand_computed() -> None:
    # Place 0 reaches blocks 0 and 1 (400 people): R0 = 20/400; place 1 reaches block 2: R1 = 10/50.
    a = two_step_fca(DEMAND, POP, SUPPLY, SEATS, 500.0)
    assert a == pytest.approx([0.05, 0.05, 0.2])
    # Nothing within 100 m: access 0 (PySAL access gives NaN there).
    assert two_step_fca(DEMAND, POP, SUPPLY, SEATS, 100.0).tolist() == [0.0, 0.0, 0.0]


def test_two_step_fca_normalised_has_demand_weighted_mean_one() -> None:
    a = two_step_fca(DEMAND, POP, SUPPLY, SEATS, 500.0, normalize=True)
    assert np.average(a, weights=POP) == pytest.approx(1.0)


def test_enhanced_two_step_fca_step_weights_hand_computed() -> None:
    zones = StepDecay((250.0, 500.0), (1.0, 0.5))
    # Distances to place 0: 300 and 300 (weight 0.5 each); place 1: 400 (0.5).
    # D0 = 0.5*100 + 0.5*300 = 200 -> R0 = 0.1, A = 0.05; D1 = 25 -> R1 = 0.4, A = 0.2.
    a = enhanced_two_step_fca(DEMAND, POP, SUPPLY, SEATS, 500.0, decay=zones)
    assert a == pytest.approx([0.05, 0.05, 0.2])


def test_enhanced_two_step_fca_gaussian() -> None:
    w = np.exp(-(300.0**2) / (2 * 400.0**2))
    a = enhanced_two_step_fca(DEMAND[:2], POP[:2], SUPPLY[:1], SEATS[:1], 500.0, decay=GaussianDecay(400.0))
    r0 = 20.0 / (100 * w + 300 * w)
    assert a == pytest.approx([r0 * w, r0 * w])


def test_default_e2sfca_decay_uses_three_zones() -> None:
    # Radius 900: zones at 300 (1.0), 600 (0.68), 900 (0.22); all distances are 300 or 400.
    a = enhanced_two_step_fca(DEMAND, POP, SUPPLY, SEATS, 900.0)
    # Block 2 is 400 m from place 1 (weight 0.68 twice): R1 = 10 / (50 * 0.68), A = R1 * 0.68.
    assert a[2] == pytest.approx(10.0 / (50.0 * 0.68) * 0.68)
    assert a[0] == pytest.approx(20.0 / 400.0)


def test_gravity_and_weighted_catchment() -> None:
    assert weighted_catchment(DEMAND, SUPPLY, SEATS, 500.0).tolist() == [20.0, 20.0, 10.0]
    g = gravity(DEMAND, SUPPLY, SEATS, 500.0, scale=100.0, alpha=-1.0)
    assert g == pytest.approx([20 / 3, 20 / 3, 10 / 4])


def test_fca_ratio_counts_own_demand() -> None:
    # Block 0 sees blocks 0 and 1 (600 m apart, radius 700) and place 0: 20 / 400.
    r = fca_ratio(DEMAND, POP, SUPPLY, SEATS, 700.0)
    assert r == pytest.approx([0.05, 0.05, 0.2])


def test_precomputed_costs_are_used_instead_of_euclidean() -> None:
    costs = CostPairs(
        origin=np.array([0, 1, 2]),
        dest=np.array([0, 0, 1]),
        cost=np.array([450.0, 900.0, 400.0]),
        n_origin=3,
        n_dest=2,
        cutoff=1000.0,
    )
    assert nearest(DEMAND, SUPPLY, costs=costs).distance.tolist() == [450.0, 900.0, 400.0]
    a = two_step_fca(DEMAND, POP, SUPPLY, SEATS, 500.0, costs=costs)
    assert a == pytest.approx([0.2, 0.0, 0.2])
    with pytest.raises(AnalysisError, match="exceeds the cutoff 1000.0"):
        two_step_fca(DEMAND, POP, SUPPLY, SEATS, 2000.0, costs=costs)
    with pytest.raises(AnalysisError, match="computed for 3 demand × 2 supply points"):
        two_step_fca(DEMAND[:2], POP[:2], SUPPLY, SEATS, 500.0, costs=costs)


def test_euclidean_costs_match_brute_force_on_random_points() -> None:
    rng = np.random.default_rng(5)
    d = ORIGIN + rng.uniform(0, 3000, (500, 2))
    s = ORIGIN + rng.uniform(0, 3000, (40, 2))
    pairs = euclidean_costs(d, s, 400.0)
    full = np.hypot(*(d[:, None, :] - s[None, :, :]).transpose(2, 0, 1))
    expected = set(zip(*np.nonzero(full <= 400.0), strict=True))
    assert set(zip(pairs.origin.tolist(), pairs.dest.tolist(), strict=True)) == expected
    assert pairs.cost == pytest.approx(full[pairs.origin, pairs.dest])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nearest(np.zeros((0, 2)), SUPPLY), EmptyInputError, "demand: no points given"),
        (lambda: two_step_fca(DEMAND, POP, np.zeros((0, 2)), [], 500), EmptyInputError, "supply: no points"),
        (
            lambda: coverage([[np.nan, 5_700_000.0]], SUPPLY, 500),
            InvalidCoordinatesError,
            "demand: coordinate 0 is NaN",
        ),
        (
            lambda: nearest([[7.46, 51.51], [7.47, 51.52]], SUPPLY),
            InvalidCoordinatesError,
            "demand: coordinates look geographic",
        ),
        (lambda: count_within(DEMAND, SUPPLY, 0), AnalysisError, "radius must be a positive"),
        (lambda: two_step_fca(DEMAND, POP, SUPPLY, SEATS, -5), AnalysisError, "radius must be a positive"),
        (
            lambda: two_step_fca(DEMAND, POP, SUPPLY, [5, -1], 500),
            AnalysisError,
            "capacity: value 1 is negative",
        ),
        (
            lambda: two_step_fca(DEMAND, [1, np.nan, 1], SUPPLY, SEATS, 500),
            AnalysisError,
            "demand: value 1 is NaN",
        ),
        (
            lambda: two_step_fca(DEMAND, POP, SUPPLY, [1, 2, 3], 500),
            AnalysisError,
            "capacity: expected 2 values",
        ),
        (lambda: nearest(DEMAND, SUPPLY, detour_factor=0.8), AnalysisError, "detour_factor must be"),
        (
            lambda: coverage(DEMAND, SUPPLY, 500, weights=[0, 0, 0]),
            AnalysisError,
            "total demand weight is zero",
        ),
        (lambda: GaussianDecay(0.0), AnalysisError, "sigma must be positive"),
        (
            lambda: StepDecay((500.0, 100.0), (1.0, 0.5)),
            AnalysisError,
            "thresholds must be finite and increasing",
        ),
        (
            lambda: gravity(DEMAND, DEMAND, POP, 500, scale=100, alpha=-1),
            AnalysisError,
            "infinite weight",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call()


FEATURES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Bibliothek", "seats": 40},
            "geometry": {"type": "Point", "coordinates": [7.4653, 51.5136]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Jugendtreff", "seats": 15},
            "geometry": {"type": "Point", "coordinates": [7.4700, 51.5140]},
        },
    ],
}


def test_geojson_adapter_reprojects_to_utm32() -> None:
    p = points_from_geojson(FEATURES, weight_property="seats", id_property="name")
    assert p.crs == "EPSG:25832"
    assert p.weights is not None
    assert p.weights.tolist() == [40.0, 15.0]
    assert p.ids.tolist() == ["Bibliothek", "Jugendtreff"]
    # 0.0047 degrees of longitude at 51.5 N are about 326 m.
    assert np.hypot(*(p.xy[1] - p.xy[0])) == pytest.approx(328.0, abs=3.0)
    assert nearest(p.xy, p.xy[:1]).distance[0] == 0.0


def test_geojson_adapter_honours_a_legacy_crs_member() -> None:
    fc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [390000.0, 5700000.0]},
            }
        ],
    }
    assert points_from_geojson(fc).xy.tolist() == [[390000.0, 5700000.0]]


@pytest.mark.parametrize(
    ("collection", "error", "message"),
    [
        ({"type": "Feature"}, AnalysisError, "expected a FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, EmptyInputError, "has no features"),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}],
            },
            InvalidCoordinatesError,
            "feature 0 has geometry 'Polygon'",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [390000.0, 5700000.0]}}
                ],
            },
            InvalidCoordinatesError,
            "outside lon/lat range",
        ),
    ],
)
def test_geojson_adapter_bad_input(collection, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        points_from_geojson(collection)


@pytest.mark.peers
def test_geodataframe_adapter_checks_crs() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    geographic = gpd.GeoDataFrame(
        {"seats": [40, 15]}, geometry=[Point(7.4653, 51.5136), Point(7.47, 51.514)], crs=4326
    )
    with pytest.raises(CRSError, match="EPSG:4326 is geographic"):
        points_from_geodataframe(geographic)
    p = points_from_geodataframe(geographic, weight_column="seats", reproject=True)
    assert p.xy == pytest.approx(points_from_geojson(FEATURES).xy)
    assert p.weights is not None
    assert p.weights.tolist() == [40.0, 15.0]
    projected = geographic.to_crs(25832)
    assert points_from_geodataframe(projected).xy == pytest.approx(p.xy)
    with pytest.raises(CRSError, match="no CRS set"):
        points_from_geodataframe(gpd.GeoDataFrame(geometry=[Point(1, 2)]))
    with pytest.raises(InvalidCoordinatesError, match="row 0 is not a point"):
        points_from_geodataframe(gpd.GeoDataFrame(geometry=[Point(1, 2).buffer(1)], crs=25832))
