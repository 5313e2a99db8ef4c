"""Public pages: map + list with filters, GeoJSON for the map, detail page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from begegnungsatlas.core.http import qs_without
from begegnungsatlas.core.permissions import has_role

from .. import opening_hours
from ..forms import PlaceFilterForm
from ..models import Place
from ..permissions import can_edit_place, can_view_history, can_view_place
from ..selectors.context import context_layers, context_points
from ..selectors.maps import area_outlines, place_points
from ..selectors.places import PlaceFilter, place_detail, places_page

PAGE_SIZE = 25


@require_GET
def place_map(request: HttpRequest) -> HttpResponse:
    f = PlaceFilter.from_params(request.GET)
    form = PlaceFilterForm(request.GET or None)
    form.is_valid()
    now = timezone.now()
    page = places_page(f, page=request.GET.get("seite"), per_page=PAGE_SIZE, at=now)
    rows = [(p, opening_hours.open_label(p.opening_hours, now)) for p in page.object_list]
    query = qs_without(request, "seite")
    page_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return render(request, "places/map.html", {
        "form": form, "page": page, "page_range": page_range, "ellipsis": page.paginator.ELLIPSIS,
        "rows": rows, "total": page.paginator.count, "query": query,
        "active_filters": bool(f.as_params()),
        "context_layers": context_layers(),
    })


@require_GET
def place_points_geojson(request: HttpRequest) -> JsonResponse:
    f = PlaceFilter.from_params(request.GET)
    return JsonResponse(place_points(f), json_dumps_params={"ensure_ascii": False})


@require_GET
def context_geojson(request: HttpRequest, layer: str) -> JsonResponse:
    response = JsonResponse(context_points(layer=layer), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_GET
def outlines_geojson(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(area_outlines(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def place_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        place = place_detail(pk=pk, include_unpublished=True)
    except Place.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_place(request.user, place).allowed:
        raise Http404
    now = timezone.now()
    offers = [(o, opening_hours.open_label(o.schedule, now) if o.schedule else None) for o in place.offers.all()]
    actors_by_role: dict[str, list[str]] = {}
    for pa in place.place_actors.all():
        actors_by_role.setdefault(pa.get_role_display(), []).append(pa.organisation.name)
    point = {"lon": place.lon, "lat": place.lat, "name": place.name} if place.lon is not None else None
    return render(request, "places/detail.html", {
        "place": place,
        "open": opening_hours.open_label(place.opening_hours, now),
        "offers": offers,
        "actors_by_role": sorted(actors_by_role.items()),
        "point": point,
        "can_edit": can_edit_place(request.user, place).allowed,
        "can_history": can_view_history(request.user, place).allowed,
        "is_staff_view": has_role(request.user, "planner", "moderator"),
    })
