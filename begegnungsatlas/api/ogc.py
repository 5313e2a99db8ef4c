"""OGC API – Features Part 1 (Core) documents: landing page, conformance, collections, items, one item.

Framework-light: functions take the absolute base URL and plain rows (from ``api.selectors``) and return
dicts; the router turns them into JSON or HTML.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) uses for strings
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from . import selectors

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# Not "oas30": django-ninja writes OpenAPI 3.1, and claiming the 3.0 class would be untrue.
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000  # beyond any collection; larger values are refused (400), never passed to SQL
# Query parameters per resource (OGC API – Features Part 1 /req/core/query-param-unknown: others → 400).
PARAMS = {"f"}
ITEMS_PARAMS = {"f", "bbox", "limit", "offset", "datetime"}
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"


# RFC 3339 as the ``datetime`` parameter takes it: a date or a date-time with offset, or an interval of two
# such values, one of them open (``..`` or empty). The calendar (2024-02-30) and the order of the ends are
# checked after the pattern; no pattern can say them.
YEAR = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001 to 9999, as Python's dates
_DATE = rf"{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT = rf"{_DATE}([Tt]{_TIME})?"
DATETIME_PATTERN = rf"^({INSTANT}(/({INSTANT}|\.\.)?)?|(\.\.)?/{INSTANT})$"
# One number of ``bbox`` as JSON writes numbers (no inf/nan, no blanks, no 1_000).
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
BBOX_PARAMETER = {
    "description": "minLon,minLat,maxLon,maxLat in CRS84 (or six numbers with heights, which are ignored); "
                   "longitudes in [-180, 180], latitudes in [-90, 90], minLat <= maxLat; minLon > maxLon "
                   "crosses the antimeridian",
    "style": "form", "explode": False,
    # The standard's definition (OGC API – Features Part 1, parameters/bbox.yaml).
    "schema": {"type": "array", "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
               "items": {"type": "number"}},
}


class OgcError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def exception_response(err: OgcError) -> HttpResponse:
    body = json.dumps({"code": err.code, "description": err.description}, ensure_ascii=False)
    return HttpResponse(body, status=err.status, content_type=JSON)


# --- collections ------------------------------------------------------------------------------------------

COLLECTIONS: dict[str, dict[str, Any]] = {
    "places": {
        "title": "Orte der Begegnung",
        "description": "Veröffentlichte Orte der Begegnung des Begegnungsatlas (Punkte, WGS 84 / CRS84).",
        "keywords": ["Orte der Begegnung", "Sozialplanung", "Begegnungsatlas"],
    },
    "areas": {
        "title": "Gebiete",
        "description": "Gebiete der Sozialplanung (Kreis, Kommunen, Stadtbezirke, statistische Bezirke, "
                       "Unterbezirke) als vereinfachte Polygone (CRS84).",
        "keywords": ["Gebiete", "Sozialräume", "Verwaltungsgrenzen"],
    },
}


def wants_html(request: HttpRequest) -> bool:
    f = (request.GET.get("f") or "").lower()
    if f == "html":
        return True
    if f in {"json", "geojson"}:
        return False
    if f:
        raise OgcError(400, "InvalidParameterValue", f"Unbekanntes Format f={f}; erlaubt sind json und html.")
    accept = request.headers.get("Accept", "")
    if not accept:
        return False
    best_json = _q(accept, (JSON, GEOJSON))
    best_html = _q(accept, (HTML,))
    return best_html > best_json


def _q(accept: str, types: tuple[str, ...]) -> float:
    best = 0.0
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        if bits[0].lower() in types:
            q = 1.0
            for b in bits[1:]:
                if b.startswith("q="):
                    try:
                        q = float(b[2:])
                    except ValueError:
                        q = 0.0
            best = max(best, q)
    return best


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if raw is None or raw == "":
        return None
    if not all(_NUMBER.fullmatch(p) for p in raw.split(",")):
        raise OgcError(400, "InvalidParameterValue", "bbox muss aus vier Zahlen bestehen: minLon,minLat,maxLon,maxLat.")
    parts = [float(p) for p in raw.split(",")]
    if len(parts) == 6:  # 3D bbox: drop heights
        parts = [parts[0], parts[1], parts[3], parts[4]]
    if len(parts) != 4:
        raise OgcError(400, "InvalidParameterValue", "bbox muss aus vier Zahlen bestehen: minLon,minLat,maxLon,maxLat.")
    minx, miny, maxx, maxy = parts
    if miny > maxy or not (-90 <= miny <= 90 and -90 <= maxy <= 90) or not (-180 <= minx <= 180 and -180 <= maxx <= 180):
        raise OgcError(400, "InvalidParameterValue", "bbox liegt außerhalb von CRS84 oder minLat > maxLat.")
    if minx > maxx:  # crosses the antimeridian: never in Germany; treat as everything in lat band
        minx, maxx = -180.0, 180.0
    return (minx, miny, maxx, maxy)


def check_params(request: HttpRequest, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise OgcError(400, "InvalidParameterValue",
                       f"Unbekannte Parameter: {', '.join(unknown)}. Erlaubt: {', '.join(sorted(allowed))}.")


def parse_int(raw: str | None, *, name: str, default: int, minimum: int, maximum: int | None = None,
              cap: bool = True) -> int:
    """An integer parameter; above ``maximum`` it is capped (``cap``, as the spec allows for limit) or refused."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise OgcError(400, "InvalidParameterValue", f"{name} muss eine ganze Zahl sein.") from exc
    if value < minimum:
        raise OgcError(400, "InvalidParameterValue", f"{name} muss mindestens {minimum} sein.")
    if maximum is not None and value > maximum:
        if not cap:
            raise OgcError(400, "InvalidParameterValue", f"{name} darf höchstens {maximum} sein.")
        value = maximum  # the spec lets servers cap the limit
    return value


