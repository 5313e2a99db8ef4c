"""Writes for offers (Angebote). Changes are recorded in the history of the place they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.services import audit_record, diff_fields

from .. import opening_hours
from ..errors import PlaceError
from ..models import Offer, Place, TargetGroup
from ..models.place import OfferCategory
from ..permissions import can_edit_place
from .places import vocabulary_items

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


OFFER_FIELDS = ["title", "description", "category", "schedule", "is_free", "cost_note"]


def offer_snapshot(offer: Offer) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(offer, f) for f in OFFER_FIELDS}
    data["organisation"] = offer.organisation.name if offer.organisation is not None else None
    if offer.pk:
        data["target_groups"] = sorted(offer.target_groups.values_list("slug", flat=True))
    return data


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: data.get(k) for k in OFFER_FIELDS if k in data}
    title = (clean.get("title") or "").strip()
    if not title:
        raise PlaceError(_("Jedes Angebot braucht einen Titel."))
    clean["title"] = title
    if clean.get("category") and clean["category"] not in OfferCategory.values:
        raise PlaceError(_("Unbekannter Bereich des Angebots „%(title)s“.") % {"title": title})
    try:
        clean["schedule"] = opening_hours.validate(clean.get("schedule") or "")
    except opening_hours.OpeningHoursError as exc:
        raise PlaceError(
            _("Termine des Angebots „%(title)s“: %(error)s") % {"title": title, "error": str(exc)}
        ) from exc
    return clean


@transaction.atomic
def offers_sync(*, actor: Actor, place: Place, offers: list[dict[str, Any]], note: str = "") -> list[Offer]:
    """Create, update or delete the offers of ``place``.

    Each item: ``{"id": int | None, "delete": bool, "data": {...}, "target_groups": [...], "organisation": Org | None}``.
    """
    can_edit_place(actor, place).enforce()
    existing = {o.pk: o for o in place.offers.select_related("organisation").prefetch_related("target_groups")}
    kept: list[Offer] = []
    for item in offers:
        offer_id = item.get("id")
        offer = existing.get(offer_id) if offer_id else None
        if offer_id and offer is None:
            raise PlaceError(_("Das Angebot gehört nicht zu diesem Ort."))
        if item.get("delete"):
            if offer is not None:
                before = offer_snapshot(offer)
                offer.delete()
                audit_record(actor=actor, action="offer.delete", obj=place,
                             changes={"angebot": offer.title, "old": _jsonable(before)}, note=note)
            continue
        clean = _clean(item.get("data") or {})
        groups = list(item.get("target_groups") or [])
        org = item.get("organisation")
        if offer is None:
            offer = Offer.objects.create(place=place, organisation=org, **clean)
            offer.target_groups.set(_groups(groups))
            audit_record(actor=actor, action="offer.create", obj=place,
                         changes={"angebot": offer.title, "new": _jsonable(offer_snapshot(offer))}, note=note)
        else:
            before = offer_snapshot(offer)
            for key, value in clean.items():
                setattr(offer, key, value)
            offer.organisation = org
            offer.save()
            offer.target_groups.set(_groups(groups))
            changes = diff_fields(_jsonable(before), _jsonable(offer_snapshot(offer)))
            if changes:
                audit_record(actor=actor, action="offer.update", obj=place,
                             changes={"angebot": offer.title, **changes}, note=note)
        kept.append(offer)
    return kept


def _groups(items: list[Any]) -> list[TargetGroup]:
    return vocabulary_items(TargetGroup, items, unknown=_("Unbekannte Zielgruppe „%(slug)s“."))


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)) for k, v in data.items()}
