"""Benchmark: accessibility core against PySAL access, geopandas and raw scipy.

Every measurement runs in its own child process (same generated data, fixed seed), which
reports the median wall time over the repetitions and its peak RSS (``ru_maxrss``) as
well as its RSS right after generating the data ("base"), so data and library overhead
are visible. Values are compared across sides on the run.

(a) E2SFCA, step weights 1 / 0.68 / 0.22 at 1/3, 2/3, 1 of a 1 km catchment:
    ours (from coordinates, including the neighbour search) vs ``access.Access.
    enhanced_two_stage_fca`` (given a ready cost table of all pairs within 1 km built
    with cKDTree outside the timing - the peer's own Euclidean builder is a full cross
    join and cannot run at this size).
(b) Nearest place: ours vs raw ``scipy.spatial.cKDTree`` (build + query, workers=-1)
    vs ``geopandas.sjoin_nearest`` (GeoDataFrames built outside the timing).

Usage::

    python bench/bench_accessibility.py            # full size (1M x 5k, 3M x 100k)
    python bench/bench_accessibility.py --quick    # 50k x 500, 100k x 5k
    python bench/bench_accessibility.py --only e2sfca --national --repeat 3 --peer-repeat 1   # 3M x 100k, 600 x 600 km
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RADIUS = 1000.0
SEED = 42
OFFSET = np.array([380_000.0, 5_620_000.0])  # around Kreis Düren in EPSG:25832


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_e2sfca_data(n_demand: int, n_supply: int, side_km: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(SEED)
    demand_xy = OFFSET + rng.uniform(0, side_km * 1000, (n_demand, 2))
    supply_xy = OFFSET + rng.uniform(0, side_km * 1000, (n_supply, 2))
    pop = rng.integers(1, 200, n_demand).astype(np.float64)
    seats = rng.integers(1, 100, n_supply).astype(np.float64)
    return demand_xy, pop, supply_xy, seats


def make_nearest_data(n_demand: int, n_supply: int, side_km: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED + 1)
    return (
        OFFSET + rng.uniform(0, side_km * 1000, (n_demand, 2)),
        OFFSET + rng.uniform(0, side_km * 1000, (n_supply, 2)),
    )


def timed(func: Any, repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return times, result


def child_e2sfca(side: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    demand_xy, pop, supply_xy, seats = make_e2sfca_data(args.n_demand, args.n_supply, args.side_km)
    base = rss_mb()
    extra: dict[str, Any] = {}
    if side == "ours":
        from begegnungsatlas.analysis.accessibility import enhanced_two_step_fca

        times, values = timed(
            lambda: enhanced_two_step_fca(demand_xy, pop, supply_xy, seats, RADIUS), args.repeat
        )
    else:
        import pandas as pd
        from access import Access, weights
        from scipy.spatial import cKDTree

        start = time.perf_counter()
        found = cKDTree(supply_xy).sparse_distance_matrix(cKDTree(demand_xy), RADIUS, output_type="ndarray")
        cost_df = pd.DataFrame({"origin": found["j"], "dest": found["i"], "cost": found["v"]})
        extra["cost_table_s"] = time.perf_counter() - start
        extra["pairs"] = len(cost_df)
        demand_df = pd.DataFrame({"geoid": np.arange(len(pop)), "pop": pop})
        supply_df = pd.DataFrame({"geoid": np.arange(len(seats)), "seats": seats})
        fn = weights.step_fn({RADIUS / 3: 1.0, 2 * RADIUS / 3: 0.68, RADIUS: 0.22})

        def run() -> np.ndarray:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                acc = Access(
                    demand_df=demand_df, demand_index="geoid", demand_value="pop",
                    supply_df=supply_df, supply_index="geoid", supply_value="seats",
                    cost_df=cost_df, cost_origin="origin", cost_dest="dest", cost_name="cost",
                )  # fmt: skip
                res = acc.enhanced_two_stage_fca(name="e2", max_cost=RADIUS, weight_fn=fn)
            return res.iloc[:, 0].sort_index().to_numpy(dtype=np.float64)

        times, values = timed(run, args.repeat)
    np.save(out, values)
    return {"times": times, "base_mb": base, "peak_mb": rss_mb(), **extra}


def child_nearest(side: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    demand_xy, supply_xy = make_nearest_data(args.n_demand, args.n_supply, args.side_km)
    extra: dict[str, Any] = {}
    if side == "ours":
        from begegnungsatlas.analysis.accessibility import nearest

        base = rss_mb()
        times, res = timed(lambda: nearest(demand_xy, supply_xy).distance, args.repeat)
    elif side == "ckdtree":
        from scipy.spatial import cKDTree

        base = rss_mb()
        times, res = timed(lambda: cKDTree(supply_xy).query(demand_xy, k=1, workers=-1)[0], args.repeat)
    else:
        import geopandas as gpd

        start = time.perf_counter()
        left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(demand_xy[:, 0], demand_xy[:, 1]), crs=25832)
        right = gpd.GeoDataFrame(geometry=gpd.points_from_xy(supply_xy[:, 0], supply_xy[:, 1]), crs=25832)
        extra["build_gdf_s"] = time.perf_counter() - start
        base = rss_mb()

        def run() -> np.ndarray:
            joined = gpd.sjoin_nearest(left, right, distance_col="dist")
            # Equidistant ties give several rows for one point: keep one per point.
            return joined["dist"].groupby(level=0).min().sort_index().to_numpy()

        times, res = timed(run, args.repeat)
    np.save(out, res)
    return {"times": times, "base_mb": base, "peak_mb": rss_mb(), **extra}


def run_child(case: str, side: str, sizes: dict[str, Any], repeat: int, tmp: Path) -> dict[str, Any]:
    out = tmp / f"{case}_{side}.npy"
    cmd = [
        sys.executable, __file__, "--child", case, "--side", side, "--out", str(out),
        "--n-demand", str(sizes["n_demand"]), "--n-supply", str(sizes["n_supply"]),
        "--side-km", str(sizes["side_km"]), "--repeat", str(repeat),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{case}/{side} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["values"] = np.load(out)
    result["median_s"] = statistics.median(result["times"])
    return result


def row(label: str, res: dict[str, Any], ref: float | None) -> str:
    ratio = "" if ref is None else f"{res['median_s'] / ref:.2f}"
    times = ", ".join(f"{t:.2f}" for t in res["times"])
    return f"| {label} | {res['median_s']:.3f} | {times} | {res['base_mb']:.0f} | {res['peak_mb']:.0f} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions for our side and scipy")
    parser.add_argument("--peer-repeat", type=int, default=3, help="repetitions for access / geopandas")
    parser.add_argument("--only", choices=["e2sfca", "nearest"], help="run one case")
    parser.add_argument("--national", action="store_true",
                        help="E2SFCA at national size: 3,000,000 demand x 100,000 places in 600 x 600 km (Germany's area)")
    parser.add_argument("--child", choices=["e2sfca", "nearest"], help=argparse.SUPPRESS)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--n-demand", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n-supply", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--side-km", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        func = child_e2sfca if args.child == "e2sfca" else child_nearest
        print(json.dumps(func(args.side, args, args.out)))
        return

    e2_sizes = {"n_demand": 50_000, "n_supply": 500, "side_km": 12.0} if args.quick else {
        "n_demand": 1_000_000, "n_supply": 5_000, "side_km": 40.0}  # fmt: skip
    if args.national:
        e2_sizes = {"n_demand": 3_000_000, "n_supply": 100_000, "side_km": 600.0}
    nn_sizes = {"n_demand": 100_000, "n_supply": 5_000, "side_km": 40.0} if args.quick else {
        "n_demand": 3_000_000, "n_supply": 100_000, "side_km": 40.0}  # fmt: skip
    header = (
        "| side | median s | runs s | base RSS MB | peak RSS MB | time / ours |\n|---|---|---|---|---|---|"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.only in (None, "e2sfca"):
            ours = run_child("e2sfca", "ours", e2_sizes, args.repeat, tmp)
            peer = run_child("e2sfca", "access", e2_sizes, args.peer_repeat, tmp)
            theirs = peer["values"]
            unreached = np.isnan(theirs)
            diff = np.abs(ours["values"][~unreached] - theirs[~unreached])
            rel = diff / np.maximum(np.abs(theirs[~unreached]), 1e-300)
            print(f"\n### (a) E2SFCA {e2_sizes['n_demand']:,} demand x {e2_sizes['n_supply']:,} supply, "
                  f"{RADIUS:.0f} m, {e2_sizes['side_km']:.0f} x {e2_sizes['side_km']:.0f} km, "
                  f"{peer['pairs']:,} pairs\n")  # fmt: skip
            print(header)
            print(row("ours `enhanced_two_step_fca`", ours, ours["median_s"]))
            print(row("PySAL access `enhanced_two_stage_fca`", peer, ours["median_s"]))
            print(
                f"\naccess cost table (cKDTree pairs -> DataFrame, untimed above): {peer['cost_table_s']:.2f} s"
            )
            print(f"speed-up: {peer['median_s'] / ours['median_s']:.1f}x; values: max abs diff {diff.max():.3e}, "
                  f"max rel diff {rel.max():.3e}; {int(unreached.sum())} demand points without supply in reach "
                  f"(access NaN, ours {np.unique(ours['values'][unreached]).tolist()})")  # fmt: skip
        if args.only in (None, "nearest"):
            ours = run_child("nearest", "ours", nn_sizes, args.repeat, tmp)
            raw = run_child("nearest", "ckdtree", nn_sizes, args.repeat, tmp)
            geo = run_child("nearest", "geopandas", nn_sizes, args.peer_repeat, tmp)
            print(
                f"\n### (b) nearest place {nn_sizes['n_demand']:,} demand x {nn_sizes['n_supply']:,} places\n"
            )
            print(header)
            print(row("ours `nearest`", ours, ours["median_s"]))
            print(row("scipy `cKDTree` build + query", raw, ours["median_s"]))
            print(row("geopandas `sjoin_nearest`", geo, ours["median_s"]))
            print(f"\ngeopandas GeoDataFrame build (untimed above): {geo['build_gdf_s']:.2f} s")
            print(f"ours / cKDTree: {ours['median_s'] / raw['median_s']:.2f}; "
                  f"max |distance diff| vs cKDTree {np.abs(ours['values'] - raw['values']).max():.3e}, "
                  f"vs geopandas {np.abs(ours['values'] - geo['values']).max():.3e}")  # fmt: skip


if __name__ == "__main__":
    main()
