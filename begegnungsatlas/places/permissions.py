"""Who may do what with places: one module, each check returns a Decision with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

from .models import ActorRole, Place

if TYPE_CHECKING:
    from begegnungsatlas.atlas.models import Area

EDITOR_ROLES = (Role.PLANNER, Role.KOMMUNE_EDITOR, Role.OPERATOR)


@rule("places.create_place")
def can_create_place(user: Actor, *, kommune: Area | None = None) -> Decision:
    u = signed_in(user)
    if u is None:
        return deny(_("Bitte melden Sie sich an."))
    if has_role(u, Role.PLANNER):
        return allow(_("Sozialplanung darf alle Orte anlegen."))
    if u.role == Role.KOMMUNE_EDITOR:
        if u.kommune_id is None:
            return deny(_("Ihrem Konto ist keine Kommune zugeordnet."))
        if kommune is not None and kommune.pk != u.kommune_id:
            return deny(_("Sie dürfen nur Orte Ihrer eigenen Kommune anlegen."))
        return allow(_("Redaktion der eigenen Kommune."))
    if u.role == Role.OPERATOR:
        if u.organisation_id is None:
            return deny(_("Ihrem Konto ist keine Organisation zugeordnet."))
        return allow(_("Träger legen Orte für ihre eigene Organisation an."))
    return deny(_("Ihre Rolle erlaubt es nicht, Orte anzulegen."))


@rule("places.edit_place")
def can_edit_place(user: Actor, place: Place) -> Decision:
    u = signed_in(user)
    if u is None:
        return deny(_("Bitte melden Sie sich an."))
    if has_role(u, Role.PLANNER):
        return allow(_("Sozialplanung darf alle Orte bearbeiten."))
    if u.role == Role.KOMMUNE_EDITOR:
        if u.kommune_id is not None and place.kommune_id == u.kommune_id:
            return allow(_("Ort der eigenen Kommune."))
        return deny(_("Sie dürfen nur Orte Ihrer eigenen Kommune bearbeiten."))
    if u.role == Role.OPERATOR:
        if u.organisation_id is not None and place.place_actors.filter(
            organisation_id=u.organisation_id, role__in=[ActorRole.RUNS, ActorRole.PROVIDES]
        ).exists():
            return allow(_("Ort der eigenen Organisation."))
        return deny(_("Sie dürfen nur Orte bearbeiten, die Ihre Organisation bereitstellt oder bespielt."))
    return deny(_("Ihre Rolle erlaubt es nicht, Orte zu bearbeiten."))


@rule("places.delete_place")
def can_delete_place(user: Actor, place: Place) -> Decision:
    u = signed_in(user)
    if u is None:
        return deny(_("Bitte melden Sie sich an."))
    if has_role(u, Role.PLANNER):
        return allow()
    decision = can_edit_place(u, place)
    if decision.allowed and u.role == Role.KOMMUNE_EDITOR:
        return allow(_("Ort der eigenen Kommune."))
    return deny(_("Nur die Sozialplanung oder die eigene Kommune darf Orte löschen."))


@rule("places.moderate")
def can_moderate(user: Actor) -> Decision:
    if has_role(user, Role.PLANNER, Role.MODERATOR):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Nur die Moderation darf Vorschläge bearbeiten."))


@rule("places.import")
def can_import(user: Actor) -> Decision:
    if has_role(user, Role.PLANNER):
        return allow()
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    return deny(_("Nur die Sozialplanung darf Daten importieren."))


@rule("places.view_history")
def can_view_history(user: Actor, place: Place) -> Decision:
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if has_role(user, Role.PLANNER, Role.MODERATOR, Role.AUDITOR):
        return allow()
    decision = can_edit_place(user, place)
    if decision.allowed:
        return decision
    return deny(_("Den Verlauf sehen nur die Redaktion dieses Ortes, Sozialplanung, Moderation und Prüfung."))


@rule("places.manage_places")
def can_manage_places(user: Actor) -> Decision:
    """May the person keep places at all (the "Meine Orte" area)?"""
    if not is_authenticated(user):
        return deny(_("Bitte melden Sie sich an."))
    if has_role(user, *EDITOR_ROLES):
        return allow()
    return deny(_("Orte pflegen dürfen nur Sozialplanung, kommunale Redaktionen und Träger."))


@rule("places.view_place")
def can_view_place(user: Actor, place: Place) -> Decision:
    """Published places are public; unpublished ones only for those who may edit them or moderate."""
    if place.is_published:
        return allow()
    if has_role(user, Role.PLANNER, Role.MODERATOR):
        return allow()
    if can_edit_place(user, place).allowed:
        return allow()
    return deny(_("Dieser Ort ist nicht veröffentlicht."))


@rule("places.suggest")
def can_suggest(user: Actor) -> Decision:
    """Everybody, signed in or not, may suggest a place (the rate limit is applied by the service)."""
    return allow(_("Vorschläge sind für alle offen."))
