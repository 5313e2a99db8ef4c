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
    """GeoJSON of ``geom`` with RFC 7946 ring orientation (exterior counter-clockwise, holes clockwise)."""
    geom = shapely.set_precision(geom, 10 ** -precision) if precision else geom
    return dict(mapping(shapely.orient_polygons(geom, exterior_cw=False)))


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


def _signed_area2(ring: Any) -> float:
    """Twice the signed (shoelace) area of a ring: positive when counter-clockwise."""
    import numpy as np

    xy = np.asarray(ring, dtype=float)
    if xy.ndim != 2 or len(xy) < 3:
        return 0.0
    x, y = xy[:, 0], xy[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + x[-1] * y[0] - x[0] * y[-1])


def _oriented_polygon(rings: list[Any]) -> list[Any]:
    out = []
    for i, ring in enumerate(rings):
        area = _signed_area2(ring)
        # RFC 7946 §3.1.6: exterior ring counter-clockwise, holes clockwise.
        wrong = area < 0 if i == 0 else area > 0
        out.append(list(reversed(ring)) if wrong else ring)
    return out


def rfc7946_orient(geojson: dict[str, Any] | None) -> dict[str, Any] | None:
    """The geometry with the ring orientation RFC 7946 asks for (a new dict; coordinates are not rounded).

    Works on the GeoJSON lists directly (one numpy shoelace per ring), so it is cheap enough for every response.

    >>> rfc7946_orient({"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]})["coordinates"][0]
    [[0, 0], [1, 1], [0, 1], [0, 0]]
    """
    if not geojson:
        return geojson
    kind = geojson.get("type")
    if kind == "Polygon":
        return {**geojson, "coordinates": _oriented_polygon(geojson["coordinates"])}
    if kind == "MultiPolygon":
        return {**geojson, "coordinates": [_oriented_polygon(p) for p in geojson["coordinates"]]}
    if kind == "GeometryCollection":
        return {**geojson, "geometries": [rfc7946_orient(g) for g in geojson.get("geometries", [])]}
    return geojson
