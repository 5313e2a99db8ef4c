"""Proximity clusters and distinct offers within reach (analysis.bundling)."""

from __future__ import annotations

import numpy as np
import pytest

from begegnungsatlas.analysis.bundling import proximity_clusters, reach_counts
from begegnungsatlas.analysis.errors import AnalysisError


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
