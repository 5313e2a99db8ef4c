"""Age structure for the Datencheck: the Kreis and each Kommune from a population grid by age class.

Source: a population grid of the region with the five Zensus 2011 age classes (``unter18``, ``a18_29``,
``a30_49``, ``a50_64``, ``ab65``), e.g. the bundled Zensus 2011 1 km grid imported by the gap analysis. Cells
count for the Kommune that contains their centre; that assignment is the one the grid import stored on each
cell (``gaps.PopulationCell.kommune``, made by ``atlas.selectors.areas.area_ids_at``), not a second one.

*Coverage* is the grid's sum for an area divided by the area's population from the Sozialraum's population
indicator (Zensus 2022 in the demo). It shows how much of the area the grid reaches (1 km cells are assigned
whole; the bundled extract is cut off by its bounding box) and also contains the growth between the two dates.

*Change*: where a later count by the same age classes exists for an area with the same official key (the
Fortschreibung of the NRW Kreise in the atlas, 11 groups summed to the five classes), the change of the shares
in percentage points. It is given only when the coverage is between :data:`CHANGE_COVERAGE` bounds: a grid that
misses part of the area describes a different population than the later count, and the difference of the two
would be read as a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, IndicatorValue, Region, ValueStatus
from begegnungsatlas.atlas.selectors.values import indicator_values_for_level
from begegnungsatlas.gaps.models import GridKind, PopulationCell, PopulationGrid

AGE_CLASSES: tuple[tuple[str, str], ...] = (
    ("unter18", "unter 18 Jahre"),
    ("a18_29", "18 bis 29 Jahre"),
    ("a30_49", "30 bis 49 Jahre"),
    ("a50_64", "50 bis 64 Jahre"),
    ("ab65", "65 Jahre und älter"),
)
# The 11 groups of the Fortschreibung (atlas indicators, NRW Kreise) that make up each grid class.
LATER_GROUPS: dict[str, tuple[str, ...]] = {
    "unter18": ("alter_unter_3", "alter_3_5", "alter_6_14", "alter_15_17"),
    "a18_29": ("alter_18_24", "alter_25_29"),
    "a30_49": ("alter_30_39", "alter_40_49"),
    "a50_64": ("alter_50_64",),
    "ab65": ("alter_65_74", "alter_75_plus"),
}
# A grid that covers an area fully sums to about 92–98 % of its Zensus 2022 population in Kreis Düren (growth
# 2011–2022, secrecy rounding), so the band is ±10 %; a Kreis also needs every Kommune inside the band.
CHANGE_COVERAGE = (0.90, 1.10)
LOW_COVERAGE = 0.8


@dataclass(frozen=True)
class AgeCounts:
    """Persons per age class (in the order of :data:`AGE_CLASSES`) at one date."""

    period: str
    counts: tuple[float, ...]
    source: str = ""
    licence: str = ""

    @property
    def total(self) -> float:
        return float(sum(self.counts))

    @property
    def shares(self) -> tuple[float, ...]:
        """Percent of the total per class (empty when the total is 0)."""
        total = self.total
        return tuple(100.0 * c / total for c in self.counts) if total > 0 else ()


@dataclass(frozen=True)
class AreaAge:
    area_id: int
    name: str
    grid: AgeCounts | None
    population: float | None = None
    later: AgeCounts | None = None
    parts_uncovered: tuple[str, ...] = ()  # for the Kreis: Kommunen whose coverage is below the band

    @property
    def coverage(self) -> float | None:
        """Grid sum / population of the area (``None`` without either)."""
        if self.grid is None or not self.population:
            return None
        return self.grid.total / self.population

    @property
    def change_allowed(self) -> bool:
        cov = self.coverage
        return (self.later is not None and self.grid is not None and bool(self.grid.shares) and cov is not None
                and CHANGE_COVERAGE[0] <= cov <= CHANGE_COVERAGE[1] and not self.parts_uncovered)

    @property
    def change_points(self) -> tuple[float, ...] | None:
        """Later share minus grid share per class, in percentage points (only where :attr:`change_allowed`)."""
        if self.later is None or self.grid is None or not self.change_allowed:
            return None
        return tuple(b - a for a, b in zip(self.grid.shares, self.later.shares, strict=True))


@dataclass(frozen=True)
class AgeStructure:
    grid: PopulationGrid | None
    population_indicator: Indicator | None
    population_period: str
    kreis: AreaAge | None = None
    kommunen: list[AreaAge] = field(default_factory=list)


def age_grid_for_region(region: Region) -> PopulationGrid | None:
    """The newest population grid of the region that has all five age classes."""
    wanted = {key for key, _label in AGE_CLASSES}
    for grid in PopulationGrid.objects.filter(region=region, kind=GridKind.GRID).order_by("-data_year", "-created_at"):
        if wanted <= set(grid.columns or []):
            return grid
    return None


def _grid_counts(grid: PopulationGrid, kommune_ids: Sequence[int]) -> dict[int, tuple[float, ...]]:
    """Sum of the age classes over the cells assigned to each Kommune at import."""
    sums = {k: [0.0] * len(AGE_CLASSES) for k in kommune_ids}
    cells = PopulationCell.objects.filter(grid=grid, kommune_id__in=list(kommune_ids)).values_list(
        "kommune_id", "counts")
    for kommune_id, counts in cells:
        row = sums[kommune_id]
        for i, (key, _label) in enumerate(AGE_CLASSES):
            row[i] += float(counts.get(key) or 0)
    return {k: tuple(v) for k, v in sums.items()}


def later_age_counts(area: Area) -> AgeCounts | None:
    """The latest complete count by the five classes for an area with the same official key (any region)."""
    slugs = [s for group in LATER_GROUPS.values() for s in group]
    twins = Area.objects.filter(code=area.code, valid_to__isnull=True).exclude(code="")
    rows = IndicatorValue.objects.filter(area__in=twins, indicator__slug__in=slugs, status=ValueStatus.OK,
                                         value__isnull=False).values_list("area_id", "period", "indicator__slug",
                                                                          "value")
    found: dict[tuple[int, str], dict[str, float]] = {}
    for area_id, period, slug, value in rows:
        found.setdefault((area_id, period), {})[slug] = float(value or 0)  # filtered: value is not null
    complete = sorted((key for key, vals in found.items() if set(slugs) <= set(vals)), key=lambda k: k[1])
    if not complete:
        return None
    key = complete[-1]
    vals = found[key]
    source, licence = Indicator.objects.filter(slug=slugs[0]).values_list("source", "licence").first() or ("", "")
    return AgeCounts(period=key[1], counts=tuple(sum(vals[s] for s in LATER_GROUPS[c]) for c, _l in AGE_CLASSES),
                     source=source, licence=licence)


def age_structure_for_region(*, region: Region, population_indicator: Indicator | None = None,
                             population_period: str = "") -> AgeStructure:
    """Age structure of the region's top area (the Kreis) and each current Kommune."""
    grid = age_grid_for_region(region)
    muni = AreaLevel.objects.filter(region=region, is_municipality=True).first()
    top = Area.objects.filter(region=region, level__rank=0, valid_to__isnull=True).select_related("level").first()
    result = AgeStructure(grid=grid, population_indicator=population_indicator,
                          population_period=population_period)
    if muni is None or top is None:
        return result
    kommunen = list(Area.objects.filter(level=muni, valid_to__isnull=True).order_by("name"))
    period = str(grid.data_year) if grid else ""
    sums = _grid_counts(grid, [k.pk for k in kommunen]) if grid else {}

    def population(level: AreaLevel) -> dict[int, float]:
        if population_indicator is None or not population_period:
            return {}
        cells = indicator_values_for_level(indicator=population_indicator, level=level, period=population_period)
        return {area_id: float(c.value) for area_id, c in cells.items() if c.ok and c.value is not None}

    pop_kommunen = population(muni)
    pop_top = population(top.level).get(top.pk)
    rows = []
    for k in kommunen:
        counts = sums.get(k.pk, ())
        has_cells = sum(counts) > 0
        rows.append(AreaAge(k.pk, k.name, AgeCounts(period, counts, grid.source, grid.licence) if has_cells and grid else None,
                            pop_kommunen.get(k.pk), later_age_counts(k)))
    total = tuple(sum(r.grid.counts[i] for r in rows if r.grid) for i in range(len(AGE_CLASSES)))
    uncovered = tuple(r.name for r in rows if r.coverage is None or r.coverage < CHANGE_COVERAGE[0])
    kreis = AreaAge(top.pk, top.name,
                    AgeCounts(period, total, grid.source, grid.licence) if grid and sum(total) > 0 else None,
                    pop_top, later_age_counts(top), uncovered)
    return AgeStructure(grid=grid, population_indicator=population_indicator, population_period=population_period,
                        kreis=kreis, kommunen=rows)


