"""Choropleth map with legend and table, its JSON payloads and exports (thin: parse, call selector, render)."""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..errors import AtlasError
from ..models import AreaLevel
from ..permissions import can_view_level
from ..selectors.choropleth import METHODS, BreaksError, choropleth_cached
from ..selectors.payload import geometry_payload
from . import exports
from .params import map_query

TABLE_PAGE = 200


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("atlas:map"))


_JSON_CACHE: dict[tuple[Any, ...], tuple[tuple[Any, ...], bytes]] = {}


def _result(request: HttpRequest) -> tuple[Any, Any, str]:
    q, result, error, _stamp = _result_stamped(request)
    return q, result, error


def _result_stamped(request: HttpRequest) -> tuple[Any, Any, str, tuple[Any, ...]]:
    q = map_query(request.GET, request.user)
    error = q.breaks_error
    result = None
    stamp: tuple[Any, ...] = ()
    if q.indicator is not None and q.period and not error:
        try:
            result, stamp = choropleth_cached(indicator=q.indicator, level=q.level, period=q.period, method=q.method,
                                              k=q.k, manual=q.manual)
        except BreaksError as exc:
            q.breaks_error = error = str(exc)
        except AtlasError as exc:
            error = str(exc)
    return q, result, error, stamp


@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    q, result, error = _result(request)
    rows = []
    page = None
    if result is not None:
        order = request.GET.get("sortierung", "name")
        rows = list(result.rows)
        if order == "wert":
            rows.sort(key=lambda r: (r.cell.value is None, -(r.cell.value or 0)))
        page = Paginator(rows, TABLE_PAGE).get_page(request.GET.get("seite"))
    from ..models import Region

    ctx = {
        "q": q, "result": result, "error": error, "page": page, "methods": METHODS,
        "regions": Region.objects.order_by("is_reference", "name"),
        "k_choices": range(3, 8),
        "geometry_url": reverse("atlas:geometry", args=[q.level.id]),
        "values_url": reverse("atlas:values") + "?" + q.params(),
        "places_url": reverse("atlas:places") + "?region=" + q.region.slug,
        "export_params": q.params(),
        "legend_json": json.dumps([{"colour": c.colour, "label": c.label} for c in result.legend]) if result else "[]",
        "aggregation_note": result is not None and any(r.cell.status == "unavailable" for r in result.rows),
    }
    return render(request, "atlas/map.html", ctx)


@require_GET
def geometry_json(request: HttpRequest, level_id: int) -> HttpResponse:
    level = get_object_or_404(AreaLevel, pk=level_id)
    can_view_level(request.user, level).enforce()
    payload = geometry_payload(level)
    etag = f'"{payload.etag}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    gz = "gzip" in request.headers.get("Accept-Encoding", "")
    resp = HttpResponse(payload.gz if gz else payload.body, content_type="application/json")
    if gz:
        resp["Content-Encoding"] = "gzip"
    resp["Vary"] = "Accept-Encoding"
    resp["ETag"] = etag
    if level.is_draft:
        patch_cache_control(resp, private=True, max_age=0)
    else:
        patch_cache_control(resp, public=True, max_age=3600)
    return resp


@require_GET
def values_json(request: HttpRequest) -> HttpResponse:
    q, result, error, stamp = _result_stamped(request)
    if result is None:
        return JsonResponse({"error": error or _("keine Werte")}, status=400 if error else 200)
    # The body holds translated texts (legend, status), so the language is part of the key.
    key = (q.indicator.pk if q.indicator else None, q.level.pk, q.period, q.method, q.k, tuple(q.manual or ()),
           get_language())
    hit = _JSON_CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        body = hit[1]
    else:
        body = _values_body(q, result)
        if len(_JSON_CACHE) > 64:
            _JSON_CACHE.clear()
        _JSON_CACHE[key] = (stamp, body)
    resp = HttpResponse(body, content_type="application/json")
    patch_cache_control(resp, public=True, max_age=300)
    return resp


def _values_body(q: Any, result: Any) -> bytes:
    return json.dumps({
        "indicator": q.indicator.slug if q.indicator else None,
        "title": str(q.indicator), "unit": q.indicator.unit if q.indicator else "",
        "level": q.level.id, "period": q.period, "method": q.method, "k": result.k,
        "breaks": result.breaks,
        "legend": [{"colour": c.colour, "label": c.label, "count": c.count} for c in result.legend],
        "missing": result.missing,
        "decimals": q.indicator.decimals if q.indicator else 1,
        # area id → [value or null, class (-1 = no value), status, the value as the table shows it]
        "values": {r.area_id: [r.cell.value, r.klass, r.cell.status, r.display] for r in result.rows},
        "polarity_note": result.polarity_note,
        "attribution": result.attribution,
        "status_text": {"missing": _("fehlt"), "suppressed": _("gesperrt"), "unavailable": _("nicht verfügbar")},
        "profile_url": reverse("atlas:area", args=[0]).replace("/0/", "/{id}/"),
    }, separators=(",", ":")).encode()


@require_GET
def places_json(request: HttpRequest) -> JsonResponse:
    from begegnungsatlas.places.models import Place

    qs = Place.objects.filter(is_published=True, lon__isnull=False, lat__isnull=False)
    region = request.GET.get("region")
    if region:
        qs = qs.filter(kommune__region__slug=region)
    return JsonResponse({"places": [
        [p["id"], p["name"], round(cast(float, p["lon"]), 5), round(cast(float, p["lat"]), 5), p["status"]]
        for p in qs.values("id", "name", "lon", "lat", "status")[:5000]
    ]})


@require_GET
def map_export(request: HttpRequest, fmt: str) -> HttpResponse:
    q, result, error = _result(request)
    if result is None:
        return render(request, "atlas/error.html", {"error": error or _("Keine Werte für diese Auswahl.")}, status=400)
    return exports.choropleth_export(result, fmt)