def _instant(raw: str) -> datetime.datetime | None:
    """One end of a ``datetime`` value: RFC 3339 date-time or date, ``..``/empty for open; else OgcError."""
    if raw in {"", ".."}:
        return None
    try:
        if "T" in raw.upper():
            value = datetime.datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
            if value.tzinfo is None:
                raise ValueError("RFC 3339 needs a time zone")
            return value
        day = datetime.date.fromisoformat(raw)
        return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    except ValueError as exc:  # also impossible dates such as 2024-02-30 or 25:00
        raise OgcError(400, "InvalidParameterValue",
                       f"datetime „{raw}“ ist kein gültiger Zeitpunkt nach RFC 3339 (z. B. 2024-05-01T12:00:00Z, "
                       "2024-05-01 oder ein Intervall 2024-01-01/..).") from exc


def parse_datetime(raw: str | None) -> tuple[datetime.datetime | None, datetime.datetime | None] | None:
    """The ``datetime`` parameter as (start, end); an instant gives start == end. Checked, then ignored: the
    collections have no temporal extent."""
    if raw is None or raw == "":
        return None
    if not re.fullmatch(DATETIME_PATTERN[1:-1], raw):
        raise OgcError(400, "InvalidParameterValue",
                       f"datetime „{raw}“ ist kein Zeitpunkt und kein Intervall nach RFC 3339 (z. B. "
                       "2024-05-01T12:00:00Z, 2024-05-01 oder 2024-01-01/..).")
    parts = raw.split("/")
    if len(parts) == 1:
        if raw == "..":
            raise OgcError(400, "InvalidParameterValue", "datetime „..“ allein ist kein Zeitpunkt.")
        at = _instant(raw)
        return (at, at)
    if len(parts) != 2 or parts == ["..", ".."] or parts == ["", ""]:
        raise OgcError(400, "InvalidParameterValue", "datetime muss ein Zeitpunkt oder ein Intervall a/b sein.")
    start, end = _instant(parts[0]), _instant(parts[1])
    if start is not None and end is not None and start > end:
        raise OgcError(400, "InvalidParameterValue", "datetime: der Anfang liegt nach dem Ende.")
    return (start, end)


# --- documents ---------------------------------------------------------------------------------------------

