"""Reads for the editor area, the moderation queue and the history of a place."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from begegnungsatlas.core.models import AuditEvent, Role
from begegnungsatlas.core.permissions import Actor, has_role, signed_in

from ..models import ActorRole, Place, Suggestion, SuggestionStatus


def places_editable_by(user: Actor) -> QuerySet[Place]:
    """The places this person may edit (published or not): rule ``places.edit_place`` as a query (tested against
    the rule in ``tests/core/test_permission_registry.py``)."""
    qs = Place.objects.select_related("kommune").defer("kommune__geometry", "kommune__geometry_web").annotate(n_offers=Count("offers", distinct=True))
    u = signed_in(user)
    if u is None:
        return qs.none()
    if has_role(u, Role.PLANNER):
        return qs.order_by("name", "id")
    if u.role == Role.KOMMUNE_EDITOR and u.kommune_id:
        return qs.filter(kommune_id=u.kommune_id).order_by("name", "id")
    if u.role == Role.OPERATOR and u.organisation_id:
        return qs.filter(
            Q(place_actors__organisation_id=u.organisation_id)
            & Q(place_actors__role__in=[ActorRole.RUNS, ActorRole.PROVIDES])
        ).distinct().order_by("name", "id")
    return qs.none()


def suggestions_pending() -> QuerySet[Suggestion]:
    return (Suggestion.objects.filter(status=SuggestionStatus.PENDING)
            .select_related("place").prefetch_related("target_groups").order_by("submitted_at", "id"))


def suggestions_recently_moderated(*, limit: int = 20) -> QuerySet[Suggestion]:
    return (Suggestion.objects.exclude(status=SuggestionStatus.PENDING)
            .select_related("place", "moderated_by").order_by("-moderated_at", "-id")[:limit])


def place_history(*, place_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="places.place", object_id=str(place_id)).select_related("actor")
