"""Compact, cacheable map payloads.

Geometry and values are served separately: the geometry of a level changes only on a boundary import, so it is
built once per level, kept gzipped in memory and served with an ETag; values and classes are small.

Geometry encoding (``"enc": "delta5"``): coordinates quantised to 1e-5° (~1 m) and delta-encoded per ring, as
integers: ``[[x0, y0, dx1, dy1, ...], ...]`` per polygon, polygons per area. The client decodes it in a few lines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from threading import Lock
from typing import Any

from django.db.models import Max

from ..models import Area, AreaLevel, AreaMembership

SCALE = 100_000


@dataclass(frozen=True)
class Payload:
    body: bytes
    gz: bytes
    etag: str


_cache: dict[int, tuple[tuple[Any, ...], Payload]] = {}
_lock = Lock()


def _ring(coords: list[list[float]]) -> list[int]:
    out: list[int] = []
    px = py = 0
    for c in coords[:-1] if len(coords) > 3 and coords[0] == coords[-1] else coords:
        x, y = round(c[0] * SCALE), round(c[1] * SCALE)
        if out and x == px and y == py:
            continue
        out.append(x - px)
        out.append(y - py)
        px, py = x, y
    return out


def encode_geometry(geojson: dict[str, Any] | None) -> list[list[list[int]]]:
    if not geojson:
        return []
    t = geojson.get("type")
    if t == "Polygon":
        polys = [geojson["coordinates"]]
    elif t == "MultiPolygon":
        polys = geojson["coordinates"]
    elif t == "GeometryCollection":
        return [p for g in geojson.get("geometries", []) for p in encode_geometry(g)]
    else:
        return []
    return [[_ring(r) for r in poly] for poly in polys]


def _stamp(level: AreaLevel) -> tuple[Any, ...]:
    """Changes with any added, removed or closed area of the level and with any polygon rewritten in place, by
    whichever process: every running process rebuilds its payload on the next request after a re-import.
    Composite levels (Sozialräume) also change when a unit moves to another area."""
    members = (AreaMembership.objects.filter(area__level=level).aggregate(m=Max("id"))["m"]
               if level.composed_of_id else None)
    return (Area.objects.filter(level=level).geometry_stamp(), members)


def invalidate(level_id: int | None = None) -> None:
    with _lock:
        if level_id is None:
            _cache.clear()
        else:
            _cache.pop(level_id, None)


def geometry_payload(level: AreaLevel) -> Payload:
    """The compact geometry of all current areas of a level (built once, then served from memory)."""
    stamp = _stamp(level)
    hit = _cache.get(level.id)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    rows = (
        Area.objects.filter(level=level, valid_to__isnull=True)
        .order_by("id").values_list("id", "code", "name", "geometry_web", "geometry")
    )
    areas = [[i, c, n, encode_geometry(gw or g)] for i, c, n, gw, g in rows]
    bbox = Area.objects.filter(level=level, valid_to__isnull=True).exclude(min_lon=None).values_list("min_lon", "min_lat", "max_lon", "max_lat")
    bb = list(zip(*bbox, strict=False)) if bbox else []
    body = json.dumps(
        {"level": level.id, "enc": "delta5", "scale": SCALE,
         "bbox": [min(bb[0]), min(bb[1]), max(bb[2]), max(bb[3])] if bb and all(v is not None for v in bb[0]) else None,
         "areas": areas},
        separators=(",", ":"), ensure_ascii=False,
    ).encode()
    payload = Payload(body, gzip.compress(body, 6), hashlib.sha256(body).hexdigest()[:20])
    with _lock:
        _cache[level.id] = (stamp, payload)
    return payload