def landing(base: str) -> dict[str, Any]:
    return {
        "title": "Begegnungsatlas – OGC API Features",
        "description": "Orte der Begegnung und Gebiete der Sozialplanung als OGC API – Features (Part 1: Core).",
        "links": [
            {"href": f"{base}?f=json", "rel": "self", "type": JSON, "title": "Diese Seite (JSON)"},
            {"href": f"{base}?f=html", "rel": "alternate", "type": HTML, "title": "Diese Seite (HTML)"},
            # OpenAPI 3.0 first: clients such as OWSLib look only for version=3.0 (see api/openapi30.py).
            {"href": f"{base.rsplit('/ogc/', 1)[0]}/openapi-3.0.json", "rel": "service-desc",
             "type": "application/vnd.oai.openapi+json;version=3.0", "title": "API-Beschreibung (OpenAPI 3.0)"},
            {"href": f"{base.rsplit('/ogc/', 1)[0]}/openapi.json", "rel": "service-desc",
             "type": "application/vnd.oai.openapi+json;version=3.1", "title": "API-Beschreibung (OpenAPI 3.1)"},
            {"href": f"{base}conformance", "rel": "conformance", "type": JSON, "title": "Konformitätsklassen"},
            {"href": f"{base}collections", "rel": "data", "type": JSON, "title": "Sammlungen"},
        ],
    }


def collection(base: str, cid: str) -> dict[str, Any]:
    meta = COLLECTIONS[cid]
    extent = selectors.places_extent() if cid == "places" else selectors.areas_extent()
    url = f"{base}collections/{cid}"
    return {
        "id": cid, "title": meta["title"], "description": meta["description"], "keywords": meta["keywords"],
        "itemType": "feature", "crs": [CRS84], "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [list(extent) if extent else [5.86, 47.27, 15.04, 55.06]], "crs": CRS84}},
        "links": [
            {"href": url, "rel": "self", "type": JSON, "title": meta["title"]},
            {"href": f"{url}?f=html", "rel": "alternate", "type": HTML, "title": meta["title"]},
            {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": "Objekte (GeoJSON)"},
            {"href": f"{url}/items?f=html", "rel": "items", "type": HTML, "title": "Objekte (HTML)"},
        ],
    }


def collections(base: str) -> dict[str, Any]:
    return {
        "links": [
            {"href": f"{base}collections", "rel": "self", "type": JSON, "title": "Sammlungen"},
            {"href": f"{base}collections?f=html", "rel": "alternate", "type": HTML, "title": "Sammlungen (HTML)"},
        ],
        "collections": [collection(base, cid) for cid in COLLECTIONS],
    }


def place_feature(row: dict[str, Any], item_base: str) -> dict[str, Any]:
    """The feature of a place row (``selectors.place_row``) as a dict: parsed from ``place_feature_text``, the one
    serializer of a place feature, so the dict, the page text and the stored pieces cannot drift apart."""
    values = tuple(row[c] for c in _ROW_KEYS)
    return dict(json.loads(place_feature_text(values, _group_list(row["target_groups"]))))


def area_feature(row: dict[str, Any], item_base: str) -> dict[str, Any]:
    props = {k: v for k, v in row.items() if k not in {"id", "geometry"}}
    return {"type": "Feature", "id": row["id"], "geometry": row.get("geometry"), "properties": props}


FEATURE_BUILDERS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "places": place_feature, "areas": area_feature,
}


def _envelope(base: str, cid: str, *, total: int, returned: int, limit: int, offset: int,
              query: dict[str, str], timestamp: str) -> dict[str, Any]:
    """Everything of an items document after ``features``, in document order."""
    url = f"{base}collections/{cid}/items"

    def link(rel: str, off: int, fmt: str, typ: str) -> dict[str, Any]:
        params = {**query, "limit": str(limit), "offset": str(off), "f": fmt}
        return {"href": f"{url}?{urlencode(params)}", "rel": rel, "type": typ}

    links = [link("self", offset, "json", GEOJSON), link("alternate", offset, "html", HTML),
             {"href": f"{base}collections/{cid}", "rel": "collection", "type": JSON}]
    if offset + returned < total:
        links.append(link("next", offset + limit, "json", GEOJSON))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit), "json", GEOJSON))
    return {"numberMatched": total, "numberReturned": returned, "timeStamp": timestamp, "links": links}


def items(base: str, cid: str, page: selectors.Page, *, limit: int, offset: int,
          query: dict[str, str], timestamp: str) -> dict[str, Any]:
    url = f"{base}collections/{cid}/items"
    build = FEATURE_BUILDERS[cid]
    features = [build(r, url) for r in page.rows]
    return {
        "type": "FeatureCollection", "features": features,
        **_envelope(base, cid, total=page.total, returned=len(features), limit=limit, offset=offset, query=query,
                    timestamp=timestamp),
    }


