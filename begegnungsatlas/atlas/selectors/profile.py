"""Area profile and comparison: values with the parent's and the region's value, rank among siblings,
time series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..models import Area, Indicator
from .values import (
    Cell,
    indicator_levels,
    indicator_periods,
    indicator_values_for_level,
    indicators_for_region,
)

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


@dataclass
class ProfileRow:
    indicator: Indicator
    period: str
    value: Cell
    parent: Cell | None
    region: Cell | None
    rank: int | None
    of: int
    series: list[tuple[str, Cell]] = field(default_factory=list)
    chart: str = ""  # SVG of the series, filled in by the area view


def region_root(area: Area) -> Area | None:
    return Area.objects.filter(region_id=area.region_id, level__rank=0, valid_to__isnull=True).first()


def _rank(cells: dict[int, Cell], area: Area, siblings: list[int]) -> tuple[int | None, int]:
    vals = [(cells[s].value, s) for s in siblings if s in cells and cells[s].ok]
    own = cells.get(area.id)
    if own is None or not own.ok:
        return None, len(vals)
    higher = sum(1 for v, _s in vals if v is not None and own.value is not None and v > own.value)
    return higher + 1, len(vals)


def area_profile(*, area: Area, user: Actor = None, key_only: bool = False) -> list[ProfileRow]:
    """One row per indicator that has data on the area's level (latest period first for the value)."""
    inds = indicators_for_region(region_id=area.region_id, user=user)
    if key_only:
        inds = inds.filter(is_key=True)
    siblings = list(
        Area.objects.filter(level_id=area.level_id, parent_id=area.parent_id, valid_to__isnull=True)
        .values_list("id", flat=True)
    )
    root = region_root(area)
    rows = []
    for ind in inds:
        levels = indicator_levels(ind)
        ranks_with_data = set(
            Area.objects.filter(level_id__in=levels, region_id=area.region_id).values_list("level__rank", flat=True)
        )
        if not ranks_with_data or max(ranks_with_data) < area.level.rank:
            continue
        periods = indicator_periods(ind)
        if not periods:
            continue
        series = []
        last_cells: dict[int, Cell] = {}
        for period in periods:
            cells = indicator_values_for_level(indicator=ind, level=area.level, period=period)
            series.append((period, cells.get(area.id, Cell(None, "missing"))))
            last_cells = cells
        period = periods[-1]
        parent_cell = root_cell = None
        if area.parent is not None:
            parent_cell = indicator_values_for_level(indicator=ind, level=area.parent.level, period=period).get(area.parent.id)
        if root is not None and root.id != area.id:
            root_cell = indicator_values_for_level(indicator=ind, level=root.level, period=period).get(root.id)
        rank, of = _rank(last_cells, area, siblings)
        rows.append(ProfileRow(ind, period, series[-1][1], parent_cell, root_cell, rank, of, series))
    return rows
