"""Reads of indicator values for a level and period, including derived indicators and aggregation.

Rules (issue 4, point 2):

- counts (``IndicatorKind.COUNT``) are summed from the nearest lower level that has values;
- ratios are recomputed from the aggregated numerator and denominator, never averaged;
- values that cannot be aggregated correctly (a published share without its denominator, a gap among the
  children) are returned as *unavailable* instead of being guessed;
- shares and changes are computed from their inputs when read (``Derivation``), never stored.

This is the selector the JSON/OGC API should call: :func:`indicator_values_for_level`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import (
    Area,
    AreaLevel,
    AreaMembership,
    Derivation,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    ValueStatus,
)

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor

UNAVAILABLE = "unavailable"

STATUS_TEXT = {
    ValueStatus.MISSING: _("fehlt"),
    ValueStatus.SUPPRESSED: _("gesperrt (Geheimhaltung/unsicher)"),
    UNAVAILABLE: _("nicht verfügbar"),
}


@dataclass(frozen=True)
class Cell:
    """One value as shown: ``value`` is None unless ``status == "ok"``."""

    value: float | None
    status: str = ValueStatus.OK
    flag: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == ValueStatus.OK and self.value is not None

    @property
    def status_text(self) -> str:
        return str(STATUS_TEXT.get(self.status, ""))


MISSING = Cell(None, ValueStatus.MISSING)


def current_areas(level: AreaLevel) -> QuerySet[Area]:
    """Areas of a level valid today (no end of validity)."""
    return Area.objects.filter(level=level, valid_to__isnull=True)


def visible_indicators(user: Actor) -> QuerySet[Indicator]:
    from ..permissions import can_read_internal

    qs = Indicator.objects.select_related("region", "numerator", "denominator", "base")
    if not can_read_internal(user):
        qs = qs.filter(is_internal=False)
    return qs


def indicators_for_region(*, region_id: int, user: Actor = None) -> QuerySet[Indicator]:
    return visible_indicators(user).filter(Q(region_id=region_id) | Q(region__isnull=True))


def indicator_periods(indicator: Indicator) -> list[str]:
    """Periods for which the indicator can be shown, oldest first."""
    if indicator.derivation == Derivation.CHANGE:
        return [change_label(indicator.period_from, indicator.period_to)]
    if indicator.derivation == Derivation.SHARE:
        assert indicator.numerator is not None
        assert indicator.denominator is not None
        a = set(indicator_periods(indicator.numerator))
        b = set(indicator_periods(indicator.denominator))
        return sorted(a & b)
    return sorted(
        IndicatorValue.objects.filter(indicator=indicator).values_list("period", flat=True).distinct()
    )


def change_label(period_from: str, period_to: str) -> str:
    return f"{period_from}–{period_to}"


def indicator_levels(indicator: Indicator) -> set[int]:
    """Ids of the levels where the indicator has stored values (or its inputs have)."""
    if indicator.derivation == Derivation.CHANGE:
        assert indicator.base is not None
        return indicator_levels(indicator.base)
    if indicator.derivation == Derivation.SHARE:
        assert indicator.numerator is not None
        assert indicator.denominator is not None
        return indicator_levels(indicator.numerator) & indicator_levels(indicator.denominator)
    stored = set(
        IndicatorValue.objects.filter(indicator=indicator).values_list("area__level_id", flat=True).distinct()
    )
    return stored | composite_levels_of(stored, indicator)


def composite_levels_of(level_ids: set[int], indicator: Indicator) -> set[int]:
    """Composite levels (Sozialräume) built from a level with values, if the indicator can be aggregated."""
    aggregable = indicator.kind == IndicatorKind.COUNT or (
        indicator.kind == IndicatorKind.RATIO and indicator.numerator_id and indicator.denominator_id)
    if not level_ids or not aggregable:
        return set()
    return set(AreaLevel.objects.filter(composed_of_id__in=level_ids).values_list("id", flat=True))


def _stored(indicator: Indicator, level: AreaLevel, period: str) -> dict[int, Cell]:
    rows = IndicatorValue.objects.filter(
        indicator=indicator, period=period, area__level=level
    ).values_list("area_id", "value", "status", "flag")
    out: dict[int, Cell] = {}
    for area_id, value, status, flag in rows:
        out[area_id] = Cell(value if status == ValueStatus.OK else None, status, flag)
    return out


def _area_ids(level: AreaLevel) -> list[int]:
    return list(current_areas(level).values_list("id", flat=True))


def _ancestor_map(level: AreaLevel, source: AreaLevel) -> dict[int, int]:
    """Map each area of the lower ``source`` level to its ancestor on ``level`` by parent links."""
    parents = dict(
        Area.objects.filter(region=level.region, level__rank__gt=level.rank, level__rank__lte=source.rank)
        .values_list("id", "parent_id")
    )
    target = set(_area_ids(level))
    out: dict[int, int] = {}
    for area_id in Area.objects.filter(level=source).values_list("id", flat=True):
        node: int | None = area_id
        for _step in range(source.rank - level.rank):
            node = parents.get(node) if node is not None else None
        if node is not None and node in target:
            out[area_id] = node
    return out


def _lower_level_with_values(indicator: Indicator, level: AreaLevel, period: str) -> AreaLevel | None:
    ranks = (
        IndicatorValue.objects.filter(
            indicator=indicator, period=period, area__region=level.region, area__level__rank__gt=level.rank
        )
        .values_list("area__level_id", flat=True)
        .distinct()
    )
    levels = AreaLevel.objects.filter(id__in=list(ranks)).order_by("rank")
    return levels.first()


def _sum_up(cells: dict[int, Cell], ancestors: dict[int, int], target_ids: list[int]) -> dict[int, Cell]:
    """Sum child values per ancestor; any gap among the children makes the sum unavailable."""
    sums: dict[int, float] = defaultdict(float)
    gaps: set[int] = set()
    children: dict[int, int] = defaultdict(int)
    for child, parent in ancestors.items():
        children[parent] += 1
        cell = cells.get(child, MISSING)
        if cell.ok:
            sums[parent] += float(cell.value)  # type: ignore[arg-type]
        else:
            gaps.add(parent)
    out = {}
    for area_id in target_ids:
        if children.get(area_id, 0) == 0 or area_id in gaps:
            out[area_id] = Cell(None, UNAVAILABLE, note=str(_("Werte der Teilgebiete unvollständig")))
        else:
            out[area_id] = Cell(sums[area_id])
    return out


def _ratio(num: dict[int, Cell], den: dict[int, Cell], ids: list[int], multiplier: float) -> dict[int, Cell]:
    out = {}
    for area_id in ids:
        n, d = num.get(area_id, MISSING), den.get(area_id, MISSING)
        if not n.ok:
            out[area_id] = Cell(None, n.status, n.flag, n.note)
        elif not d.ok:
            out[area_id] = Cell(None, d.status, d.flag, d.note)
        elif d.value == 0:
            out[area_id] = Cell(None, ValueStatus.MISSING, note=str(_("Nenner ist 0")))
        else:
            out[area_id] = Cell(float(n.value) / float(d.value) * multiplier)  # type: ignore[arg-type]
    return out


def indicator_values_for_level(*, indicator: Indicator, level: AreaLevel, period: str) -> dict[int, Cell]:
    """Values of ``indicator`` for every current area of ``level`` in ``period`` (area id → :class:`Cell`).

    Every area of the level is present in the result; those without a value carry a status
    (missing, suppressed, unavailable) instead of a number.
    """
    ids = _area_ids(level)
    if indicator.derivation == Derivation.SHARE:
        assert indicator.numerator is not None
        assert indicator.denominator is not None
        num = indicator_values_for_level(indicator=indicator.numerator, level=level, period=period)
        den = indicator_values_for_level(indicator=indicator.denominator, level=level, period=period)
        return _ratio(num, den, ids, indicator.multiplier)
    if indicator.derivation == Derivation.CHANGE:
        assert indicator.base is not None
        a = indicator_values_for_level(indicator=indicator.base, level=level, period=indicator.period_from)
        b = indicator_values_for_level(indicator=indicator.base, level=level, period=indicator.period_to)
        out = {}
        for area_id in ids:
            ca, cb = a.get(area_id, MISSING), b.get(area_id, MISSING)
            if ca.ok and cb.ok:
                out[area_id] = Cell(float(cb.value) - float(ca.value))  # type: ignore[arg-type]
            else:
                bad = ca if not ca.ok else cb
                out[area_id] = Cell(None, bad.status, bad.flag, bad.note)
        return out
    stored = _stored(indicator, level, period)
    if stored:
        return {area_id: stored.get(area_id, MISSING) for area_id in ids}
    if level.composed_of_id is not None:
        return _composite_values(indicator, level, period, ids)
    source = _lower_level_with_values(indicator, level, period)
    if source is None:
        return {area_id: MISSING for area_id in ids}
    ancestors = _ancestor_map(level, source)
    if indicator.kind == IndicatorKind.COUNT:
        return _sum_up(_stored(indicator, source, period), ancestors, ids)
    if indicator.kind == IndicatorKind.RATIO and indicator.numerator and indicator.denominator:
        num = indicator_values_for_level(indicator=indicator.numerator, level=level, period=period)
        den = indicator_values_for_level(indicator=indicator.denominator, level=level, period=period)
        return _ratio(num, den, ids, indicator.multiplier)
    note = str(_("Aggregation ohne Nenner nicht korrekt möglich"))
    return {area_id: Cell(None, UNAVAILABLE, note=note) for area_id in ids}


NOT_AGGREGABLE = _("Wert wie veröffentlicht (z. B. Index oder Durchschnitt): für zusammengesetzte Gebiete "
                   "nicht aggregierbar")


def _composite_values(indicator: Indicator, level: AreaLevel, period: str, ids: list[int]) -> dict[int, Cell]:
    """Values of a composite level (areas built from units of ``level.composed_of`` across any border).

    Counts are summed over the member units (any unit without a value makes the sum unavailable); ratios are
    recomputed from the summed numerator and denominator; values as published are not aggregable.
    """
    if indicator.kind == IndicatorKind.COUNT:
        assert level.composed_of is not None
        units = indicator_values_for_level(indicator=indicator, level=level.composed_of, period=period)
        members = dict(AreaMembership.objects.filter(area__level=level).values_list("unit_id", "area_id"))
        return _sum_up(units, members, ids)
    if indicator.kind == IndicatorKind.RATIO and indicator.numerator and indicator.denominator:
        num = indicator_values_for_level(indicator=indicator.numerator, level=level, period=period)
        den = indicator_values_for_level(indicator=indicator.denominator, level=level, period=period)
        return _ratio(num, den, ids, indicator.multiplier)
    note = str(NOT_AGGREGABLE if indicator.kind == IndicatorKind.VALUE
               else _("Aggregation ohne Nenner nicht korrekt möglich"))
    return {area_id: Cell(None, UNAVAILABLE, note=note) for area_id in ids}


def indicator_value_for_area(*, indicator: Indicator, area: Area, period: str) -> Cell:
    """One value (uses the level computation, so aggregation rules are the same)."""
    return indicator_values_for_level(indicator=indicator, level=area.level, period=period).get(area.id, MISSING)


def finite(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]
