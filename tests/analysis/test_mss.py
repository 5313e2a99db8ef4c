"""MSS composite index: hand-computed z-scores, indices, classes and groups."""

from __future__ import annotations

import numpy as np
import pytest

from begegnungsatlas.analysis.errors import AnalysisError, EmptyInputError
from begegnungsatlas.analysis.mss import (
    StatusCutoffs,
    classify_dynamics,
    classify_status,
    composite_index,
    matrix_group,
    mss_index,
    population_mask,
    zscores,
)

# Six areas; area 5 has 120 inhabitants and must be left out.
POPULATION = [1000, 2000, 1500, 800, 3000, 120]
# Status indicators: unemployment %, transfer receipt % (both: higher is worse).
STATUS = [
    [4.0, 10.0],
    [6.0, 14.0],
    [8.0, 18.0],
    [10.0, 22.0],
    [12.0, 26.0],
    [50.0, 90.0],
]
# Dynamics: change in percentage points (higher is worse).
DYNAMICS = [[-1.0, -2.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 2.0], [9.0, 9.0]]


def test_population_mask_uses_at_least_threshold() -> None:
    assert population_mask(POPULATION).tolist() == [True, True, True, True, True, False]
    assert population_mask([299, 300], threshold=300).tolist() == [False, True]


def test_zscores_hand_computed_over_included_areas_only() -> None:
    included = population_mask(POPULATION)
    z = zscores(STATUS, included=included)
    # Column 0 over 4,6,8,10,12: mean 8, sample SD sqrt(10).
    sd = np.sqrt(10.0)
    assert z[:5, 0] == pytest.approx([-4 / sd, -2 / sd, 0.0, 2 / sd, 4 / sd])
    # Column 1 is column 0 doubled plus 2: the same z-scores.
    assert z[:5, 1] == pytest.approx(z[:5, 0])
    assert np.isnan(z[5]).all()


def test_population_weighted_zscores_differ_and_are_optional() -> None:
    z = zscores([1.0, 2.0, 3.0], weights=[1, 1, 2])
    # Weighted mean 2.25, weighted SD sqrt((1.5625 + 0.0625 + 2*0.5625)/4) = sqrt(0.6875).
    assert z.ravel() == pytest.approx((np.array([1.0, 2.0, 3.0]) - 2.25) / np.sqrt(0.6875))


def test_composite_index_signs_by_polarity() -> None:
    z = np.array([[1.0, 2.0], [-1.0, 0.0]])
    assert composite_index(z, [-1, -1]).tolist() == [-1.5, 0.5]
    assert composite_index(z, [1, -1]).tolist() == [-0.5, -0.5]


def test_status_classes_use_mss_cutoffs_in_index_sd() -> None:
    # Ten areas, index already standardised: mean 0, sample SD 1.
    index = np.array([1.2, 0.5, -0.5, -1.2, -1.6, 0.0, 0.0, 0.3, -0.3, 1.6])
    z = (index - index.mean()) / index.std(ddof=1)
    expected = [1 if v > 1 else 2 if v >= -1 else 3 if v >= -1.5 else 4 for v in z]
    assert classify_status(index).tolist() == expected
    assert sorted(set(expected)) == [1, 2, 3, 4]


def test_custom_status_cutoffs_and_validation() -> None:
    index = [2.0, 1.0, 0.0, -1.0, -2.0]  # SD = sqrt(2.5) ~ 1.58: z = 1.26, 0.63, 0, -0.63, -1.26
    assert classify_status(index, cutoffs=StatusCutoffs(0.5, -0.5, -1.0)).tolist() == [1, 1, 2, 3, 4]
    with pytest.raises(AnalysisError, match="very_low < low < high"):
        StatusCutoffs(high=1.0, low=-1.5, very_low=-1.0)


def test_dynamics_classes() -> None:
    assert classify_dynamics([3.0, 0.0, 0.0, 0.0, -3.0]).tolist() == [1, 2, 2, 2, 3]


def test_mss_index_end_to_end() -> None:
    r = mss_index(STATUS, DYNAMICS, POPULATION, status_polarity=[-1, -1], dynamics_polarity=[-1, -1])
    sd = np.sqrt(10.0)
    # Status index = -(mean of two equal z-scores): 4/sd, 2/sd, 0, -2/sd, -4/sd.
    assert r.status_index[:5] == pytest.approx([4 / sd, 2 / sd, 0.0, -2 / sd, -4 / sd])
    assert np.isnan(r.status_index[5])
    # In index SD units: +-1.26, +-0.63, 0 -> high, medium, medium, medium, low.
    assert r.status_class.tolist() == [1, 2, 2, 2, 3, 0]
    # Dynamics -1,0,0,0,1 (col 2 doubled): z = -1.58..; worsening (positive change) is negative.
    assert r.dynamics_class.tolist() == [1, 2, 2, 2, 3, 0]
    assert r.group.tolist() == ["1.1", "2.2", "2.2", "2.2", "3.3", ""]
    assert r.included.tolist() == [True] * 5 + [False]


def test_matrix_group_codes() -> None:
    assert matrix_group([4, 2], [3, 1]).tolist() == ["4.3", "2.1"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: zscores([[1.0], [np.nan], [3.0]]), AnalysisError, "value missing for included area 1"),
        (lambda: zscores([[5.0], [5.0], [5.0]]), AnalysisError, "same value in every included area"),
        (lambda: zscores([1.0, 2.0], included=[True, False]), EmptyInputError, "fewer than two areas"),
        (lambda: zscores(np.zeros((0, 2))), EmptyInputError, "non-empty table"),
        (lambda: composite_index([[1.0, 2.0]], [1]), AnalysisError, "one value of \\+1 or -1"),
        (lambda: population_mask([100, -5]), AnalysisError, "area 1 is missing or negative"),
        (
            lambda: mss_index(
                [[1.0], [2.0]], [[1.0]], [500, 500], status_polarity=[1], dynamics_polarity=[1]
            ),
            AnalysisError,
            "row counts differ",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call()
