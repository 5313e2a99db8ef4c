"""The reviewer's page: score each criterion with a reason, or declare a conflict of interest."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from begegnungsatlas.core.permissions import require_login

from .. import selectors
from ..errors import FundingError
from ..forms import NoteForm, ReviewForm
from ..models import ReviewAssignment
from ..permissions import can_review
from ..services.reviews import conflict_declare, review_save
from ._common import confirm_step, form_errors, run


def _assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__kommune", "reviewer"), pk=pk)
    if assignment.reviewer_id != request.user.pk:
        can_review(request.user, assignment).enforce()
    return assignment


def review(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    assignment = _assignment(request, pk)
    application = assignment.application
    criteria = list(application.call.criteria.all())
    form = ReviewForm(request.POST if request.method == "POST" else None, criteria=criteria)
    if request.method == "POST":
        can_review(request.user, assignment).enforce()
        valid = form.is_valid()
        submit = valid and bool(form.cleaned_data["submit"])
        if not valid:
            messages.error(request, form_errors(form))
        elif submit and (page := confirm_step(
                request, title=_("Bewertung abgeben"), action_label=_("Bewertung endgültig abgeben"),
                back=reverse("funding:review", args=[pk]),
                text=_("Ihre Bewertung der Bewerbung %(ref)s wird abgegeben und kann danach nicht mehr geändert "
                       "werden.") % {"ref": application.reference})) is not None:
            return page
        else:
            try:
                review_save(actor=request.user, assignment=assignment, scores=form.scores(), submit=submit)
            except FundingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Bewertung abgegeben.") if submit else _("Zwischenstand gespeichert."))
                return redirect("funding:review", pk=pk)
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    rows = [{"criterion": c, "score": existing.get(c.pk),
             "points": form.data.get(f"points-{c.pk}") if form.is_bound else
             (existing[c.pk].points if c.pk in existing else ""),
             "reason": form.data.get(f"reason-{c.pk}") if form.is_bound else
             (existing[c.pk].reason if c.pk in existing else "")} for c in criteria]
    total = selectors.weighted_total(list(existing.values()), {c.pk: c.weight for c in criteria})
    return render(request, "funding/review.html", {
        "assignment": assignment, "application": application, "rows": rows, "total": total,
        "scale": range(0, application.call.scale_max + 1), "may_review": bool(can_review(request.user, assignment)),
        "others": selectors.visible_reviews(request.user, application) if assignment.submitted_at else [],
    })


@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    assignment = _assignment(request, pk)
    if (page := confirm_step(
            request, title=_("Befangenheit erklären"), action_label=_("Ja, ich bin befangen"),
            back=reverse("funding:review", args=[pk]),
            text=_("Sie erklären sich für die Bewerbung %(ref)s als befangen. Danach können Sie sie weder lesen "
                   "noch bewerten.") % {"ref": assignment.application.reference})) is not None:
        return page
    note = NoteForm(request.POST)
    return run(request, lambda: conflict_declare(actor=request.user, assignment=assignment,
                                                 note=note.cleaned_data["note"] if note.is_valid() else ""),
               success=_("Befangenheit erklärt. Die Bewerbung ist für Sie jetzt gesperrt."),
               back=reverse("funding:index"))
