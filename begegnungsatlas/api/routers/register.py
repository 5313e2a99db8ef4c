"""The register: published places (list with the public list's filters, detail), areas, and exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.params.functions import Path  # the typed functions behind ninja.Path(...)/ninja.Query(...)
from ninja.params.functions import Query as QueryParam

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places import exports
from begegnungsatlas.places.models import Place
from begegnungsatlas.places.selectors.places import PlaceFilter, places_search

from .. import selectors
from ..ogc import GEOJSON, JSON, dumps, json_response, place_summaries_json
from ..schemas import AreaList, Error, Feature, GeoJsonExport, PlaceDetail, PlaceList, PlaceQuery

router = Router(tags=["Register"])

FILTER_DOC = "Same parameters as the public list (/orte/)."
DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 50, 1000, 10**9
MAX_ID = 2**63 - 1  # the database's bigint: larger ids are refused (400), never passed to SQL
ERROR_400 = {400: Error}


def _summary(row: dict[str, Any], base: str) -> dict[str, Any]:
    return {**row, "url": f"{base}{row['id']}"}


@router.get(
    "/places", response={200: PlaceList, **ERROR_400}, summary="List published places (filters of the public list)",
    description=FILTER_DOC,
)
def place_list(
    request: HttpRequest,
    filters: Query[PlaceQuery],
    limit: int = QueryParam(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT, description="Page size"),
    offset: int = QueryParam(0, ge=0, le=MAX_OFFSET, description="Start index"),
) -> HttpResponse:
    f = PlaceFilter.from_params(request.GET)  # the values are checked against PlaceQuery above
    page = selectors.places_list_raw(f, limit=limit, offset=offset)
    base = request.build_absolute_uri("/api/places/")
    params = f.as_params()

    def page_url(off: int) -> str:
        return request.build_absolute_uri("/api/places") + "?" + urlencode(
            {**params, "limit": limit, "offset": off}, doseq=True)

    head = dumps({
        "count": page.total, "limit": limit, "offset": offset,
        "next": page_url(offset + limit) if offset + limit < page.total else None,
        "previous": page_url(max(0, offset - limit)) if offset > 0 else None,
    })
    # The rows go straight into JSON text (``ogc.place_summaries_json``): no dict per place.
    body = head[:-1] + ',"results":[' + place_summaries_json(page, base) + "]}"
    return HttpResponse(body, content_type=JSON)


@router.get("/places/{place_id}", response={200: PlaceDetail, 400: Error, 404: Error}, summary="One published place")
def place_detail(request: HttpRequest, place_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    row = selectors.place_row(place_id)
    if row is None:
        return json_response({"detail": "Ort nicht gefunden."}, status=404)
    place: Place = selectors.place_object(place_id)
    doc = {
        **_summary(row, request.build_absolute_uri("/api/places/")),
        "description": place.description, "virtual_url": place.virtual_url,
        "shared_building": place.shared_building, "shared_building_note": place.shared_building_note,
        "wheelchair_description": place.wheelchair_description, "capacity": place.capacity,
        "qualities": [q.slug for q in place.qualities.all()],
        "contact": {"name": place.contact_name, "email": place.contact_email, "phone": place.contact_phone},
        "actors": [{"id": pa.organisation_id, "name": pa.organisation.name, "kind": pa.organisation.kind,
                    "role": pa.role} for pa in place.place_actors.all()],
        "offers": [{"id": o.pk, "title": o.title, "description": o.description, "category": o.category,
                    "schedule": o.schedule, "target_groups": [t.slug for t in o.target_groups.all()],
                    "is_free": o.is_free, "cost_note": o.cost_note,
                    "organisation": o.organisation.name if o.organisation else None}
                   for o in place.offers.all()],
        "area": place.area.code if place.area else "",
        "updated_at": place.updated_at.isoformat(),
    }
    return json_response(doc)


@router.get("/areas", response={200: AreaList, **ERROR_400}, summary="Areas (without geometry)")
def area_list(request: HttpRequest, region: str = QueryParam("", description="Region slug"),
              level: str = QueryParam("", description="Level slug, e.g. kommune, stadtbezirk")) -> HttpResponse:
    qs = Area.objects.all()
    if region:
        qs = qs.filter(region__slug=region)
    if level:
        qs = qs.filter(level__slug=level)
    rows = selectors._area_rows(qs.order_by("level__rank", "code"), with_geometry=False)
    return json_response({"count": len(rows), "results": rows})


@router.get("/areas/{area_id}", response={200: Feature, 400: Error, 404: Error},
            summary="One area as a GeoJSON feature", openapi_extra={"x-media-types": {200: [GEOJSON]}})
def area_detail(request: HttpRequest, area_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    row = selectors.area_row(area_id)
    if row is None:
        return json_response({"detail": "Gebiet nicht gefunden."}, status=404)
    geometry = row.pop("geometry")
    return json_response({"type": "Feature", "id": row["id"], "geometry": geometry, "properties": row},
                         content_type=GEOJSON)


def _export(request: HttpRequest, body: bytes, content_type: str, ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="orte-der-begegnung.{ext}"'
    return response


CSV, XLSX = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_doc(media_type: str, schema: Any = None) -> dict[str, Any]:
    return {"response": {200: schema, **ERROR_400}, "description": FILTER_DOC,
            "openapi_extra": {"x-media-types": {200: [media_type]}}}


@router.get("/places.csv", summary="Export the filtered list as CSV (;-separated, UTF-8)", **_export_doc(CSV))
def export_csv(request: HttpRequest, filters: Query[PlaceQuery]) -> HttpResponse:
    places = places_search(PlaceFilter.from_params(request.GET))
    return _export(request, exports.write_csv(places), f"{CSV}; charset=utf-8", "csv")


@router.get("/places.xlsx", summary="Export the filtered list as XLSX", **_export_doc(XLSX))
def export_xlsx(request: HttpRequest, filters: Query[PlaceQuery]) -> HttpResponse:
    places = places_search(PlaceFilter.from_params(request.GET))
    return _export(request, exports.write_xlsx(places), XLSX, "xlsx")


@router.get("/places.geojson", summary="Export the filtered list as GeoJSON", **_export_doc(GEOJSON, GeoJsonExport))
def export_geojson(request: HttpRequest, filters: Query[PlaceQuery]) -> HttpResponse:
    places = places_search(PlaceFilter.from_params(request.GET))
    return _export(request, exports.write_geojson(places), GEOJSON, "geojson")
