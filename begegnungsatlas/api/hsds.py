"""The register as Open Referral HSDS 3.0: selectors (reads) and the mapping of our models to HSDS objects.

Mapping (see ``docs/api.md``):

- ``Organisation`` (an actor of a published place or the provider of one of its offers) → ``organization``
- ``Place`` → ``location`` (+ ``address``); every place also gets one *general service* ("use of the place"),
  so that HSDS clients, which search services, find places without offers too
- ``Offer`` (Angebot) → ``service`` at its place (``service_at_location``)
- opening hours / offer schedule (OSM syntax) → ``schedule`` (``schedules.hsds_schedules``)
- the place's fixed contact person → ``contact`` (public by design of the register)
- target groups → ``attribute`` with a ``taxonomy_term`` of our published taxonomy "Zielgruppen"

Only published places (``is_published``) and what hangs on them are ever read here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value

from begegnungsatlas.atlas.models import related_geometry
from begegnungsatlas.places.models import Offer, Organisation, Place, PlaceActor, PlaceStatus, TargetGroup

from .ids import hsds_id, parse_hsds_id
from .schedules import hsds_schedules

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://github.com/openreferral/specification/tree/3.0"
TAXONOMY_PK = 1
TAXONOMY_NAME = "Begegnungsatlas – Zielgruppen"
TIME_NOTE = "Zeiten in Ortszeit Europe/Berlin; Feiertagsregeln stehen in der Beschreibung."
_STATUS: dict[str, str] = {PlaceStatus.EXISTING: "active", PlaceStatus.PLANNED: "inactive", PlaceStatus.POTENTIAL: "inactive"}
# First two digits of the ARS → Land (state_province of an address).
_LAND = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
}


KOMMUNE_GEOMETRY = related_geometry("kommune")


class HsdsNotFound(LookupError):
    pass


class HsdsBadRequest(ValueError):
    pass


# --- taxonomy -----------------------------------------------------------------------------------------

def taxonomy() -> dict[str, Any]:
    return {
        "id": hsds_id("taxonomy", TAXONOMY_PK), "name": TAXONOMY_NAME,
        "description": "Zielgruppen der Orte der Begegnung und ihrer Angebote (kontrolliertes Vokabular).",
        "version": "1",
    }


def taxonomy_term(tg: TargetGroup) -> dict[str, Any]:
    return {
        "id": hsds_id("taxonomy_term", tg.pk), "code": tg.slug, "name": tg.name_de,
        "description": tg.description or tg.name_de, "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": hsds_id("taxonomy", TAXONOMY_PK), "language": "de",
    }


def taxonomy_terms_all() -> list[dict[str, Any]]:
    return [taxonomy_term(tg) for tg in TargetGroup.objects.all()]


# --- queries ----------------------------------------------------------------------------------------------

def _places_qs(*, full: bool = True) -> QuerySet[Place]:
    """Published places with what the mapping reads; ``full=False`` leaves out the target groups (list pages)."""
    offers = Offer.objects.select_related("organisation")
    lookups: list[Any] = [
        # to_attr: Django then stores plain lists instead of cloning a related queryset per place (the clones were
        # the largest cost of a 50-item list page); the mapping reads ``hsds_actors`` / ``hsds_offers``.
        Prefetch("place_actors", queryset=PlaceActor.objects.select_related("organisation").order_by("id"),
                 to_attr="hsds_actors"),
        Prefetch("offers", queryset=offers.prefetch_related("target_groups") if full else offers,
                 to_attr="hsds_offers"),
    ]
    if full:
        lookups.append("target_groups")
    return (
        Place.objects.filter(is_published=True)
        .select_related("kommune")
        .defer(*KOMMUNE_GEOMETRY)  # a Kommune's polygon is megabytes of JSON: never decoded per place
        .prefetch_related(*lookups)
    )


def _public_organisations() -> QuerySet[Organisation]:
    """Organisations that act at a published place or provide an offer there."""
    return Organisation.objects.filter(
        Q(Exists(PlaceActor.objects.filter(organisation=OuterRef("pk"), place__is_published=True)))
        | Q(Exists(Offer.objects.filter(organisation=OuterRef("pk"), place__is_published=True)))
    )


@dataclass(frozen=True)
class ServiceQuery:
    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None
    postcode: str = ""


def _term_pk(value: str) -> int:
    parsed = parse_hsds_id(value)
    if not parsed or parsed[0] != "taxonomy_term":
        return -1  # unknown term: matches nothing
    return parsed[1]


def _service_keys(q: ServiceQuery) -> QuerySet[Any]:
    """(place id, offer id or 0) of every service that matches, as one UNION query, ordered."""
    places = Place.objects.filter(is_published=True)
    offers = Offer.objects.filter(place__is_published=True)
    if q.search:
        places = places.filter(Q(name__icontains=q.search) | Q(description__icontains=q.search))
        offers = offers.filter(Q(title__icontains=q.search) | Q(description__icontains=q.search))
    if q.taxonomy_term_id:
        pk = _term_pk(q.taxonomy_term_id)
        places = places.filter(target_groups__pk=pk)
        offers = offers.filter(target_groups__pk=pk)
    if q.taxonomy_id and q.taxonomy_id != hsds_id("taxonomy", TAXONOMY_PK):
        places, offers = places.none(), offers.none()
    elif q.taxonomy_id:
        places = places.filter(target_groups__isnull=False)
        offers = offers.filter(target_groups__isnull=False)
    if q.organization_id:
        parsed = parse_hsds_id(q.organization_id)
        org = parsed[1] if parsed and parsed[0] == "organization" else -1
        places = places.filter(place_actors__organisation_id=org)
        offers = offers.filter(Q(organisation_id=org) | Q(place__place_actors__organisation_id=org))
    if q.modified_after:  # HSDS: "modified on or after this datetime"
        places = places.filter(updated_at__gte=q.modified_after)
        offers = offers.filter(place__updated_at__gte=q.modified_after)
    if q.postcode:
        places = places.filter(postcode=q.postcode)
        offers = offers.filter(place__postcode=q.postcode)
    p = places.annotate(pid=F("id"), oid=Value(0, output_field=IntegerField())).values_list("pid", "oid").order_by().distinct()
    o = offers.annotate(pid=F("place_id"), oid=F("id")).values_list("pid", "oid").order_by().distinct()
    return p.union(o).order_by("pid", "oid")


@dataclass(frozen=True)
class HsdsPage:
    contents: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    def envelope(self) -> dict[str, Any]:
        pages = max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1
        return {
            "total_items": self.total, "total_pages": pages, "page_number": self.page, "size": len(self.contents),
            "first_page": self.page == 1, "last_page": self.page >= pages, "empty": not self.contents,
            "contents": self.contents,
        }


def _keyed_page(q: ServiceQuery, *, page: int, per_page: int,
                full: bool = True) -> tuple[int, list[tuple[Place, Offer | None]]]:
    """Total count and the (place, offer or None) pairs of one page of matching services."""
    keys_qs = _service_keys(q)
    total = keys_qs.count()
    keys = list(keys_qs[(page - 1) * per_page: page * per_page])
    places = {p.pk: p for p in _places_qs(full=full).filter(pk__in={pid for pid, _ in keys})}
    pairs = []
    for pid, oid in keys:
        place = places[pid]
        pairs.append((place, next((o for o in place.hsds_offers if o.pk == oid), None) if oid else None))  # type: ignore[attr-defined]
    return total, pairs


def services_page(q: ServiceQuery, *, page: int, per_page: int, full: bool, minimal: bool) -> HsdsPage:
    total, pairs = _keyed_page(q, page=page, per_page=per_page, full=full)
    contents = []
    for place, offer in pairs:
        if minimal:
            contents.append({"id": hsds_id("offer", offer.pk) if offer else hsds_id("place_service", place.pk),
                             "name": offer.title if offer else place.name,
                             "status": _STATUS.get(place.status, "active")})
        else:
            contents.append(service(place, offer, full=full))
    return HsdsPage(contents=contents, total=total, page=page, per_page=per_page)


def service_at_locations_page(q: ServiceQuery, *, page: int, per_page: int, full: bool) -> HsdsPage:
    total, pairs = _keyed_page(q, page=page, per_page=per_page, full=full)
    contents = [service_at_location(place, offer, full=full) for place, offer in pairs]
    return HsdsPage(contents=contents, total=total, page=page, per_page=per_page)


def _place_and_offer(value: str, kinds: tuple[str, str]) -> tuple[Place, Offer | None]:
    """The published place (and offer) behind a service or service_at_location id; ``kinds`` = (offer, place)."""
    parsed = parse_hsds_id(value)
    if not parsed or parsed[0] not in kinds:
        raise HsdsNotFound(value)
    kind, pk, _sub = parsed
    if kind == kinds[0]:
        offer = Offer.objects.filter(pk=pk, place__is_published=True).only("place_id").first()
        if offer is None:
            raise HsdsNotFound(value)
        place_pk = offer.place_id
    else:
        place_pk = pk
    place = _places_qs().filter(pk=place_pk).first()
    if place is None:
        raise HsdsNotFound(value)
    target = next((o for o in place.hsds_offers if o.pk == pk), None) if kind == kinds[0] else None  # type: ignore[attr-defined]
    return place, target


def service_at_location_by_id(value: str) -> dict[str, Any]:
    place, offer = _place_and_offer(value, ("offer_sal", "place_sal"))
    return service_at_location(place, offer, full=True)


def service_by_id(value: str) -> dict[str, Any]:
    place, offer = _place_and_offer(value, ("offer", "place_service"))
    return service(place, offer, full=True)


def organizations_page(*, search: str, page: int, per_page: int, full: bool = False,
                       full_service: bool = False) -> HsdsPage:
    qs = _public_organisations()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    qs = qs.order_by("name", "id")
    total = qs.count()
    orgs = list(qs[(page - 1) * per_page: page * per_page])
    items = [organization_nested(o, full_service=full_service) if full else organization(o) for o in orgs]
    return HsdsPage(contents=items, total=total, page=page, per_page=per_page)


def organization_by_id(value: str, *, full_service: bool = False) -> dict[str, Any]:
    parsed = parse_hsds_id(value)
    if not parsed or parsed[0] != "organization":
        raise HsdsNotFound(value)
    org = _public_organisations().filter(pk=parsed[1]).first()
    if org is None:
        raise HsdsNotFound(value)
    return organization_nested(org, full_service=full_service)


def organization_nested(org: Organisation, *, full_service: bool) -> dict[str, Any]:
    """The organization with its locations and services (one-to-one fields, or fully nested with ``full_service``)."""
    out = organization(org)
    places = _places_qs().filter(place_actors__organisation=org).distinct().order_by("id")
    out["locations"] = [location(p) for p in places]
    oid = hsds_id("organization", org.pk)
    _total, pairs = _keyed_page(ServiceQuery(organization_id=oid), page=1, per_page=10_000, full=full_service)
    out["services"] = [service(place, offer, full=full_service) for place, offer in pairs]
    return out


# --- mapping ---------------------------------------------------------------------------------------------

def organization(org: Organisation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": hsds_id("organization", org.pk), "name": org.name,
        "description": org.description or str(org.get_kind_display()),
        "legal_status": str(org.get_kind_display()),
    }
    if org.email:
        out["email"] = org.email
    if org.website:
        out["website"] = org.website
    if org.phone:
        out["phones"] = [{"id": hsds_id("phone", org.pk), "organization_id": out["id"], "number": org.phone}]
    return out


def _main_organisation(place: Place) -> Organisation | None:
    actors: list[PlaceActor] = place.hsds_actors  # type: ignore[attr-defined]  # set by _places_qs
    for role in ("runs", "provides", "funds"):
        for pa in actors:
            if pa.role == role:
                return pa.organisation
    return None


def location(place: Place) -> dict[str, Any]:
    loc_id = hsds_id("location", place.pk)
    out: dict[str, Any] = {
        "id": loc_id, "location_type": "virtual" if place.kind == "virtual" else "physical",
        "name": place.name,
    }
    if place.description:
        out["description"] = place.description
    if place.virtual_url:
        out["url"] = place.virtual_url
    if place.lat is not None and place.lon is not None and place.kind != "virtual":
        out["latitude"], out["longitude"] = place.lat, place.lon
    org = _main_organisation(place)
    if org is not None:
        out["organization_id"] = hsds_id("organization", org.pk)
    address = _address(place, loc_id)
    if address is not None:
        out["addresses"] = [address]
    schedules = hsds_schedules(place.opening_hours, make_id=lambda n: hsds_id("location_schedule", place.pk, n),
                               link={"location_id": loc_id}, note=TIME_NOTE)
    if schedules:
        out["schedules"] = schedules
    return out


def _address(place: Place, loc_id: str) -> dict[str, Any] | None:
    """The postal address whenever any part of it is known (HSDS requires the keys; unknown parts are empty)."""
    if place.kind == "virtual" or not (place.street or place.postcode or place.city):
        return None
    code = place.kommune.code if place.kommune else ""
    address: dict[str, Any] = {
        "id": hsds_id("address", place.pk), "location_id": loc_id, "address_1": place.street,
        "city": place.city or (place.kommune.name if place.kommune else ""),
        "state_province": _LAND.get(code[:2], ""), "postal_code": place.postcode, "country": "DE",
        "address_type": "physical",
    }
    if place.kommune:
        address["region"] = place.kommune.name
    return address


def _contacts(place: Place, service_id: str) -> list[dict[str, Any]]:
    if not (place.contact_name or place.contact_email or place.contact_phone):
        return []
    contact_id = hsds_id("contact", place.pk)
    contact: dict[str, Any] = {"id": contact_id, "service_id": service_id, "location_id": hsds_id("location", place.pk)}
    if place.contact_name:
        contact["name"] = place.contact_name
        contact["title"] = "feste Ansprechperson"
    if place.contact_email:
        contact["email"] = place.contact_email
    if place.contact_phone:
        contact["phones"] = [{"id": hsds_id("contact_phone", place.pk), "contact_id": contact_id,
                              "number": place.contact_phone}]
    return [contact]


def _attributes(groups: list[TargetGroup], *, kind: str, pk: int, service_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": hsds_id(kind, pk, tg.pk % 4096), "link_id": service_id,
            "taxonomy_term_id": hsds_id("taxonomy_term", tg.pk), "link_type": "target_group",
            "link_entity": "service", "value": tg.slug, "label": tg.name_de, "taxonomy_term": taxonomy_term(tg),
        }
        for tg in groups
    ]


def service(place: Place, offer: Offer | None, *, full: bool) -> dict[str, Any]:
    """One HSDS service: the general service of ``place`` (``offer is None``) or one of its offers."""
    if offer is None:
        sid = hsds_id("place_service", place.pk)
        org = _main_organisation(place)
        out: dict[str, Any] = {
            "id": sid, "name": place.name,
            "description": place.description or "Nutzung des Ortes der Begegnung (allgemeines Angebot des Ortes).",
            "status": _STATUS.get(place.status, "active"),
        }
        if place.website:
            out["url"] = place.website
        if place.open_for_groups:
            out["application_process"] = "Freie und spontane Gruppen dürfen den Raum nutzen."
    else:
        sid = hsds_id("offer", offer.pk)
        org = offer.organisation or _main_organisation(place)
        out = {
            "id": sid, "name": offer.title, "description": offer.description or offer.title,
            "status": _STATUS.get(place.status, "active"),
            "fees_description": "kostenlos" if offer.is_free else (offer.cost_note or "kostenpflichtig"),
        }
        if place.website:
            out["url"] = place.website
    if org is not None:
        out["organization_id"] = hsds_id("organization", org.pk)
    if not full:
        return out
    groups = list(offer.target_groups.all()) if offer is not None and offer.target_groups.all() else list(
        place.target_groups.all())
    if offer is None:
        schedules = hsds_schedules(place.opening_hours, make_id=lambda n: hsds_id("place_schedule", place.pk, n),
                                   link={"service_id": sid}, note=TIME_NOTE)
        sal_id = hsds_id("place_sal", place.pk)
        attrs = _attributes(groups, kind="attribute_place", pk=place.pk, service_id=sid)
    else:
        schedules = hsds_schedules(offer.schedule, make_id=lambda n: hsds_id("offer_schedule", offer.pk, n),
                                   link={"service_id": sid}, note=TIME_NOTE)
        sal_id = hsds_id("offer_sal", offer.pk)
        attrs = _attributes(groups, kind="attribute_offer", pk=offer.pk, service_id=sid)
    out["schedules"] = schedules
    out["attributes"] = attrs
    out["contacts"] = _contacts(place, sid)
    out["service_at_locations"] = [{
        "id": sal_id, "service_id": sid, "location_id": hsds_id("location", place.pk), "location": location(place),
    }]
    if org is not None:
        out["organization"] = organization(org)
    return out


def service_at_location(place: Place, offer: Offer | None, *, full: bool) -> dict[str, Any]:
    """The service (general service of the place or an offer) at its place; ``full`` nests everything."""
    sid = hsds_id("offer", offer.pk) if offer else hsds_id("place_service", place.pk)
    sal_id = hsds_id("offer_sal", offer.pk) if offer else hsds_id("place_sal", place.pk)
    loc_id = hsds_id("location", place.pk)
    out: dict[str, Any] = {"id": sal_id, "service_id": sid, "location_id": loc_id}
    if not full:
        loc = location(place)
        out["location"] = {k: v for k, v in loc.items() if k not in {"addresses", "schedules"}}
        out["service"] = service(place, offer, full=False)
        return out
    nested = service(place, offer, full=True)
    out["contacts"] = nested["contacts"]
    out["schedules"] = nested["schedules"]
    out["attributes"] = nested["attributes"]
    out["location"] = location(place)
    out["service"] = {k: v for k, v in nested.items() if k != "service_at_locations"}
    return out
