"""Aggregation and derived indicators, checked against hand-computed figures."""

from __future__ import annotations

import pytest

from begegnungsatlas.atlas.models import Area, AreaLevel, Derivation, Indicator, IndicatorKind, IndicatorValue
from begegnungsatlas.atlas.selectors.values import indicator_periods, indicator_values_for_level

KOMMUNE = {"dueren": "053580008008", "juelich": "053580024024", "heimbach": "053580012012"}


def _level(region: str, slug: str) -> AreaLevel:
    return AreaLevel.objects.get(region__slug=region, slug=slug)


def _set(ind: Indicator, level: AreaLevel, period: str, values: dict[str, float | None], status: str = "ok") -> None:
    """Give every area of the level a value: those in ``values`` get theirs, the others 1.0."""
    for area in Area.objects.filter(level=level):
        v = values.get(area.code, 1.0)
        IndicatorValue.objects.create(indicator=ind, area=area, period=period, value=v,
                                      status="ok" if v is not None else status)


@pytest.fixture
def counts(db):
    kommune = _level("kreis-dueren", "kommune")
    pop = Indicator.objects.create(slug="t-pop", title="Einwohner", kind=IndicatorKind.COUNT, decimals=0)
    kids = Indicator.objects.create(slug="t-kids", title="Kinder", kind=IndicatorKind.COUNT, decimals=0)
    share = Indicator.objects.create(slug="t-share", title="Anteil Kinder", kind=IndicatorKind.RATIO,
                                     derivation=Derivation.SHARE, numerator=kids, denominator=pop, multiplier=100)
    _set(pop, kommune, "2022", {KOMMUNE["dueren"]: 1000, KOMMUNE["juelich"]: 3000})
    _set(kids, kommune, "2022", {KOMMUNE["dueren"]: 100, KOMMUNE["juelich"]: 600})
    return pop, kids, share, kommune


def test_counts_are_summed_to_the_parent(counts):
    pop, _kids, _share, _kommune = counts
    kreis = _level("kreis-dueren", "kreis")
    cells = indicator_values_for_level(indicator=pop, level=kreis, period="2022")
    (cell,) = cells.values()
    # 1000 + 3000 + 13 other Kommunen × 1
    assert cell.value == 4013


def test_shares_are_recomputed_from_numerator_and_denominator_not_averaged(counts):
    _pop, _kids, share, kommune = counts
    by_area = indicator_values_for_level(indicator=share, level=kommune, period="2022")
    dueren = Area.objects.get(level=kommune, code=KOMMUNE["dueren"])
    assert by_area[dueren.id].value == pytest.approx(10.0)
    kreis = _level("kreis-dueren", "kreis")
    (cell,) = indicator_values_for_level(indicator=share, level=kreis, period="2022").values()
    # (100 + 600 + 13) / (1000 + 3000 + 13) × 100 = 17.767...; the unweighted mean of the 15 shares would be 75.3
    assert cell.value == pytest.approx(713 / 4013 * 100)


def test_a_gap_among_the_children_makes_the_parent_unavailable(counts):
    pop, _kids, _share, kommune = counts
    IndicatorValue.objects.filter(indicator=pop, area__code=KOMMUNE["heimbach"]).update(value=None, status="suppressed")
    kreis = _level("kreis-dueren", "kreis")
    (cell,) = indicator_values_for_level(indicator=pop, level=kreis, period="2022").values()
    assert cell.status == "unavailable"
    assert cell.value is None
    heimbach = Area.objects.get(level=kommune, code=KOMMUNE["heimbach"])
    assert indicator_values_for_level(indicator=pop, level=kommune, period="2022")[heimbach.id].status == "suppressed"


def test_published_shares_without_denominator_are_unavailable_above(atlas_data):
    ind = Indicator.objects.get(slug="unemployed_pct")
    for slug in ("statistischer-bezirk", "stadtbezirk", "stadt"):
        cells = indicator_values_for_level(indicator=ind, level=_level("dortmund", slug), period="2024")
        assert cells
        assert all(c.status == "unavailable" and c.value is None for c in cells.values())
    ub = indicator_values_for_level(indicator=ind, level=_level("dortmund", "unterbezirk"), period="2024")
    assert len(ub) == 170
    assert all(c.ok for c in ub.values())


def test_change_in_percentage_points_is_computed(atlas_data):
    change = Indicator.objects.get(slug="unemployed_pct_change_2018_2024")
    assert indicator_periods(change) == ["2018–2024"]
    level = _level("dortmund", "unterbezirk")
    boev = Area.objects.get(level=level, code="710")
    cells = indicator_values_for_level(indicator=change, level=level, period="2018–2024")
    # Bövinghausen: 16.4 % (2024) − 14.0 % (2018) = 2.4 percentage points
    assert cells[boev.id].value == pytest.approx(2.4)


def test_zensus_population_of_kreis_dueren_from_the_genesis_file(atlas_data):
    pop = Indicator.objects.get(slug="einwohner_zensus2022")
    kreis = _level("kreis-dueren", "kreis")
    (cell,) = indicator_values_for_level(indicator=pop, level=kreis, period="2022-05-15").values()
    assert cell.value == 275_392  # README check value: sum of the 15 Kommunen
    kommune = _level("kreis-dueren", "kommune")
    dueren = Area.objects.get(level=kommune, code=KOMMUNE["dueren"])
    assert indicator_values_for_level(indicator=pop, level=kommune, period="2022-05-15")[dueren.id].value == 94_149
