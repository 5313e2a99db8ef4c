"""Writes for places. Every change is recorded in the audit trail (who, when, what)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.atlas.selectors.areas import area_assignment
from begegnungsatlas.core.services import audit_record, diff_fields

from .. import opening_hours
from ..errors import PlaceError
from ..models import ActorRole, Organisation, Place, PlaceActor, PlaceKind, Quality, TargetGroup
from ..permissions import can_create_place, can_edit_place

SCALAR_FIELDS = [
    "name", "description", "kind", "status", "street", "postcode", "city", "lon", "lat", "virtual_url",
    "shared_building", "shared_building_note", "contact_name", "contact_email", "contact_phone", "opening_hours",
    "wheelchair", "wheelchair_description", "open_for_groups", "website", "capacity", "source", "source_id",
    "is_example", "is_published",
]


def place_snapshot(place: Place) -> dict[str, Any]:
    """A JSON-serialisable view of the editable fields (for the history)."""
    data: dict[str, Any] = {f: getattr(place, f) for f in SCALAR_FIELDS}
    data["kommune"] = _kommune_name(place)
    if place.pk:
        data["target_groups"] = sorted(place.target_groups.values_list("slug", flat=True))
        data["qualities"] = sorted(place.qualities.values_list("slug", flat=True))
        data["actors"] = sorted(
            f"{a.organisation.name} ({a.role})" for a in place.place_actors.select_related("organisation")
        )
    return data


def _kommune_name(place: Place) -> str | None:
    if not place.kommune_id:
        return None
    if Place.kommune.is_cached(place) and place.kommune is not None:
        return place.kommune.name
    # Only the name: an Area row carries its (large) geometry.
    from begegnungsatlas.atlas.models import Area

    return Area.objects.filter(pk=place.kommune_id).values_list("name", flat=True).first()


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    if not (clean.get("name") or "").strip():
        raise PlaceError(_("Bitte geben Sie einen Namen an."))
    clean["name"] = clean["name"].strip()
    if "opening_hours" in clean:
        try:
            clean["opening_hours"] = opening_hours.validate(clean.get("opening_hours") or "")
        except opening_hours.OpeningHoursError as exc:
            raise PlaceError(str(exc)) from exc
    lon, lat = clean.get("lon"), clean.get("lat")
    if (lon is None) != (lat is None):
        raise PlaceError(_("Bitte geben Sie Längen- und Breitengrad gemeinsam an."))
    if lon is not None and lat is not None and not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
        raise PlaceError(_("Die Koordinaten liegen außerhalb des gültigen Bereichs."))
    kind = clean.get("kind", PlaceKind.PHYSICAL)
    if kind != PlaceKind.VIRTUAL and clean.get("status") != "potential" and lon is None and "lon" in clean:
        raise PlaceError(_("Ein Ort vor Ort braucht eine Lage (Koordinaten oder Klick auf die Karte)."))
    return clean


def place_point_areas(*, lon: float | None, lat: float | None) -> tuple[Any, Any]:
    """``(kommune, smallest area)`` of a point; ``(None, None)`` without one.

    Raises ``PlaceError`` when only one coordinate is given or the point lies outside every area. The editor
    services and the admin form both ask here, so they refuse the same points with the same words.
    """
    if (lon is None) != (lat is None):
        raise PlaceError(_("Bitte geben Sie Längen- und Breitengrad gemeinsam an."))
    if lon is None or lat is None:
        return None, None
    kommune, area = area_assignment(lon=lon, lat=lat)
    if kommune is None:
        raise PlaceError(
            _("Die Koordinaten %(lat).5f, %(lon).5f liegen außerhalb der Gebiete dieser Installation. "
              "Bitte prüfen Sie Breiten- und Längengrad (z. B. vertauscht?).")
            % {"lat": lat, "lon": lon}
        )
    return kommune, area


def _assign_areas(place: Place, *, require_inside: bool, actor: Any = None) -> None:
    if place.lon is None or place.lat is None:
        # A virtual place (or a Potenzialraum without a point) of a municipal editor belongs to its Kommune.
        own = getattr(actor, "kommune", None) if getattr(actor, "role", None) == "kommune_editor" else None
        place.kommune, place.area = own, None
        return
    if require_inside:
        place.kommune, place.area = place_point_areas(lon=place.lon, lat=place.lat)
    else:
        place.kommune, place.area = area_assignment(lon=place.lon, lat=place.lat)


def _set_relations(
    place: Place,
    *,
    target_groups: Iterable[TargetGroup | str] | None,
    qualities: Iterable[Quality | str] | None,
    actors: Iterable[tuple[Organisation, str]] | None,
) -> None:
    if target_groups is not None:
        place.target_groups.set(_vocab(TargetGroup, target_groups))
    if qualities is not None:
        place.qualities.set(_vocab(Quality, qualities))
    if actors is not None:
        place.place_actors.all().delete()
        seen: set[tuple[int, str]] = set()
        for org, role in actors:
            if role not in ActorRole.values:
                raise PlaceError(_("Unbekannte Rolle eines Akteurs: %(role)s") % {"role": role})
            if (org.pk, role) in seen:
                continue
            seen.add((org.pk, role))
            PlaceActor.objects.create(place=place, organisation=org, role=role)


def _vocab(model: Any, items: Iterable[Any]) -> list[Any]:
    out = []
    for item in items:
        if isinstance(item, model):
            out.append(item)
            continue
        obj = model.objects.filter(slug=item).first()
        if obj is None:
            raise PlaceError(_("Unbekannter Eintrag „%(slug)s“.") % {"slug": item})
        out.append(obj)
    return out


@transaction.atomic
def place_create(
    *,
    actor: Any,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
    require_inside: bool = True,
    check_permission: bool = True,
    audit_action: str = "place.create",
) -> Place:
    clean = _validate(data)
    place = Place(**{k: v for k, v in clean.items() if k in SCALAR_FIELDS})
    _assign_areas(place, require_inside=require_inside, actor=actor if check_permission else None)
    if check_permission:
        decision = can_create_place(actor, kommune=place.kommune)
        if not decision.allowed and place.kommune is not None and getattr(actor, "role", None) == "kommune_editor":
            raise PlaceError(
                _("Der Punkt liegt in %(kommune)s. Sie dürfen Orte nur innerhalb Ihrer eigenen Kommune anlegen.")
                % {"kommune": place.kommune.name}
            )
        decision.enforce()
    place.save()
    if check_permission and getattr(actor, "organisation_id", None) and actor.role == "operator":
        # An operator's new place is always run by its own organisation (otherwise it could not edit it).
        actors = list(actors or [])
        if not any(org.pk == actor.organisation_id and role in (ActorRole.RUNS, ActorRole.PROVIDES)
                   for org, role in actors):
            actors.append((actor.organisation, ActorRole.RUNS))
    _set_relations(place, target_groups=target_groups, qualities=qualities, actors=actors)
    place_features_refresh(place_ids=[place.pk])  # the OGC feature text, in this transaction
    audit_record(actor=actor, action=audit_action, obj=place, changes={"new": _jsonable(place_snapshot(place))})
    return place


@transaction.atomic
def place_update(
    *,
    actor: Any,
    place: Place,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
) -> Place:
    can_edit_place(actor, place).enforce()
    place = Place.objects.select_for_update().get(pk=place.pk)
    before = place_snapshot(place)
    merged = {**{f: getattr(place, f) for f in SCALAR_FIELDS}, **data}
    clean = _validate(merged)
    for key in SCALAR_FIELDS:
        setattr(place, key, clean.get(key))
    _assign_areas(place, require_inside=True, actor=actor)
    # A municipal editor must not move a place into another Kommune.
    moved = can_edit_place(actor, place)
    if not moved.allowed:
        raise PlaceError(
            _("Der Punkt liegt in %(kommune)s. Sie dürfen Orte nur innerhalb Ihrer eigenen Kommune führen.")
            % {"kommune": place.kommune.name if place.kommune is not None else _("keiner Kommune")}
        )
    place.save()
    _set_relations(place, target_groups=target_groups, qualities=qualities, actors=actors)
    place_features_refresh(place_ids=[place.pk])  # the OGC feature text, in this transaction
    if actors is not None and not can_edit_place(actor, place).allowed:
        # An operator must not take its own organisation off the place (it would lock itself out).
        raise PlaceError(_("Ihre Organisation muss den Ort weiterhin bereitstellen oder bespielen."))
    changes = diff_fields(_jsonable(before), _jsonable(place_snapshot(place)))
    if changes:
        audit_record(actor=actor, action="place.update", obj=place, changes=changes)
    return place


@transaction.atomic
def place_delete(*, actor: Any, place: Place) -> None:
    from ..permissions import can_delete_place

    can_delete_place(actor, place).enforce()
    snapshot = _jsonable(place_snapshot(place))
    pk, label = place.pk, str(place)
    place.delete()
    audit_record(actor=actor, action="place.delete", object_type="places.place", object_id=pk,
                 object_label=label, changes={"old": snapshot})


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)) for k, v in data.items()}


@transaction.atomic
def place_save(
    *,
    actor: Any,
    place: Place | None,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
    offers: list[dict[str, Any]] | None = None,
) -> Place:
    """Create or update a place together with its offers, all or nothing (the editor form's one call)."""
    from .offers import offers_sync

    if place is None or place.pk is None:
        saved = place_create(actor=actor, data=data, target_groups=target_groups, qualities=qualities, actors=actors)
    else:
        saved = place_update(actor=actor, place=place, data=data, target_groups=target_groups, qualities=qualities,
                             actors=actors)
    if offers is not None:
        offers_sync(actor=actor, place=saved, offers=offers)
    return saved
