"""Applications: apply, edit with completeness check, attachments, transitions, screening, assignment, PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from begegnungsatlas.atlas.selectors.areas import kommunen
from begegnungsatlas.core.models import Role, User
from begegnungsatlas.core.permissions import require_login
from begegnungsatlas.core.typing import signed_in_user
from begegnungsatlas.places.models import OrganisationKind, Place, PlaceStatus

from .. import letters, rules, selectors
from ..errors import FundingError
from ..forms import (
    ActorFormSet,
    ApplicationForm,
    ApplyForm,
    AssignForm,
    AttachmentForm,
    NoteForm,
    SaveThenForm,
    ScreeningForm,
    TransitionForm,
    formset_rows,
)
from ..models import ActorStatus, Application, Call
from ..permissions import (
    can_apply,
    can_edit_application,
    can_manage,
    can_transition,
    can_view_application,
    is_applicant_for,
)
from ..services import applications as services
from ..services.reviews import reviewer_assign
from ..workflow import EDITABLE_STATES, TRANSITIONS, State, transitions_from
from ._common import confirm_step, form_errors, run

ACTOR_ROWS_EXTRA = 3


def _get(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(selectors.applications_base(), pk=pk)
    can_view_application(request.user, application).enforce()
    return application


@require_POST
def apply(request: HttpRequest, call_pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    call = get_object_or_404(Call, pk=call_pk)
    can_apply(request.user, call).enforce()
    kommune = None
    if signed_in_user(request).role == Role.OPERATOR:
        form = ApplyForm(request.POST, kommunen=kommunen())
        kommune = form.cleaned_data["kommune"] if form.is_valid() else None
    try:
        application = services.application_create(actor=request.user, call=call, kommune=kommune)
    except FundingError as exc:
        messages.error(request, str(exc))
        return redirect("funding:call", pk=call.pk)
    messages.success(request, _("Ihr Entwurf ist angelegt. Sie können ihn jederzeit speichern und später "
                                "weiterbearbeiten."))
    return redirect("funding:application_edit", pk=application.pk)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    user = signed_in_user(request)
    actions = []
    for to, transition in transitions_from(application.state):
        if can_transition(user, application, to):
            actions.append({"to": to, "label": transition.label, "note_required": transition.note_required})
    deadline, extension = rules.effective_deadline(application.call, application.kommune_id)
    office = bool(can_manage(user))
    ctx = {
        "application": application,
        "revisions": application.revisions.select_related("created_by"),
        "latest": application.revisions.order_by("-number").first(),
        "actors": application.actors.all(),
        "target_groups": application.target_groups.all(),
        "attachments": application.attachments.all(),
        "missing": rules.missing_items(application) if application.state in EDITABLE_STATES else [],
        "editable": bool(can_edit_application(user, application)),
        "is_applicant": is_applicant_for(user, application),
        "actions": actions, "deadline": deadline, "extension": extension, "office": office,
        "reviews": selectors.visible_reviews(user, application),
        "assignments": application.assignments.select_related("reviewer") if office or user.role == Role.AUDITOR
        else [],
        "own_assignment": application.assignments.filter(reviewer=user).first() if user.role == Role.REVIEWER
        else None,
        "history": selectors.application_history(user, application),
        "note_form": NoteForm(), "attach_form": AttachmentForm(),
        "grant": getattr(application, "grant", None) if hasattr(application, "grant") else None,
    }
    if office and application.state == State.SCREENING:
        ctx["screen_form"] = ScreeningForm(initial={
            "complete": "1" if application.screening_complete else ("0" if application.screening_complete is False
                                                                     else None),
            "eligible": "1" if application.screening_eligible else ("0" if application.screening_eligible is False
                                                                    else None),
            "note": application.screening_note})
    if office and application.state in (State.SCREENING, State.IN_REVIEW):
        ctx["assign_form"] = AssignForm(reviewers=User.objects.filter(role=Role.REVIEWER, is_active=True)
                                        .exclude(review_assignments__application=application))
    return render(request, "funding/application_detail.html", ctx)


def _places_for(application: Application) -> QuerySet[Place]:
    return (Place.objects.filter(kommune_id=application.kommune_id)
            .filter(Q(status=PlaceStatus.POTENTIAL) | Q(status__in=[PlaceStatus.EXISTING, PlaceStatus.PLANNED]))
            .order_by("status", "name"))


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    can_edit_application(request.user, application).enforce()
    places = _places_for(application)
    if request.method == "POST":
        form = ApplicationForm(request.POST, places=places)
        actor_forms = ActorFormSet(request.POST, prefix="actor")
        actors_valid = actor_forms.is_valid()
        actor_rows = formset_rows(actor_forms) if actors_valid else []
        if form.is_valid() and actors_valid:
            d = dict(form.cleaned_data)
            place, target_groups = d.pop("place"), d.pop("target_groups")
            try:
                services.application_update(actor=request.user, application=application, data=d,
                                            target_groups=list(target_groups), actors=actor_rows, place=place)
            except FundingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Gespeichert."))
                if SaveThenForm(request.POST).go_submit():
                    return redirect(reverse("funding:application", args=[pk]) + "#einreichen")
                return redirect("funding:application_edit", pk=pk)
        else:
            messages.error(request, _("Bitte prüfen Sie die markierten Felder. Es wurde nichts gespeichert."))
    else:
        form = ApplicationForm(initial=ApplicationForm.initial_for(application), places=places)
        actor_rows = [{"name": a.name, "kind": a.kind, "status": a.status, "role": a.role}
                      for a in application.actors.all()]
    actor_rows = [r for r in actor_rows if any(r.values())] + [{"name": "", "kind": "", "status": "", "role": ""}] * ACTOR_ROWS_EXTRA
    application.refresh_from_db()
    return render(request, "funding/application_form.html", {
        "application": application, "form": form, "actor_rows": actor_rows,
        "actor_management": ActorFormSet(initial=actor_rows, prefix="actor").management_form,
        "kinds": OrganisationKind.choices, "statuses": ActorStatus.choices,
        "missing": rules.missing_items(application),
        "deadline": rules.effective_deadline(application.call, application.kommune_id)[0],
    })


@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    can_edit_application(request.user, application).enforce()
    form = AttachmentForm(request.POST, request.FILES)
    back = reverse("funding:application", args=[pk])
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return run(request, lambda: services.application_attach(
        actor=request.user, application=application, upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"]), success=_("Anlage gespeichert."), back=back)


@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    form = TransitionForm(request.POST)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    if to not in State.values:
        raise Http404
    decision = can_transition(request.user, application, to)
    if not decision and application.state != to:
        decision.enforce()
    label = State(to).label
    back = reverse("funding:application", args=[pk])
    step = TRANSITIONS.get((application.state, to))
    if step is not None and step.irreversible and (page := confirm_step(
            request, title=step.label, action_label=step.label, back=back,
            text=_("Bewerbung %(ref)s: „%(label)s“ (neuer Status: %(state)s).")
            % {"ref": application.reference, "label": step.label, "state": label})) is not None:
        return page
    return run(request, lambda: services.application_transition(
        actor=request.user, application=application, to=to, note=form.cleaned_data["note"]),
        success=_("Neuer Status: %(state)s.") % {"state": label}, back=back)


@require_POST
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    can_manage(request.user).enforce()
    form = ScreeningForm(request.POST)
    back = reverse("funding:application", args=[pk])
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    d = form.cleaned_data
    return run(request, lambda: services.application_screen(
        actor=request.user, application=application, complete=d["complete"], eligible=d["eligible"],
        note=d["note"]), success=_("Vorprüfung gespeichert."), back=back)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    can_manage(request.user).enforce()
    form = AssignForm(request.POST, reviewers=User.objects.filter(role=Role.REVIEWER, is_active=True))
    back = reverse("funding:application", args=[pk])
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return run(request, lambda: reviewer_assign(actor=request.user, application=application,
                                                reviewer=form.cleaned_data["reviewer"]),
               success=_("Gutachter:in zugewiesen."), back=back)


def pdf(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    require_login(request.user).enforce()
    application = _get(request, pk)
    revision = None
    if number is not None:
        revision = get_object_or_404(application.revisions, number=number)
    content = letters.application_pdf(application, revision)
    response = HttpResponse(content, content_type="application/pdf")
    suffix = f"-Fassung-{revision.number}" if revision else ""
    response["Content-Disposition"] = f'inline; filename="Bewerbung-{application.reference}{suffix}.pdf"'
    return response
