"""Issue 8 point 11: manual class breaks never fail with 500, one rounding and number format everywhere (legend,
hover labels, table, profile, comparison, exports), legend wording by polarity, attribution on map and exports."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_DOWN, Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from begegnungsatlas.atlas.formatting import format_number, round_value
from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, Polarity
from begegnungsatlas.atlas.selectors.choropleth import choropleth, polarity_wording
from begegnungsatlas.atlas.views.params import parse_number

DORTMUND = "region=dortmund&ebene=unterbezirk&indikator=children_under_15_SGB_II_pct&periode=2024"
DUEREN = "region=kreis-dueren&ebene=kommune&indikator=einwohner_zensus2022"


# --- manual class breaks ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    ("abc", "keine Zahl"),
    ("5;x", "keine Zahl"),
    ("10;5", "aufsteigen"),
    ("5;5", "aufsteigen"),
    ("nan", "keine Zahl"),
    ("inf", "keine Zahl"),
    ("1e999", "keine Zahl"),
    ("-1000", "außerhalb der Werte"),
    ("100000", "außerhalb der Werte"),
    ("1;2;3;4;5;6;7", "Höchstens 6 Grenzen"),
    ("", "bitte Grenzen angeben"),
    (";;", "bitte Grenzen angeben"),
])
def test_bad_manual_breaks_give_a_german_error_never_500(client, atlas_data, raw, message):
    query = f"{DORTMUND}&methode=manual&grenzen={raw}"
    page = client.get(reverse("atlas:map") + "?" + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="f-grenzen-error"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    values = client.get(reverse("atlas:values") + "?" + query)
    assert values.status_code == 400
    assert message in json.loads(values.content)["error"]
    for fmt in ("csv", "xlsx", "geojson"):
        assert client.get(reverse("atlas:map_export", args=[fmt]) + "?" + query).status_code == 400


def test_good_manual_breaks_in_german_notation(client, atlas_data):
    page = client.get(reverse("atlas:map") + "?" + DORTMUND + "&methode=manual&grenzen=10;20,5;30")
    assert page.status_code == 200
    html = page.content.decode()
    assert "f-grenzen-error" not in html
    assert "über 20,5 bis 30,0" in html


def test_parse_number_reads_german_and_plain_notation():
    assert parse_number("1.000") == 1000
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("12,5") == 12.5
    assert parse_number("12.5") == 12.5
    with pytest.raises(ValueError, match="inf"):
        parse_number("inf")


# --- rounding and number format ---------------------------------------------------------------------------------

def test_values_are_rounded_half_up_with_thousands_separators():
    with translation.override("de"):
        assert format_number(2.96, 1) == "3,0"  # truncation would give 2,9
        assert format_number(2.95, 1) == "3,0"  # binary 2.9499… but written 2.95
        assert format_number(0.15, 1) == "0,2"
        assert format_number(1234.5, 1) == "1.234,5"
        assert format_number(1234567.0, 0) == "1.234.567"
        assert format_number(1234.5, 1, grouping=False) == "1234,5"
        assert format_number(-0.04, 1) == "0,0"
        assert format_number(None, 1) == "–"
    with translation.override("en"):
        assert format_number(1234.56, 1) == "1,234.6"


DENSITY = "region=kreis-dueren&ebene=kommune&indikator=einwohner_dichte_zensus2022"


def _a_value_where_truncation_differs(data):
    places = data["decimals"]
    for area_id, (value, _klass, _status, text) in data["values"].items():
        if value is None:
            continue
        exact = Decimal(repr(value))
        if exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN) != round_value(value, places):
            return int(area_id), value, text
    raise AssertionError("the demo data have no value that rounds up")


def test_one_value_reads_the_same_in_map_table_profile_comparison_and_exports(client, atlas_data):
    # Population density (people per km², 0 places) is computed, so its values have many decimals.
    data = json.loads(client.get(reverse("atlas:values") + "?" + DENSITY).content)
    area_id, value, text = _a_value_where_truncation_differs(data)
    with translation.override("de"):
        assert text == format_number(value, 0)
    area = Area.objects.get(pk=area_id)
    # Map table (server) and hover label (values payload) show the same text.
    table = client.get(reverse("atlas:map") + "?" + DENSITY).content.decode()
    row_html = table.split(f">{area.name}</a></th>", 1)[1].split("</tr>", 1)[0]
    assert f'<td class="num">{text}</td>' in row_html
    profile = client.get(reverse("atlas:area", args=[area_id])).content.decode()
    assert f'<td class="num">{text}</td>' in profile
    compare = client.get(reverse("atlas:compare") + f"?gebiet={area_id}").content.decode()
    assert f'<td class="num">{text}</td>' in compare
    rows = list(csv.reader(io.StringIO(client.get(reverse("atlas:map_export", args=["csv"]) + "?" + DENSITY)
                                      .content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == area.code)
    assert row[header.index("wert")] == text.replace(".", "")
    geo = json.loads(client.get(reverse("atlas:map_export", args=["geojson"]) + "?" + DENSITY).content)
    feature = next(f for f in geo["features"] if f["properties"]["schluessel"] == area.code)
    assert feature["properties"]["wert"] == float(round_value(value, 0))


def test_large_values_have_thousands_separators_in_table_and_profile(client, atlas_data):
    html = client.get(reverse("atlas:map") + "?" + DUEREN).content.decode()
    dueren = Area.objects.get(code="053580008008", level__is_municipality=True)
    population = dueren.indicator_values.get(indicator__slug="einwohner_zensus2022").value
    with translation.override("de"):
        text = format_number(population, 0)
    assert "." in text
    assert f'<td class="num">{text}</td>' in html
    assert text in client.get(reverse("atlas:area", args=[dueren.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("atlas:map_export", args=["csv"]) + "?" + DUEREN)
                                      .content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows[1:] if r[0] == dueren.code)
    assert row[rows[0].index("wert")] == text.replace(".", "")


# --- legend wording follows the polarity ------------------------------------------------------------------------

@pytest.mark.parametrize(("polarity", "first", "last"), [
    (Polarity.HIGHER_WORSE, "(günstiger)", "(ungünstiger)"),
    (Polarity.HIGHER_BETTER, "(ungünstiger)", "(günstiger)"),
    (Polarity.NEUTRAL, "(niedriger)", "(höher)"),
])
def test_legend_wording_follows_polarity(atlas_data, polarity, first, last):
    indicator = Indicator.objects.get(slug="children_under_15_SGB_II_pct")
    indicator.polarity = polarity
    indicator.save()
    level = AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk")
    with translation.override("de"):
        result = choropleth(indicator=indicator, level=level, period="2024", k=5)
    assert result.legend[0].label.endswith(first)
    assert result.legend[-1].label.endswith(last)
    assert not any(word in result.legend[2].label for word in ("günstiger", "niedriger", "höher"))
    assert result.polarity_note == polarity_wording(polarity)[2]


def test_map_page_states_the_polarity(client, atlas_data):
    indicator = Indicator.objects.get(slug="children_under_15_SGB_II_pct")
    html = client.get(reverse("atlas:map") + "?" + DORTMUND).content.decode()
    with translation.override("de"):
        note = polarity_wording(indicator.polarity)[2]
    assert note in html


# --- attribution -------------------------------------------------------------------------------------------------

def test_map_and_exports_credit_boundaries_and_data(client, atlas_data):
    html = client.get(reverse("atlas:map") + "?" + DUEREN).content.decode()
    assert 'id="atlas-attribution"' in html
    assert "Gebietsgrenzen: © GeoBasis-DE / BKG (2022)" in html
    indicator = Indicator.objects.get(slug="einwohner_zensus2022")
    assert f"Daten: {indicator.source}" in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("atlas:map_export", args=["csv"]) + "?" + DUEREN)
                                      .content.decode("utf-8-sig")), delimiter=";"))
    credit = rows[1][rows[0].index("quellenangabe")]
    assert "GeoBasis-DE / BKG" in credit
    assert indicator.source in credit
    geo = json.loads(client.get(reverse("atlas:map_export", args=["geojson"]) + "?" + DUEREN).content)
    assert "GeoBasis-DE / BKG" in geo["attribution"]
    wb = load_workbook(io.BytesIO(client.get(reverse("atlas:map_export", args=["xlsx"]) + "?" + DUEREN).content))
    lines = [r[0] for r in wb["Quellen"].iter_rows(values_only=True)]
    assert any("GeoBasis-DE" in line for line in lines)
    assert any(indicator.source in line for line in lines)
    values = json.loads(client.get(reverse("atlas:values") + "?" + DUEREN).content)
    assert any("GeoBasis-DE" in line for line in values["attribution"])


def test_dortmund_map_credits_the_city(client, atlas_data):
    html = client.get(reverse("atlas:map") + "?" + DORTMUND).content.decode()
    assert "Gebietsgrenzen: " in html
    assert "Dortmund" in html.split('id="atlas-attribution"', 1)[1][:600]
