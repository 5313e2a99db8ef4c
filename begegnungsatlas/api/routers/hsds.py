"""Open Referral HSDS 3.0 API at ``/api/hsds/`` (required endpoints and the taxonomy/organization ones)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from ninja import Router
from ninja.params.functions import Query  # the typed function behind ninja.Query(...)

from begegnungsatlas.places.models import TargetGroup

from .. import hsds, ogc
from ..ids import parse_hsds_id
from ..ogc import json_response
from ..schemas import Error, HsdsObject, HsdsPage, HsdsRoot

router = Router(tags=["HSDS 3.0"])
MAX_PER_PAGE = 1000
MAX_PAGE = 1_000_000
# ISO 8601 as modified_after takes it: a date, or a date and time (seconds, fraction and offset optional).
_HOUR_MINUTE = r"([01][0-9]|2[0-3]):[0-5][0-9]"
MODIFIED_AFTER = (rf"^({ogc.YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([Tt]{_HOUR_MINUTE}(:[0-5][0-9](\.[0-9]+)?)?"
                  rf"([Zz]|[+-]{_HOUR_MINUTE})?)?)?$")
JsonOnly = Literal["json"]


PAGE = Query(1, ge=1, le=MAX_PAGE, description="page number, from 1")
PER_PAGE = Query(50, ge=1, le=MAX_PER_PAGE, description="page size")
FORMAT = Query("json", description="only json (no ndjson)")


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
# The query parameters of each list endpoint in the official HSDS 3.0 OpenAPI; anything else is refused (400).
_LIST_PARAMS = {"search", "page", "per_page", "format"}
_SERVICE_PARAMS = _LIST_PARAMS | {"taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "minimal",
                                  "full"}
_SAL_PARAMS = _LIST_PARAMS | {"taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full",
                              "postcode", "proximity"}
_ORG_PARAMS = _LIST_PARAMS | {"full", "full_service"}
_TERM_PARAMS = _LIST_PARAMS | {"taxonomy_id", "top_only", "parent_id"}


def _only(request: HttpRequest, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise hsds.HsdsBadRequest(
            f"Unbekannte Parameter: {', '.join(unknown)}. Erlaubt: {', '.join(sorted(allowed))}.")


def _bool(request: HttpRequest, name: str) -> bool:
    raw = (request.GET.get(name) or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise hsds.HsdsBadRequest(f"{name} muss true oder false sein.")


def _int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise hsds.HsdsBadRequest(f"{name} muss eine ganze Zahl sein.") from exc
    if not 1 <= value <= maximum:
        raise hsds.HsdsBadRequest(f"{name} muss zwischen 1 und {maximum} liegen.")
    return value


def _paging(request: HttpRequest) -> tuple[int, int]:
    """page and per_page; also checks ``format`` (only json: ndjson streaming is not offered)."""
    fmt = (request.GET.get("format") or "json").lower()
    if fmt != "json":
        raise hsds.HsdsBadRequest("Nur format=json wird unterstützt (kein ndjson).")
    return _int(request, "page", 1, MAX_PAGE), _int(request, "per_page", 50, MAX_PER_PAGE)


def _modified_after(raw: str | None) -> datetime | None:
    if not raw:
        return None
    if not re.fullmatch(MODIFIED_AFTER[1:-1], raw):
        raise hsds.HsdsBadRequest("modified_after muss ein Datum oder Zeitpunkt nach ISO 8601 sein.")
    raw = raw.upper()
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is None:
                raise hsds.HsdsBadRequest("modified_after muss ein Datum oder Zeitpunkt nach ISO 8601 sein.")
            value = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - made aware on the next line
    except ValueError as exc:  # well-formed but impossible, e.g. 2024-02-30
        raise hsds.HsdsBadRequest("modified_after ist kein gültiges Datum.") from exc
    return value if value.tzinfo else make_aware(value)


def _service_query(request: HttpRequest) -> hsds.ServiceQuery:
    if request.GET.get("proximity"):
        raise hsds.HsdsBadRequest("proximity wird nicht unterstützt: es gibt keine Mittelpunkte der Postleitzahlen.")
    return hsds.ServiceQuery(
        search=(request.GET.get("search") or "").strip()[:200],
        taxonomy_term_id=request.GET.get("taxonomy_term_id", ""),
        taxonomy_id=request.GET.get("taxonomy_id", ""),
        organization_id=request.GET.get("organization_id", ""),
        modified_after=_modified_after(request.GET.get("modified_after")),
        postcode=(request.GET.get("postcode") or "").strip()[:10],
    )


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
    page: int = PAGE, per_page: int = PER_PAGE,
    format: JsonOnly = FORMAT,  # noqa: A002 - name fixed by HSDS
    taxonomy_term_id: str = Query(""), taxonomy_id: str = Query(""), organization_id: str = Query(""),
    modified_after: str = Query("", pattern=MODIFIED_AFTER,
                                description="ISO 8601 date or date-time; services of places changed on or after"),
    minimal: bool = Query(False, description="only id, name, status"),
    full: bool = Query(False, description="fully nested services"),
) -> HttpResponse:
    try:
        _only(request, _SERVICE_PARAMS)
        pg, per = _paging(request)
        query = _service_query(request)
        full_, minimal_ = _bool(request, "full"), _bool(request, "minimal")
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    return json_response(hsds.services_page(query, page=pg, per_page=per, full=full_, minimal=minimal_).envelope())


@router.get("/services/{service_id}", response={200: HsdsObject, 400: Error, 404: Error},
            summary="One fully nested service")
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    try:
        _only(request, set())
        return json_response(hsds.service_by_id(service_id))
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    except hsds.HsdsNotFound:
        return json_response({"detail": "Service nicht gefunden."}, status=404)


@router.get("/service_at_locations", response={200: HsdsPage, 400: Error},
            summary="Paginated list of services at their locations")
def service_at_locations(
    request: HttpRequest,
    search: str = Query(""), page: int = PAGE, per_page: int = PER_PAGE,
    format: JsonOnly = FORMAT,  # noqa: A002 - name fixed by HSDS
    taxonomy_term_id: str = Query(""), taxonomy_id: str = Query(""), organization_id: str = Query(""),
    modified_after: str = Query("", pattern=MODIFIED_AFTER, description="ISO 8601 date or date-time; on or after"),
    full: bool = Query(False, description="fully nested"),
    postcode: str = Query("", description="postcode of the location's address (exact)"),
    proximity: str = Query("", max_length=0, description="not supported (400 unless empty): no postcode "
                                                         "centroids"),
) -> HttpResponse:
    try:
        _only(request, _SAL_PARAMS)
        pg, per = _paging(request)
        query = _service_query(request)
        full_ = _bool(request, "full")
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    return json_response(hsds.service_at_locations_page(query, page=pg, per_page=per, full=full_).envelope())


@router.get("/service_at_locations/{sal_id}", response={200: HsdsObject, 400: Error, 404: Error},
            summary="One fully nested service at a location")
def service_at_location_detail(request: HttpRequest, sal_id: str) -> HttpResponse:
    try:
        _only(request, set())
        return json_response(hsds.service_at_location_by_id(sal_id))
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    except hsds.HsdsNotFound:
        return json_response({"detail": "Service am Ort nicht gefunden."}, status=404)


@router.get("/organizations", response={200: HsdsPage, 400: Error}, summary="Paginated list of organizations")
def organizations(request: HttpRequest, search: str = Query(""), page: int = PAGE,
                  per_page: int = PER_PAGE, format: JsonOnly = FORMAT,  # noqa: A002 - name fixed by HSDS
                  full: bool = Query(False, description="with locations and services"),
                  full_service: bool = Query(False, description="services fully nested (with full)")) -> HttpResponse:
    try:
        _only(request, _ORG_PARAMS)
        pg, per = _paging(request)
        full_, full_service_ = _bool(request, "full"), _bool(request, "full_service")
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    result = hsds.organizations_page(search=(request.GET.get("search") or "").strip()[:200], page=pg, per_page=per,
                                     full=full_ or full_service_, full_service=full_service_)
    return json_response(result.envelope())


@router.get("/organizations/{organization_id}", response={200: HsdsObject, 400: Error, 404: Error},
            summary="One organization with its locations and services")
def organization_detail(request: HttpRequest, organization_id: str,
                        full_service: bool = Query(False, description="services fully nested")) -> HttpResponse:
    try:
        _only(request, {"full_service"})
        return json_response(hsds.organization_by_id(organization_id, full_service=_bool(request, "full_service")))
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    except hsds.HsdsNotFound:
        return json_response({"detail": "Organisation nicht gefunden."}, status=404)


@router.get("/taxonomies", response={200: HsdsPage, 400: Error}, summary="The published taxonomies (target groups)")
def taxonomies(request: HttpRequest, search: str = Query(""), page: int = PAGE, per_page: int = PER_PAGE,
               format: JsonOnly = FORMAT) -> HttpResponse:  # noqa: A002 - name fixed by HSDS
    try:
        _only(request, _LIST_PARAMS)
        pg, per = _paging(request)
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    found = [hsds.taxonomy()]
    needle = (request.GET.get("search") or "").strip().lower()
    if needle:
        found = [t for t in found if needle in t["name"].lower() or needle in t["description"].lower()]
    contents = found[(pg - 1) * per: pg * per]
    return json_response(hsds.HsdsPage(contents=contents, total=len(found), page=pg, per_page=per).envelope())


@router.get("/taxonomies/{taxonomy_id}", response={200: HsdsObject, 400: Error, 404: Error}, summary="One taxonomy")
def taxonomy_detail(request: HttpRequest, taxonomy_id: str) -> HttpResponse:
    try:
        _only(request, set())
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    if taxonomy_id != hsds.taxonomy()["id"]:
        return json_response({"detail": "Taxonomie nicht gefunden."}, status=404)
    return json_response(hsds.taxonomy())


@router.get("/taxonomy_terms", response={200: HsdsPage, 400: Error}, summary="Paginated list of taxonomy terms")
def taxonomy_terms(request: HttpRequest, page: int = PAGE, per_page: int = PER_PAGE,
                   format: JsonOnly = FORMAT,  # noqa: A002 - name fixed by HSDS
                   taxonomy_id: str = Query(""), search: str = Query(""),
                   top_only: bool = Query(False, description="terms without children (all: the taxonomy is flat)"),
                   parent_id: str = Query("", description="children of this term (none: the taxonomy is flat)"),
                   ) -> HttpResponse:
    try:
        _only(request, _TERM_PARAMS)
        pg, per = _paging(request)
        _bool(request, "top_only")  # every term is a leaf of the flat taxonomy: true and false give all
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    terms = hsds.taxonomy_terms_all()
    if request.GET.get("taxonomy_id") and request.GET["taxonomy_id"] != hsds.taxonomy()["id"]:
        terms = []
    if request.GET.get("parent_id"):
        terms = []  # the taxonomy is flat: no term has a parent
    needle = (request.GET.get("search") or "").lower()
    if needle:
        terms = [t for t in terms if needle in t["name"].lower() or needle in t["code"]]
    contents = terms[(pg - 1) * per: pg * per]
    return json_response(hsds.HsdsPage(contents=contents, total=len(terms), page=pg, per_page=per).envelope())


@router.get("/taxonomy_terms/{term_id}", response={200: HsdsObject, 400: Error, 404: Error},
            summary="One taxonomy term")
def taxonomy_term_detail(request: HttpRequest, term_id: str) -> HttpResponse:
    try:
        _only(request, set())
    except hsds.HsdsBadRequest as err:
        return _bad(err)
    parsed = parse_hsds_id(term_id)
    tg = TargetGroup.objects.filter(pk=parsed[1]).first() if parsed and parsed[0] == "taxonomy_term" else None
    if tg is None:
        return json_response({"detail": "Begriff nicht gefunden."}, status=404)
    return json_response(hsds.taxonomy_term(tg))
