"""2SFCA, E2SFCA, gravity and FCA ratio agree with PySAL ``access`` within 1e-9.

``access`` is given the full cost table (every demand-supply pair, distances from scipy's
cdist) and its own ``max_cost``; ours builds its sparse pairs itself. If ``access`` is
missing these tests fail.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from access import Access, weights
from scipy.spatial.distance import cdist

from begegnungsatlas.analysis.accessibility import (
    GaussianDecay,
    StepDecay,
    enhanced_two_step_fca,
    fca_ratio,
    gravity,
    two_step_fca,
)

pytestmark = pytest.mark.peers

RADIUS = 800.0
_rng = np.random.default_rng(11)
N_DEMAND, N_SUPPLY = 400, 60
OFFSET = np.array([390_000.0, 5_700_000.0])
DEMAND_XY = OFFSET + _rng.uniform(0, 6000, (N_DEMAND, 2))
SUPPLY_XY = OFFSET + _rng.uniform(0, 6000, (N_SUPPLY, 2))
POP = _rng.integers(1, 800, N_DEMAND).astype(np.float64)
SEATS = _rng.integers(1, 60, N_SUPPLY).astype(np.float64)


def _long(dist: np.ndarray) -> pd.DataFrame:
    origin, dest = np.meshgrid(np.arange(dist.shape[0]), np.arange(dist.shape[1]), indexing="ij")
    return pd.DataFrame({"origin": origin.ravel(), "dest": dest.ravel(), "cost": dist.ravel()})


@pytest.fixture(scope="module")
def peer() -> Access:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Access(
            demand_df=pd.DataFrame({"geoid": np.arange(N_DEMAND), "pop": POP}),
            demand_index="geoid",
            demand_value="pop",
            supply_df=pd.DataFrame({"geoid": np.arange(N_SUPPLY), "seats": SEATS}),
            supply_index="geoid",
            supply_value="seats",
            cost_df=_long(cdist(DEMAND_XY, SUPPLY_XY)),
            cost_origin="origin",
            cost_dest="dest",
            cost_name="cost",
            neighbor_cost_df=_long(cdist(DEMAND_XY, DEMAND_XY)),
            neighbor_cost_origin="origin",
            neighbor_cost_dest="dest",
            neighbor_cost_name="cost",
        )


def _values(frame: pd.DataFrame) -> np.ndarray:
    series = frame.iloc[:, 0].sort_index()
    assert series.index.tolist() == list(range(N_DEMAND))
    return series.to_numpy(dtype=np.float64)


def _assert_same(ours: np.ndarray, theirs: np.ndarray) -> None:
    # access leaves demand points without supply in reach as NaN; ours gives 0 there.
    unreached = np.isnan(theirs)
    assert 0 < unreached.sum() < N_DEMAND / 2
    assert (ours[unreached] == 0).all()
    np.testing.assert_allclose(ours[~unreached], theirs[~unreached], rtol=1e-9, atol=1e-12)


def test_two_step_fca_matches_access(peer: Access) -> None:
    theirs = _values(peer.two_stage_fca(name="t", max_cost=RADIUS))
    _assert_same(two_step_fca(DEMAND_XY, POP, SUPPLY_XY, SEATS, RADIUS), theirs)


def test_two_step_fca_normalised_matches_access(peer: Access) -> None:
    theirs = _values(peer.two_stage_fca(name="tn", max_cost=RADIUS, normalize=True))
    _assert_same(two_step_fca(DEMAND_XY, POP, SUPPLY_XY, SEATS, RADIUS, normalize=True), theirs)


def test_enhanced_two_step_fca_step_weights_match_access(peer: Access) -> None:
    steps = {300.0: 1.0, 600.0: 0.68, 800.0: 0.22}
    theirs = _values(peer.enhanced_two_stage_fca(name="e", max_cost=RADIUS, weight_fn=weights.step_fn(steps)))
    ours = enhanced_two_step_fca(
        DEMAND_XY, POP, SUPPLY_XY, SEATS, RADIUS, decay=StepDecay.from_mapping(steps)
    )
    _assert_same(ours, theirs)
    # Our default zones are the same three steps scaled to the radius.
    default = enhanced_two_step_fca(DEMAND_XY, POP, SUPPLY_XY, SEATS, 900.0)
    theirs_900 = _values(
        peer.enhanced_two_stage_fca(
            name="d", max_cost=900.0, weight_fn=weights.step_fn({300.0: 1, 600.0: 0.68, 900.0: 0.22})
        )
    )
    _assert_same(default, theirs_900)


def test_enhanced_two_step_fca_gaussian_matches_access(peer: Access) -> None:
    theirs = _values(
        peer.enhanced_two_stage_fca(name="g", max_cost=RADIUS, weight_fn=weights.gaussian(400.0))
    )
    ours = enhanced_two_step_fca(DEMAND_XY, POP, SUPPLY_XY, SEATS, RADIUS, decay=GaussianDecay(400.0))
    _assert_same(ours, theirs)


def test_gravity_matches_access_weighted_catchment(peer: Access) -> None:
    fn = weights.gravity(scale=100.0, alpha=-1.5, min_dist=25.0)
    theirs = _values(peer.weighted_catchment(name="w", max_cost=RADIUS, weight_fn=fn))
    ours = gravity(DEMAND_XY, SUPPLY_XY, SEATS, RADIUS, scale=100.0, alpha=-1.5, min_dist=25.0)
    _assert_same(ours, theirs)


def test_fca_ratio_matches_access(peer: Access) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _values(peer.fca_ratio(name="f", max_cost=RADIUS))
    ours = fca_ratio(DEMAND_XY, POP, SUPPLY_XY, SEATS, RADIUS)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    assert (ours == 0).any()
