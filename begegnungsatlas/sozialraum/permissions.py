"""Who may do what with Sozialräume: planners propose, edit, adopt; everybody reads adopted versions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Actor, Decision, allow, deny, require_role, rule

from .models import SozialraumLevel


@rule("sozialraum.plan")
def can_plan(user: Actor) -> Decision:
    """Proposing, editing, adopting and generating reports: social planning only."""
    return require_role(user, Role.PLANNER)


@rule("sozialraum.view_sozialraum")
def can_view_sozialraum(user: Actor, sr: SozialraumLevel) -> Decision:
    if not sr.is_draft:
        return allow(_("Beschlossene Fassung, öffentlich."))
    if can_plan(user):
        return allow()
    return deny(_("Diese Sozialraumgliederung ist ein Entwurf und noch nicht beschlossen."))


@rule("sozialraum.edit_sozialraum")
def can_edit_sozialraum(user: Actor, sr: SozialraumLevel) -> Decision:
    decision = can_plan(user)
    if not decision:
        return decision
    if not sr.is_draft:
        return deny(_("Beschlossene Fassungen werden nicht mehr geändert; legen Sie eine neue Fassung an."))
    return allow()
