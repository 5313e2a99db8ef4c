"""Geometry helpers shared by the apps: GeoJSON ↔ shapely, reprojection, bounding boxes.

Web geometry is EPSG:4326 (lon/lat); metric work is EPSG:25832 (ETRS89 / UTM 32N).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WEB_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"


@lru_cache(maxsize=8)
def transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    return shape(geojson)


def to_geojson(geom: BaseGeometry, *, precision: int = 6) -> dict[str, Any]:
    geom = shapely.set_precision(geom, 10 ** -precision) if precision else geom
    return dict(mapping(geom))


def to_metric(geom: BaseGeometry, src: str = WEB_CRS) -> BaseGeometry:
    t = transformer(src, METRIC_CRS)
    return shapely.transform(geom, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))


def to_web(geom: BaseGeometry, src: str = METRIC_CRS) -> BaseGeometry:
    t = transformer(src, WEB_CRS)
    return shapely.transform(geom, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))


def _stack(xy: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(xy)


def lonlat_to_metric(lon: float, lat: float) -> tuple[float, float]:
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(lon, lat)
    return float(x), float(y)


def area_km2(geom_web: BaseGeometry) -> float:
    return float(to_metric(geom_web).area / 1_000_000.0)
