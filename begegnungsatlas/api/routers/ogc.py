"""OGC API – Features Part 1 Core at ``/api/ogc/``: JSON/GeoJSON and HTML, chosen by ``f`` or ``Accept``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, Literal, ParamSpec

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.params.functions import Path, Query  # the typed functions behind ninja.Query(...)/Path(...)

from .. import ogc, selectors
from ..schemas import (
    Feature,
    FeatureCollection,
    OgcCollection,
    OgcCollections,
    OgcConformance,
    OgcException,
    OgcLanding,
)

router = Router(tags=["OGC API – Features"])
ERRORS = {400: OgcException, 404: OgcException}
Format = Literal["json", "geojson", "html"] | None
FORMAT = Query(None, description="json or html (otherwise by the Accept header); geojson is json")
COLLECTION = Path(..., description="places or areas (others: 404)")
# The collections as an enum (a Literal type would answer 400, and the standard wants 404 for others).
COLLECTION_ENUM = {"collection_id": {"schema": {"type": "string", "enum": list(ogc.COLLECTIONS)}}}


def _doc(media_type: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """The route's real media types: JSON (GeoJSON for features) or HTML, errors as JSON or the HTML page."""
    types = [media_type, ogc.HTML]
    return {"openapi_extra": {"x-media-types": {200: types, 400: [ogc.JSON, ogc.HTML], 404: [ogc.JSON, ogc.HTML]},
                              "x-parameters": parameters or {}}}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/api/ogc/")


def _collection_or_404(cid: str) -> None:
    if cid not in ogc.COLLECTIONS:
        raise ogc.OgcError(404, "NotFound", f"Sammlung „{cid}“ gibt es nicht.")


def _respond(request: HttpRequest, doc: dict[str, Any], template: str, *, content_type: str = ogc.JSON,
             extra: dict[str, Any] | None = None) -> HttpResponse:
    if ogc.wants_html(request):
        return ogc.html_response(request, template, {"doc": doc, **(extra or {})})
    return ogc.json_response(doc, content_type=content_type)


_P = ParamSpec("_P")


