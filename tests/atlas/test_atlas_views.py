"""Pages, payloads, exports and permissions of the atlas."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, IndicatorValue
from tests.conftest import login_redirect

MAP = "region=dortmund&ebene=unterbezirk&indikator=children_under_15_SGB_II_pct&periode=2024&methode=quantiles&klassen=5"


def test_map_page_has_legend_table_and_url_state(client, atlas_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        r = client.get(reverse("atlas:map") + "?" + MAP)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="atlas-legend"' in html
    assert "170 Gebiete" not in html
    assert html.count('<span class="swatch" style="background:') >= 5
    assert "Nordmarkt-Südost" in html or "Nordmarkt" in html
    assert "klassen=5" in html
    assert "methode=quantiles" in html


def test_aggregated_level_shows_unavailable_and_says_why(client, atlas_data):
    r = client.get(reverse("atlas:map") + "?region=dortmund&ebene=stadtbezirk&indikator=unemployed_pct&periode=2024")
    html = r.content.decode()
    assert 'id="aggregation-note"' in html
    assert "nicht verfügbar" in html


def test_values_and_geometry_payloads(client, atlas_data):
    r = client.get(reverse("atlas:values") + "?" + MAP)
    data = json.loads(r.content)
    assert len(data["values"]) == 170
    assert sum(c["count"] for c in data["legend"]) == 170
    level = AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk")
    g = client.get(reverse("atlas:geometry", args=[level.id]), HTTP_ACCEPT_ENCODING="gzip")
    assert g["Content-Encoding"] == "gzip"
    assert g["ETag"]
    geo = json.loads(gzip.decompress(g.content))
    assert geo["enc"] == "delta5"
    assert len(geo["areas"]) == 170
    again = client.get(reverse("atlas:geometry", args=[level.id]), HTTP_IF_NONE_MATCH=g["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_map_exports(client, atlas_data, fmt):
    r = client.get(reverse("atlas:map_export", args=[fmt]) + "?" + MAP)
    assert r.status_code == 200
    if fmt == "csv":
        text = r.content.decode("utf-8-sig")
        assert text.startswith("schluessel;name;wert")
        assert len(text.strip().splitlines()) == 171
    elif fmt == "xlsx":
        wb = load_workbook(io.BytesIO(r.content))
        assert wb.sheetnames == ["Daten", "Metadaten", "Quellen"]
        assert wb["Daten"].max_row == 171
        assert "Statistikatlas" in str(wb["Metadaten"]["E2"].value)
    else:
        doc = json.loads(r.content)
        assert len(doc["features"]) == 170
        assert doc["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_profile_with_svg_time_series_and_compare(client, atlas_data):
    boev = Area.objects.get(level__slug="unterbezirk", code="710")
    r = client.get(reverse("atlas:area", args=[boev.id]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in html
    assert 'role="img"' in html
    assert "2018: 14,0" in html
    assert "2024: 16,4" in html
    other = Area.objects.get(level__slug="unterbezirk", code="720")
    c = client.get(reverse("atlas:compare") + f"?gebiet={boev.id}&gebiet={other.id}")
    assert c.status_code == 200
    assert c.content.decode().count('<td class="num">') > 10


def test_mss_page_and_method(client, atlas_data):
    r = client.get(reverse("atlas:mss") + "?region=dortmund&ebene=unterbezirk")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="no-threshold"' in html
    assert 'id="mss-table"' in html
    assert client.get(reverse("atlas:mss_export", args=["csv"]) + "?region=dortmund&ebene=unterbezirk").status_code == 200
    assert "z-Standardisierung" in client.get(reverse("atlas:mss_method")).content.decode()


def test_catalogue_and_metadata(client, atlas_data):
    assert "Kinderarmut" in client.get(reverse("atlas:catalogue")).content.decode()
    r = client.get(reverse("atlas:catalogue_export", args=["csv"]))
    assert "Quelle" in r.content.decode("utf-8-sig").splitlines()[0]


def test_internal_indicator_is_hidden_from_public(client, atlas_data, planner, editor_dueren):
    Indicator.objects.filter(slug="unemployed_pct").update(is_internal=True)
    url = reverse("atlas:map") + "?region=dortmund&indikator=unemployed_pct"
    assert login_redirect(client.get(url))  # anonymous visitors are asked to sign in
    assert login_redirect(client.get(reverse("atlas:indicator", args=["unemployed_pct"])))
    client.force_login(editor_dueren)
    assert client.get(url).status_code == 403
    client.force_login(planner)
    assert client.get(url).status_code == 200


def test_import_is_planner_only(client, editor_dueren):
    url = reverse("atlas:import")
    assert login_redirect(client.get(url))
    assert login_redirect(client.post(url, {"art": "werte"}))
    client.force_login(editor_dueren)
    r = client.get(url)
    assert r.status_code == 403
    assert "Nur die Sozialplanung" in r.content.decode()
    assert client.get(reverse("atlas:import_values", args=["0" * 32])).status_code == 403


def test_planner_imports_values_through_preview_and_mapping(client, planner):
    Indicator.objects.create(slug="t-view", title="Testwert")
    client.force_login(planner)
    body = "ARS;Wert;Gemeinde\r\n053580008008;1.234,5;Düren\r\n053580024024;7;Jülich\r\n".encode("cp1252")
    r = client.post(reverse("atlas:import"), {"art": "werte", "kodierung": "auto",
                                              "datei": SimpleUploadedFile("w.csv", body)})
    assert r.status_code == 302
    preview = client.get(r["Location"])
    assert "Windows-1252" in preview.content.decode()
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    post = {"ebene": level.id, "layout": "wide", "gebietsspalte": "ARS", "zuordnung": "code", "dezimal": "de",
            "zeitpunkt": "2024", "spalte_1": "t-view"}
    bad = client.post(r["Location"], {**post, "gebietsspalte": "Wert"})
    assert bad.status_code == 400
    assert 'id="problems"' in bad.content.decode()
    ok = client.post(r["Location"], post)
    assert ok.status_code == 200
    assert 'id="import-ok"' in ok.content.decode()
    assert IndicatorValue.objects.get(indicator__slug="t-view", area__code="053580008008").value == 1234.5
