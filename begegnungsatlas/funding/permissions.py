"""Who may do what in the funding workflow; every check returns a Decision with a reason.

Applicants are the editors of the applicant Kommune (role ``kommune_editor``). An operator (Träger) may apply
as a partner on behalf of a Kommune: the application then belongs to that Kommune (its editors see and edit it
too) and to the operator's organisation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import AuditEvent, Role
from begegnungsatlas.core.permissions import Decision, allow, deny, has_role, is_authenticated

from .models import Application, Call, CallStatus, Document, Grant, ReviewAssignment
from .workflow import APPLICANT, EDITABLE_STATES, TRANSITIONS, State

READ_ALL_ROLES = (Role.PLANNER, Role.AUDITOR)


def _login(user: Any) -> Decision | None:
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return None


def is_office(user: Any) -> bool:
    return has_role(user, Role.PLANNER)


def can_read_all(user: Any) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    return deny(_("Nur Sozialplanung und Prüfung sehen alle Förderdaten."))


def can_manage(user: Any) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if is_office(user):
        return allow()
    if has_role(user, Role.AUDITOR):
        return deny(_("Die Prüfung hat nur Lesezugriff und kann nichts ändern."))
    return deny(_("Nur die Sozialplanung des Kreises darf das."))


def is_applicant_for(user: Any, application: Application) -> bool:
    if not is_authenticated(user):
        return False
    if user.role == Role.KOMMUNE_EDITOR and user.kommune_id and user.kommune_id == application.kommune_id:
        return True
    return bool(user.role == Role.OPERATOR and user.organisation_id
                and user.organisation_id == application.partner_id)


def can_view_call(user: Any, call: Call) -> Decision:
    if call.status in (CallStatus.PUBLISHED, CallStatus.CLOSED):
        return allow()
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    return deny(_("Dieser Aufruf ist noch nicht veröffentlicht."))


def can_apply(user: Any, call: Call) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if user.role == Role.KOMMUNE_EDITOR:
        if not user.kommune_id:
            return deny(_("Ihrem Konto ist keine Kommune zugeordnet."))
        if call.region_id and user.kommune.region_id != call.region_id:
            return deny(_("Ihre Kommune gehört nicht zum Gebiet dieses Aufrufs."))
        return allow()
    if user.role == Role.OPERATOR:
        if not user.organisation_id:
            return deny(_("Ihrem Konto ist keine Organisation zugeordnet."))
        return allow(_("Bewerbung als Partner im Auftrag einer Kommune."))
    return deny(_("Bewerben können nur Kommunen (oder Partner in ihrem Auftrag)."))


def can_view_application(user: Any, application: Application) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    if is_applicant_for(user, application):
        return allow()
    if user.role == Role.REVIEWER:
        assignment = application.assignments.filter(reviewer=user).first()
        if assignment is None:
            return deny(_("Diese Bewerbung ist Ihnen nicht zur Begutachtung zugewiesen."))
        if assignment.conflict_declared:
            return deny(_("Sie haben sich für diese Bewerbung als befangen erklärt."))
        return allow()
    return deny(_("Sie dürfen nur Ihre eigenen Bewerbungen sehen."))


def can_edit_application(user: Any, application: Application) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if not is_applicant_for(user, application):
        return deny(_("Nur die antragstellende Kommune (oder ihr Partner) darf die Bewerbung bearbeiten."))
    if application.state not in EDITABLE_STATES:
        return deny(_("Die Bewerbung ist eingereicht und damit eingefroren. Änderungen sind nur nach einer "
                      "Nachforderung möglich."))
    return allow()


def can_transition(user: Any, application: Application, to: str) -> Decision:
    if (d := _login(user)) is not None:
        return d
    transition = TRANSITIONS.get((application.state, to))
    if transition is None:
        return deny(_("Von „%(from)s“ nach „%(to)s“ ist kein Übergang vorgesehen.")
                    % {"from": State(application.state).label, "to": State(to).label})
    if APPLICANT in transition.roles and is_applicant_for(user, application):
        return allow()
    if any(r != APPLICANT and has_role(user, r) for r in transition.roles):
        return allow()
    if has_role(user, Role.AUDITOR):
        return deny(_("Die Prüfung hat nur Lesezugriff und kann nichts ändern."))
    return deny(_("Ihre Rolle erlaubt den Schritt „%(label)s“ nicht.") % {"label": transition.label})


def can_review(user: Any, assignment: ReviewAssignment) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if assignment.reviewer_id != user.pk:
        return deny(_("Diese Begutachtung ist einer anderen Person zugewiesen."))
    if assignment.conflict_declared:
        return deny(_("Sie haben sich für diese Bewerbung als befangen erklärt."))
    if assignment.application.state != State.IN_REVIEW:
        return deny(_("Die Bewerbung ist nicht (mehr) in der Begutachtung."))
    return allow()


# Audit actions that reveal who reviews an application, how they scored or why they declared a conflict.
REVIEW_ACTIONS_PREFIX = "funding.review."


def can_see_reviewer_identity(user: Any, assignment: ReviewAssignment) -> Decision:
    """Reviewer names (and conflict reasons) are for the office, the auditor and the reviewer themself.

    Applicants must not learn who reviews them; other reviewers score independently of each other.
    """
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    if is_authenticated(user) and assignment.reviewer_id == user.pk:
        return allow()
    return deny(_("Die Namen der Gutachter:innen sehen nur die Sozialplanung und die Prüfung."))


def can_see_history_event(user: Any, event: AuditEvent) -> Decision:
    """Whether one entry of an application's history (audit trail) may be shown to ``user``.

    Review entries (assignment, saved and submitted scores, declared conflicts with their reason) name the
    reviewer; only the office, the auditor and the reviewer who acted see them.
    """
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    if event.action.startswith(REVIEW_ACTIONS_PREFIX):
        if is_authenticated(user) and event.actor_id == user.pk:
            return allow()
        return deny(_("Einträge der Begutachtung sehen nur die Sozialplanung und die Prüfung."))
    return allow()


def can_view_grant(user: Any, grant: Grant) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if has_role(user, *READ_ALL_ROLES) or is_applicant_for(user, grant.application):
        return allow()
    return deny(_("Sie dürfen nur Förderungen Ihrer eigenen Kommune sehen."))


def can_upload_voucher(user: Any, grant: Grant) -> Decision:
    if (d := _login(user)) is not None:
        return d
    if is_office(user) or is_applicant_for(user, grant.application):
        if grant.application.state != State.GRANTED:
            return deny(_("Belege können nur bei einer laufenden Förderung eingereicht werden."))
        return allow()
    return deny(_("Belege reichen die geförderte Kommune oder die Sozialplanung ein."))


def can_download_document(user: Any, document: Document) -> Decision:
    if document.call is not None:
        return can_view_call(user, document.call)
    if document.application is not None:
        return can_view_application(user, document.application)
    if document.grant is not None:
        return can_view_grant(user, document.grant)
    return deny(_("Kein Zugriff auf dieses Dokument."))