def _guard(
    view: Callable[Concatenate[HttpRequest, _P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, _P], HttpResponse]:
    """Turn ``OgcError`` into the OGC exception document (JSON, or the HTML error page for browsers)."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ogc.OgcError as err:
            try:
                html = ogc.wants_html(request)
            except ogc.OgcError:
                html = False
            if html:
                return ogc.html_response(request, "ogc_error.html", {"err": err}, status=err.status)
            return ogc.exception_response(err)

    return wrapper


@router.get("/", url_name="ogc_landing", response={200: OgcLanding, **ERRORS}, summary="Landing page",
            **_doc(ogc.JSON))
@_guard
def landing(request: HttpRequest, f: Format = FORMAT) -> HttpResponse:
    ogc.check_params(request, ogc.PARAMS)
    return _respond(request, ogc.landing(_base(request)), "ogc_landing.html")


@router.get("/conformance", url_name="ogc_conformance", response={200: OgcConformance, **ERRORS},
            summary="Conformance classes", **_doc(ogc.JSON))
@_guard
def conformance(request: HttpRequest, f: Format = FORMAT) -> HttpResponse:
    ogc.check_params(request, ogc.PARAMS)
    return _respond(request, {"conformsTo": ogc.CONFORMANCE}, "ogc_conformance.html")


@router.get("/collections", url_name="ogc_collections", response={200: OgcCollections, **ERRORS},
            summary="Feature collections", **_doc(ogc.JSON))
@_guard
def collections(request: HttpRequest, f: Format = FORMAT) -> HttpResponse:
    ogc.check_params(request, ogc.PARAMS)
    return _respond(request, ogc.collections(_base(request)), "ogc_collections.html")


@router.get("/collections/{collection_id}", url_name="ogc_collection", response={200: OgcCollection, **ERRORS},
            summary="One collection", **_doc(ogc.JSON, COLLECTION_ENUM))
@_guard
def collection(request: HttpRequest, collection_id: str = COLLECTION, f: Format = FORMAT) -> HttpResponse:
    _collection_or_404(collection_id)
    ogc.check_params(request, ogc.PARAMS)
    return _respond(request, ogc.collection(_base(request), collection_id), "ogc_collection.html")


@router.get("/collections/{collection_id}/items", url_name="ogc_items", response={200: FeatureCollection, **ERRORS},
            summary="Features of a collection (bbox, limit, offset)",
            **_doc(ogc.GEOJSON, {**COLLECTION_ENUM, "bbox": ogc.BBOX_PARAMETER}))
@_guard
def items(
    request: HttpRequest, collection_id: str = COLLECTION,
    bbox: str | None = Query(None),
    limit: int | None = Query(None, ge=1, description=f"default {ogc.DEFAULT_LIMIT}; larger values than "
                                                      f"{ogc.MAX_LIMIT} are capped to {ogc.MAX_LIMIT}"),
    offset: int | None = Query(None, ge=0, le=ogc.MAX_OFFSET, description="start index (default 0)"),
    datetime: str | None = Query(None, pattern=ogc.DATETIME_PATTERN,
                                 description="RFC 3339 instant or interval; checked (400 if invalid), then "
                                             "ignored: the collections have no temporal extent"),
    f: Format = FORMAT,
) -> HttpResponse:
    _collection_or_404(collection_id)
    ogc.check_params(request, ogc.ITEMS_PARAMS)
    ogc.parse_datetime(request.GET.get("datetime"))
    html = ogc.wants_html(request)
    box = ogc.parse_bbox(request.GET.get("bbox"))
    lim = ogc.parse_int(request.GET.get("limit"), name="limit", default=ogc.DEFAULT_LIMIT, minimum=1,
                        maximum=ogc.MAX_LIMIT)
    off = ogc.parse_int(request.GET.get("offset"), name="offset", default=0, minimum=0, maximum=ogc.MAX_OFFSET,
                        cap=False)
    query = {k: request.GET[k] for k in ("bbox", "datetime") if request.GET.get(k)}
    timestamp = timezone.now().replace(microsecond=0).isoformat()
    if collection_id == "places" and not html and selectors.features_precomputed():
        # Hot path on PostgreSQL: the stored feature text, concatenated by the database (same bytes as below).
        page_text = selectors.place_features_text(bbox=box, limit=lim, offset=off)
        body = ogc.places_items_json_from_text(_base(request), page_text.text, returned=page_text.returned,
                                               total=page_text.total, limit=lim, offset=off, query=query,
                                               timestamp=timestamp)
        return HttpResponse(body, content_type=ogc.GEOJSON)
    if collection_id == "places" and not html:
        # Hot path elsewhere: raw rows straight into JSON text (same bytes as the dict path below).
        raw = selectors.places_in_bbox_raw(bbox=box, limit=lim, offset=off)
        body = ogc.places_items_json(_base(request), raw, limit=lim, offset=off, query=query, timestamp=timestamp)
        return HttpResponse(body, content_type=ogc.GEOJSON)
    if collection_id == "places":
        page = selectors.places_in_bbox_page(bbox=box, limit=lim, offset=off)
    else:
        page = selectors.areas_in_bbox_page(bbox=box, limit=lim, offset=off, with_geometry=not html)
    doc = ogc.items(_base(request), collection_id, page, limit=lim, offset=off, query=query, timestamp=timestamp)
    if html:
        meta = ogc.COLLECTIONS[collection_id]
        return ogc.html_response(request, "ogc_items.html", {"doc": doc, "collection_id": collection_id,
                                                              "meta": meta, "offset": off})
    return ogc.json_response(doc, content_type=ogc.GEOJSON)


@router.get("/collections/{collection_id}/items/{feature_id}", url_name="ogc_item", response={200: Feature, **ERRORS},
            summary="One feature", **_doc(ogc.GEOJSON, COLLECTION_ENUM))
@_guard
def item(request: HttpRequest, feature_id: str, collection_id: str = COLLECTION, f: Format = FORMAT) -> HttpResponse:
    _collection_or_404(collection_id)
    ogc.check_params(request, ogc.PARAMS)
    html = ogc.wants_html(request)
    row = None
    if feature_id.isdigit() and len(feature_id) <= 18:  # larger numbers are no id (and overflow SQL)
        row = selectors.place_row(int(feature_id)) if collection_id == "places" else selectors.area_row(int(feature_id))
    if row is None:
        raise ogc.OgcError(404, "NotFound", f"Objekt „{feature_id}“ gibt es in „{collection_id}“ nicht.")
    base = _base(request)
    url = f"{base}collections/{collection_id}/items"
    feature = ogc.FEATURE_BUILDERS[collection_id](row, url)
    feature["links"] = [
        {"href": f"{url}/{feature_id}?f=json", "rel": "self", "type": ogc.GEOJSON},
        {"href": f"{url}/{feature_id}?f=html", "rel": "alternate", "type": ogc.HTML},
        {"href": f"{base}collections/{collection_id}", "rel": "collection", "type": ogc.JSON},
    ]
    if html:
        return ogc.html_response(request, "ogc_item.html", {"doc": feature, "collection_id": collection_id,
                                                             "meta": ogc.COLLECTIONS[collection_id]})
    return ogc.json_response(feature, content_type=ogc.GEOJSON)
