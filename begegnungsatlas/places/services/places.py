"""Writes for places. Every change is recorded in the audit trail (who, when, what)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.atlas.selectors.areas import area_assignment
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record, audit_record_many, diff_fields

from .. import opening_hours
from ..errors import PlaceError
from ..models import ActorRole, Organisation, Place, PlaceActor, PlaceKind, Quality, TargetGroup
from ..permissions import can_create_place, can_edit_place

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


SCALAR_FIELDS = [
    "name", "description", "kind", "status", "street", "postcode", "city", "lon", "lat", "virtual_url",
    "shared_building", "shared_building_note", "contact_name", "contact_email", "contact_phone", "opening_hours",
    "wheelchair", "wheelchair_description", "open_for_groups", "website", "capacity", "source", "source_id",
    "is_example", "is_published",
]


def place_snapshot(place: Place) -> dict[str, Any]:
    """A JSON-serialisable view of the editable fields (for the history)."""
    if not place.pk:
        return snapshot_of(place, kommune=_kommune_name(place))
    return snapshot_of(
        place, kommune=_kommune_name(place),
        target_groups=place.target_groups.values_list("slug", flat=True),
        qualities=place.qualities.values_list("slug", flat=True),
        actors=[(a.organisation.name, a.role) for a in place.place_actors.select_related("organisation")],
    )


def snapshot_of(
    place: Place, *, kommune: str | None, target_groups: Iterable[str] | None = None,
    qualities: Iterable[str] | None = None, actors: Iterable[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The history snapshot from values already at hand: ``place_snapshot`` and the bulk write share it."""
    data: dict[str, Any] = {f: getattr(place, f) for f in SCALAR_FIELDS}
    data["kommune"] = kommune
    if target_groups is not None:
        data["target_groups"] = sorted(target_groups)
    if qualities is not None:
        data["qualities"] = sorted(qualities)
    if actors is not None:
        data["actors"] = sorted(f"{name} ({role})" for name, role in actors)
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


def place_clean(
    *, data: dict[str, Any], place: Place | None = None, actor: Actor = None, require_inside: bool = True,
    assign_areas: bool = True,
) -> Place:
    """The one validation of a place, whichever path writes it (editor, admin, import, suggestions).

    Normalises ``data`` with the domain rules (name, opening hours, coordinates), applies it to ``place`` (a new
    unsaved ``Place`` when ``None``), assigns Kommune and area by point (``assign_areas``; the import assigns all
    its points in one batch instead) and runs the model's ``full_clean`` (lengths, choices, URL and e-mail
    fields). Nothing is saved. Raises ``PlaceError`` with a German message.
    """
    clean = _validate(data)
    if place is None:
        place = Place(**{k: v for k, v in clean.items() if k in SCALAR_FIELDS})
    else:
        for key in SCALAR_FIELDS:
            if key in clean:
                setattr(place, key, clean[key])
    if assign_areas:
        _assign_areas(place, require_inside=require_inside, actor=actor)
    _full_clean(place)
    return place


def _full_clean(place: Place) -> None:
    # Kommune and area are set by point above; uniqueness is the database's (no unique fields on a place).
    try:
        place.full_clean(exclude=["kommune", "area"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        parts = []
        for field, messages in exc.message_dict.items():
            label = str(getattr(Place._meta.get_field(field), "verbose_name", field)) if field != NON_FIELD_ERRORS else ""
            parts += [f"{label}: {m}" if label else m for m in messages]
        raise PlaceError(" ".join(parts)) from exc


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


def _assign_areas(place: Place, *, require_inside: bool, actor: Actor = None) -> None:
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
        place.target_groups.set(vocabulary_items(TargetGroup, target_groups))
    if qualities is not None:
        place.qualities.set(vocabulary_items(Quality, qualities))
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


def vocabulary_items(model: Any, items: Iterable[Any], *, unknown: str = "") -> list[Any]:
    """Entries of a vocabulary (target groups, qualities) given as objects or slugs; an unknown slug is a
    ``PlaceError`` (``unknown``: the message with ``%(slug)s``)."""
    out = []
    for item in items:
        if isinstance(item, model):
            out.append(item)
            continue
        obj = model.objects.filter(slug=item).first()
        if obj is None:
            raise PlaceError((unknown or _("Unbekannter Eintrag „%(slug)s“.")) % {"slug": item})
        out.append(obj)
    return out


@transaction.atomic
def place_create(
    *,
    actor: Actor,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
    require_inside: bool = True,
    check_permission: bool = True,
    audit_action: str = "place.create",
    note: str = "",
) -> Place:
    place = place_clean(data=data, require_inside=require_inside, actor=actor if check_permission else None)
    if check_permission:
        decision = can_create_place(actor, kommune=place.kommune)
        if not decision.allowed and place.kommune is not None and getattr(actor, "role", None) == "kommune_editor":
            raise PlaceError(
                _("Der Punkt liegt in %(kommune)s. Sie dürfen Orte nur innerhalb Ihrer eigenen Kommune anlegen.")
                % {"kommune": place.kommune.name}
            )
        decision.enforce()
    place.save()
    operator = signed_in(actor)
    if check_permission and operator is not None and operator.organisation is not None and operator.role == "operator":
        # An operator's new place is always run by its own organisation (otherwise it could not edit it).
        actors = list(actors or [])
        if not any(org.pk == operator.organisation_id and role in (ActorRole.RUNS, ActorRole.PROVIDES)
                   for org, role in actors):
            actors.append((operator.organisation, ActorRole.RUNS))
    _set_relations(place, target_groups=target_groups, qualities=qualities, actors=actors)
    place_features_refresh(place_ids=[place.pk])  # the OGC feature text, in this transaction
    audit_record(actor=actor, action=audit_action, obj=place, changes={"new": _jsonable(place_snapshot(place))},
                 note=note)
    return place


@transaction.atomic
def place_update(
    *,
    actor: Actor,
    place: Place,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
    note: str = "",
) -> Place:
    can_edit_place(actor, place).enforce()
    place = Place.objects.select_for_update().get(pk=place.pk)
    before = place_snapshot(place)
    merged = {**{f: getattr(place, f) for f in SCALAR_FIELDS}, **data}
    place_clean(data=merged, place=place, actor=actor)
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
        audit_record(actor=actor, action="place.update", obj=place, changes=changes, note=note)
    return place


@transaction.atomic
def place_delete(*, actor: Actor, place: Place, note: str = "") -> None:
    from ..permissions import can_delete_place

    can_delete_place(actor, place).enforce()
    snapshot = _jsonable(place_snapshot(place))
    pk, label = place.pk, str(place)
    place.delete()
    audit_record(actor=actor, action="place.delete", object_type="places.place", object_id=pk,
                 object_label=label, changes={"old": snapshot}, note=note)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)) for k, v in data.items()}


