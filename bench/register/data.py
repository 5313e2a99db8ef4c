"""Synthetic benchmark places: points sampled inside the real Gemeinde polygons, proportional to population.

Every place is named "Synthetischer Benchmark-Ort …" and flagged ``is_example``; the data exist only in the
benchmark database.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

GROUPS = ["kinder", "jugendliche", "familien", "senioren", "menschen-mit-behinderung", "neuzugewanderte", "alle"]


def sample_points(gemeinden: Path, n: int, seed: int = 2022) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``n`` points (lon, lat) and the ARS of the Gemeinde each lies in."""
    doc = json.loads(gemeinden.read_text(encoding="utf-8"))
    feats = [f for f in doc["features"] if (f["properties"].get("einwohner_zensus2022") or 0) > 0]
    pop = np.array([f["properties"]["einwohner_zensus2022"] for f in feats], dtype=float)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, pop / pop.sum())
    lons, lats, ars = [], [], []
    for feat, k in zip(feats, counts, strict=True):
        if k == 0:
            continue
        geom = shape(feat["geometry"])
        minx, miny, maxx, maxy = geom.bounds
        got_x: list[float] = []
        got_y: list[float] = []
        while len(got_x) < k:
            m = max(16, 4 * (k - len(got_x)))
            xs, ys = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)
            inside = shapely.contains_xy(geom, xs, ys)
            got_x.extend(xs[inside].tolist())
            got_y.extend(ys[inside].tolist())
        lons.extend(got_x[:k])
        lats.extend(got_y[:k])
        ars.extend([feat["properties"]["ARS"]] * k)
    return np.round(np.array(lons), 6), np.round(np.array(lats), 6), ars


def bboxes_with_about(lons: np.ndarray, lats: np.ndarray, *, target: int, count: int, seed: int = 7
                      ) -> list[tuple[float, float, float, float]]:
    """``count`` square-ish bboxes around random places, each holding ``target`` ± 10 % of the points."""
    rng = np.random.default_rng(seed)
    out: list[tuple[float, float, float, float]] = []
    order = np.argsort(lons)
    sx = lons[order]
    sy = lats[order]
    tries = 0
    while len(out) < count and tries < count * 20:
        tries += 1
        i = int(rng.integers(len(lons)))
        cx, cy = float(lons[i]), float(lats[i])
        lo, hi = 0.001, 2.0
        for _ in range(30):
            half = (lo + hi) / 2
            a, b = np.searchsorted(sx, cx - half * 1.6), np.searchsorted(sx, cx + half * 1.6, side="right")
            k = int(np.count_nonzero((sy[a:b] >= cy - half) & (sy[a:b] <= cy + half)))
            if abs(k - target) <= target * 0.1:
                out.append((round(cx - half * 1.6, 5), round(cy - half, 5), round(cx + half * 1.6, 5),
                            round(cy + half, 5)))
                break
            if k < target:
                lo = half
            else:
                hi = half
    return out
