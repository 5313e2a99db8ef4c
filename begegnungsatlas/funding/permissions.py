"""Who may do what in the funding workflow; every check returns a Decision with a reason.

Applicants are the editors of the applicant Kommune (role ``kommune_editor``). An operator (Träger) may apply
as a partner on behalf of a Kommune: the application then belongs to that Kommune (its editors see and edit it
too) and to the operator's organisation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import AuditEvent, Role, User
from begegnungsatlas.core.permissions import Actor, Decision, allow, deny, has_role, rule, signed_in

from .models import Application, Call, CallStatus, Document, Grant, ReviewAssignment
from .workflow import APPLICANT, EDITABLE_STATES, TRANSITIONS, State

READ_ALL_ROLES = (Role.PLANNER, Role.AUDITOR)


def _login(user: Actor) -> User | Decision:
    """The signed-in user, or the denial asking to sign in."""
    u = signed_in(user)
    if u is None:
        return deny(_("Bitte melden Sie sich an."))
    return u


def is_office(user: Actor) -> bool:
    return has_role(user, Role.PLANNER)


@rule("funding.read_all")
def can_read_all(user: Actor) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    return deny(_("Nur Sozialplanung und Prüfung sehen alle Förderdaten."))


@rule("funding.manage")
def can_manage(user: Actor) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if is_office(user):
        return allow()
    if has_role(user, Role.AUDITOR):
        return deny(_("Die Prüfung hat nur Lesezugriff und kann nichts ändern."))
    return deny(_("Nur die Sozialplanung des Kreises darf das."))


def is_applicant_for(user: Actor, application: Application) -> bool:
    u = signed_in(user)
    if u is None:
        return False
    if u.role == Role.KOMMUNE_EDITOR and u.kommune_id and u.kommune_id == application.kommune_id:
        return True
    return bool(u.role == Role.OPERATOR and u.organisation_id and u.organisation_id == application.partner_id)


@rule("funding.view_call")
def can_view_call(user: Actor, call: Call) -> Decision:
    if call.status in (CallStatus.PUBLISHED, CallStatus.CLOSED):
        return allow()
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    return deny(_("Dieser Aufruf ist noch nicht veröffentlicht."))


@rule("funding.apply")
def can_apply(user: Actor, call: Call) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if u.role == Role.KOMMUNE_EDITOR:
        if u.kommune is None:
            return deny(_("Ihrem Konto ist keine Kommune zugeordnet."))
        if call.region_id and u.kommune.region_id != call.region_id:
            return deny(_("Ihre Kommune gehört nicht zum Gebiet dieses Aufrufs."))
        return allow()
    if u.role == Role.OPERATOR:
        if not u.organisation_id:
            return deny(_("Ihrem Konto ist keine Organisation zugeordnet."))
        return allow(_("Bewerbung als Partner im Auftrag einer Kommune."))
    return deny(_("Bewerben können nur Kommunen (oder Partner in ihrem Auftrag)."))


@rule("funding.view_application")
def can_view_application(user: Actor, application: Application) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    if is_applicant_for(user, application):
        return allow()
    if u.role == Role.REVIEWER:
        assignment = application.assignments.filter(reviewer=u).first()
        if assignment is None:
            return deny(_("Diese Bewerbung ist Ihnen nicht zur Begutachtung zugewiesen."))
        if assignment.conflict_declared:
            return deny(_("Sie haben sich für diese Bewerbung als befangen erklärt."))
        return allow()
    return deny(_("Sie dürfen nur Ihre eigenen Bewerbungen sehen."))


@rule("funding.edit_application")
def can_edit_application(user: Actor, application: Application) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if not is_applicant_for(user, application):
        return deny(_("Nur die antragstellende Kommune (oder ihr Partner) darf die Bewerbung bearbeiten."))
    if application.state not in EDITABLE_STATES:
        return deny(_("Die Bewerbung ist eingereicht und damit eingefroren. Änderungen sind nur nach einer "
                      "Nachforderung möglich."))
    return allow()


@rule("funding.transition")
def can_transition(user: Actor, application: Application, to: str) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
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


@rule("funding.review")
def can_review(user: Actor, assignment: ReviewAssignment) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if assignment.reviewer_id != u.pk:
        return deny(_("Diese Begutachtung ist einer anderen Person zugewiesen."))
    if assignment.conflict_declared:
        return deny(_("Sie haben sich für diese Bewerbung als befangen erklärt."))
    if assignment.application.state != State.IN_REVIEW:
        return deny(_("Die Bewerbung ist nicht (mehr) in der Begutachtung."))
    return allow()


# Audit actions that reveal who reviews an application, how they scored or why they declared a conflict.
REVIEW_ACTIONS_PREFIX = "funding.review."


@rule("funding.see_reviewer_identity")
def can_see_reviewer_identity(user: Actor, assignment: ReviewAssignment) -> Decision:
    """Reviewer names (and conflict reasons) are for the office, the auditor and the reviewer themself.

    Applicants must not learn who reviews them; other reviewers score independently of each other.
    """
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    u = signed_in(user)
    if u is not None and assignment.reviewer_id == u.pk:
        return allow()
    return deny(_("Die Namen der Gutachter:innen sehen nur die Sozialplanung und die Prüfung."))


@rule("funding.see_history_event")
def can_see_history_event(user: Actor, event: AuditEvent) -> Decision:
    """Whether one entry of an application's history (audit trail) may be shown to ``user``.

    Review entries (assignment, saved and submitted scores, declared conflicts with their reason) name the
    reviewer; only the office, the auditor and the reviewer who acted see them.
    """
    if has_role(user, *READ_ALL_ROLES):
        return allow()
    if event.action.startswith(REVIEW_ACTIONS_PREFIX):
        u = signed_in(user)
        if u is not None and event.actor_id == u.pk:
            return allow()
        return deny(_("Einträge der Begutachtung sehen nur die Sozialplanung und die Prüfung."))
    return allow()


@rule("funding.view_grant")
def can_view_grant(user: Actor, grant: Grant) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if has_role(user, *READ_ALL_ROLES) or is_applicant_for(user, grant.application):
        return allow()
    return deny(_("Sie dürfen nur Förderungen Ihrer eigenen Kommune sehen."))


@rule("funding.upload_voucher")
def can_upload_voucher(user: Actor, grant: Grant) -> Decision:
    if isinstance(u := _login(user), Decision):
        return u
    if is_office(user) or is_applicant_for(user, grant.application):
        if grant.application.state != State.GRANTED:
            return deny(_("Belege können nur bei einer laufenden Förderung eingereicht werden."))
        return allow()
    return deny(_("Belege reichen die geförderte Kommune oder die Sozialplanung ein."))


@rule("funding.download_document")
def can_download_document(user: Actor, document: Document) -> Decision:
    if document.call is not None:
        return can_view_call(user, document.call)
    if document.application is not None:
        return can_view_application(user, document.application)
    if document.grant is not None:
        return can_view_grant(user, document.grant)
    return deny(_("Kein Zugriff auf dieses Dokument."))
