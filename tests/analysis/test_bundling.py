"""Proximity clusters and distinct offers within reach (analysis.bundling)."""

from __future__ import annotations

import numpy as np
import pytest

from begegnungsatlas.analysis.bundling import proximity_clusters, reach_counts
from begegnungsatlas.analysis.errors import AnalysisError
from begegnungsatlas.analysis.network import WalkingNetwork, network_cost_matrix


def test_clusters_chain_by_steps_not_by_diameter() -> None:
    xy = np.array([[0, 0], [700, 0], [1400, 0], [5000, 0], [5600, 100], [20000, 0]], dtype=float) + 300_000
    labels = proximity_clusters(xy, 800)
    assert labels.tolist() == [0, 0, 0, 1, 1, 2]


def test_reach_counts_distinct_keys_only() -> None:
    centres = np.array([[0, 0], [10_000, 0]], dtype=float) + 300_000
    items = np.array([[100, 0], [100, 0], [300, 0], [900, 0]], dtype=float) + 300_000
    # Two items share key 5 (the same offer listed twice); the item at 900 m is out of reach.
    assert reach_counts(centres, items, [5, 5, 6, 7], 500).tolist() == [2, 0]


def test_bad_input_is_refused() -> None:
    with pytest.raises(AnalysisError, match="radius"):
        proximity_clusters([[300_000, 5_600_000]], 0)
    with pytest.raises(AnalysisError, match="item_keys"):
        reach_counts([[300_000, 5_600_000]], [[300_000, 5_600_000]], [1, 2], 100)


# A river along y = 300 000 m + 150 m; the only bridge is 1 km east of two places that face each other across it.
_O = np.array([300_000.0, 5_600_000.0])
_RIVER = WalkingNetwork.from_edges(
    np.array([[0, 0], [500, 0], [1000, 0], [1000, 300], [500, 300], [0, 300]], dtype=float) + _O,
    [0, 1, 2, 3, 4], [1, 2, 3, 4, 5],
)
_BANKS = np.array([[0, 0], [0, 300]], dtype=float) + _O  # 300 m apart in a straight line, 2,300 m on foot


def test_river_splits_a_cluster_on_foot_but_not_in_a_straight_line() -> None:
    assert proximity_clusters(_BANKS, 500).tolist() == [0, 0]
    assert proximity_clusters(_BANKS, 500, network=_RIVER).tolist() == [0, 1]
    # Long enough for the walk over the bridge (1,000 + 300 + 1,000 m): one cluster again.
    assert proximity_clusters(_BANKS, 2300, network=_RIVER).tolist() == [0, 0]
    assert proximity_clusters(_BANKS, 2299, network=_RIVER).tolist() == [0, 1]


def test_walking_clusters_chain_by_walking_steps() -> None:
    # A third place at the bridge's southern end links nothing: 1,000 m from the south-west place, 300 m + 1,000 m
    # from the north-west one; at 1,300 m all three chain (south-west – bridge – north-west).
    xy = np.vstack([_BANKS, _O + [1000, 0]])
    assert proximity_clusters(xy, 999, network=_RIVER).tolist() == [0, 1, 2]
    assert proximity_clusters(xy, 1000, network=_RIVER).tolist() == [0, 1, 0]
    assert proximity_clusters(xy, 1300, network=_RIVER).tolist() == [0, 0, 0]


def test_walking_reach_counts_distinct_keys_within_the_walk() -> None:
    centres = np.vstack([_BANKS, _O + [1000, 150]])  # the last one on the bridge
    items = np.vstack([_BANKS, _BANKS, _O + [500, 300]])
    keys = [1, 2, 1, 3, 4]  # key 1 twice on the south bank
    # On foot within 500 m: from the south bank only key 1; from the north bank keys 2 and 3 and key 4 (500 m along
    # the bank); from the bridge (snapped 150 m to one of its ends) nothing. In a straight line both banks see every
    # key across the river.
    assert reach_counts(centres, items, keys, 500, network=_RIVER).tolist() == [1, 3, 0]
    assert reach_counts(centres, items, keys, 500).tolist() == [3, 4, 0]
    # Equal to counting the walking cost matrix by hand.
    cost = network_cost_matrix(_RIVER, centres, items, cutoff=1200)
    by_hand = [len({k for k, c in zip(keys, row, strict=True) if c <= 1200}) for row in cost]
    assert reach_counts(centres, items, keys, 1200, network=_RIVER).tolist() == by_hand


def test_points_outside_the_network_are_refused() -> None:
    far = np.vstack([_BANKS, _O + [5000, 0]])
    with pytest.raises(AnalysisError, match="outside the walking network"):
        proximity_clusters(far, 500, network=_RIVER)
    with pytest.raises(AnalysisError, match="centre_xy: 1 point"):
        reach_counts(far, _BANKS, [1, 2], 500, network=_RIVER)
    with pytest.raises(AnalysisError, match="item_xy"):
        reach_counts(_BANKS, far, [1, 2, 3], 500, network=_RIVER)
