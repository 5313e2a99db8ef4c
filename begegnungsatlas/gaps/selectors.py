"""Reads of the gap analysis: grids, cells, supply places, candidates, scenarios visible to a user."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from begegnungsatlas.atlas.models import Area, AreaLevel, Region
from begegnungsatlas.core.permissions import Actor
from begegnungsatlas.places.models import Place, PlaceStatus
from begegnungsatlas.places.opening_hours import OpeningHoursError, is_open_at

from .models import PopulationCell, PopulationGrid, Scenario, WalkingNetwork
from .permissions import can_run


def regions_with_grids() -> QuerySet[Region]:
    return Region.objects.filter(population_grids__isnull=False).distinct().order_by("name")


def grids() -> QuerySet[PopulationGrid]:
    return PopulationGrid.objects.select_related("region").order_by("region__name", "-data_year", "name")


def networks() -> QuerySet[WalkingNetwork]:
    return WalkingNetwork.objects.select_related("region").order_by("region__name", "name")


def grid_cells(grid: PopulationGrid) -> list[PopulationCell]:
    return list(grid.cells.order_by("id"))


def aggregation_levels(region: Region) -> QuerySet[AreaLevel]:
    """Levels to report on: every non-grid level below the whole region."""
    return AreaLevel.objects.filter(region=region, rank__gt=0, grid_size_m__isnull=True).order_by("rank")


def area_tree(region: Region) -> dict[int, tuple[int | None, int, str]]:
    """``area id → (parent id, level id, name)`` for the current areas of ``region``."""
    return {
        a["id"]: (a["parent_id"], a["level_id"], a["name"])
        for a in Area.objects.filter(region=region, valid_to__isnull=True).values("id", "parent_id", "level_id", "name")
    }


def supply_places(*, region: Region, place_groups: list[str], open_at: datetime | None = None) -> list[Place]:
    """Existing, published places with coordinates in ``region`` serving one of ``place_groups``.

    With ``open_at`` only places whose opening hours say they are open then; places without (or with
    unreadable) opening hours are left out in that case, as nobody can say they are open.
    """
    qs = (
        Place.objects.filter(status=PlaceStatus.EXISTING, is_published=True, lon__isnull=False, lat__isnull=False)
        .filter(Q(kommune__region=region) | Q(area__region=region))
        .filter(target_groups__slug__in=place_groups)
        .distinct()
        .order_by("id")
    )
    places = list(qs)
    if open_at is None:
        return places
    if open_at.tzinfo is None:  # a wall-clock time in the region
        open_at = open_at.replace(tzinfo=ZoneInfo("Europe/Berlin"))
    out = []
    for place in places:
        try:
            if place.opening_hours and is_open_at(place.opening_hours, open_at):
                out.append(place)
        except OpeningHoursError:
            continue
    return out


def candidate_places(*, region: Region) -> list[Place]:
    """Potenzialräume and planned places with coordinates in ``region``: the register's candidate sites."""
    return list(
        Place.objects.filter(status__in=[PlaceStatus.POTENTIAL, PlaceStatus.PLANNED], lon__isnull=False,
                             lat__isnull=False)
        .filter(Q(kommune__region=region) | Q(area__region=region))
        .distinct()
        .order_by("id")
    )


def scenarios_visible_to(user: Actor) -> QuerySet[Scenario]:
    qs = Scenario.objects.select_related("region", "created_by").order_by("-created_at")
    if can_run(user):
        return qs
    return qs.filter(is_published=True)
