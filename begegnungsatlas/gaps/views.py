"""Thin views of the gap analysis ("Versorgung"): form → services → template; permissions first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.http import error_messages
from begegnungsatlas.core.jobs import job_enqueue

from . import exports, selectors
from .errors import GapsError
from .forms import (
    AreaTableUploadForm,
    BundlingForm,
    GapForm,
    GridUploadForm,
    NetworkUploadForm,
    PublishForm,
    ScenarioNameForm,
)
from .groups import GROUPS
from .models import Scenario, WalkingNetwork
from .permissions import can_run, can_view_scenario
from .report import scenario_report_pdf
from .services.analysis import GapInputs, run_gap_analysis, run_siting
from .services.area_tables import area_table_import
from .services.bundling import bundling_overview
from .services.candidates import candidates_from_file
from .services.networks import max_bytes, network_delete, network_import
from .services.population import population_grid_import, read_rows
from .services.scenarios import scenario_publish
from .tasks import network_build_task, scenario_save_task

#: Field prefix of the area-table form: it shares the page with the grid and network forms (unique ids).
TABLE_PREFIX = "table"


def _inputs(form: GapForm) -> GapInputs:
    d = form.cleaned_data
    groups = tuple(t.slug for t in d["place_groups"]) or GROUPS[d["group"]].place_groups
    return GapInputs(grid=d["grid"], group=d["group"], method=d["method"], radius=float(d["radius"]),
                     level=d["level"], place_groups=groups, open_at=d.get("open_at"), network=d.get("network"))


def _extra_candidates(request: HttpRequest) -> list[dict[str, Any]] | None:
    upload = request.FILES.get("candidates")
    if not upload:
        return None
    return candidates_from_file(upload.name or "", upload.read())


def _map_data(results: dict[str, Any], level_id: int) -> dict[str, Any]:
    values = {a["area_id"]: a for a in results["areas"]}
    areas = Area.objects.filter(pk__in=list(values)).only("id", "name", "geometry_web", "geometry")
    features = []
    for area in areas:
        geom = area.geometry_web or area.geometry
        if geom:
            a = values[area.pk]
            features.append({"type": "Feature", "geometry": geom,
                             "properties": {"name": area.name, "share": a["unserved_share"], "rank": a["rank"]}})
    return {"areas": {"type": "FeatureCollection", "features": features}, "breaks": results["breaks"],
            "cells": [[c["lon"], c["lat"], c["demand"], 2 if c.get("outside") else (1 if c["served"] else 0)]
                      for c in results["cells"]],
            "places": [[p["lon"], p["lat"], p["name"]] for p in results["places"]]}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Planners: the analysis form and its results. Everybody else: the published scenarios."""
    if not can_run(request.user):
        return render(request, "gaps/public.html", {"scenarios": selectors.scenarios_visible_to(request.user)})
    form = GapForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "scenarios": selectors.scenarios_visible_to(request.user)[:50],
                               "upload_form": GridUploadForm(),
                               "table_form": AreaTableUploadForm(prefix=TABLE_PREFIX), "name_form": ScenarioNameForm(),
                               "network_form": NetworkUploadForm(), "networks": selectors.networks()}
    if request.method == "POST" and form.is_valid():
        inputs = _inputs(form)
        try:
            results = run_gap_analysis(inputs)
            siting = None
            if form.wants_siting:
                siting = run_siting(inputs, p=form.cleaned_data.get("siting_p"),
                                    extra_candidates=_extra_candidates(request),
                                    method=form.cleaned_data["siting_method"])
        except GapsError as exc:
            form.add_error(None, str(exc))
        else:
            context.update(results=results, siting=siting, map_data=_map_data(results, inputs.level.pk))
    return render(request, "gaps/index.html", context, status=400 if form.errors else 200)