@transaction.atomic
def place_save(
    *,
    actor: Actor,
    place: Place | None,
    data: dict[str, Any],
    target_groups: Iterable[TargetGroup | str] | None = None,
    qualities: Iterable[Quality | str] | None = None,
    actors: Iterable[tuple[Organisation, str]] | None = None,
    offers: list[dict[str, Any]] | None = None,
    note: str = "",
) -> Place:
    """Create or update a place together with its offers, all or nothing (the editor form's and the admin's one
    call; ``note`` marks the history entries, e.g. "Verwaltung")."""
    from .offers import offers_sync

    if place is None or place.pk is None:
        saved = place_create(actor=actor, data=data, target_groups=target_groups, qualities=qualities, actors=actors,
                             note=note)
    else:
        saved = place_update(actor=actor, place=place, data=data, target_groups=target_groups, qualities=qualities,
                             actors=actors, note=note)
    if offers is not None:
        offers_sync(actor=actor, place=saved, offers=offers, note=note)
    return saved


# --------------------------------------------------------------------------------------------------- bulk


@dataclass
class BulkPlace:
    """One place for ``places_write_bulk``, already checked with ``place_clean`` (point, fields) by the caller.

    ``actors`` are organisation names (with the kind for one that does not exist yet), all with the role
    "runs"; ``offers`` are ``(title, schedule)`` pairs. With ``existing_id`` the place is updated: only the fields
    in ``mapped`` are overwritten (empty values keep the stored ones), target groups and actors are added.
    """

    data: dict[str, Any]
    lon: float
    lat: float
    kommune_id: int | None
    area_id: int | None
    target_groups: list[int] = field(default_factory=list)
    qualities: list[int] = field(default_factory=list)
    actors: list[tuple[str, str | None]] = field(default_factory=list)
    offers: list[tuple[str, str]] = field(default_factory=list)
    existing_id: int | None = None
    mapped: frozenset[str] = frozenset()


BULK_BATCH = 1000


