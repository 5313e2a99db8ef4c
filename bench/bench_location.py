"""Benchmark: location models (MCLP, LSCP, p-median) against spopt 0.7 + CBC.

Each side runs in its own child process so that peak RSS (ru_maxrss) is per side.
Ours is timed from coordinates to result (coverage built with a k-d tree, or the
distance matrix for p-median), repeated; spopt from the cost matrix (built outside
the timing) through ``from_cost_matrix`` and ``solve(PULP_CBC_CMD)``, once.

    .venv/bin/python bench/bench_location.py            # full size (spopt MCLP takes minutes)
    .venv/bin/python bench/bench_location.py --quick    # small sizes, seconds
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIDE_M = 20_000.0  # 20 km x 20 km, metric


def make_instance(n: int, m: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clustered demand (settlements of varied size) plus scattered demand, uniform candidates."""
    rng = np.random.default_rng(seed)
    k = 40
    centres = rng.uniform(1000, SIDE_M - 1000, (k, 2))
    spread = rng.uniform(200, 1500, k)
    n_clustered = int(0.8 * n)
    label = rng.integers(0, k, n_clustered)
    clustered = centres[label] + rng.normal(size=(n_clustered, 2)) * spread[label, None]
    scattered = rng.uniform(0, SIDE_M, (n - n_clustered, 2))
    demand = np.clip(np.vstack([clustered, scattered]), 0, SIDE_M)
    candidates = rng.uniform(0, SIDE_M, (m, 2))
    weights = rng.integers(1, 50, n).astype(float)
    return demand, candidates, weights


def worker(side: str, problem: str, n: int, m: int, p: int, radius: float, reps: int) -> dict[str, object]:
    from scipy.spatial.distance import cdist

    demand, candidates, weights = make_instance(n, m)
    times: list[float] = []
    extra: dict[str, object] = {}
    if side == "ours":
        from begegnungsatlas.analysis.location import lscp_from_xy, mclp_from_xy, p_median_from_xy

        for _ in range(reps):
            t0 = time.perf_counter()
            if problem == "mclp":
                res = mclp_from_xy(demand, candidates, radius=radius, p=p, weights=weights)
            elif problem == "lscp":
                res = lscp_from_xy(demand, candidates, radius=radius, uncoverable="ignore")
            else:
                res = p_median_from_xy(demand, candidates, p=p, weights=weights)
            times.append(time.perf_counter() - t0)
        objective = res.objective
        extra = {"optimal": res.optimal, "method": res.method, "reduced": res.stats}
    else:
        import pulp
        from spopt.locate import LSCP, MCLP, PMedian

        cost = cdist(demand, candidates)
        t0 = time.perf_counter()
        if problem == "mclp":
            model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p)
        elif problem == "lscp":
            cost = cost[(cost <= radius).any(axis=1)]
            model = LSCP.from_cost_matrix(cost, service_radius=radius)
        else:
            model = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
        build = time.perf_counter() - t0
        model.solve(pulp.PULP_CBC_CMD(msg=False))
        times.append(time.perf_counter() - t0)
        objective = float(pulp.value(model.problem.objective))
        extra = {"build_s": build}
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"times": times, "objective": objective, "rss_mib": rss_mib, **extra}


def run_side(side: str, problem: str, n: int, m: int, p: int, radius: float, reps: int) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        side,
        problem,
        str(n),
        str(m),
        str(p),
        str(radius),
        str(reps),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--worker", nargs=7, help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["mclp", "lscp", "p-median"], help="run one problem")
    args = parser.parse_args()
    if args.worker:
        side, problem, n, m, p, radius, reps = args.worker
        print(json.dumps(worker(side, problem, int(n), int(m), int(p), float(radius), int(reps))))
        return
    if args.quick:
        cases = [("mclp", 1000, 100, 5, 1000.0), ("lscp", 500, 60, 0, 2500.0), ("p-median", 150, 30, 4, 0.0)]
    else:
        cases = [
            ("mclp", 10_000, 500, 20, 1000.0),
            ("lscp", 2000, 200, 0, 2500.0),
            ("p-median", 400, 80, 6, 0.0),
        ]
    if args.only:
        cases = [c for c in cases if c[0] == args.only]
    print(
        "| problem | n demand x m candidates | p | r (m) | ours median s (reps) | ours RSS MiB | spopt+CBC s "
        "(build s) | spopt RSS MiB | speed-up | objective ours | objective spopt | equal |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for problem, n, m, p, radius in cases:
        ours = run_side("ours", problem, n, m, p, radius, 5)
        peer = run_side("spopt", problem, n, m, p, radius, 1)
        t_ours = statistics.median(ours["times"])  # type: ignore[arg-type]
        t_peer = peer["times"][0]  # type: ignore[index]
        o, s = float(ours["objective"]), float(peer["objective"])  # type: ignore[arg-type]
        equal = abs(o - s) <= 1e-6 * max(abs(s), 1.0)
        ok &= equal
        print(
            f"| {problem} | {n:,} x {m} | {p or '-'} | {radius or '-':} | {t_ours:.3f} (5) | {ours['rss_mib']:.0f} | "
            f"{t_peer:.1f} ({peer['build_s']:.1f}) | {peer['rss_mib']:.0f} | {t_peer / t_ours:.0f}x | {o:.6g} | {s:.6g} | "
            f"{'yes' if equal else 'NO'} |",
            flush=True,
        )
    print("objectives agree" if ok else "OBJECTIVES DIFFER")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