# --- JSON text for the hot paths ----------------------------------------------------------------------------
# The places items page (up to 10,000 features) and the register list are written straight from the raw rows
# of ``selectors.place_page_rows`` into JSON text: the same bytes as ``json_response(items(...))`` (same key
# order, compact separators, ``ensure_ascii=False``), without a dict per feature. ``tests/api/
# test_api_fastpath.py`` compares both byte for byte.

_s = encode_basestring
_BOOL = {True: "true", False: "false"}  # also maps 1/0 (equal keys), should a driver return those


def _num(v: float | None) -> str:
    return "null" if v is None else repr(v)  # json.dumps writes floats with repr() as well


def _group_lists(groups: dict[Any, list[str]]) -> dict[Any, str]:
    return {key: _group_list(slugs) for key, slugs in groups.items()}


_POINT = '{"type":"Point","coordinates":[%r,%r]}'
# Keys of a dict row (``selectors._rows``) in the order of a raw row (``selectors.PLACE_COLUMNS``).
_ROW_KEYS = ("id", "name", "kind", "status", "street", "postcode", "city", "kommune", "kommune_name", "lon", "lat",
             "wheelchair", "open_for_groups", "opening_hours", "website", "is_example")


def _group_list(slugs: list[str]) -> str:
    return "[" + ",".join(map(_s, slugs)) + "]"


def place_json_values(row: tuple[Any, ...], groups: str) -> tuple[Any, ...]:
    """The one serializer of a place's values: a raw row (``selectors.PLACE_COLUMNS`` order) and its target groups
    as JSON text → each value as JSON text (as ``json.dumps(ensure_ascii=False)`` writes it), in the order
    ``id, geometry, name, kind, status, street, postcode, city, kommune, kommune_name, lon, lat, wheelchair,
    open_for_groups, opening_hours, website, is_example, target_groups``.

    The OGC feature (``place_feature_text``: items pages, stored ``PlaceFeature`` pieces, one item) and the
    register summary (``place_summary_text``) are both filled from these values (a tuple: the hot paths write
    10,000 of them per page).
    """
    (pk, name, kind, status, street, postcode, city, k_code, k_name, lon, lat, wheelchair, groups_ok,
     hours, website, example) = row[:16]
    if lon is None:
        geometry = "null"
    elif lat is None:
        geometry = f'{{"type":"Point","coordinates":[{lon!r},null]}}'
    else:
        geometry = _POINT % (lon, lat)
    return (pk, geometry, _s(name), _s(kind), _s(status), _s(street), _s(postcode), _s(city), _s(k_code or ""),
            _s(k_name or ""), _num(lon), _num(lat), _s(wheelchair), _BOOL[groups_ok], _s(hours), _s(website),
            _BOOL[example], groups)


def place_feature_text(row: tuple[Any, ...], groups: str) -> str:
    """A place as a GeoJSON feature, as JSON text (compact, the bytes of ``json.dumps``)."""
    (pk, geometry, name, kind, status, street, postcode, city, kommune, kommune_name, _lon, _lat, wheelchair,
     groups_ok, hours, website, example, target_groups) = place_json_values(row, groups)
    return (f'{{"type":"Feature","id":{int(pk)},"geometry":{geometry},"properties":{{"name":{name},"kind":{kind},'
            f'"status":{status},"street":{street},"postcode":{postcode},"city":{city},"kommune":{kommune},'
            f'"kommune_name":{kommune_name},"wheelchair":{wheelchair},"open_for_groups":{groups_ok},'
            f'"opening_hours":{hours},"website":{website},"is_example":{example},"target_groups":{target_groups}}}}}')


def place_summary_text(row: tuple[Any, ...], groups: str, base: str) -> str:
    """A place as a register summary (``{**row, "url": base + id}``), as JSON text."""
    (pk, _geometry, name, kind, status, street, postcode, city, kommune, kommune_name, lon, lat, wheelchair,
     groups_ok, hours, website, example, target_groups) = place_json_values(row, groups)
    return (f'{{"id":{int(pk)},"name":{name},"kind":{kind},"status":{status},"street":{street},'
            f'"postcode":{postcode},"city":{city},"lon":{lon},"lat":{lat},"wheelchair":{wheelchair},'
            f'"open_for_groups":{groups_ok},"opening_hours":{hours},"website":{website},"is_example":{example},'
            f'"kommune":{kommune},"kommune_name":{kommune_name},"target_groups":{target_groups},'
            f'"url":{_s(f"{base}{pk}")}}}')