@require_POST
def scenario_create(request: HttpRequest) -> HttpResponse:
    """Check the form, then compute and save in the background; the user follows the job's progress."""
    can_run(request.user).enforce()
    form = GapForm(request.POST, request.FILES)
    name_form = ScenarioNameForm(request.POST)
    if not (form.is_valid() and name_form.is_valid()):
        messages.error(request, _("Das Szenario wurde nicht gespeichert: bitte Eingaben und Namen prüfen."))
        return redirect("gaps:index")
    try:
        extra = _extra_candidates(request)
    except GapsError as exc:
        messages.error(request, str(exc))
        return redirect("gaps:index")
    name = name_form.cleaned_data["name"]
    job = job_enqueue(task=scenario_save_task, kind="gaps.scenario", owner=request.user,
                      label=_("Szenario „%(name)s“ berechnen") % {"name": name},
                      name=name, inputs=_inputs(form).as_json(), siting_p=form.cleaned_data.get("siting_p"),
                      siting_method=form.cleaned_data["siting_method"], extra_candidates=extra, actor_id=request.user.pk)
    return redirect("core:job", pk=job.pk)


def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("region"), pk=pk)
    can_view_scenario(request.user, scenario).enforce()
    results = scenario.results["gaps"]
    return render(request, "gaps/scenario.html", {
        "scenario": scenario, "results": results, "siting": scenario.results.get("siting"),
        "map_data": _map_data(results, scenario.inputs["level"]), "can_run": bool(can_run(request.user)),
        "scenarios": selectors.scenarios_visible_to(request.user).exclude(pk=pk)[:50],
    })


