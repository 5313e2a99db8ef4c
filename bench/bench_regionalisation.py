"""Benchmark: regionalisation (max-p, SKATER) against spopt and pygeoda.

Every measurement runs in a fresh child process (this script with ``--child``), which
builds the same seeded lattice, times only the regionalisation call, and reports its
peak resident set size (``ru_maxrss``), with wall time and CPU time (``time.process_time``,
less disturbed by other load on a shared machine). Our functions run ``--repeats`` times (median
reported); peers run ``--peer-repeats`` times (default 1: they are slow).

Data: a square lattice of unit cells (rook contiguity), population uniform 50..150 per
cell (so a floor of 1,000 is about 10 cells), three attributes = smooth spatial trends +
noise, z-scored once here and handed to every tool unchanged (pygeoda with
``scale_method="raw"``). SSD is always ours: ``within_region_ssd`` on those z-scores.

Usage::

    .venv/bin/python bench/bench_regionalisation.py            # full sizes
    .venv/bin/python bench/bench_regionalisation.py --quick    # small sizes, seconds
    .venv/bin/python bench/bench_regionalisation.py --with-slow-peers  # + spopt on 10,000 cells
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLOOR = 1000.0


def lattice_data(side: int, seed: int = 20261121) -> tuple[list[Any], Any, np.ndarray, np.ndarray]:
    from shapely.geometry import box

    from begegnungsatlas.analysis.regionalisation import contiguity_from_polygons

    n = side * side
    cells = [box(c, r, c + 1, r + 1) for r in range(side) for c in range(side)]
    rng = np.random.default_rng(seed)
    r, c = np.divmod(np.arange(n), side)
    attrs = np.c_[
        np.sin(c / (side / 8)),
        np.cos(r / (side / 6)),
        np.sin((r + c) / (side / 5)),
    ] + 0.3 * rng.normal(size=(n, 3))
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    pop = rng.uniform(50, 150, n)
    return cells, contiguity_from_polygons(cells, kind="rook"), z, pop


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    from begegnungsatlas.analysis.regionalisation import (
        max_p_regions,
        regions_are_contiguous,
        skater_regions,
        within_region_ssd,
    )

    cells, adj, z, pop = lattice_data(spec["side"])
    method, tool, k = spec["method"], spec["tool"], spec.get("k", 10)
    if tool == "ours":
        start, cpu_start = time.perf_counter(), time.process_time()
        if method == "maxp":
            res = max_p_regions(z, adj, pop, FLOOR, standardise=False, seed=0, time_limit=None)
        else:
            res = skater_regions(z, adj, k, standardise=False, time_limit=None)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        labels = res.labels
    elif tool == "spopt":
        import geopandas as gpd
        import libpysal
        from sklearn.metrics import pairwise as skm
        from spopt.region import MaxPHeuristic, Skater

        gdf = gpd.GeoDataFrame({"a": z[:, 0], "b": z[:, 1], "c": z[:, 2], "pop": pop}, geometry=cells)
        nb = {i: adj.indices[adj.indptr[i] : adj.indptr[i + 1]].tolist() for i in range(adj.shape[0])}
        w = libpysal.weights.W(nb, silence_warnings=True)
        np.random.seed(0)
        start, cpu_start = time.perf_counter(), time.process_time()
        if method == "maxp":
            model = MaxPHeuristic(gdf, w, ["a", "b", "c"], "pop", FLOOR, top_n=2)
        else:
            squared = {"dissimilarity": lambda a, b: skm.euclidean_distances(a, b, squared=True)}
            model = Skater(gdf, w, ["a", "b", "c"], n_clusters=k, floor=-np.inf, spanning_forest_kwds=squared)
        model.solve()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        labels = np.asarray(model.labels_)
    elif tool == "pygeoda":
        import geopandas as gpd
        import pygeoda

        gdf = gpd.GeoDataFrame({"a": z[:, 0], "b": z[:, 1], "c": z[:, 2], "pop": pop}, geometry=cells)
        w = pygeoda.rook_weights(pygeoda.open(gdf))
        start, cpu_start = time.perf_counter(), time.process_time()
        if method == "maxp":
            out = pygeoda.maxp_greedy(
                w, gdf[["a", "b", "c"]], bound_variable=gdf["pop"], min_bound=FLOOR,
                scale_method="raw", random_seed=0,
            )  # fmt: skip
        else:
            out = pygeoda.skater(k, w, gdf[["a", "b", "c"]], scale_method="raw", random_seed=0)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        labels = np.asarray(out["Clusters"])
    else:
        raise SystemExit(f"unknown tool {tool}")
    labels = np.unique(labels, return_inverse=True)[1]
    region_pop = np.bincount(labels, weights=pop)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "regions": int(labels.max()) + 1,
        "ssd": within_region_ssd(z, labels),
        "contiguous": bool(regions_are_contiguous(adj, labels)),
        "min_pop": float(region_pop.min()),
    }


def measure(spec: dict[str, Any], repeats: int, timeout: float) -> dict[str, Any]:
    runs = []
    for _ in range(repeats):
        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", json.dumps(spec)],
                capture_output=True, text=True, timeout=timeout, check=True,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    out = dict(runs[0])
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["cpu"] = statistics.median(r["cpu"] for r in runs)
    out["rss_mb"] = max(r["rss_mb"] for r in runs)
    out["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    out["all_cpu"] = [round(r["cpu"], 2) for r in runs]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small lattices (20x20, 30x30)")
    parser.add_argument("--with-slow-peers", action="store_true", help="also run spopt on 10,000 cells")
    parser.add_argument("--repeats", type=int, default=3, help="runs of our code per case (median)")
    parser.add_argument("--peer-repeats", type=int, default=1, help="runs of each peer per case")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per peer run before giving up")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(json.loads(args.child))))
        return

    small, large = (20, 30) if args.quick else (50, 100)
    cases = [
        ("max-p", "maxp", small, ["spopt", "pygeoda"]),
        ("max-p", "maxp", large, ["pygeoda"] + (["spopt"] if args.with_slow_peers else [])),
        ("SKATER k=10", "skater", large, ["pygeoda"] + (["spopt"] if args.with_slow_peers else [])),
    ]
    print(
        "| case | cells | tool | median s | median CPU s | peak RSS MB | regions | SSD | peer s / ours s | ours SSD / peer SSD |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, method, side, peers in cases:
        spec = {"method": method, "side": side, "k": 10}
        ours = measure({**spec, "tool": "ours"}, args.repeats, args.timeout)
        _row(label, side, "ours", ours, None)
        for peer in peers:
            res = measure({**spec, "tool": peer}, args.peer_repeats, args.timeout)
            _row(label, side, peer, res, ours)


def _row(label: str, side: int, tool: str, res: dict[str, Any], ours: dict[str, Any] | None) -> None:
    cells = f"{side * side:,}"
    if "timeout" in res:
        ratio = f"> {res['timeout'] / ours['seconds']:.0f}×" if ours else "–"
        print(f"| {label} | {cells} | {tool} | > {res['timeout']:.0f} (stopped) | – | – | – | – | {ratio} | – |")
        return
    flag = "" if res["contiguous"] else " (NOT contiguous)"
    floor_note = f", min pop {res['min_pop']:.0f}" if label.startswith("max-p") else ""
    speed = f"{res['seconds'] / ours['seconds']:.1f}×" if ours else "–"
    quality = f"{ours['ssd'] / res['ssd']:.3f}" if ours else "–"
    print(
        f"| {label} | {cells} | {tool}{flag} | {res['seconds']:.2f} | {res['cpu']:.2f} | {res['rss_mb']:.0f} | "
        f"{res['regions']}{floor_note} | {res['ssd']:.1f} | {speed} | {quality} |",
        flush=True,
    )
    if tool == "ours":
        print(f"<!-- ours runs: wall {res['all_seconds']}, CPU {res['all_cpu']}; load {os.getloadavg()} -->", flush=True)


if __name__ == "__main__":
    main()