def place_summary(row: dict[str, Any], base: str) -> dict[str, Any]:
    """The register summary of a dict row (``selectors.place_row``), parsed from ``place_summary_text``."""
    values = tuple(row[c] for c in _ROW_KEYS)
    return dict(json.loads(place_summary_text(values, _group_list(row["target_groups"]), base)))


def place_features_json(page: selectors.RawPage) -> str:
    """Comma-separated GeoJSON features (``place_feature_text``) of a raw page, as text."""
    groups = _group_lists(page.groups)
    return ",".join([place_feature_text(row, groups[row[16]]) for row in page.rows])


# The stored pieces of ``api.models.PlaceFeature``: a feature is ``head + kommune + ',"kommune_name":' + name + tail``,
# so that renaming a Kommune needs no refresh. The pieces are cut out of ``place_feature_text`` at two markers that
# stand in for the Kommune's code and name; the cut (with its quotes) cannot occur in a place's own text, whose
# quotes are escaped.
KOMMUNE_NAME_SEPARATOR = ',"kommune_name":'
_MARK_CODE, _MARK_NAME = "\ue000kommune\ue000", "\ue000kommune_name\ue000"
_MARKS = _s(_MARK_CODE) + KOMMUNE_NAME_SEPARATOR + _s(_MARK_NAME)


def place_feature_pieces(page: selectors.RawPage) -> list[tuple[int, str, str]]:
    """``(id, head, tail)`` of each row of a raw page (the stored pieces of ``PlaceFeature``), cut out of the
    feature text; ``place_feature_join`` puts a Kommune between them again."""
    groups = _group_lists(page.groups)
    out = []
    for row in page.rows:
        text = place_feature_text((*row[:7], _MARK_CODE, _MARK_NAME, *row[9:16]), groups[row[16]])
        head, found, tail = text.partition(_MARKS)
        if not found or _MARKS in tail:
            raise ValueError(f"place {row[0]}: the Kommune markers are not where the serializer puts them")
        out.append((row[0], head, tail))
    return out


def place_feature_join(head: str, k_code: str | None, k_name: str | None, tail: str) -> str:
    """One feature from its stored pieces and the Kommune (what the PostgreSQL statement does in SQL)."""
    return head + _s(k_code or "") + KOMMUNE_NAME_SEPARATOR + _s(k_name or "") + tail


def places_items_json_from_text(base: str, features: str, *, returned: int, total: int, limit: int, offset: int,
                                query: dict[str, str], timestamp: str) -> str:
    """``places_items_json`` for features that are already JSON text (``selectors.place_features_text``)."""
    tail = dumps(_envelope(base, "places", total=total, returned=returned, limit=limit, offset=offset, query=query,
                           timestamp=timestamp))
    return '{"type":"FeatureCollection","features":[' + features + "]," + tail[1:]


def dumps(doc: Any) -> str:
    # Compact separators: the items page of 1,000 features is ~30 % smaller than with the defaults.
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def places_items_json(base: str, page: selectors.RawPage, *, limit: int, offset: int, query: dict[str, str],
                      timestamp: str) -> str:
    """``json_response(items(...))`` of the places collection, as text, from raw rows."""
    tail = dumps(_envelope(base, "places", total=page.total, returned=len(page.rows), limit=limit, offset=offset,
                           query=query, timestamp=timestamp))
    return '{"type":"FeatureCollection","features":[' + place_features_json(page) + "]," + tail[1:]


def place_summaries_json(page: selectors.RawPage, base: str) -> str:
    """Comma-separated register summaries (``place_summary_text``) of a raw page, as text."""
    groups = _group_lists(page.groups)
    return ",".join([place_summary_text(row, groups[row[16]], base) for row in page.rows])


def json_response(doc: dict[str, Any], *, content_type: str = JSON, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(doc), content_type=content_type, status=status)


def html_response(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(render_to_string(f"api/{template}", context, request=request), status=status)
