"""Area profile, comparison, MSS index, indicator catalogue and method pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from begegnungsatlas.analysis import mss as core
from begegnungsatlas.analysis.errors import AnalysisError
from begegnungsatlas.core import installation

from ..charts import line_chart_svg
from ..errors import AtlasError
from ..models import Area, AreaLevel, Derivation, Indicator, Region, related_geometry
from ..permissions import can_read_internal, can_view_indicator, can_view_level
from ..selectors.areas import levels_visible
from ..selectors.mss import DYNAMICS_COLOURS, DYNAMICS_TEXT, STATUS_COLOURS, STATUS_TEXT, mss_for_level
from ..selectors.profile import area_profile
from ..selectors.values import indicator_levels, indicator_periods, indicators_for_region, visible_indicators
from . import exports

MAX_COMPARE = 5


@require_GET
def area_view(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("level", "region", "parent__level")
                             .defer(*related_geometry("parent")), pk=area_id)
    can_view_level(request.user, area.level).enforce()
    rows = area_profile(area=area, user=request.user)
    for r in rows:
        r.chart = line_chart_svg([(p, c.value) for p, c in r.series], title=r.indicator.title,
                                 unit=r.indicator.unit, decimals=r.indicator.decimals)
    children = area.children.filter(valid_to__isnull=True).order_by("name")
    siblings = Area.objects.filter(level=area.level, parent=area.parent, valid_to__isnull=True).exclude(pk=area.pk)
    return render(request, "atlas/area.html", {
        "area": area, "rows": rows, "children": children, "siblings": siblings.order_by("name")[:60],
    })


@require_GET
def compare_view(request: HttpRequest) -> HttpResponse:
    ids = []
    for raw in request.GET.getlist("gebiet"):
        try:
            ids.append(int(raw))
        except ValueError as exc:
            raise Http404(_("Ungültige Gebietsnummer.")) from exc
    error = ""
    if len(ids) > MAX_COMPARE:
        error = _("Höchstens %(n)s Gebiete vergleichen; die ersten %(n)s werden gezeigt.") % {"n": MAX_COMPARE}
        ids = ids[:MAX_COMPARE]
    areas = list(Area.objects.filter(pk__in=ids).select_related("level", "region", "parent__level")
                 .defer(*related_geometry("parent")))
    areas.sort(key=lambda a: ids.index(a.pk))
    for area in areas:
        can_view_level(request.user, area.level).enforce()
    table: dict[int, dict[str, Any]] = {}
    order: list[Indicator] = []
    for col, area in enumerate(areas):
        for row in area_profile(area=area, user=request.user):
            if row.indicator.pk not in table:
                table[row.indicator.pk] = {"indicator": row.indicator, "period": row.period, "cells": [None] * len(areas)}
                order.append(row.indicator)
            table[row.indicator.pk]["cells"][col] = row.value
    candidates: QuerySet[Area] | list[Area] = []
    if areas:
        candidates = Area.objects.filter(level=areas[0].level, valid_to__isnull=True).order_by("name")
    return render(request, "atlas/compare.html", {
        "areas": areas, "rows": [table[i.pk] for i in order], "error": error, "candidates": candidates,
        "max_compare": MAX_COMPARE,
    })


def _float(raw: str | None, default: float) -> float:
    try:
        return float(str(raw).replace(",", ".")) if raw not in (None, "") else default
    except ValueError as exc:
        raise AtlasError(_("„%(v)s“ ist keine Zahl.") % {"v": raw}) from exc


@require_GET
def mss_view(request: HttpRequest, fmt: str = "") -> HttpResponse:
    region = Region.objects.filter(slug=request.GET.get("region") or installation.current().atlas_region).first() or Region.objects.first()
    if region is None:
        raise Http404
    levels = list(levels_visible(region=region, user=request.user))
    level = next((lv for lv in levels if lv.slug == request.GET.get("ebene")), levels[-1] if levels else None)
    # Status indicators: recorded values and shares computed from counts (the usual input on Sozialraum levels,
    # where ratios are recomputed from the units); not change indicators, the index computes the change itself.
    candidates = [i for i in indicators_for_region(region_id=region.id, user=request.user)
                  if i.derivation != Derivation.CHANGE and level is not None and level.id in indicator_levels(i)]
    periods = sorted({p for i in candidates for p in indicator_periods(i)})
    chosen_slugs = request.GET.getlist("status")
    if not chosen_slugs:
        from ..demo_indicators import DORTMUND_MSS

        chosen_slugs = [s for s in DORTMUND_MSS if any(c.slug == s for c in candidates)]
    chosen = [c for c in candidates if c.slug in chosen_slugs]
    population = next((c for c in candidates if c.kind == "count" and "einwohner" in c.slug), None)
    ctx: dict[str, Any] = {
        "region": region, "regions": Region.objects.order_by("is_reference", "name"), "levels": levels,
        "level": level, "candidates": candidates, "chosen": chosen_slugs, "periods": periods,
        "population": population, "status_text": STATUS_TEXT, "dynamics_text": DYNAMICS_TEXT,
        "status_colours": STATUS_COLOURS, "dynamics_colours": DYNAMICS_COLOURS, "table": None, "error": "",
    }
    try:
        sc = core.StatusCutoffs(high=_float(request.GET.get("hoch"), 1.0), low=_float(request.GET.get("niedrig"), -1.0),
                                very_low=_float(request.GET.get("sehr_niedrig"), -1.5))
        dc = core.DynamicsCutoffs(positive=_float(request.GET.get("positiv"), 1.0),
                                  negative=_float(request.GET.get("negativ"), -1.0))
        threshold = _float(request.GET.get("schwelle"), 300.0)
        p_from = request.GET.get("von") or (periods[0] if periods else "")
        p_to = request.GET.get("bis") or (periods[-1] if periods else "")
        ctx.update({"p_from": p_from, "p_to": p_to, "threshold": threshold, "sc": sc, "dc": dc})
        if level is not None and chosen and p_from and p_to:
            if p_from == p_to:
                raise AtlasError(_("Für die Dynamik bitte zwei verschiedene Zeitpunkte wählen."))
            pop_period = indicator_periods(population)[-1] if population else ""
            ctx["table"] = mss_for_level(
                level=level, indicators=chosen, period_from=p_from, period_to=p_to,
                population_indicator=population, population_period=pop_period, threshold=threshold,
                status_cutoffs=sc, dynamics_cutoffs=dc,
            )
    except (AtlasError, AnalysisError) as exc:
        ctx["error"] = str(exc)
    if fmt and ctx["table"] is not None:
        return exports.mss_export(ctx["table"], fmt)
    if ctx["table"] is not None:
        t = ctx["table"]
        for r in t.rows:
            r.pairs = list(zip(r.status_values, r.dynamics_values, strict=True))
        ctx["matrix"] = [
            {"status": s, "label": STATUS_TEXT[s], "colour": STATUS_COLOURS[s],
             "cells": [t.matrix.get(f"{s}.{d}", 0) for d in (1, 2, 3)]}
            for s in (1, 2, 3, 4)
        ]
        ctx["map_values"] = {r.area_id: [r.name, r.status_class, r.dynamics_class, r.group, r.reason] for r in t.rows}
        ctx["query"] = request.GET.urlencode()
    return render(request, "atlas/mss.html", ctx)


@require_GET
def mss_method(request: HttpRequest) -> HttpResponse:
    return render(request, "atlas/mss_method.html", {"sc": core.StatusCutoffs(), "dc": core.DynamicsCutoffs()})


@require_GET
def method_view(request: HttpRequest) -> HttpResponse:
    return render(request, "atlas/method.html")


@require_GET
def catalogue(request: HttpRequest, fmt: str = "") -> HttpResponse:
    inds = list(visible_indicators(request.user).order_by("region__name", "sort", "title"))
    if fmt:
        return exports.catalogue_export(inds, fmt)
    return render(request, "atlas/catalogue.html", {"indicators": inds})


@require_GET
def indicator_view(request: HttpRequest, slug: str) -> HttpResponse:
    ind = get_object_or_404(Indicator.objects.select_related("numerator", "denominator", "base", "region"), slug=slug)
    can_view_indicator(request.user, ind).enforce()
    levels = AreaLevel.objects.filter(id__in=indicator_levels(ind)).select_related("region")
    if not can_read_internal(request.user):
        levels = levels.filter(is_draft=False)
    return render(request, "atlas/indicator.html", {
        "ind": ind, "periods": indicator_periods(ind), "levels": levels,
    })