@transaction.atomic
def places_write_bulk(
    *,
    actor: Actor,
    items: list[BulkPlace],
    action: str = "place.import",
    note: str = "",
    anonymous_label: str = "system",
    progress: Any = None,
) -> list[int]:
    """Create and update many places in one transaction (the importer's write): the ids, in the order of ``items``.

    The bulk twin of ``place_create``/``place_update``: the same history snapshot (``snapshot_of``), one audit
    event per place (``action``), and the OGC feature text refreshed for every written place in this transaction.
    Creates go through ``bulk_create``; updates lock and save their row one by one.
    """
    from begegnungsatlas.atlas.models import Area

    from ..models import Offer, TargetGroup

    tg_slug = dict(TargetGroup.objects.values_list("id", "slug"))
    q_slug = dict(Quality.objects.values_list("id", "slug"))
    names = dict(Area.objects.filter(pk__in={i.kommune_id for i in items if i.kommune_id}).values_list("id", "name"))
    example: dict[str, bool] = {}
    for item in items:
        for name, _kind in item.actors:
            example[name] = example.get(name, True) and bool(item.data.get("is_example"))
    orgs = _organisations({a for item in items for a in item.actors}, is_example=example)

    creates = [i for i in items if i.existing_id is None]
    updates = [i for i in items if i.existing_id is not None]
    new = [Place(**{k: v for k, v in i.data.items() if k in SCALAR_FIELDS}, lon=i.lon, lat=i.lat,
                 kommune_id=i.kommune_id, area_id=i.area_id) for i in creates]
    created: list[Place] = []
    for start in range(0, len(new), BULK_BATCH):
        created.extend(Place.objects.bulk_create(new[start:start + BULK_BATCH]))
        if progress is not None:
            progress(_("speichern"), min(start + BULK_BATCH, len(new)), len(new))
    tg_through, q_through = Place.target_groups.through, Place.qualities.through
    tg_rows: list[Any] = []
    q_rows: list[Any] = []
    actor_rows: list[PlaceActor] = []
    offers: list[tuple[Offer, list[int]]] = []
    audit: list[tuple[Place, dict[str, Any]]] = []
    for place, item in zip(created, creates, strict=True):
        tg_rows += [tg_through(place_id=place.pk, targetgroup_id=t) for t in item.target_groups]
        q_rows += [q_through(place_id=place.pk, quality_id=q) for q in item.qualities]
        runs = list(dict.fromkeys(name for name, _kind in item.actors))
        actor_rows += [PlaceActor(place_id=place.pk, organisation=orgs[name], role=ActorRole.RUNS) for name in runs]
        first_org = orgs[runs[0]] if runs else None
        offers += [(Offer(place_id=place.pk, title=t, schedule=s, organisation=first_org), item.target_groups)
                   for t, s in item.offers]
        snapshot = snapshot_of(
            place, kommune=names.get(place.kommune_id) if place.kommune_id else None,
            target_groups=[tg_slug[t] for t in dict.fromkeys(item.target_groups)],
            qualities=[q_slug[q] for q in dict.fromkeys(item.qualities)],
            actors=[(name, ActorRole.RUNS) for name in runs])
        audit.append((place, {"new": _jsonable(snapshot)}))

    updated: list[tuple[Place, dict[str, Any]]] = []
    for item in updates:
        place = Place.objects.select_for_update().get(pk=cast(int, item.existing_id))
        before = _jsonable(place_snapshot(place))
        for key, value in item.data.items():
            if key in item.mapped and key in SCALAR_FIELDS and value not in ("", None):
                setattr(place, key, value)
        place.lon, place.lat, place.kommune_id, place.area_id = item.lon, item.lat, item.kommune_id, item.area_id
        place.save()
        have = set(place.target_groups.values_list("id", flat=True))
        tg_rows += [tg_through(place_id=place.pk, targetgroup_id=t) for t in item.target_groups if t not in have]
        running = set(place.place_actors.filter(role=ActorRole.RUNS).values_list("organisation_id", flat=True))
        for name, _kind in dict.fromkeys(item.actors):
            if orgs[name].pk not in running:
                actor_rows.append(PlaceActor(place_id=place.pk, organisation=orgs[name], role=ActorRole.RUNS))
                running.add(orgs[name].pk)
        updated.append((place, before))

    tg_through.objects.bulk_create(tg_rows, batch_size=BULK_BATCH, ignore_conflicts=True)
    q_through.objects.bulk_create(q_rows, batch_size=BULK_BATCH, ignore_conflicts=True)
    PlaceActor.objects.bulk_create(actor_rows, batch_size=BULK_BATCH)
    if offers:
        made = Offer.objects.bulk_create([o for o, _t in offers], batch_size=BULK_BATCH)
        Offer.target_groups.through.objects.bulk_create(
            [Offer.target_groups.through(offer_id=o.pk, targetgroup_id=t)
             for o, (_o, tgs) in zip(made, offers, strict=True) for t in tgs],
            batch_size=BULK_BATCH)
    for place, before in updated:
        audit.append((place, diff_fields(before, _jsonable(place_snapshot(place)))))
    audit_record_many(actor=actor, action=action, items=audit, note=note, anonymous_label=anonymous_label,
                      batch_size=BULK_BATCH)
    ids = {id(item): place.pk for place, item in zip(created, creates, strict=True)}
    ids.update({id(item): place.pk for (place, _b), item in zip(updated, updates, strict=True)})
    place_features_refresh(place_ids=ids.values())  # the OGC feature text, in this transaction
    return [ids[id(item)] for item in items]


def _organisations(names: set[tuple[str, str | None]], *, is_example: dict[str, bool]) -> dict[str, Organisation]:
    """Existing organisations by name (any kind), else new ones with the given or guessed kind."""
    wanted = {n for n, _k in names}
    found: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(name__in=wanted).order_by("id"):
        found.setdefault(org.name, org)
    for name, kind in sorted(names, key=lambda t: (t[0], t[1] or "")):
        if name not in found:
            found[name] = Organisation.objects.create(name=name, kind=kind or "sonstige",
                                                      is_example=is_example.get(name, False))
    return found
