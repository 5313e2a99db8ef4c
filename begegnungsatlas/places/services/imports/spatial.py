"""Coordinate helpers for the importer (areas are assigned by ``atlas.selectors.areas.area_ids_at``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer


def to_metric_xy(lons: Sequence[float], lats: Sequence[float]) -> np.ndarray:
    if len(lons) == 0:
        return np.zeros((0, 2))
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.column_stack([x, y])


def metric_to_lonlat(x: float, y: float, crs: str = METRIC_CRS) -> tuple[float, float]:
    lon, lat = transformer(crs, WEB_CRS).transform(x, y)
    return float(lon), float(lat)
