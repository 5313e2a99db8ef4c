"""Who may do what in the gap analysis: planners run, save and publish; everybody sees published scenarios."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Actor, Decision, allow, deny, require_role, rule

from .models import Scenario


@rule("gaps.run")
def can_run(user: Actor) -> Decision:
    """Running analyses, importing grids, saving and publishing scenarios: social planning only."""
    return require_role(user, Role.PLANNER)


@rule("gaps.view_scenario")
def can_view_scenario(user: Actor, scenario: Scenario) -> Decision:
    if scenario.is_published:
        return allow()
    if can_run(user):
        return allow()
    return deny(_("Dieses Szenario ist nicht veröffentlicht."))
