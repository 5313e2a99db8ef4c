"""Writes for the review: assign reviewers, declare conflicts of interest, score per criterion."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.core.models import Role, User
from begegnungsatlas.core.permissions import require_user
from begegnungsatlas.core.services import audit_record

from ..errors import FundingError
from ..models import Application, ReviewAssignment, Score
from ..permissions import can_manage, can_review
from ..workflow import State

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def reviewer_assign(*, actor: Actor, application: Application, reviewer: User) -> ReviewAssignment:
    can_manage(actor).enforce()
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise FundingError(_("%(name)s ist nicht als Gutachter:in eingetragen.") % {"name": reviewer.get_username()})
    application = Application.objects.get(pk=application.pk)
    if application.state not in (State.SCREENING, State.IN_REVIEW):
        raise FundingError(_("Gutachter:innen können nur in Vorprüfung oder Begutachtung zugewiesen werden."))
    with transaction.atomic():
        assignment, created = ReviewAssignment.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": require_user(actor)})
        if not created:
            raise FundingError(_("%(name)s ist dieser Bewerbung bereits zugewiesen.")
                               % {"name": reviewer.get_username()})
        audit_record(actor=actor, action="funding.review.assign", obj=application,
                     changes={"reviewer": [None, reviewer.get_username()]})
    return assignment


def conflict_declare(*, actor: Actor, assignment: ReviewAssignment, note: str) -> ReviewAssignment:
    """The reviewer declares a conflict of interest; from then on they cannot see or score the application."""
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise FundingError(_("Nur die zugewiesene Person kann Befangenheit erklären."))
    if not note.strip():
        raise FundingError(_("Bitte nennen Sie kurz den Grund der Befangenheit."))
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submitted_at:
            raise FundingError(_("Die Bewertung ist bereits abgegeben."))
        assignment.conflict_declared = True
        assignment.conflict_note = note.strip()
        assignment.save(update_fields=["conflict_declared", "conflict_note"])
        assignment.scores.all().delete()
        audit_record(actor=actor, action="funding.review.conflict", obj=assignment.application,
                     changes={"reviewer": assignment.reviewer.get_username()}, note=note.strip())
    return assignment


def review_save(*, actor: Actor, assignment: ReviewAssignment, scores: dict[int, tuple[int | None, str]],
                submit: bool = False, now: datetime | None = None) -> ReviewAssignment:
    """Save points and a written reason per criterion; ``submit`` makes the review final."""
    with transaction.atomic():
        assignment = (ReviewAssignment.objects.select_for_update()
                      .select_related("application__call").get(pk=assignment.pk))
        can_review(actor, assignment).enforce()
        if assignment.submitted_at:
            raise FundingError(_("Die Bewertung ist bereits abgegeben und kann nicht mehr geändert werden."))
        call = assignment.application.call
        criteria = list(call.criteria.all())
        problems = []
        for criterion in criteria:
            points, reason = scores.get(criterion.pk, (None, ""))
            reason = (reason or "").strip()
            if points is not None and not 0 <= points <= call.scale_max:
                problems.append(_("„%(c)s“: Punkte von 0 bis %(max)s.") % {"c": criterion.name, "max": call.scale_max})
                continue
            if submit and (points is None or not reason):
                problems.append(_("„%(c)s“: Punkte und Begründung fehlen.") % {"c": criterion.name})
                continue
            if points is not None:
                Score.objects.update_or_create(assignment=assignment, criterion=criterion,
                                               defaults={"points": points, "reason": reason})
        if problems:
            raise FundingError(" ".join(problems))
        if submit:
            assignment.submitted_at = now or timezone.now()
            assignment.save(update_fields=["submitted_at"])
        audit_record(actor=actor, action="funding.review.submit" if submit else "funding.review.save",
                     obj=assignment.application,
                     changes={"scores": {c.name: scores.get(c.pk, (None, ""))[0] for c in criteria}})
    return assignment