@require_POST
def scenario_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    can_run(request.user).enforce()
    scenario = get_object_or_404(Scenario, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie „veröffentlichen“ oder „zurückziehen“."))
        return redirect("gaps:scenario", pk=pk)
    scenario_publish(scenario=scenario, published=form.cleaned_data["published"], actor=request.user)
    return redirect("gaps:scenario", pk=pk)


def compare(request: HttpRequest) -> HttpResponse:
    try:
        a_pk, b_pk = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        return render(request, "400.html", {"message": _("Bitte zwei Szenarien wählen.")}, status=400)
    a, b = get_object_or_404(Scenario, pk=a_pk), get_object_or_404(Scenario, pk=b_pk)
    can_view_scenario(request.user, a).enforce()
    can_view_scenario(request.user, b).enforce()
    rows: dict[str, dict[str, Any]] = {}
    for key, s in (("a", a), ("b", b)):
        for area in s.results["gaps"]["areas"]:
            rows.setdefault(area["name"], {"name": area["name"]})[key] = area
    return render(request, "gaps/compare.html", {"a": a, "b": b, "rows": sorted(rows.values(), key=lambda r: r["name"])})


def scenario_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    can_view_scenario(request.user, scenario).enforce()
    results = scenario.results["gaps"]
    stem = f"versorgung_szenario_{scenario.pk}"
    if fmt == "csv":
        resp = HttpResponse(exports.areas_csv(results), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        resp = HttpResponse(exports.areas_xlsx(results),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "geojson":
        resp = JsonResponse(exports.cells_geojson(results), content_type="application/geo+json")
    else:
        return render(request, "404.html", status=404)
    resp["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return resp


def bundling(request: HttpRequest) -> HttpResponse:
    """Offers × target groups × places; clusters within walking distance; candidate centres (planners)."""
    can_run(request.user).enforce()
    form = BundlingForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            context["result"] = bundling_overview(region=d["region"], group=d["group"], radius=float(d["radius"]),
                                                 network=d["network"])
        except GapsError as exc:
            form.add_error(None, str(exc))
    if context.get("result") and request.GET.get("format") == "csv":
        return HttpResponse(exports.clusters_csv(context["result"]), content_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="buendelung.csv"'})
    if context.get("result"):
        result = context["result"]
        # Map data (json_script): each cluster's places (lon, lat, name) and the candidate centres.
        context["map_data"] = {
            "clusters": [c["points"] for c in result["clusters"]],
            "centres": [[c["lon"], c["lat"], c["name"], c["offers"]] for c in result["centres"]],
        }
    return render(request, "gaps/bundling.html", context, status=400 if form.errors else 200)


def scenario_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("region"), pk=pk)
    can_view_scenario(request.user, scenario).enforce()
    resp = HttpResponse(scenario_report_pdf(scenario), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="versorgung_szenario_{scenario.pk}.pdf"'
    return resp


@require_POST
def grid_upload(request: HttpRequest) -> HttpResponse:
    can_run(request.user).enforce()
    form = GridUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Das Raster wurde nicht importiert: bitte alle Felder ausfüllen."))
        return redirect("gaps:index")
    d = form.cleaned_data
    try:
        summary = population_grid_import(
            region=d["region"], name=d["name"], data_year=d["data_year"], source=d["source"],
            licence=d.get("licence", ""), rows=read_rows(d["file"].name, d["file"].read()), actor=request.user,
        )
    except GapsError as exc:
        messages.error(request, _("Das Raster wurde nicht importiert: %(error)s") % {"error": exc})
        return redirect("gaps:index")
    messages.success(request, _("%(cells)s Zellen importiert, %(in_areas)s davon in Gebieten der Region.")
                     % {"cells": summary.cells, "in_areas": summary.in_areas})
    return redirect("gaps:index")




@require_POST
def area_table_upload(request: HttpRequest) -> HttpResponse:
    """Planners import a table of counts per area; it is spread onto cells and usable like a grid."""
    can_run(request.user).enforce()
    form = AreaTableUploadForm(request.POST, request.FILES, prefix=TABLE_PREFIX)
    if not form.is_valid():
        errors = "; ".join(error_messages(form))
        messages.error(request, _("Die Tabelle wurde nicht importiert: %(error)s") % {"error": errors})
        return redirect("gaps:index")
    d = form.cleaned_data
    try:
        summary = area_table_import(
            region=d["region"], level=d["level"], name=d["name"], data_year=d["data_year"], source=d["source"],
            licence=d.get("licence", ""), key_column=d.get("key_column", ""), columns=d.get("columns", ""),
            weight_grid=d.get("weight_grid"), rows=read_rows(d["file"].name or "", d["file"].read()),
            skip_outside=bool(d.get("skip_outside")), actor=request.user,
        )
    except GapsError as exc:
        messages.error(request, str(exc) if str(exc).startswith(_("Die Tabelle wurde nicht importiert"))
                       else _("Die Tabelle wurde nicht importiert: %(error)s") % {"error": exc})
        return redirect("gaps:index")
    text = _("%(areas)s Gebiete auf %(cells)s Zellen verteilt. %(label)s.") % {
        "areas": summary.areas, "cells": summary.cells, "label": summary.grid.need_label}
    if summary.skipped_rows:
        text += " " + _("%(n)s Zeilen zu Gebieten außerhalb der Region übersprungen.") % {"n": summary.skipped_rows}
    messages.success(request, text)
    return redirect("gaps:index")


@require_POST
def network_upload(request: HttpRequest) -> HttpResponse:
    """Store an OSM extract and build its walking graph in the background (planners)."""
    can_run(request.user).enforce()
    form = NetworkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Das Wegenetz wurde nicht importiert: bitte alle Felder ausfüllen."))
        return redirect("gaps:index")
    d = form.cleaned_data
    upload = d["file"]
    try:
        if upload.size is not None and upload.size > max_bytes():
            raise GapsError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": max_bytes() // (1024 * 1024)})
        network = network_import(region=d["region"], name=d["name"], source=d["source"], licence=d["licence"],
                                 data_date=d.get("data_date", ""), content=upload.read(max_bytes() + 1),
                                 original_name=upload.name or "", actor=request.user)
    except GapsError as exc:
        messages.error(request, _("Das Wegenetz wurde nicht importiert: %(error)s") % {"error": exc})
        return redirect("gaps:index")
    job = job_enqueue(task=network_build_task, kind="gaps.network", owner=request.user,
                      label=_("Wegenetz „%(name)s“ aufbauen") % {"name": network.name}, network_id=network.pk)
    return redirect("core:job", pk=job.pk)


@require_POST
def network_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    can_run(request.user).enforce()
    network = get_object_or_404(WalkingNetwork, pk=pk)
    name = network.name
    network_delete(network=network, actor=request.user)
    messages.success(request, _("Wegenetz „%(name)s“ gelöscht (mit seinen Dateien).") % {"name": name})
    return redirect("gaps:index")
