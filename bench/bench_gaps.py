"""Benchmark: the gap-analysis methods on a whole Kreis (1 km) and a synthetic 100 m grid, ours vs PySAL.

Data (same for both sides, one run):

* ``kreis-1km``: the bundled real Zensus 2011 1 km cells of the Düren box (persons 65+ per cell), with
  synthetic supply (80 places, uniform in the box, seed 7) — the supply is invented for timing only;
* ``synthetic-100m``: a generated 100 m grid of ~30,000 cells (173 × 173, lognormal counts, seed 11)
  and 300 places — benchmark only, never shown as data.

Methods, radius 1,000 m: nearest place (ours vs scipy ``cKDTree``), coverage share (ours vs cKDTree ball
query), 2SFCA and E2SFCA (ours from coordinates vs PySAL ``access`` given a ready cost table), MCLP p = 3
with the existing places fixed among 60 candidates (ours vs spopt + CBC, 1 km only unless ``--spopt-100m``).
Wall-clock medians over ``--repeat`` runs (peers: 1 run for spopt).

    .venv/bin/python bench/bench_gaps.py
    .venv/bin/python bench/bench_gaps.py --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from begegnungsatlas.analysis.accessibility import (  # noqa: E402
    coverage,
    enhanced_two_step_fca,
    nearest,
    two_step_fca,
)
from begegnungsatlas.analysis.location import coverage_from_xy, mclp  # noqa: E402

RADIUS = 1000.0


def kreis_1km() -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    path = ROOT / "begegnungsatlas" / "data" / "zensus2011_grid_1km" / "alter_5klassen_1km.csv"
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["region"] == "dueren"]
    x = np.array([float(r["x_3035"]) + 500 for r in rows])
    y = np.array([float(r["y_3035"]) + 500 for r in rows])
    mx, my = Transformer.from_crs("EPSG:3035", "EPSG:25832", always_xy=True).transform(x, y)
    return np.column_stack([mx, my]), np.array([float(r["ab65"]) for r in rows])


def synthetic_100m() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    side = np.arange(173) * 100.0 + 50
    gx, gy = np.meshgrid(side, side)
    xy = np.column_stack([gx.ravel() + 300_000, gy.ravel() + 5_600_000])
    return xy, np.round(rng.lognormal(1.5, 1.0, xy.shape[0]))


def supply_in(xy: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return rng.uniform(lo, hi, (n, 2))


def timed(func: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def access_peer(demand_xy: np.ndarray, pop: np.ndarray, supply_xy: np.ndarray, seats: np.ndarray,
                enhanced: bool) -> Callable[[], np.ndarray]:
    import pandas as pd
    from access import Access, weights
    from scipy.spatial import cKDTree

    found = cKDTree(supply_xy).sparse_distance_matrix(cKDTree(demand_xy), RADIUS, output_type="ndarray")
    cost_df = pd.DataFrame({"origin": found["j"], "dest": found["i"], "cost": found["v"]})
    demand_df = pd.DataFrame({"geoid": np.arange(len(pop)), "pop": pop})
    supply_df = pd.DataFrame({"geoid": np.arange(len(seats)), "seats": seats})
    fn = weights.step_fn({RADIUS / 3: 1.0, 2 * RADIUS / 3: 0.68, RADIUS: 0.22})

    def run() -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            acc = Access(demand_df=demand_df, demand_index="geoid", demand_value="pop", supply_df=supply_df,
                         supply_index="geoid", supply_value="seats", cost_df=cost_df, cost_origin="origin",
                         cost_dest="dest", cost_name="cost")
            if enhanced:
                res = acc.enhanced_two_stage_fca(name="e2", max_cost=RADIUS, weight_fn=fn)
            else:
                res = acc.two_stage_fca(name="t2", max_cost=RADIUS)
        return res.iloc[:, 0].sort_index().to_numpy(dtype=np.float64)

    return run


def spopt_mclp(demand_xy: np.ndarray, pop: np.ndarray, sites: np.ndarray, p: int, fixed: np.ndarray) -> float:
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    cost = cdist(demand_xy, sites)
    predefined = np.zeros(sites.shape[0], dtype=bool)
    predefined[fixed] = True
    model = MCLP.from_cost_matrix(cost, pop, RADIUS, p_facilities=p + fixed.size,
                                  predefined_facilities_arr=predefined)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    covered = np.zeros(demand_xy.shape[0], dtype=bool)
    for fac in model.fac2cli:
        if fac:
            covered[list(fac)] = True
    return float(pop[covered].sum())


def bench(name: str, demand_xy: np.ndarray, pop: np.ndarray, n_supply: int, reps: int, with_spopt: bool) -> None:
    supply_xy = supply_in(demand_xy, n_supply, 7)
    seats = np.ones(n_supply)
    candidates = supply_in(demand_xy, 60, 13)
    print(f"\n### {name}: {demand_xy.shape[0]:,} cells, {n_supply} places, radius {RADIUS:.0f} m\n")
    print("| method | ours (s) | peer | peer (s) | ratio | same result |")
    print("|---|---|---|---|---|---|")
    from scipy.spatial import cKDTree

    t, ours = timed(lambda: nearest(demand_xy, supply_xy).distance, reps)
    tp, peer = timed(lambda: cKDTree(supply_xy).query(demand_xy, k=1)[0], reps)
    print(f"| nearest | {t:.4f} | scipy cKDTree | {tp:.4f} | {tp / t:.2f}× | {np.allclose(ours, peer)} |")
    t, ours_cov = timed(lambda: coverage(demand_xy, supply_xy, RADIUS, weights=pop).share, reps)

    def peer_cov() -> float:
        hit = np.array([len(h) > 0 for h in cKDTree(supply_xy).query_ball_point(demand_xy, RADIUS)])
        return float(pop[hit].sum() / pop.sum())

    tp, peer_share = timed(peer_cov, reps)
    print(f"| coverage share | {t:.4f} | cKDTree ball query | {tp:.4f} | {tp / t:.2f}× "
          f"| {abs(ours_cov - peer_share) < 1e-12} |")
    for label, func, enhanced in (("2SFCA", two_step_fca, False), ("E2SFCA", enhanced_two_step_fca, True)):
        t, ours_v = timed(lambda func=func: func(demand_xy, pop, supply_xy, seats, RADIUS), reps)
        tp, peer_v = timed(access_peer(demand_xy, pop, supply_xy, seats, enhanced), reps)
        # access gives NaN where no place is in reach (ours: 0) and inf next to a place with no demand in
        # reach (ours: that place contributes nothing); compare where access is finite, count the rest.
        finite = np.isfinite(peer_v)
        same = np.allclose(peer_v[finite], ours_v[finite], rtol=1e-9, atol=1e-12)
        note = f" ({int((~finite).sum())} cells NaN/inf in access)" if (~finite).any() else ""
        print(f"| {label} | {t:.4f} | PySAL access | {tp:.4f} | {tp / t:.1f}× | {same}{note} |")
    sites = np.vstack([supply_xy, candidates])
    fixed = np.arange(n_supply)

    def ours_mclp() -> float:
        return mclp(coverage_from_xy(demand_xy, sites, radius=RADIUS), p=3, weights=pop, fixed=fixed).objective

    t, obj = timed(ours_mclp, reps)
    if with_spopt:
        tp, peer_obj = timed(lambda: spopt_mclp(demand_xy, pop, sites, 3, fixed), 1)
        print(f"| MCLP p=3, {n_supply} fixed + 60 candidates | {t:.4f} | spopt + CBC | {tp:.3f} | {tp / t:.0f}× "
              f"| {abs(obj - peer_obj) < 1e-6} |")
    else:
        print(f"| MCLP p=3, {n_supply} fixed + 60 candidates | {t:.4f} | – | – | – | – |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--spopt-100m", action="store_true")
    args = parser.parse_args()
    xy, pop = kreis_1km()
    bench("kreis-1km (real Zensus 2011 cells, synthetic places)", xy, pop, 80, args.repeat, True)
    xy, pop = synthetic_100m()
    bench("synthetic-100m (generated, benchmark only)", xy, pop, 300, args.repeat, args.spopt_100m)


if __name__ == "__main__":
    main()
