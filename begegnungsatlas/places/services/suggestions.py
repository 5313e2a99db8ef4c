"""Citizens' suggestions: submission (honeypot, rate limit) and moderation (accept → place, reject with reason)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.selectors.areas import area_assignment
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.ratelimit import client_hash as client_hash  # re-exported for the views
from begegnungsatlas.core.ratelimit import rate_count, rate_exceeded
from begegnungsatlas.core.services import audit_record

from ..errors import PlaceError
from ..models import Place, PlaceStatus, Suggestion, SuggestionKind, SuggestionStatus, TargetGroup
from ..permissions import can_moderate
from .places import place_create

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



class SuggestionError(PlaceError):
    """The suggestion cannot be taken (German message for the citizen or the moderator)."""


class SuggestionRateLimited(SuggestionError):
    """Too many suggestions from one client within the hour."""


SUGGESTION_FIELDS = ["kind", "name", "description", "street", "postcode", "city", "lon", "lat",
                     "submitter_name", "submitter_email"]


def suggestion_rate_exceeded(*, client: str) -> bool:
    return rate_exceeded(scope="places:suggest", client=client, limit=settings.BEGEGNUNGSATLAS_SUGGESTION_RATE)


@transaction.atomic
def suggestion_submit(
    *,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup] = (),
    client: str,
    honeypot: str = "",
    place: Place | None = None,
) -> Suggestion | None:
    """Store a suggestion in the moderation queue.

    Returns ``None`` (and stores nothing) when the honeypot field was filled in: bots get the same thank-you
    page as people, so they learn nothing. Raises ``SuggestionRateLimited`` above the hourly rate.
    """
    if honeypot.strip():
        return None
    if suggestion_rate_exceeded(client=client):
        raise SuggestionRateLimited(
            _("Von Ihrem Anschluss kamen in der letzten Stunde schon %(n)s Vorschläge. "
              "Bitte versuchen Sie es später noch einmal.") % {"n": settings.BEGEGNUNGSATLAS_SUGGESTION_RATE}
        )
    clean = {k: data.get(k) for k in SUGGESTION_FIELDS if k in data}
    for key in ("name", "description", "street", "postcode", "city", "submitter_name", "submitter_email"):
        clean[key] = (clean.get(key) or "").strip()
    if not clean["name"]:
        raise SuggestionError(_("Bitte geben Sie einen Namen für den Ort an."))
    kind = clean.get("kind") or SuggestionKind.NEW_PLACE
    if kind not in SuggestionKind.values:
        raise SuggestionError(_("Unbekannte Art des Vorschlags."))
    if kind == SuggestionKind.CORRECTION and place is None:
        raise SuggestionError(_("Eine Korrektur braucht den betroffenen Ort."))
    clean["kind"] = kind
    lon, lat = clean.get("lon"), clean.get("lat")
    if (lon is None) != (lat is None):
        raise SuggestionError(_("Bitte geben Sie Längen- und Breitengrad gemeinsam an (oder klicken Sie in die Karte)."))
    if lon is not None and lat is not None:
        kommune, _area = area_assignment(lon=float(lon), lat=float(lat))
        if kommune is None:
            raise SuggestionError(
                _("Der Punkt %(lat).5f, %(lon).5f liegt außerhalb der Gebiete dieser Installation.")
                % {"lat": float(lat), "lon": float(lon)}
            )
    suggestion = Suggestion.objects.create(client_hash=client, place=place, **clean)
    suggestion.target_groups.set(list(target_groups))
    rate_count(scope="places:suggest", client=client)
    audit_record(actor=None, action="suggestion.submit", obj=suggestion, changes={"kind": kind})
    return suggestion


def _lock_pending(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise SuggestionError(_("Dieser Vorschlag wurde bereits moderiert."))
    return locked


@transaction.atomic
def suggestion_accept(
    *,
    actor: Actor,
    suggestion: Suggestion,
    data: dict[str, Any] | None = None,
    target_groups: Iterable[TargetGroup] | None = None,
    note: str = "",
) -> Suggestion:
    """Accept: a new place (or Potenzialraum) is created and published from the (possibly edited) suggestion.

    A correction is marked as accepted; the moderator applies the change to the place in the editor.
    """
    can_moderate(actor).enforce()
    suggestion = _lock_pending(suggestion)
    if suggestion.kind != SuggestionKind.CORRECTION:
        place_data = {
            "name": suggestion.name, "description": suggestion.description, "street": suggestion.street,
            "postcode": suggestion.postcode, "city": suggestion.city, "lon": suggestion.lon, "lat": suggestion.lat,
            "status": PlaceStatus.POTENTIAL if suggestion.kind == SuggestionKind.POTENTIAL else PlaceStatus.EXISTING,
            "source": "Vorschlag", "source_id": str(suggestion.pk),
        }
        place_data.update({k: v for k, v in (data or {}).items() if v is not None})
        if suggestion.kind == SuggestionKind.POTENTIAL:
            place_data["status"] = PlaceStatus.POTENTIAL
        place_data["is_published"] = True
        groups = list(target_groups) if target_groups is not None else list(suggestion.target_groups.all())
        place = place_create(
            actor=actor, data=place_data, target_groups=groups, check_permission=False,
            audit_action="place.create_from_suggestion",
        )
        suggestion.place = place
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.moderated_by = signed_in(actor)
    suggestion.moderated_at = timezone.now()
    suggestion.moderation_note = note.strip()
    suggestion.save()
    audit_record(actor=actor, action="suggestion.accept", obj=suggestion,
                 changes={"place": suggestion.place_id}, note=suggestion.moderation_note)
    return suggestion


@transaction.atomic
def suggestion_reject(*, actor: Actor, suggestion: Suggestion, reason: str) -> Suggestion:
    can_moderate(actor).enforce()
    if not (reason or "").strip():
        raise SuggestionError(_("Bitte geben Sie eine Begründung für die Ablehnung an."))
    suggestion = _lock_pending(suggestion)
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.moderated_by = signed_in(actor)
    suggestion.moderated_at = timezone.now()
    suggestion.moderation_note = reason.strip()
    suggestion.save()
    audit_record(actor=actor, action="suggestion.reject", obj=suggestion, note=suggestion.moderation_note)
    return suggestion
