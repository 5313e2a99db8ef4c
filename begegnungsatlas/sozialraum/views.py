"""Thin views of the Sozialraum pages: permissions first, then one service or selector, then a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from begegnungsatlas.atlas.models import Indicator
from begegnungsatlas.core.http import error_messages
from begegnungsatlas.core.jobs import job_enqueue
from begegnungsatlas.core.typing import signed_in_user

from . import selectors
from .errors import SozialraumError
from .forms import (
    AdoptForm,
    EditCheckForm,
    MergeForm,
    MoveForm,
    ProposeForm,
    RenameForm,
    ReportForm,
    SeriesForm,
    SplitForm,
)
from .models import Proposal, SozialraumLevel
from .permissions import can_edit_sozialraum, can_plan, can_view_sozialraum
from .services import edits
from .services.propose import ProposalInputs
from .services.versions import sozialraum_adopt, sozialraum_create_from_proposal, sozialraum_new_version
from .tasks import proposal_create_task, report_task


def _sr(pk: int) -> SozialraumLevel:
    return get_object_or_404(SozialraumLevel.objects.select_related(
        "level__region", "level__composed_of", "population_indicator", "predecessor__level"), pk=pk)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    planner = bool(can_plan(request.user))
    return render(request, "sozialraum/index.html", {
        "levels": selectors.sozialraum_levels_visible(request.user), "planner": planner,
        "proposals": selectors.proposals_recent() if planner else [],
    })


def _inputs(form: ProposeForm) -> ProposalInputs:
    d = form.cleaned_data
    weights = d["weight_map"]
    return ProposalInputs(
        base_level=d["base_level"], method=d["method"], period=d["period"].strip(),
        indicators=[(i, weights.get(i.slug, 1.0)) for i in d["indicators"]],
        population_indicator=d.get("population_indicator"), min_population=d.get("min_population"),
        min_units=d.get("min_units"), n_regions=d.get("n_regions"),
    )


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    can_plan(request.user).enforce()
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = job_enqueue(task=proposal_create_task, kind="sozialraum.propose",
                          label=_("Sozialraum-Vorschlag „%(name)s“") % {"name": form.cleaned_data["name"]},
                          owner=signed_in_user(request), name=form.cleaned_data["name"],
                          inputs=_inputs(form).to_json(), actor_id=signed_in_user(request).pk)
        return redirect("core:job", pk=job.pk)
    return render(request, "sozialraum/propose.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_plan(request.user).enforce()
    proposal = get_object_or_404(Proposal.objects.select_related("base_level__region"), pk=pk)
    indicators = Indicator.objects.in_bulk([i for i, _w in proposal.params.get("indicators", [])])
    return render(request, "sozialraum/proposal.html", {
        "proposal": proposal, "series_form": SeriesForm(initial={"series": _("Sozialräume")}),
        "indicators": [(indicators.get(i), w) for i, w in proposal.params.get("indicators", [])],
        "others": Proposal.objects.filter(base_level=proposal.base_level).exclude(pk=pk)[:20],
    })


@require_POST
def proposal_adopt_as_draft(request: HttpRequest, pk: int) -> HttpResponse:
    can_plan(request.user).enforce()
    proposal = get_object_or_404(Proposal, pk=pk)
    form = SeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte einen Namen angeben."))
        return redirect("sozialraum:proposal", pk=pk)
    try:
        sr = sozialraum_create_from_proposal(proposal=proposal, series=form.cleaned_data["series"],
                                             actor=signed_in_user(request))
    except SozialraumError as exc:
        messages.error(request, str(exc))
        return redirect("sozialraum:proposal", pk=pk)
    messages.success(request, _("Entwurf „%(name)s“ angelegt.") % {"name": sr.level.name})
    return redirect("sozialraum:level", pk=sr.pk)


@require_GET
def proposal_compare(request: HttpRequest) -> HttpResponse:
    can_plan(request.user).enforce()
    try:
        a = get_object_or_404(Proposal, pk=int(request.GET.get("a", "")))
        b = get_object_or_404(Proposal, pk=int(request.GET.get("b", "")))
    except ValueError as exc:
        raise Http404(_("Bitte zwei Vorschläge wählen.")) from exc
    return render(request, "sozialraum/compare.html", {"a": a, "b": b, **selectors.proposal_compare(a, b)})


@require_GET
def level_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _sr(pk)
    can_view_sozialraum(request.user, sr).enforce()
    editable = bool(can_edit_sozialraum(request.user, sr))
    view = selectors.layout_view(sr)
    return render(request, "sozialraum/level.html", {
        "sr": sr, "view": view, "editable": editable, "planner": bool(can_plan(request.user)),
        "reports": sr.reports.defer("pdf")[:10] if can_plan(request.user) else [],
        "adopt_form": AdoptForm(), "versions": SozialraumLevel.objects.filter(series=sr.series)
        .select_related("level").order_by("-version"),
    })


@require_GET
def level_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    sr = _sr(pk)
    can_view_sozialraum(request.user, sr).enforce()
    return JsonResponse(selectors.layout_geojson(sr))


def _plan(sr: SozialraumLevel, post: Any) -> edits.Edit:
    action = post.get("action", "")
    if action == "move":
        form: Any = MoveForm(post)
        if form.is_valid():
            return edits.plan_move(sr, unit_id=form.cleaned_data["unit"], target_code=form.cleaned_data["target"])
    elif action == "merge":
        form = MergeForm(post)
        if form.is_valid():
            return edits.plan_merge(sr, code=form.cleaned_data["code"], other_code=form.cleaned_data["other"])
    elif action == "split":
        view = selectors.layout_view(sr)
        form = SplitForm(post, unit_choices=[(u.id, u.name) for u in view.units])
        if form.is_valid():
            return edits.plan_split(sr, code=form.cleaned_data["code"], unit_ids=form.cleaned_data["units"],
                                    new_name=form.cleaned_data["new_name"])
    elif action == "rename":
        form = RenameForm(post)
        if form.is_valid():
            return edits.plan_rename(sr, code=form.cleaned_data["code"], name=form.cleaned_data["name"])
    else:
        raise SozialraumError(_("Unbekannte Bearbeitung."))
    raise SozialraumError(_("Die Angaben sind unvollständig: %(errors)s")
                          % {"errors": "; ".join(error_messages(form))})


@require_POST
def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one hand edit, or (``check=1``, htmx) only say whether it would pass the checks."""
    sr = _sr(pk)
    can_edit_sozialraum(request.user, sr).enforce()
    check = EditCheckForm(request.POST)
    only_check = check.is_valid() and check.cleaned_data["check"]
    try:
        edit = _plan(sr, request.POST)
        if only_check:
            problems = edits.edit_preview(sr, edit)
            return render(request, "sozialraum/_check.html", {"edit": edit, "problems": problems})
        edits.edit_apply(sr=sr, edit=edit, actor=signed_in_user(request))
    except SozialraumError as exc:
        if only_check:
            return render(request, "sozialraum/_check.html", {"problems": [str(exc)]})
        messages.error(request, str(exc))
        return redirect("sozialraum:level", pk=pk)
    messages.success(request, _("Gespeichert: %(what)s.") % {"what": edit.description})
    return redirect("sozialraum:level", pk=pk)


