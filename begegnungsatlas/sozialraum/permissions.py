"""Who may do what with Sozialräume: planners propose, edit, adopt; everybody reads adopted versions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Decision, allow, deny, require_role

from .models import SozialraumLevel


def can_plan(user: Any) -> Decision:
    """Proposing, editing, adopting and generating reports: social planning only."""
    return require_role(user, Role.PLANNER)


def can_view_sozialraum(user: Any, sr: SozialraumLevel) -> Decision:
    if not sr.is_draft:
        return allow(_("Beschlossene Fassung, öffentlich."))
    if can_plan(user):
        return allow()
    return deny(_("Diese Sozialraumgliederung ist ein Entwurf und noch nicht beschlossen."))


def can_edit_sozialraum(user: Any, sr: SozialraumLevel) -> Decision:
    decision = can_plan(user)
    if not decision:
        return decision
    if not sr.is_draft:
        return deny(_("Beschlossene Fassungen werden nicht mehr geändert; legen Sie eine neue Fassung an."))
    return allow()
