"""Classification and MSS adapters against hand-computed figures; palettes by polarity."""

from __future__ import annotations

import math

import pytest

from begegnungsatlas.atlas.errors import AtlasError
from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, IndicatorKind, IndicatorValue, Polarity
from begegnungsatlas.atlas.selectors.choropleth import YL_OR_BR, choropleth, palette
from begegnungsatlas.atlas.selectors.mss import mss_for_level


@pytest.fixture
def kommune(db):
    return AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")


def _values(ind, level, period, values):
    areas = list(Area.objects.filter(level=level).order_by("code"))
    for area, v in zip(areas, values, strict=False):
        IndicatorValue.objects.create(indicator=ind, area=area, period=period, value=v,
                                      status="ok" if v is not None else "missing")
    return areas


def test_quantiles_equal_interval_and_manual_breaks(kommune):
    ind = Indicator.objects.create(slug="t-q", title="Test", polarity=Polarity.HIGHER_WORSE)
    # 15 Kommunen: values 1..14 and one missing
    _values(ind, kommune, "2024", [*range(1, 15), None])
    q = choropleth(indicator=ind, level=kommune, period="2024", method="quantiles", k=4)
    # quantiles of 1..14 at 1/4, 2/4, 3/4, 1: 4.25, 7.5, 10.75, 14
    assert q.breaks == pytest.approx([4.25, 7.5, 10.75, 14.0])
    assert [c.count for c in q.legend] == [4, 3, 3, 4]
    assert q.n_missing == 1
    e = choropleth(indicator=ind, level=kommune, period="2024", method="equal_interval", k=3)
    # width (14 - 1) / 3 = 4.333: bounds 5.333, 9.667, 14
    assert e.breaks == pytest.approx([1 + 13 / 3, 1 + 26 / 3, 14.0])
    m = choropleth(indicator=ind, level=kommune, period="2024", method="manual", manual=[5, 10])
    assert m.breaks == [5.0, 10.0, 14.0]
    assert [c.count for c in m.legend] == [5, 5, 4]
    assert [c.colour for c in q.legend] == YL_OR_BR[4]


def test_classes_outside_3_to_7_are_refused(kommune):
    ind = Indicator.objects.create(slug="t-k", title="Test")
    _values(ind, kommune, "2024", range(15))
    with pytest.raises(AtlasError, match="zwischen 3 und 7"):
        choropleth(indicator=ind, level=kommune, period="2024", method="quantiles", k=8)


def test_palette_is_reversed_when_higher_is_better():
    assert palette(5, Polarity.HIGHER_WORSE)[-1] == "#993404"
    assert palette(5, Polarity.HIGHER_BETTER)[0] == "#993404"
    assert palette(5, Polarity.NEUTRAL)[0] != "#ffffd4"


def test_mss_index_by_hand_with_population_threshold(kommune):
    """Four Kommunen with values 2, 4, 6, 8 (higher = worse), changes 0, 0, 0, 4; one more under 300 inhabitants.

    mean 5, sample SD sqrt(20/3) = 2.582 → z = −1.162, −0.387, 0.387, 1.162; signed status index = 1.162, 0.387,
    −0.387, −1.162 (already standardised) → classes high, medium, medium, low. Changes: mean 1, SD 2 →
    z = −0.5, −0.5, −0.5, 1.5 → signed dynamics 0.5, 0.5, 0.5, −1.5 → stable, stable, stable, negative.
    """
    ind = Indicator.objects.create(slug="t-m", title="Quote", polarity=Polarity.HIGHER_WORSE)
    pop = Indicator.objects.create(slug="t-einwohner", title="Einwohner", kind=IndicatorKind.COUNT)
    areas = list(Area.objects.filter(level=kommune).order_by("code"))[:5]
    for area, v18, v24, p in zip(areas, [2, 4, 6, 4, 99], [2, 4, 6, 8, 99], [1000, 1000, 1000, 1000, 120], strict=True):
        IndicatorValue.objects.create(indicator=ind, area=area, period="2018", value=v18)
        IndicatorValue.objects.create(indicator=ind, area=area, period="2024", value=v24)
        IndicatorValue.objects.create(indicator=pop, area=area, period="2022", value=p)
    t = mss_for_level(level=kommune, indicators=[ind], period_from="2018", period_to="2024",
                      population_indicator=pop, population_period="2022", threshold=300)
    rows = {r.area_id: r for r in t.rows}
    got = [rows[a.id] for a in areas]
    sd = math.sqrt(20 / 3)
    assert [r.status_index for r in got[:4]] == pytest.approx([3 / sd, 1 / sd, -1 / sd, -3 / sd])
    assert [r.status_class for r in got[:4]] == [1, 2, 2, 3]
    assert [r.dynamics_index for r in got[:4]] == pytest.approx([0.5, 0.5, 0.5, -1.5])
    assert [r.dynamics_class for r in got[:4]] == [2, 2, 2, 3]
    assert [r.group for r in got[:4]] == ["1.2", "2.2", "2.2", "3.3"]
    assert not got[4].included
    assert "300" in got[4].reason
    assert t.n_included == 4
    assert t.matrix == {"1.2": 1, "2.2": 2, "3.3": 1}


def test_mss_for_dortmund_without_population(atlas_data):
    level = AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk")
    inds = list(Indicator.objects.filter(slug__in=["unemployed_pct", "children_under_15_SGB_II_pct",
                                                   "over_65_SGB_XII_pct", "transfer_payment_pct"]))
    t = mss_for_level(level=level, indicators=inds, period_from="2018", period_to="2024")
    assert t.n_included == 170
    assert sum(t.matrix.values()) == 170
    assert all(r.status_class in (1, 2, 3, 4) for r in t.rows)