@require_POST
def level_undo(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _sr(pk)
    can_edit_sozialraum(request.user, sr).enforce()
    try:
        step = edits.edit_undo(sr=sr, actor=signed_in_user(request))
    except SozialraumError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rückgängig gemacht: %(what)s.") % {"what": step.description})
    return redirect("sozialraum:level", pk=pk)


@require_POST
def level_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _sr(pk)
    can_edit_sozialraum(request.user, sr).enforce()
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte das Datum des Beschlusses angeben."))
        return redirect("sozialraum:level", pk=pk)
    try:
        sozialraum_adopt(sr=sr, adopted_on=form.cleaned_data["adopted_on"], actor=signed_in_user(request))
    except SozialraumError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("„%(name)s“ ist beschlossen.") % {"name": sr.level.name})
    return redirect("sozialraum:level", pk=pk)


@require_POST
def level_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _sr(pk)
    can_plan(request.user).enforce()
    can_view_sozialraum(request.user, sr).enforce()
    try:
        new = sozialraum_new_version(sr=sr, actor=signed_in_user(request))
    except SozialraumError as exc:
        messages.error(request, str(exc))
        return redirect("sozialraum:level", pk=pk)
    return redirect("sozialraum:level", pk=new.pk)


@require_http_methods(["GET", "POST"])
def report_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    sr = _sr(pk)
    can_plan(request.user).enforce()
    can_view_sozialraum(request.user, sr).enforce()
    form = ReportForm(request.POST or None, initial={"title": _("Sozialraumbericht %(name)s")
                                                    % {"name": sr.level.region.name}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        options = {"sozialraum": sr.pk, "title": d["title"], "indicators": [i.pk for i in d["indicators"]],
                   "period_from": d["period_from"], "period_to": d["period_to"]}
        job = job_enqueue(task=report_task, kind=f"sozialraum.{d['kind']}", label=d["title"],
                          owner=signed_in_user(request), report_kind=d["kind"], options=options,
                          actor_id=signed_in_user(request).pk)
        return redirect("core:job", pk=job.pk)
    return render(request, "sozialraum/report_form.html", {"form": form, "sr": sr},
                  status=400 if form.errors else 200)


@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import Report

    report = get_object_or_404(Report.objects.select_related("sozialraum"), pk=pk)
    can_plan(request.user).enforce()
    resp = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="{report.kind}-{report.pk}.pdf"'
    return resp
