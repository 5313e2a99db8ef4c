"""Who may do what in participation: the planner builds surveys and publishes results; the planner and the
moderation handle citizens' reports; citizens answer and report without an account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Actor, Decision, allow, deny, has_role, is_authenticated, rule


@rule("participation.manage")
def can_manage_participation(user: Actor) -> Decision:
    if has_role(user, Role.PLANNER):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Umfragen pflegt nur die Sozialplanung."))


@rule("participation.moderate_reports")
def can_moderate_reports(user: Actor) -> Decision:
    if has_role(user, Role.PLANNER, Role.MODERATOR):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Meldungen bearbeiten nur Sozialplanung und Moderation."))
