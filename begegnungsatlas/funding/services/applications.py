"""Writes for applications. Every state change goes through ``application_transition``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import require_user
from begegnungsatlas.core.services import audit_record, diff_fields
from begegnungsatlas.places.models import OrganisationKind, Place, PlaceStatus, TargetGroup

from .. import letters, rules
from ..errors import FundingError
from ..models import (
    ActorStatus,
    Application,
    ApplicationActor,
    ApplicationRevision,
    Call,
    Decision,
    PlaceMode,
)
from ..permissions import can_apply, can_edit_application, can_manage, can_transition
from ..workflow import TRANSITIONS, State
from .documents import document_store

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


CONTENT_FIELDS = [
    "title", "place_mode", "location", "concept", "target_groups_note", "staff_hours_per_week",
    "own_funds_cents", "volunteers", "organisation_note", "contact_name", "contact_email", "contact_phone",
]
NULLABLE_FIELDS = {"staff_hours_per_week", "own_funds_cents", "volunteers"}


def _now(now: datetime | None) -> datetime:
    value = now or timezone.now()
    if timezone.is_naive(value):
        raise ValueError("now must be timezone-aware")
    return value


def application_create(*, actor: Actor, call: Call, kommune: Area | None = None, now: datetime | None = None,
                       is_example: bool = False) -> Application:
    """Start a draft for the actor's Kommune (or, for an operator, the Kommune it applies for)."""
    can_apply(actor, call).enforce()
    person = require_user(actor)
    now = _now(now)
    if call.status != "published" or now > rules.effective_deadline(
            call, kommune.pk if kommune else person.kommune_id)[0]:
        raise FundingError(_("Für den Aufruf „%(call)s“ können keine Bewerbungen mehr angelegt werden.")
                           % {"call": call.title})
    partner = None
    if person.role == Role.OPERATOR:
        if kommune is None:
            raise FundingError(_("Bitte wählen Sie die Kommune, in deren Auftrag Sie sich bewerben."))
        partner = person.organisation
    else:
        kommune = person.kommune
    if kommune is None or not kommune.level.is_municipality:
        raise FundingError(_("Bitte wählen Sie eine Kommune."))
    if call.region_id and kommune.region_id != call.region_id:
        raise FundingError(_("%(kommune)s gehört nicht zum Gebiet dieses Aufrufs.") % {"kommune": kommune.name})
    with transaction.atomic():
        application = Application.objects.create(
            call=call, kommune=kommune, partner=partner, created_by=person, is_example=is_example,
            contact_email=person.email or "",
        )
        year = timezone.localtime(call.deadline).year
        application.reference = f"OdB-{year}-{application.pk:04d}"
        application.save(update_fields=["reference"])
        audit_record(actor=actor, action="funding.application.create", obj=application,
                     changes={"state": [None, State.DRAFT]})
    return application


def _clean_actors(actors: list[dict[str, Any]]) -> list[dict[str, str]]:
    clean = []
    kinds, statuses = dict(OrganisationKind.choices), dict(ActorStatus.choices)
    for i, row in enumerate(actors, start=1):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        if row.get("kind") not in kinds:
            raise FundingError(_("Akteur %(n)s („%(name)s“): bitte die Art wählen.") % {"n": i, "name": name})
        if row.get("status") not in statuses:
            raise FundingError(_("Akteur %(n)s („%(name)s“): bitte angeben, ob bereits beteiligt oder geplant.")
                               % {"n": i, "name": name})
        clean.append({"name": name[:300], "kind": row["kind"], "status": row["status"],
                      "role": (row.get("role") or "").strip()[:300]})
    return clean


