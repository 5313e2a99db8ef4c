"""Classification: hand-computed breaks, NaN, ties, reduced k, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from begegnungsatlas.analysis.classify import (
    classify,
    equal_interval,
    fisher_jenks,
    manual_breaks,
    quantiles,
    std_mean,
)
from begegnungsatlas.analysis.errors import AnalysisError, EmptyInputError

VALUES = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]


def test_quantiles_hand_computed() -> None:
    c = quantiles(VALUES, k=4)
    # Positions 0.25*9 = 2.25 -> 3.25, 4.5 -> 5.5, 6.75 -> 7.75, max 10.
    assert c.breaks.tolist() == [3.25, 5.5, 7.75, 10.0]
    assert c.classes.tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]
    assert c.counts.tolist() == [3, 2, 2, 3]


def test_equal_interval_hand_computed() -> None:
    c = equal_interval([0.0, 10.0, 20.0, 35.0, 40.0], k=4)
    assert c.breaks.tolist() == [10.0, 20.0, 30.0, 40.0]
    # A value equal to a bound belongs to the lower class (upper bounds are inclusive).
    assert c.classes.tolist() == [0, 0, 1, 3, 3]
    assert c.counts.tolist() == [2, 1, 0, 2]


def test_std_mean_hand_computed() -> None:
    # mean 5, sample SD sqrt(10) ~ 3.1623
    c = std_mean([1.0, 3.0, 5.0, 7.0, 9.0], multiples=(-1.0, 1.0))
    sd = np.sqrt(10.0)
    assert c.breaks == pytest.approx([5 - sd, 5 + sd, 9.0])
    assert c.classes.tolist() == [0, 1, 1, 1, 2]


def test_fisher_jenks_finds_the_obvious_groups() -> None:
    values = [10.0, 11.0, 12.0, 50.0, 52.0, 90.0, 91.0, 95.0]
    c = fisher_jenks(values, k=3)
    assert c.breaks.tolist() == [12.0, 52.0, 95.0]
    assert c.counts.tolist() == [3, 2, 3]


def test_fisher_jenks_is_optimal_against_brute_force() -> None:
    rng = np.random.default_rng(7)
    values = np.sort(rng.lognormal(1.0, 0.8, 14))

    def ssd(parts: list[np.ndarray]) -> float:
        return float(sum(((p - p.mean()) ** 2).sum() for p in parts))

    best = min(ssd([values[:i], values[i:j], values[j:]]) for i in range(1, 13) for j in range(i + 1, 14))
    c = fisher_jenks(values, k=3)
    parts = [values[c.classes[np.argsort(values)] == cls] for cls in range(3)]
    assert ssd(parts) == pytest.approx(best, rel=1e-12)


def test_nan_values_get_class_minus_one_and_do_not_move_breaks() -> None:
    with_nan = [np.nan, *VALUES, np.nan]
    for method in ("quantiles", "equal_interval", "fisher_jenks", "std_mean"):
        c = classify(with_nan, method, k=3)
        plain = classify(VALUES, method, k=3)
        assert c.breaks.tolist() == plain.breaks.tolist()
        assert c.classes[0] == -1
        assert c.classes[-1] == -1
        assert c.classes[1:-1].tolist() == plain.classes.tolist()
        assert c.counts.sum() == 10


def test_fewer_distinct_values_than_classes_reduce_k() -> None:
    values = [2.0, 2.0, 2.0, 5.0, 5.0]
    assert fisher_jenks(values, k=5).breaks.tolist() == [2.0, 5.0]
    assert equal_interval(values, k=5).k == 2
    # Quantiles 0.2..0.6 interpolate to 2, 2, 3.2 (position 2.4); 0.8, 1.0 give 5: three classes.
    assert quantiles(values, k=5).breaks == pytest.approx([2.0, 3.2, 5.0])
    single = std_mean([4.0, 4.0, 4.0])
    assert single.breaks.tolist() == [4.0]
    assert single.counts.tolist() == [3]


def test_ties_land_in_one_class() -> None:
    c = fisher_jenks([1, 1, 1, 1, 2, 8, 8, 9, 9, 9], k=2)
    assert c.breaks.tolist() == [2.0, 9.0]
    assert c.counts.tolist() == [5, 5]


def test_manual_breaks_append_the_maximum() -> None:
    c = manual_breaks([0.5, 1.0, 7.0, 30.0], [1.0, 10.0])
    assert c.breaks.tolist() == [1.0, 10.0, 30.0]
    assert c.classes.tolist() == [0, 0, 1, 2]


def _reference_jenks_cost(x: np.ndarray, k: int) -> float:
    """Least within-class sum of squares of sorted ``x`` in ``k`` classes, plain O(k n^2) DP."""
    n = x.size
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def ssd(a: int, b: int) -> float:
        return float(s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / (b - a))

    cost = [ssd(0, b) if b else 0.0 for b in range(n + 1)]
    for j in range(2, k + 1):
        cost = [min((cost[a] + ssd(a, b) for a in range(j - 1, b)), default=np.inf) for b in range(n + 1)]
    return cost[n]


@pytest.mark.parametrize("seed", range(12))
def test_fisher_jenks_divide_and_conquer_reaches_the_dp_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(30, 160)), int(rng.integers(2, 8))
    values = rng.poisson(5, n).astype(float) if seed % 2 else rng.lognormal(1.0, 1.0, n)
    x = np.sort(values)
    c = fisher_jenks(values, k=k)
    parts = [values[c.classes == cls] for cls in range(c.k)]
    ours = float(sum(((p - p.mean()) ** 2).sum() for p in parts))
    assert ours == pytest.approx(_reference_jenks_cost(x, c.k), rel=1e-9, abs=1e-9)


def test_fisher_jenks_breaks_are_monotone_for_many_values() -> None:
    # 20,000 values would take minutes with the old O(k n^2) programme; the class bounds
    # must still partition the sorted values into k non-empty, ordered classes.
    values = np.random.default_rng(3).lognormal(0.0, 1.0, 20_000)
    c = fisher_jenks(values, k=7)
    assert c.k == 7
    assert np.all(c.counts > 0)
    assert np.all(np.diff(c.breaks) > 0)
    assert c.breaks[-1] == values.max()


def test_fisher_jenks_handles_eleven_thousand_values_quickly() -> None:
    values = np.random.default_rng(1).normal(size=11_000)
    c = fisher_jenks(values, k=5)
    assert c.k == 5
    assert c.counts.sum() == 11_000
    assert np.all(np.diff(c.breaks) > 0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: quantiles([], k=3), EmptyInputError, "no values given"),
        (lambda: fisher_jenks([np.nan, np.nan], k=3), EmptyInputError, "all values are missing"),
        (lambda: equal_interval([1.0, np.inf], k=3), AnalysisError, "value 1 is infinite"),
        (lambda: quantiles([1, 2, 3], k=0), AnalysisError, "must be a positive integer"),
        (lambda: manual_breaks([1, 2], [2, 2]), AnalysisError, "strictly increasing"),
        (lambda: std_mean([1, 2], multiples=(1, -1)), AnalysisError, "strictly increasing"),
        (lambda: classify([1, 2], "jenks"), AnalysisError, "unknown classification method 'jenks'"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call()
