"""The application workflow as data: states, the allowed transitions and who may take each.

Every state change goes through ``services.applications.application_transition``, which looks the
transition up here, checks the actor's role (and, for applicants, that the application is their own),
runs the guard and records the change in the audit trail. ``docs/workflows.md`` shows this table; a test
checks that the document and this table agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    SCREENING = "screening", _("Vorprüfung")
    MORE_INFO = "more_info", _("Nachforderung")
    IN_REVIEW = "in_review", _("in Begutachtung")
    DECIDED = "decided", _("entschieden")
    GRANTED = "granted", _("bewilligt")
    CLOSED = "closed", _("abgeschlossen")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


# Pseudo-role: the applicant Kommune's editors, or an operator applying on its behalf (see permissions).
APPLICANT = "applicant"

Guard = Callable[[Any, Any, datetime], None]


@dataclass(frozen=True)
class Transition:
    roles: tuple[str, ...]
    label: Any
    guard: str = ""  # name of a function in ``funding.rules``; raises FundingError when not allowed
    note_required: bool = False
    # Cannot be undone (a terminal state, a notice sent, money committed): the views ask for confirmation first.
    irreversible: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (State.DRAFT, State.SUBMITTED): Transition(
        (APPLICANT,), _("Einreichen"), guard="guard_submit"),
    (State.DRAFT, State.WITHDRAWN): Transition(
        (APPLICANT,), _("Entwurf verwerfen"), irreversible=True),
    (State.SUBMITTED, State.WITHDRAWN): Transition(
        (APPLICANT,), _("Zurückziehen"), guard="guard_before_deadline", irreversible=True),
    (State.SUBMITTED, State.SCREENING): Transition(
        (Role.PLANNER,), _("Vorprüfung beginnen")),
    (State.SCREENING, State.MORE_INFO): Transition(
        (Role.PLANNER,), _("Informationen nachfordern"), note_required=True),
    (State.SCREENING, State.IN_REVIEW): Transition(
        (Role.PLANNER,), _("Zur Begutachtung freigeben"), guard="guard_screening_passed"),
    (State.SCREENING, State.DECIDED): Transition(
        (Role.PLANNER,), _("Als nicht förderfähig ablehnen"), guard="guard_ineligible", note_required=True,
        irreversible=True),
    (State.MORE_INFO, State.SUBMITTED): Transition(
        (APPLICANT,), _("Ergänzt erneut einreichen"), guard="guard_resubmit"),
    (State.MORE_INFO, State.WITHDRAWN): Transition(
        (APPLICANT,), _("Zurückziehen"), irreversible=True),
    (State.IN_REVIEW, State.MORE_INFO): Transition(
        (Role.PLANNER,), _("Informationen nachfordern"), note_required=True),
    (State.IN_REVIEW, State.DECIDED): Transition(
        (Role.PLANNER,), _("Entscheiden"), guard="guard_decision_recorded", irreversible=True),
    (State.DECIDED, State.GRANTED): Transition(
        (Role.PLANNER,), _("Förderung bewilligen"), guard="guard_selected", irreversible=True),
    (State.GRANTED, State.CLOSED): Transition(
        (Role.PLANNER,), _("Förderung abschließen"), irreversible=True),
}

# States in which the applicant may still edit the content (a submitted application is frozen).
EDITABLE_STATES = (State.DRAFT, State.MORE_INFO)
TERMINAL_STATES = (State.CLOSED, State.WITHDRAWN)


def transitions_from(state: str) -> list[tuple[str, Transition]]:
    return [(to, t) for (frm, to), t in TRANSITIONS.items() if frm == state]


def transition_table() -> list[dict[str, str]]:
    """Rows for the documentation: from, to, label, roles."""
    return [
        {"from": str(frm), "to": str(to), "label": str(t.label), "roles": ", ".join(str(r) for r in t.roles),
         "guard": t.guard}
        for (frm, to), t in TRANSITIONS.items()
    ]
