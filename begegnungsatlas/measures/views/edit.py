"""Planner pages (catalogue, Handlungsfelder, Werkzeugblätter) and partners' contributions (steps, notes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..errors import MeasureError
from ..forms import (
    CostLineFormSet,
    HandlungsfeldForm,
    LinkFormSet,
    MeasureForm,
    NoteForm,
    SheetForm,
    StepAddForm,
    StepDoneForm,
    StepFormSet,
    SuccessIndicatorFormSet,
    formset_rows,
)
from ..models import Handlungsfeld, Measure, Step, Werkzeugblatt
from ..permissions import can_contribute, can_manage_catalogue

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


def mine(request: HttpRequest) -> HttpResponse:
    """The measures the signed-in person may contribute to (or all for the planner)."""
    _contributor_role(request.user).enforce()
    return render(request, "measures/mine.html", {
        "measures": selectors.measures_for_contributor(request.user),
        "can_manage": can_manage_catalogue(request.user).allowed,
        "fields": Handlungsfeld.objects.all(),
    })


def _contributor_role(user: Actor) -> Any:
    from begegnungsatlas.core.models import Role
    from begegnungsatlas.core.permissions import allow, deny, has_role, is_authenticated

    if has_role(user, Role.PLANNER, Role.KOMMUNE_EDITOR, Role.OPERATOR):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Beiträge zu Werkzeugen machen Sozialplanung, Kommunen und Träger."))


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    can_manage_catalogue(request.user).enforce()
    measure = get_object_or_404(Measure, pk=pk) if pk is not None else None
    post = request.POST if request.method == "POST" else None
    form = MeasureForm(post, instance=measure)
    links = LinkFormSet(post, prefix="links", initial=[
        {"title": link.title, "url": link.url} for link in measure.links.all()
    ] if measure else None)
    status = 200
    if post is not None:
        status = 400
        if form.is_valid() and links.is_valid():
            data = form.cleaned_data
            relations = services.Relations(**{k: data[k] for k in services.RELATION_FIELDS})
            try:
                saved = services.measure_save(
                    actor=request.user, measure=measure, relations=relations, links=formset_rows(links),
                    data={k: data[k] for k in ("handlungsfeld", "number", "title", "kind", "description",
                                               "responsible_office", "is_published")},
                )
            except MeasureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Das Werkzeug wurde gespeichert."))
                return redirect("measures:detail", pk=saved.pk)
    return render(request, "measures/measure_form.html", {"form": form, "links": links, "measure": measure},
                  status=status)


@require_http_methods(["GET", "POST"])
def handlungsfeld_edit(request: HttpRequest, pk: int) -> HttpResponse:
    can_manage_catalogue(request.user).enforce()
    feld = get_object_or_404(Handlungsfeld, pk=pk)
    form = HandlungsfeldForm(request.POST or None, instance=feld)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.handlungsfeld_save(actor=request.user, handlungsfeld=feld, data=form.cleaned_data)
            except MeasureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Das Handlungsfeld wurde gespeichert."))
                return redirect("measures:catalogue")
    return render(request, "measures/field_form.html", {"form": form, "feld": feld}, status=status)


Rows = list[dict[str, Any]]


def _sheet_initial(sheet: Werkzeugblatt | None) -> tuple[dict[str, Any], Rows, Rows, Rows]:
    if sheet is None:
        return {}, [], [], []
    data = {"goals": sheet.goals, "resources": sheet.resources, "status": sheet.status}
    costs = [{"item": c.item, "kind": c.kind, "amount": c.amount, "note": c.note} for c in sheet.cost_lines.all()]
    steps = [{"title": s.title, "owner": s.owner, "start": s.start, "end": s.end, "is_done": s.is_done}
             for s in sheet.steps.all()]
    indicators = [{"description": i.description, "indicator": i.indicator, "target": i.target}
                  for i in sheet.success_indicators.all()]
    return data, steps, indicators, costs


@require_http_methods(["GET", "POST"])
def sheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Create or edit the Werkzeugblatt of a measure (creating it adds the measure to the Werkstattplan)."""
    can_manage_catalogue(request.user).enforce()
    measure = get_object_or_404(Measure, pk=pk)
    initial, step_rows, indicator_rows, cost_rows = _sheet_initial(selectors.sheet_of(measure))
    post = request.POST if request.method == "POST" else None
    form = SheetForm(post, initial=initial)
    steps = StepFormSet(post, prefix="steps", initial=step_rows or None)
    indicators = SuccessIndicatorFormSet(post, prefix="ind", initial=indicator_rows or None)
    costs = CostLineFormSet(post, prefix="costs", initial=cost_rows or None)
    status = 200
    if post is not None:
        status = 400
        if all([form.is_valid(), steps.is_valid(), indicators.is_valid(), costs.is_valid()]):
            try:
                services.sheet_save(actor=request.user, measure=measure, data=form.cleaned_data,
                                    plan=services.SheetPlan(formset_rows(steps), formset_rows(indicators),
                                                            formset_rows(costs)))
            except MeasureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Das Werkzeugblatt wurde gespeichert."))
                return redirect("measures:detail", pk=measure.pk)
    return render(request, "measures/sheet_form.html", {
        "measure": measure, "form": form, "steps": steps, "indicators": indicators, "costs": costs,
    }, status=status)


def _contribute(request: HttpRequest, pk: int, form: Any, action: Callable[[Measure, dict[str, Any]], Any],
                *, invalid: str, success: str) -> HttpResponse:
    """The partners' POST endpoints: permission, form, one service call, a message, back to the measure."""
    measure = get_object_or_404(Measure, pk=pk)
    can_contribute(request.user, measure).enforce()
    if not form.is_valid():
        messages.error(request, invalid % {"e": _form_errors(form)})
        return redirect("measures:detail", pk=pk)
    try:
        action(measure, form.cleaned_data)
    except MeasureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("measures:detail", pk=pk)


@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _contribute(
        request, pk, StepAddForm(request.POST, prefix="step"),
        lambda measure, data: services.step_add(actor=request.user, measure=measure, data=data),
        invalid=_("Der Schritt wurde nicht gespeichert: %(e)s"), success=_("Der Schritt wurde hinzugefügt."))


def _set_done(request: HttpRequest, measure: Measure, data: dict[str, Any]) -> Step:
    step = get_object_or_404(Step, pk=data["step"], sheet__measure=measure)
    return services.step_set_done(actor=request.user, step=step, done=data["done"])


@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _contribute(
        request, pk, StepDoneForm(request.POST), lambda measure, data: _set_done(request, measure, data),
        invalid=_("Der Schritt wurde nicht gespeichert: %(e)s"), success=_("Der Schritt wurde aktualisiert."))


@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _contribute(
        request, pk, NoteForm(request.POST, prefix="note"),
        lambda measure, data: services.note_add(actor=request.user, measure=measure, text=data["text"]),
        invalid=_("Die Notiz wurde nicht gespeichert: %(e)s"), success=_("Die Notiz wurde gespeichert."))


def _form_errors(form: Any) -> str:
    return " ".join(" ".join(errors) for errors in form.errors.values())