def age_note(row: AreaAge) -> str:
    """What the reader must know about this area's figures (German; empty when nothing)."""
    cov = row.coverage
    notes = []
    if row.grid is not None and cov is not None and cov < LOW_COVERAGE:
        notes.append(_("Das Raster erfasst nur %(cov)s %% der Einwohner:innen; die Anteile beschreiben nur den "
                       "erfassten Teil.") % {"cov": f"{100 * cov:.0f}"})
    if row.later is not None and row.grid is not None and not row.change_allowed:
        if cov is None:
            notes.append(_("Keine Veränderung ausgewiesen: ohne Einwohnerzahl lässt sich nicht prüfen, ob das "
                           "Raster das ganze Gebiet erfasst."))
        elif CHANGE_COVERAGE[0] <= cov <= CHANGE_COVERAGE[1]:
            notes.append(_("Keine Veränderung ausgewiesen: das Raster erfasst nicht alle Kommunen ausreichend "
                           "(%(names)s); ein Vergleich mit der späteren Zählung des ganzen Gebiets wäre verzerrt.")
                         % {"names": ", ".join(row.parts_uncovered)})
        else:
            notes.append(_("Keine Veränderung ausgewiesen: das Raster %(year)s erfasst %(cov)s %% der "
                           "Einwohner:innen (Vergleich nur zwischen %(lo)s und %(hi)s %%); ein Vergleich mit der "
                           "späteren Zählung des ganzen Gebiets wäre verzerrt%(parts)s.")
                         % {"parts": (_(" (zu wenig erfasst: %(names)s)") % {"names": ", ".join(row.parts_uncovered)})
                            if row.parts_uncovered else "", "year": row.grid.period, "cov": f"{100 * cov:.0f}",
                            "lo": f"{100 * CHANGE_COVERAGE[0]:.0f}", "hi": f"{100 * CHANGE_COVERAGE[1]:.0f}"})
    return " ".join(notes)
