"""Who may do what in participation: the planner builds surveys and publishes results; the planner and the
moderation handle citizens' reports; citizens answer and report without an account."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Decision, allow, deny, has_role, is_authenticated


def can_manage_participation(user: Any) -> Decision:
    if has_role(user, Role.PLANNER):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Umfragen pflegt nur die Sozialplanung."))


def can_moderate_reports(user: Any) -> Decision:
    if has_role(user, Role.PLANNER, Role.MODERATOR):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Meldungen bearbeiten nur Sozialplanung und Moderation."))
