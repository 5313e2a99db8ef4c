"""Open Referral HSDS 3.0 API at ``/api/hsds/`` (required endpoints and the taxonomy/organization ones)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from ninja import Router
from ninja.params.functions import Query  # the typed function behind ninja.Query(...)

from begegnungsatlas.places.models import TargetGroup

from .. import hsds
from ..ids import parse_hsds_id
from ..ogc import json_response
from ..schemas import Error, HsdsObject, HsdsPage, HsdsRoot

router = Router(tags=["HSDS 3.0"])
MAX_PER_PAGE = 1000


def _bool(raw: str | None) -> bool:
    return (raw or "").lower() in {"1", "true", "yes"}


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        page = max(1, int(request.GET.get("page") or 1))
        per_page = min(MAX_PER_PAGE, max(1, int(request.GET.get("per_page") or 50)))
    except ValueError as exc:
        raise hsds.HsdsBadRequest("page und per_page müssen ganze Zahlen sein.") from exc
    return page, per_page


def _format(request: HttpRequest) -> None:
    fmt = (request.GET.get("format") or "json").lower()
    if fmt != "json":
        raise hsds.HsdsBadRequest("Nur format=json wird unterstützt.")


def _modified_after(raw: str | None) -> datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise hsds.HsdsBadRequest("modified_after muss ein Datum oder Zeitpunkt nach ISO 8601 sein.")
        value = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - made aware on the next line
    return value if value.tzinfo else make_aware(value)


def _bad(err: Exception) -> HttpResponse:
    return json_response({"detail": str(err)}, status=400)


@router.get("/", response={200: HsdsRoot}, summary="HSDS API meta information (version and profile)")
def root(request: HttpRequest) -> HttpResponse:
    return json_response({
        "version": hsds.HSDS_VERSION,
        "profile": hsds.HSDS_PROFILE,
        "openapi_url": request.build_absolute_uri("/api/openapi.json"),
        "description": "Orte der Begegnung und ihre Angebote als Open Referral HSDS 3.0 (Basisprofil).",
        "publisher": {"name": settings.BEGEGNUNGSATLAS_SITE_NAME},
    })


@router.get("/services", response={200: HsdsPage, 400: Error}, summary="Paginated list of services")
def services(
    request: HttpRequest,
    search: str = Query("", description="Full-text search in name and description"),
    page: int = Query(1), per_page: int = Query(50, description=f"max {MAX_PER_PAGE}"),
    format: str = Query("json", description="only json"),  # noqa: A002 - name fixed by HSDS
    taxonomy_term_id: str = Query(""), taxonomy_id: str = Query(""), organization_id: str = Query(""),
    modified_after: str = Query("", description="ISO 8601; services of places changed after this"),
    minimal: bool = Query(False, description="only id, name, status"),
    full: bool = Query(False, description="fully nested services"),
) -> HttpResponse:
    try:
        _format(request)
        pg, per = _paging(request)
        query = hsds.ServiceQuery(
            search=(request.GET.get("search") or "").strip()[:200],
            taxonomy_term_id=request.GET.get("taxonomy_term_id", ""),
            taxonomy_id=request.GET.get("taxonomy_id", ""),
            organization_id=request.GET.get("organization_id", ""),
            modified_after=_modified_after(request.GET.get("modified_after")),
        )
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    result = hsds.services_page(query, page=pg, per_page=per, full=_bool(request.GET.get("full")),
                                minimal=_bool(request.GET.get("minimal")))
    return json_response(result.envelope())


@router.get("/services/{service_id}", response={200: HsdsObject, 404: Error}, summary="One fully nested service")
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    try:
        return json_response(hsds.service_by_id(service_id))
    except hsds.HsdsNotFound:
        return json_response({"detail": "Service nicht gefunden."}, status=404)


@router.get("/organizations", response={200: HsdsPage, 400: Error}, summary="Paginated list of organizations")
def organizations(request: HttpRequest, search: str = Query(""), page: int = Query(1),
                  per_page: int = Query(50)) -> HttpResponse:
    try:
        pg, per = _paging(request)
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    result = hsds.organizations_page(search=(request.GET.get("search") or "").strip()[:200], page=pg, per_page=per)
    return json_response(result.envelope())


@router.get("/organizations/{organization_id}", response={200: HsdsObject, 404: Error},
            summary="One organization with its locations")
def organization_detail(request: HttpRequest, organization_id: str) -> HttpResponse:
    try:
        return json_response(hsds.organization_by_id(organization_id))
    except hsds.HsdsNotFound:
        return json_response({"detail": "Organisation nicht gefunden."}, status=404)


@router.get("/taxonomies", response={200: HsdsPage}, summary="The published taxonomies (target groups)")
def taxonomies(request: HttpRequest, page: int = Query(1), per_page: int = Query(50)) -> HttpResponse:
    try:
        pg, per = _paging(request)
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    contents = [hsds.taxonomy()] if pg == 1 else []
    return json_response(hsds.HsdsPage(contents=contents, total=1, page=pg, per_page=per).envelope())


@router.get("/taxonomies/{taxonomy_id}", response={200: HsdsObject, 404: Error}, summary="One taxonomy")
def taxonomy_detail(request: HttpRequest, taxonomy_id: str) -> HttpResponse:
    if taxonomy_id != hsds.taxonomy()["id"]:
        return json_response({"detail": "Taxonomie nicht gefunden."}, status=404)
    return json_response(hsds.taxonomy())


@router.get("/taxonomy_terms", response={200: HsdsPage}, summary="Paginated list of taxonomy terms")
def taxonomy_terms(request: HttpRequest, page: int = Query(1), per_page: int = Query(50),
                   taxonomy_id: str = Query(""), search: str = Query("")) -> HttpResponse:
    try:
        pg, per = _paging(request)
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    terms = hsds.taxonomy_terms_all()
    if request.GET.get("taxonomy_id") and request.GET["taxonomy_id"] != hsds.taxonomy()["id"]:
        terms = []
    needle = (request.GET.get("search") or "").lower()
    if needle:
        terms = [t for t in terms if needle in t["name"].lower() or needle in t["code"]]
    contents = terms[(pg - 1) * per: pg * per]
    return json_response(hsds.HsdsPage(contents=contents, total=len(terms), page=pg, per_page=per).envelope())


@router.get("/taxonomy_terms/{term_id}", response={200: HsdsObject, 404: Error}, summary="One taxonomy term")
def taxonomy_term_detail(request: HttpRequest, term_id: str) -> HttpResponse:
    parsed = parse_hsds_id(term_id)
    tg = TargetGroup.objects.filter(pk=parsed[1]).first() if parsed and parsed[0] == "taxonomy_term" else None
    if tg is None:
        return json_response({"detail": "Begriff nicht gefunden."}, status=404)
    return json_response(hsds.taxonomy_term(tg))
