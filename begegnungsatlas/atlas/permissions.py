"""Who may do what in the atlas. Reading is public (public statistics) except internal indicators;
importing and editing are for the social planners only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import Actor, Decision, allow, deny, has_role, is_authenticated, rule

if TYPE_CHECKING:
    from .models import AreaLevel, Indicator


def can_read_internal(user: Actor) -> bool:
    return has_role(user, Role.PLANNER)


@rule("atlas.view_indicator")
def can_view_indicator(user: Actor, indicator: Indicator) -> Decision:
    if not indicator.is_internal:
        return allow(_("Öffentliche Statistik."))
    if can_read_internal(user):
        return allow(_("Interner Indikator, Sozialplanung."))
    if not is_authenticated(user):
        return deny(_("Dieser Indikator ist intern. Bitte melden Sie sich an."))
    return deny(_("Dieser Indikator ist intern und nur für die Sozialplanung sichtbar."))


@rule("atlas.import")
def can_import(user: Actor) -> Decision:
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if has_role(user, Role.PLANNER):
        return allow(_("Sozialplanung darf Daten einspielen."))
    return deny(_("Nur die Sozialplanung darf Gebiete und Indikatoren einspielen oder ändern."))


can_edit_indicators = can_import


@rule("atlas.view_level")
def can_view_level(user: Actor, level: AreaLevel) -> Decision:
    """Draft levels (Sozialraum proposals not yet adopted) are for the social planners only."""
    if not level.is_draft:
        return allow()
    if can_read_internal(user):
        return allow(_("Entwurf, Sozialplanung."))
    return deny(_("Diese Gebietsebene ist ein Entwurf und noch nicht beschlossen."))
