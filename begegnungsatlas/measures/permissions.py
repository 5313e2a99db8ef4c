"""Who may do what with the Werkzeugkatalog: the planner edits everything; Kommune staff and operators
contribute (steps, progress notes) to measures they are partners in; the public reads the published catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Decision, allow, deny, has_role, is_authenticated

from .models import Measure


def can_manage_catalogue(user: Any) -> Decision:
    if has_role(user, Role.PLANNER):
        return allow(_("Die Sozialplanung pflegt den Werkzeugkatalog."))
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Nur die Sozialplanung darf den Werkzeugkatalog bearbeiten."))


def is_partner(user: Any, measure: Measure) -> bool:
    """Is the person's Kommune or organisation a partner of the measure?"""
    if not is_authenticated(user):
        return False
    if user.role == Role.KOMMUNE_EDITOR and user.kommune_id is not None:
        return measure.partner_kommunen.filter(pk=user.kommune_id).exists()
    if user.role == Role.OPERATOR and user.organisation_id is not None:
        return measure.partner_organisations.filter(pk=user.organisation_id).exists()
    return False


def can_contribute(user: Any, measure: Measure) -> Decision:
    """Add steps and progress notes, mark steps as done."""
    if has_role(user, Role.PLANNER):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if is_partner(user, measure):
        return allow(_("Ihre Kommune bzw. Organisation ist an diesem Werkzeug beteiligt."))
    return deny(_("Beitragen dürfen nur die Sozialplanung und die beteiligten Kommunen und Organisationen."))


def can_view_measure(user: Any, measure: Measure) -> Decision:
    if measure.is_published:
        return allow()
    if has_role(user, Role.PLANNER, Role.AUDITOR) or is_partner(user, measure):
        return allow()
    return deny(_("Dieses Werkzeug ist nicht veröffentlicht."))


def can_read_notes(user: Any, measure: Measure) -> Decision:
    """Progress notes are working notes: for the planner, the partners and the auditor, not the public."""
    if has_role(user, Role.PLANNER, Role.AUDITOR) or is_partner(user, measure):
        return allow()
    return deny(_("Fortschrittsnotizen sehen nur Sozialplanung, Beteiligte und Prüfung."))
