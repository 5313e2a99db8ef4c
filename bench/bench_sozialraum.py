"""Benchmark: a Sozialraum proposal end to end (contiguity, regionalisation, quality) vs spopt MaxPHeuristic.

The timed part is what ``sozialraum/services/propose.py`` does after reading the database: rook contiguity of
the unit polygons (``contiguity_from_polygons``, islands connected), the regionalisation, and the quality figures
(SSD, Polsby–Popper compactness of the dissolved Sozialräume). The app caches the contiguity per level
(``layout.base_units``), so the time without it is printed too: a planner's second and later proposals on the same
level cost only that. spopt's ``MaxPHeuristic`` gets the same
contiguity and z-scores; its time covers the regionalisation only. SSD is ours (``within_region_ssd``) for both.

Cases:

- Dortmund's 170 Unterbezirke (bundled GeoJSON; Kinderarmut and Altersarmut; floor variable = area in hectares,
  since the file has no population counts; floor 1,000 ha);
- a synthetic 100 × 100 grid of 1 km cells (10,000 units; population uniform 50..150; floor 1,000).

Every row reports wall time and CPU time (``time.process_time`` of this process) side by side: the machine is
shared, and CPU time is much less disturbed by other load than wall time. The load average is printed before
and after.

Usage::

    .venv/bin/python bench/bench_sozialraum.py                      # spopt on Dortmund only
    .venv/bin/python bench/bench_sozialraum.py --with-slow-peers    # + spopt on 10,000 cells (minutes)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dortmund() -> tuple[list[Any], np.ndarray, np.ndarray, float]:
    import pyproj
    import shapely

    from begegnungsatlas.data import DATA_DIR

    features = json.loads((DATA_DIR / "dortmund" / "unterbezirke_do_data2024.geojson").read_text("utf-8"))["features"]
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    to_utm = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    metric = list(shapely.transform(geoms, lambda xy: np.c_[to_utm.transform(xy[:, 0], xy[:, 1])]))
    attrs = np.array([[f["properties"]["children_under_15_SGB_II_pct"], f["properties"]["over_65_SGB_XII_pct"]]
                      for f in features], dtype=float)
    return metric, attrs, shapely.area(shapely.make_valid(np.asarray(metric))) / 1e4, 1000.0


def grid(side: int = 100, seed: int = 20261203) -> tuple[list[Any], np.ndarray, np.ndarray, float]:
    from shapely.geometry import box

    n = side * side
    cells = [box(c * 1000, r * 1000, (c + 1) * 1000, (r + 1) * 1000) for r in range(side) for c in range(side)]
    rng = np.random.default_rng(seed)
    r, c = np.divmod(np.arange(n), side)
    attrs = np.c_[np.sin(c / (side / 8)), np.cos(r / (side / 6))] + 0.3 * rng.normal(size=(n, 2))
    return cells, attrs, rng.uniform(50, 150, n), 1000.0


def proposal(geoms: list[Any], attrs: np.ndarray, pop: np.ndarray, floor: float, method: str,
             n_regions: int) -> dict[str, Any]:
    import shapely

    from begegnungsatlas.analysis.regionalisation import (
        contiguity_from_polygons,
        interactive_maxp_settings,
        max_p_regions,
        ward_regions,
        within_region_ssd,
    )

    started = time.perf_counter()
    cpu_started = time.process_time()
    adj = contiguity_from_polygons(geoms, kind="rook", islands="connect", tolerance=1.0)
    contiguity_seconds = time.perf_counter() - started
    contiguity_cpu = time.process_time() - cpu_started
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    if method == "max-p":
        result = max_p_regions(z, adj, pop, floor, standardise=False, seed=0,
                               **interactive_maxp_settings(len(geoms)))
    else:
        result = ward_regions(z, adj, n_regions, floor_variable=pop, floor=floor, standardise=False)
    arr = np.asarray(geoms, dtype=object)
    arr = shapely.make_valid(arr)
    parts = [shapely.union_all(arr[result.labels == k]) for k in range(result.n_regions)]
    compact = [4 * math.pi * p.area / p.length ** 2 for p in parts]
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "warm": seconds - contiguity_seconds, "warm_cpu": cpu - contiguity_cpu,
            "regions": result.n_regions, "ssd": within_region_ssd(z, result.labels),
            "min_pop": float(np.bincount(result.labels, weights=pop).min()), "compactness": float(np.mean(compact)),
            "adj": adj, "z": z}


def spopt_maxp(geoms: list[Any], adj: Any, z: np.ndarray, pop: np.ndarray, floor: float) -> dict[str, Any]:
    import geopandas as gpd
    import libpysal
    from spopt.region import MaxPHeuristic

    from begegnungsatlas.analysis.regionalisation import within_region_ssd

    gdf = gpd.GeoDataFrame({"a": z[:, 0], "b": z[:, 1], "pop": pop}, geometry=geoms)
    neighbours = {i: adj.indices[adj.indptr[i]:adj.indptr[i + 1]].tolist() for i in range(adj.shape[0])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.W(neighbours, silence_warnings=True)
        model = MaxPHeuristic(gdf, w, ["a", "b"], "pop", floor, top_n=2)
        np.random.seed(0)
        started = time.perf_counter()
        cpu_started = time.process_time()
        model.solve()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    labels = np.asarray(model.labels_)
    _u, labels = np.unique(labels, return_inverse=True)
    return {"seconds": seconds, "cpu": cpu, "regions": int(labels.max()) + 1, "ssd": within_region_ssd(z, labels),
            "min_pop": float(np.bincount(labels, weights=pop).min())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--with-slow-peers", action="store_true")
    args = parser.parse_args()
    print(f"command: {' '.join(sys.argv)}; load average before: {load()}", flush=True)
    rows = []
    for case, loader, peer in (("Dortmund 170 Unterbezirke", dortmund, True),
                               ("grid 10,000 cells", grid, args.with_slow_peers)):
        geoms, attrs, pop, floor = loader()
        for method in ("max-p", "ward"):
            runs = [proposal(geoms, attrs, pop, floor, method, n_regions=max(2, len(geoms) // 12))
                    for _ in range(args.repeats)]
            best = runs[0]
            median = statistics.median(r["seconds"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rows.append((case, f"ours {method}", median, cpu, best["regions"], best["ssd"], best["min_pop"],
                         best["compactness"]))
            print(f"{case}: ours {method} runs wall {[round(r['seconds'], 3) for r in runs]} "
                  f"cpu {[round(r['cpu'], 3) for r in runs]} (load {load()}); without contiguity (cached per "
                  f"level in the app): median wall {statistics.median(r['warm'] for r in runs):.3f} "
                  f"cpu {statistics.median(r['warm_cpu'] for r in runs):.3f}", flush=True)
        if peer:
            ours = next(r for r in rows if r[0] == case and r[1] == "ours max-p")
            p = spopt_maxp(geoms, runs[0]["adj"], runs[0]["z"], pop, floor)
            rows.append((case, "spopt MaxPHeuristic", p["seconds"], p["cpu"], p["regions"], p["ssd"], p["min_pop"],
                         None))
            print(f"{case}: spopt/ours time {p['seconds'] / ours[2]:.1f}x (CPU {p['cpu'] / ours[3]:.1f}x), "
                  f"ours SSD / spopt SSD {ours[5] / p['ssd']:.3f}", flush=True)
    print(f"load average after: {load()}")
    print("\n| case | tool | median s | median CPU s | regions | SSD | smallest (floor var.) | compactness |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for case, tool, s, cpu, regions, ssd, min_pop, comp in rows:
        print(f"| {case} | {tool} | {s:.3f} | {cpu:.3f} | {regions} | {ssd:.1f} | {min_pop:,.0f} | "
              f"{'–' if comp is None else f'{comp:.3f}'} |")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    main()
