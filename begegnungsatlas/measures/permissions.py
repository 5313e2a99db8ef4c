"""Who may do what with the Werkzeugkatalog: the planner edits everything; Kommune staff and operators
contribute (steps, progress notes) to measures they are partners in; the public reads the published catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import (
    Actor,
    Decision,
    allow,
    deny,
    has_role,
    is_authenticated,
    rule,
    signed_in,
)

from .models import Measure


@rule("measures.manage_catalogue")
def can_manage_catalogue(user: Actor) -> Decision:
    if has_role(user, Role.PLANNER):
        return allow(_("Die Sozialplanung pflegt den Werkzeugkatalog."))
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Nur die Sozialplanung darf den Werkzeugkatalog bearbeiten."))


def is_partner(user: Actor, measure: Measure) -> bool:
    """Is the person's Kommune or organisation a partner of the measure?"""
    u = signed_in(user)
    if u is None:
        return False
    if u.role == Role.KOMMUNE_EDITOR and u.kommune_id is not None:
        return measure.partner_kommunen.filter(pk=u.kommune_id).exists()
    if u.role == Role.OPERATOR and u.organisation_id is not None:
        return measure.partner_organisations.filter(pk=u.organisation_id).exists()
    return False


@rule("measures.contribute")
def can_contribute(user: Actor, measure: Measure) -> Decision:
    """Add steps and progress notes, mark steps as done."""
    if has_role(user, Role.PLANNER):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if is_partner(user, measure):
        return allow(_("Ihre Kommune bzw. Organisation ist an diesem Werkzeug beteiligt."))
    return deny(_("Beitragen dürfen nur die Sozialplanung und die beteiligten Kommunen und Organisationen."))


@rule("measures.view_measure")
def can_view_measure(user: Actor, measure: Measure) -> Decision:
    if measure.is_published:
        return allow()
    if has_role(user, Role.PLANNER, Role.AUDITOR) or is_partner(user, measure):
        return allow()
    return deny(_("Dieses Werkzeug ist nicht veröffentlicht."))


@rule("measures.read_notes")
def can_read_notes(user: Actor, measure: Measure) -> Decision:
    """Progress notes are working notes: for the planner, the partners and the auditor, not the public."""
    if has_role(user, Role.PLANNER, Role.AUDITOR) or is_partner(user, measure):
        return allow()
    return deny(_("Fortschrittsnotizen sehen nur Sozialplanung, Beteiligte und Prüfung."))
