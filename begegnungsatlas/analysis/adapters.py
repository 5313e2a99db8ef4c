"""Thin adapters from common point formats to metric coordinate arrays.

* :func:`points_from_geojson` - a GeoJSON FeatureCollection of points. RFC 7946 GeoJSON is
  always WGS 84 lon/lat (EPSG:4326); a legacy ``crs`` member naming another CRS is
  honoured. Coordinates are reprojected with pyproj to ``target_crs`` (EPSG:25832).
* :func:`points_from_geodataframe` - a GeoDataFrame of points; its ``.crs`` must be set,
  and a geographic CRS is refused unless ``reproject=True``. geopandas is imported only
  by the caller (it is an optional dependency); this module never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from ._checks import FloatArray, as_xy
from .errors import AnalysisError, CRSError, EmptyInputError, InvalidCoordinatesError

__all__ = ["DEFAULT_CRS", "PointSet", "points_from_geodataframe", "points_from_geojson"]

DEFAULT_CRS = "EPSG:25832"
_GEOJSON_CRS = "EPSG:4326"


@dataclass(frozen=True)
class PointSet:
    """Point coordinates in ``crs`` (metres), optional weights and feature ids."""

    xy: FloatArray
    weights: FloatArray | None
    ids: npt.NDArray[np.object_]
    crs: str


def _crs(value: Any, what: str) -> CRS:
    try:
        return CRS.from_user_input(value)
    except PyprojCRSError as exc:
        raise CRSError(f"{what}: unknown CRS {value!r}") from exc


def _metric_target(target_crs: str) -> CRS:
    crs = _crs(target_crs, "target_crs")
    if not crs.is_projected:
        raise CRSError(f"target_crs {target_crs!r} is not a projected (metric) CRS")
    return crs


def _weights(values: list[Any], name: str) -> FloatArray:
    try:
        weights = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(f"property {name!r} is not numeric in every feature") from exc
    if not np.isfinite(weights).all():
        bad = int(np.flatnonzero(~np.isfinite(weights))[0])
        raise AnalysisError(f"property {name!r} is missing or not finite in feature {bad}")
    return weights


def points_from_geojson(
    collection: Mapping[str, Any],
    *,
    weight_property: str | None = None,
    id_property: str | None = None,
    target_crs: str = DEFAULT_CRS,
) -> PointSet:
    """Point coordinates (metres), weights and ids from a GeoJSON FeatureCollection.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "id": "a", "properties": {"pop": 120},
    ...      "geometry": {"type": "Point", "coordinates": [7.4653, 51.5136]}}]}
    >>> p = points_from_geojson(fc, weight_property="pop")
    >>> p.xy.round(0).tolist(), p.weights.tolist(), p.ids.tolist()
    ([[393507.0, 5708058.0]], [120.0], ['a'])
    """
    if collection.get("type") != "FeatureCollection":
        raise AnalysisError("GeoJSON: expected a FeatureCollection")
    features = collection.get("features") or []
    if not features:
        raise EmptyInputError("GeoJSON: the FeatureCollection has no features")
    coords: list[Any] = []
    weights: list[Any] = []
    ids: list[Any] = []
    for pos, feature in enumerate(features):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            raise InvalidCoordinatesError(
                f"GeoJSON: feature {pos} has geometry {geometry.get('type')!r}; only Point is supported"
            )
        coords.append(geometry.get("coordinates", [])[:2])
        props = feature.get("properties") or {}
        if weight_property is not None:
            weights.append(props.get(weight_property))
        ids.append(props.get(id_property) if id_property else feature.get("id", pos))
    xy = as_xy(coords, name="GeoJSON points")
    crs_member = collection.get("crs")
    source = _GEOJSON_CRS
    if isinstance(crs_member, Mapping):
        source = (crs_member.get("properties") or {}).get("name", _GEOJSON_CRS)
    source_crs = _crs(source, "GeoJSON")
    if source_crs.is_geographic and ((np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any()):
        raise InvalidCoordinatesError(
            "GeoJSON: coordinates are outside lon/lat range; GeoJSON must be EPSG:4326 (lon, lat)"
        )
    target = _metric_target(target_crs)
    transformer = Transformer.from_crs(source_crs, target, always_xy=True)
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    out = as_xy(np.column_stack([x, y]), name="reprojected points")
    return PointSet(
        xy=out,
        weights=_weights(weights, weight_property) if weight_property is not None else None,
        ids=np.asarray(ids, dtype=object),
        crs=target.to_string(),
    )


def points_from_geodataframe(
    frame: Any,
    *,
    weight_column: str | None = None,
    reproject: bool = False,
    target_crs: str = DEFAULT_CRS,
) -> PointSet:
    """Point coordinates (metres) and weights from a geopandas GeoDataFrame of points.

    A frame without CRS is refused; a geographic CRS (degrees) is refused unless
    ``reproject=True``, which reprojects to ``target_crs``. A projected frame is used
    as it is (its CRS is reported), unless ``reproject=True``.

    geopandas is never imported here; ``tests/analysis/test_accessibility.py`` shows
    the use with a real GeoDataFrame.
    """
    if len(frame) == 0:
        raise EmptyInputError("GeoDataFrame: no rows")
    if frame.crs is None:
        raise CRSError("GeoDataFrame: no CRS set; set it (e.g. gdf.set_crs(4326)) before the analysis")
    geometry = frame.geometry
    if geometry.isna().any() or (geometry.geom_type != "Point").any():
        bad = int(np.flatnonzero((geometry.isna() | (geometry.geom_type != "Point")).to_numpy())[0])
        raise InvalidCoordinatesError(
            f"GeoDataFrame: row {bad} is not a point; use .representative_point() for areas"
        )
    if reproject:
        target = _metric_target(target_crs)
        frame = frame.to_crs(target)
        crs = target
    else:
        crs = _crs(frame.crs, "GeoDataFrame")
        if not crs.is_projected:
            raise CRSError(
                f"GeoDataFrame: CRS {crs.to_string()} is geographic (degrees); pass reproject=True "
                f"or reproject it to a metric CRS such as {DEFAULT_CRS}"
            )
    xy = as_xy(np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()]), name="points")
    weights = None
    if weight_column is not None:
        if weight_column not in frame.columns:
            raise AnalysisError(f"GeoDataFrame: no column {weight_column!r}")
        weights = _weights(list(frame[weight_column]), weight_column)
    return PointSet(xy=xy, weights=weights, ids=np.asarray(frame.index, dtype=object), crs=crs.to_string())
