"""Public pages: the catalogue with search and filters, one measure, the Werkstattplan, the PDF catalogue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from begegnungsatlas.core.http import qs_without

from .. import selectors
from ..catalogue_pdf import catalogue_pdf
from ..forms import CatalogueFilterForm, NoteForm, StepAddForm
from ..models import Measure
from ..permissions import can_contribute, can_manage_catalogue, can_read_notes, can_view_measure


def _filtered(request: HttpRequest) -> tuple[CatalogueFilterForm, Any]:
    form = CatalogueFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"].strip(), "handlungsfeld": data["feld"], "kind": data["art"],
                   "target_group": data["zielgruppe"], "area": data["gebiet"]}
    return form, selectors.catalogue_search(user=request.user, **filters)


def catalogue(request: HttpRequest) -> HttpResponse:
    form, measures = _filtered(request)
    groups = selectors.catalogue_by_field(measures)
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "measures/catalogue.html", {
        "form": form, "groups": groups, "count": sum(len(ms) for _f, ms in groups),
        "query": qs_without(request), "can_manage": can_manage_catalogue(request.user).allowed,
        "has_example": any(m.is_example for _f, ms in groups for m in ms),
    }, status=status)


def catalogue_pdf_view(request: HttpRequest) -> HttpResponse:
    _form, measures = _filtered(request)
    groups = selectors.catalogue_by_field(measures.select_related("sheet").prefetch_related("sheet__cost_lines"))
    pdf = catalogue_pdf(groups, title=_("Werkzeugkatalog"), site=settings.BEGEGNUNGSATLAS_SITE_NAME)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="Werkzeugkatalog.pdf"'
    return response


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        measure = selectors.measure_detail(pk)
    except Measure.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_measure(request.user, measure).allowed:
        raise Http404
    sheet = selectors.sheet_of(measure)
    contribute = can_contribute(request.user, measure).allowed and sheet is not None
    return render(request, "measures/detail.html", {
        "measure": measure, "sheet": sheet, "funding_calls": selectors.funding_calls_of(measure, user=request.user),
        "show_notes": sheet is not None and can_read_notes(request.user, measure).allowed,
        "can_contribute": contribute, "can_manage": can_manage_catalogue(request.user).allowed,
        "step_form": StepAddForm(prefix="step") if contribute else None,
        "note_form": NoteForm(prefix="note") if contribute else None,
    })


def werkstattplan(request: HttpRequest) -> HttpResponse:
    timeline = selectors.werkstattplan(user=request.user)
    return render(request, "measures/plan.html", {
        "timeline": timeline, "has_example": any(r.measure.is_example for r in timeline.rows),
        "row_height": 28, "svg_height": 28 * len(timeline.rows) + 30,
    })
