"""Location models against spopt 0.7 (PuLP + CBC) on shared inputs.

spopt is a hard requirement here: a missing peer makes these tests fail, never skip.
spopt counts predefined facilities inside ``p``; ours do not, so spopt gets
``p + len(fixed)`` and its LSCP objective includes the fixed sites.
"""

from __future__ import annotations

from pathlib import Path

import geopandas
import libpysal.examples
import numpy as np
import pulp
import pytest
from scipy.spatial.distance import cdist
from spopt.locate import LSCP, MCLP, PMedian

from begegnungsatlas.analysis.location import lscp, mclp, mclp_from_xy, p_median, p_median_from_xy

pytestmark = [pytest.mark.peers, pytest.mark.filterwarnings("ignore::DeprecationWarning:pulp.*")]

CBC = pulp.PULP_CBC_CMD(msg=False)
SNOW = Path(libpysal.examples.__file__).parent / "snow_maps"


def _spopt_value(model: MCLP | LSCP | PMedian) -> float:
    return float(pulp.value(model.problem.objective))


def _dummies(m: int, fixed: list[int]) -> np.ndarray:
    arr = np.zeros(m, dtype=int)
    arr[fixed] = 1
    return arr


def _random(seed: int, n: int = 120, m: int = 25) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 5000, (5, 2))
    demand = centres[rng.integers(0, 5, n)] + rng.normal(scale=500, size=(n, 2))
    sites = rng.uniform(0, 5000, (m, 2))
    return cdist(demand, sites), rng.integers(1, 40, n).astype(float)


@pytest.fixture(scope="module")
def snow() -> tuple[np.ndarray, np.ndarray]:
    """John Snow's 1854 cholera deaths (demand, weight = deaths) and 13 pumps, Web Mercator metres."""
    deaths = geopandas.read_file(SNOW / "SohoPeople.shp")
    pumps = geopandas.read_file(SNOW / "SohoWater.shp")
    demand = np.column_stack([deaths.geometry.x, deaths.geometry.y])
    sites = np.column_stack([pumps.geometry.x, pumps.geometry.y])
    return cdist(demand, sites), deaths["Count"].to_numpy(dtype=float)


@pytest.mark.parametrize(("seed", "p", "radius"), [(0, 3, 800.0), (1, 5, 600.0), (2, 2, 1200.0)])
def test_mclp_equals_spopt(seed: int, p: int, radius: float) -> None:
    cost, weights = _random(seed)
    ours = mclp(cost <= radius, p=p, weights=weights)
    peer = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p).solve(CBC)
    assert ours.optimal
    assert ours.objective == pytest.approx(_spopt_value(peer), abs=1e-6)


@pytest.mark.parametrize(("seed", "radius"), [(3, 1500.0), (4, 1800.0)])
def test_lscp_equals_spopt(seed: int, radius: float) -> None:
    cost, _ = _random(seed)
    coverable = (cost <= radius).any(axis=1)
    cost = cost[coverable]
    ours = lscp(cost <= radius)
    peer = LSCP.from_cost_matrix(cost, service_radius=radius).solve(CBC)
    assert ours.optimal
    assert ours.objective == _spopt_value(peer)


@pytest.mark.parametrize(("seed", "p"), [(5, 3), (6, 4)])
def test_p_median_equals_spopt(seed: int, p: int) -> None:
    cost, weights = _random(seed, n=80, m=20)
    ours = p_median(cost, p=p, weights=weights)
    peer = PMedian.from_cost_matrix(cost, weights, p_facilities=p).solve(CBC)
    assert ours.optimal
    assert ours.objective == pytest.approx(_spopt_value(peer), rel=1e-9)


def test_fixed_facilities_equal_spopt_predefined() -> None:
    cost, weights = _random(7)
    m, fixed, p = cost.shape[1], [2, 11], 3
    pre = _dummies(m, fixed)

    ours_mclp = mclp(cost <= 700.0, p=p, weights=weights, fixed=fixed)
    peer_mclp = MCLP.from_cost_matrix(
        cost, weights, service_radius=700.0, p_facilities=p + len(fixed), predefined_facilities_arr=pre
    ).solve(CBC)
    assert ours_mclp.objective == pytest.approx(_spopt_value(peer_mclp), abs=1e-6)
    assert set(fixed) <= set(np.flatnonzero([v.value() > 0.5 for v in peer_mclp.fac_vars]))

    ours_pm = p_median(cost, p=p, weights=weights, fixed=fixed)
    peer_pm = PMedian.from_cost_matrix(
        cost, weights, p_facilities=p + len(fixed), predefined_facilities_arr=pre
    ).solve(CBC)
    assert ours_pm.objective == pytest.approx(_spopt_value(peer_pm), rel=1e-9)

    coverable = (cost <= 1500.0).any(axis=1)
    ours_lscp = lscp(cost[coverable] <= 1500.0, fixed=fixed)
    peer_lscp = LSCP.from_cost_matrix(
        cost[coverable], service_radius=1500.0, predefined_facilities_arr=pre
    ).solve(CBC)
    assert ours_lscp.objective + len(fixed) == _spopt_value(peer_lscp)


@pytest.mark.parametrize("p", [2, 4])
def test_snow_map_mclp_and_p_median_equal_spopt(snow: tuple[np.ndarray, np.ndarray], p: int) -> None:
    cost, deaths = snow
    ours = mclp(cost <= 150.0, p=p, weights=deaths)
    peer = MCLP.from_cost_matrix(cost, deaths, service_radius=150.0, p_facilities=p).solve(CBC)
    assert ours.objective == pytest.approx(_spopt_value(peer), abs=1e-6)
    ours_pm = p_median(cost, p=p, weights=deaths)
    peer_pm = PMedian.from_cost_matrix(cost, deaths, p_facilities=p).solve(CBC)
    assert ours_pm.objective == pytest.approx(_spopt_value(peer_pm), rel=1e-9)


def test_snow_map_lscp_equals_spopt(snow: tuple[np.ndarray, np.ndarray]) -> None:
    cost, _ = snow
    coverable = (cost <= 250.0).any(axis=1)
    ours = lscp(cost <= 250.0, uncoverable="ignore")
    peer = LSCP.from_cost_matrix(cost[coverable], service_radius=250.0).solve(CBC)
    assert ours.stats["uncoverable"] == int((~coverable).sum())
    assert ours.objective == _spopt_value(peer)


def test_xy_api_on_snow_map_equals_spopt(snow: tuple[np.ndarray, np.ndarray]) -> None:
    deaths = geopandas.read_file(SNOW / "SohoPeople.shp")
    pumps = geopandas.read_file(SNOW / "SohoWater.shp")
    demand = np.column_stack([deaths.geometry.x, deaths.geometry.y])
    sites = np.column_stack([pumps.geometry.x, pumps.geometry.y])
    cost, weights = snow
    ours = mclp_from_xy(demand, sites, radius=120.0, p=3, weights=weights, fixed=[0])
    peer = MCLP.from_cost_matrix(
        cost, weights, service_radius=120.0, p_facilities=4, predefined_facilities_arr=_dummies(13, [0])
    ).solve(CBC)
    assert ours.objective == pytest.approx(_spopt_value(peer), abs=1e-6)
    ours_pm = p_median_from_xy(demand, sites, p=2, weights=weights, fixed=[0])
    peer_pm = PMedian.from_cost_matrix(
        cost, weights, p_facilities=3, predefined_facilities_arr=_dummies(13, [0])
    ).solve(CBC)
    assert ours_pm.objective == pytest.approx(_spopt_value(peer_pm), rel=1e-9)
