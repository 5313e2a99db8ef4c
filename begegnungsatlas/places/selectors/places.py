"""Reads for places: one filter definition used by the public list, the map, exports and the APIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .. import opening_hours
from ..models import Offer, Place, PlaceActor, PlaceKind, PlaceStatus, Wheelchair

_TRUE = {"1", "true", "on", "yes", "ja"}


@dataclass
class PlaceFilter:
    q: str = ""
    kommune: str = ""  # Area code of the Kommune
    target_groups: list[str] = field(default_factory=list)
    kind: str = ""
    status: str = ""
    wheelchair: str = ""
    open_now: bool = False
    has_offers: bool = False
    open_for_groups: bool = False
    bbox: tuple[float, float, float, float] | None = None
    region: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PlaceFilter:
        getlist = getattr(params, "getlist", None)
        tg = getlist("zielgruppe") if getlist else params.get("zielgruppe", [])
        if isinstance(tg, str):
            tg = [tg]
        bbox = None
        raw_bbox = params.get("bbox")
        if raw_bbox:
            try:
                parts = [float(p) for p in str(raw_bbox).split(",")]
                if len(parts) == 4:
                    bbox = (parts[0], parts[1], parts[2], parts[3])
            except ValueError:
                bbox = None
        return cls(
            q=str(params.get("q", "")).strip()[:200],
            kommune=str(params.get("kommune", "")).strip(),
            target_groups=[t for t in tg if t],
            kind=_choice(params.get("art", ""), PlaceKind.values),
            status=_choice(params.get("status", ""), PlaceStatus.values),
            wheelchair=_choice(params.get("rollstuhl", ""), Wheelchair.values),
            open_now=str(params.get("jetzt_offen", "")).lower() in _TRUE,
            has_offers=str(params.get("angebote", "")).lower() in _TRUE,
            open_for_groups=str(params.get("gruppen", "")).lower() in _TRUE,
            bbox=bbox,
            region=str(params.get("region", "")).strip(),
        )

    def as_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in (("q", self.q), ("kommune", self.kommune), ("art", self.kind), ("status", self.status),
                           ("rollstuhl", self.wheelchair), ("region", self.region)):
            if value:
                out[key] = value
        if self.target_groups:
            out["zielgruppe"] = self.target_groups
        for key, flag in (("jetzt_offen", self.open_now), ("angebote", self.has_offers),
                          ("gruppen", self.open_for_groups)):
            if flag:
                out[key] = "1"
        return out


def _choice(value: Any, allowed: list[str]) -> str:
    return value if value in allowed else ""


def places_base() -> QuerySet[Place]:
    """Published places with everything a list, map or export shows, in a fixed number of queries."""
    return _with_relations(Place.objects.filter(is_published=True))


# Area geometries are large GeoJSON (Dortmund's outline alone is ~300 KB): never load them with a place.
AREA_GEOMETRY_FIELDS = ("kommune__geometry", "kommune__geometry_web", "area__geometry", "area__geometry_web")


def _with_relations(qs: QuerySet[Place]) -> QuerySet[Place]:
    return (
        qs.select_related("kommune", "area")
        .defer(*AREA_GEOMETRY_FIELDS)
        .prefetch_related(
            "target_groups",
            "qualities",
            Prefetch("place_actors", queryset=PlaceActor.objects.select_related("organisation")),
            Prefetch("offers", queryset=Offer.objects.select_related("organisation").prefetch_related("target_groups")),
        )
    )


def places_filtered(f: PlaceFilter, *, base: QuerySet[Place] | None = None) -> QuerySet[Place]:
    qs = base if base is not None else places_base()
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q) | Q(description__icontains=f.q) | Q(city__icontains=f.q)
            | Q(street__icontains=f.q) | Q(offers__title__icontains=f.q)
        ).distinct()
    if f.kommune:
        qs = qs.filter(kommune__code=f.kommune)
    if f.region:
        qs = qs.filter(kommune__region__slug=f.region)
    for slug in f.target_groups:
        qs = qs.filter(target_groups__slug=slug)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.wheelchair:
        qs = qs.filter(wheelchair=f.wheelchair)
    if f.open_for_groups:
        qs = qs.filter(open_for_groups=True)
    if f.has_offers:
        qs = qs.filter(Exists(Offer.objects.filter(place=OuterRef("pk"))))
    if f.bbox:
        minx, miny, maxx, maxy = f.bbox
        qs = qs.filter(lon__gte=minx, lon__lte=maxx, lat__gte=miny, lat__lte=maxy)
    if f.open_now:
        qs = qs.exclude(opening_hours="")
    return qs.order_by("name", "id")


def places_open_now(places: list[Place], *, at: datetime | None = None) -> list[Place]:
    """Keep the places that are open at ``at`` (default: now), evaluated by the opening-hours parser."""
    moment = at or timezone.now()
    return [p for p in places if p.opening_hours and opening_hours.is_open_at(p.opening_hours, moment)]


def places_search(f: PlaceFilter, *, at: datetime | None = None) -> list[Place]:
    places = list(places_filtered(f))
    if f.open_now:
        places = places_open_now(places, at=at)
    return places


def places_page(f: PlaceFilter, *, page: Any, per_page: int, at: datetime | None = None) -> Page[Any]:
    """One page of the public list: the database counts and pages the ids; only the page's places are loaded
    with their relations (the list used to load every matching place on every request).

    "Open now" needs the opening-hours parser: then only ``(id, opening_hours)`` of the candidates are read."""
    candidates = places_filtered(f, base=Place.objects.filter(is_published=True))
    ids: Any
    if f.open_now:
        rows = [SimpleNamespace(pk=i, opening_hours=oh) for i, oh in candidates.values_list("id", "opening_hours")]
        ids = [r.pk for r in places_open_now(rows, at=at)]  # type: ignore[arg-type]
    else:
        ids = candidates.values_list("id", flat=True)
    result = Paginator(ids, per_page).get_page(page)
    page_ids = list(result.object_list)
    # Only what a list row shows (Kommune, target groups): the full places_base() prefetches (qualities, actors,
    # offers with their groups) cost one cloned queryset per place and relation, most of the page's time.
    listed = (Place.objects.filter(is_published=True).select_related("kommune")
            .defer("kommune__geometry", "kommune__geometry_web").prefetch_related("target_groups"))
    by_id = listed.in_bulk(page_ids)
    result.object_list = [by_id[i] for i in page_ids if i in by_id]
    return result


def place_detail(*, pk: int, include_unpublished: bool = False) -> Place:
    qs = places_base() if not include_unpublished else _with_relations(Place.objects.all())
    return qs.get(pk=pk)