def application_update(*, actor: Actor, application: Application, data: dict[str, Any],
                       target_groups: list[TargetGroup] | None = None,
                       actors: list[dict[str, Any]] | None = None, place: Place | None = None) -> Application:
    """Save the applicant's content (draft or after a request for more information)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        can_edit_application(actor, application).enforce()
        before = letters.application_data(application)
        for field in CONTENT_FIELDS:
            if field in data:
                value = data[field]
                setattr(application, field, value if field in NULLABLE_FIELDS else (value or ""))
        if application.place_mode == PlaceMode.NEW:
            application.place = None
        elif place is not None:
            if application.place_mode == PlaceMode.POTENTIAL and place.status != PlaceStatus.POTENTIAL:
                raise FundingError(_("„%(place)s“ ist kein Potenzialraum.") % {"place": place.name})
            application.place = place
        application.save()
        if target_groups is not None:
            application.target_groups.set(target_groups)
        if actors is not None:
            clean = _clean_actors(actors)
            application.actors.all().delete()
            ApplicationActor.objects.bulk_create(ApplicationActor(application=application, **row) for row in clean)
        after = letters.application_data(application)
        changes = diff_fields(before, after)
        if changes:
            audit_record(actor=actor, action="funding.application.update", obj=application, changes=changes)
    return application


def application_attach(*, actor: Actor, application: Application, upload: Any, title: str = "") -> Any:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        can_edit_application(actor, application).enforce()
        document = document_store(actor=actor, upload=upload, title=title, application=application)
        audit_record(actor=actor, action="funding.application.attach", obj=application,
                     changes={"attachment": [None, document.original_name]})
    return document


def application_screen(*, actor: Actor, application: Application, complete: bool, eligible: bool,
                       note: str = "") -> Application:
    """Record the office's screening (Vorprüfung) for completeness and eligibility."""
    can_manage(actor).enforce()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != State.SCREENING:
            raise FundingError(_("Die Vorprüfung ist nur im Status „Vorprüfung“ möglich."))
        if (not complete or not eligible) and not note.strip():
            raise FundingError(_("Bitte begründen Sie, was fehlt oder warum die Bewerbung nicht förderfähig ist."))
        before = {"complete": application.screening_complete, "eligible": application.screening_eligible}
        application.screening_complete, application.screening_eligible = complete, eligible
        application.screening_note = note.strip()
        application.save(update_fields=["screening_complete", "screening_eligible", "screening_note", "updated_at"])
        audit_record(actor=actor, action="funding.application.screen", obj=application,
                     changes=diff_fields(before, {"complete": complete, "eligible": eligible}), note=note)
    return application


def _effect(application: Application, frm: str, to: str, actor: Actor, note: str, now: datetime) -> list[str]:
    """Domain effects of a transition inside its transaction; returns the mails to send after commit."""
    mails: list[str] = []
    if to == State.SUBMITTED:
        number = application.revisions.count() + 1
        ApplicationRevision.objects.create(application=application, number=number, created_at=now,
                                           created_by=require_user(actor), data=letters.application_data(application))
        application.submitted_at = now
        mails.append("receipt")
    elif to == State.MORE_INFO:
        mails.append("more_info")
    elif to == State.DECIDED:
        if frm == State.SCREENING:
            application.decision, application.decision_reason = Decision.INELIGIBLE, note.strip()
        application.decided_at = now
        mails.append("notice")
    elif to == State.GRANTED:
        from .grants import grant_create

        grant_create(actor=actor, application=application)
    return mails


def application_transition(*, actor: Actor, application: Application, to: str, note: str = "",
                           now: datetime | None = None, notify: bool = True) -> Application:
    """Move an application to state ``to`` – the one way any state changes.

    Looks the transition up in ``workflow.TRANSITIONS``, checks the role, runs the guard, applies the effects,
    records the change in the audit trail and sends receipts or notices after the commit.
    """
    now = _now(now)
    with transaction.atomic():
        application = (Application.objects.select_for_update()
                       .select_related("call", "kommune", "created_by").get(pk=application.pk))
        transition = TRANSITIONS.get((application.state, to))
        if transition is None:
            if application.state == to == State.SUBMITTED:
                raise FundingError(_("Diese Bewerbung wurde bereits eingereicht (am %(at)s). Eine zweite "
                                     "Einreichung ist nicht nötig.") % {"at": rules.local(cast(datetime, application.submitted_at))})
            raise FundingError(_("Von „%(from)s“ nach „%(to)s“ ist kein Übergang vorgesehen.")
                               % {"from": State(application.state).label,
                                  "to": State(to).label if to in State.values else to})
        can_transition(actor, application, to).enforce()
        if transition.note_required and not note.strip():
            raise FundingError(_("Bitte geben Sie für „%(label)s“ eine Begründung an.") % {"label": transition.label})
        if transition.guard:
            getattr(rules, transition.guard)(application, actor, now)
        frm = application.state
        mails = _effect(application, frm, to, actor, note, now)
        application.state = to
        application.save()
        audit_record(actor=actor, action="funding.application.transition", obj=application,
                     changes={"state": [frm, to]}, note=note.strip())
    for mail in mails if notify else []:
        if mail == "receipt":
            letters.send_receipt(application)
        elif mail == "notice":
            letters.send_notice(application)
        elif mail == "more_info":
            letters.send_info_request(application, note.strip())
    return application
