"""The atlas MSS composite index on a Sozialraum level, with the share recomputed from the units' counts.

The counts are test fixtures (small, readable numbers on Kreis Düren's real Kommunen), not data. The expected
values are computed here by hand from the fixture and the memberships, not by the code under test.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from begegnungsatlas.atlas.models import (
    Area,
    AreaMembership,
    Derivation,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Polarity,
)

PERIODS = ("2020", "2023")


@pytest.fixture
def sgb2(dueren: dict[str, Any]) -> dict[str, Any]:
    """Two counts per Kommune for 2020 and 2023 and the share derived from them (Zähler / Nenner × 100)."""
    kommunen = list(Area.objects.filter(level=dueren["kommune"], valid_to__isnull=True).order_by("code"))
    people = Indicator.objects.create(slug="test_bev", title="Bevölkerung (Test)", kind=IndicatorKind.COUNT,
                                      unit="Personen")
    cases = Indicator.objects.create(slug="test_sgb2", title="SGB-II-Beziehende (Test)",
                                     kind=IndicatorKind.COUNT, unit="Personen")
    share = Indicator.objects.create(slug="test_sgb2_quote", title="SGB-II-Quote (Test)", kind=IndicatorKind.RATIO,
                                     derivation=Derivation.SHARE, numerator=cases, denominator=people,
                                     multiplier=100.0, unit="%", decimals=1, polarity=Polarity.HIGHER_WORSE)
    counts: dict[tuple[int, str], tuple[float, float]] = {}
    rows = []
    for n, k in enumerate(kommunen):
        for period, extra in zip(PERIODS, (0, n % 4), strict=True):
            counts[(k.pk, period)] = (50 + 7 * n + 10 * extra, 1000 + 100 * n)
            rows.append(IndicatorValue(indicator=cases, area=k, period=period, value=counts[(k.pk, period)][0]))
            rows.append(IndicatorValue(indicator=people, area=k, period=period, value=counts[(k.pk, period)][1]))
    IndicatorValue.objects.bulk_create(rows)
    return {"share": share, "counts": counts}


def _expected(draft: Any, counts: dict[tuple[int, str], tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """``code → (share 2023, change 2020–2023 in points)`` summed over each Sozialraum's member Kommunen."""
    out = {}
    for area in Area.objects.filter(level=draft.level, valid_to__isnull=True):
        units = list(AreaMembership.objects.filter(area=area).values_list("unit_id", flat=True))
        share = {p: 100 * sum(counts[(u, p)][0] for u in units) / sum(counts[(u, p)][1] for u in units)
                 for p in PERIODS}
        out[area.code] = (share["2023"], share["2023"] - share["2020"])
    return out


def _url(draft: Any, name: str = "atlas:mss", *args: str) -> str:
    level = draft.level
    return reverse(name, args=args) + (f"?region={level.region.slug}&ebene={level.slug}&status=test_sgb2_quote"
                                       "&von=2020&bis=2023")


def test_mss_page_offers_the_recomputed_share_and_classifies_every_sozialraum(client, planner, draft, sgb2):
    client.force_login(planner)
    html = client.get(_url(draft)).content.decode()
    assert 'value="test_sgb2_quote" checked' in html  # the share is offered as a status indicator
    assert 'id="mss-table"' in html, html[html.find('class="error"'):][:300]
    areas = list(Area.objects.filter(level=draft.level, valid_to__isnull=True))
    assert len(areas) >= 3
    for area in areas:
        assert f">{area.name}</a>" in html
    # the map of the page loads the Sozialräume's outlines
    assert client.get(reverse("atlas:geometry", args=[draft.level.pk])).status_code == 200


def test_mss_export_on_the_sozialraum_level_has_the_shares_of_the_summed_counts(client, planner, draft, sgb2):
    client.force_login(planner)
    resp = client.get(_url(draft, "atlas:mss_export", "csv"))
    assert resp.status_code == 200
    text = b"".join(resp.streaming_content if resp.streaming else [resp.content]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    expected = _expected(draft, sgb2["counts"])
    assert {r["schluessel"] for r in rows} == set(expected)
    for r in rows:
        share, change = expected[r["schluessel"]]
        assert float(r["test_sgb2_quote_2023"].replace(",", ".")) == pytest.approx(share, abs=0.051)
        assert float(r["test_sgb2_quote_veraenderung"].replace(",", ".")) == pytest.approx(change, abs=0.051)
        assert r["einbezogen"] == "ja"
        assert r["gruppe"]


def test_a_draft_sozialraum_level_is_not_indexed_for_the_public(client, draft, sgb2):
    html = client.get(_url(draft)).content.decode()
    assert draft.level.name not in html
    assert "Sozialraum 1<" not in html
