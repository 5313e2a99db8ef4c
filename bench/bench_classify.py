"""Benchmark: Fisher-Jenks natural breaks, ours (divide and conquer, O(k n log n)) vs mapclassify.

Same generated values (lognormal, seed 42) for both sides in one run; wall-clock medians.
mapclassify's ``FisherJenks`` is O(k n^2) (pure Python without numba, as installed here),
so it runs only on the smaller sizes; the ratio and whether both found the same within-class
sum of squares (GVF) are printed for each size both sides ran.

    .venv/bin/python bench/bench_classify.py             # n = 1,000 / 3,000 (both) and 10,000 / 100,000 (ours)
    .venv/bin/python bench/bench_classify.py --quick     # n = 1,000 and 100,000, one repeat
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from begegnungsatlas.analysis.classify import fisher_jenks  # noqa: E402


def within_ssd(y: np.ndarray, breaks: np.ndarray) -> float:
    classes = np.searchsorted(breaks, y, side="left")
    return float(sum(((y[classes == c] - y[classes == c].mean()) ** 2).sum() for c in np.unique(classes)))


def timed(func, reps: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--k", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    both = [1_000] if args.quick else [1_000, 3_000]
    ours_only = [100_000] if args.quick else [10_000, 100_000]
    reps = 1 if args.quick else args.repeat
    print("| n | k | ours (s) | mapclassify (s) | ratio | GVF ours | GVF mapclassify |")
    print("|---|---|---|---|---|---|---|")
    for n in both + ours_only:
        y = np.random.default_rng(42).lognormal(1.0, 1.0, n)
        total = float(((y - y.mean()) ** 2).sum())
        t_ours, ours = timed(lambda y=y: fisher_jenks(y, args.k), reps)
        gvf_ours = 1 - within_ssd(y, ours.breaks) / total  # type: ignore[attr-defined]
        if n in both:
            import mapclassify

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Numba not installed"
                t_peer, peer = timed(lambda y=y: mapclassify.FisherJenks(y, k=args.k), 1)
            gvf_peer = 1 - within_ssd(y, np.asarray(peer.bins)) / total  # type: ignore[attr-defined]
            print(f"| {n:,} | {args.k} | {t_ours:.3f} | {t_peer:.2f} | {t_peer / t_ours:.0f}× "
                  f"| {gvf_ours:.9f} | {gvf_peer:.9f} |")
        else:
            print(f"| {n:,} | {args.k} | {t_ours:.3f} | – | – | {gvf_ours:.9f} | – |")


if __name__ == "__main__":
    main()
