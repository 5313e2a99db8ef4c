"""Area tables through the page: planners import (real Zensus 2022 Kreis Düren table) and use them like a grid;
bad tables give a German message listing the rows; nobody else may import."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from begegnungsatlas.atlas.models import AreaLevel, Region
from begegnungsatlas.data import DATA_DIR
from begegnungsatlas.gaps.models import GridKind, PopulationGrid, Scenario
from tests.conftest import login_redirect

ZENSUS2022 = DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv"


def _real_table() -> bytes:
    """The 15 Kreis Düren rows of the bundled Zensus 2022 table as a planner would save them (ARS; Einwohner)."""
    text = ZENSUS2022.read_text(encoding="utf-8-sig")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["ARS", "Gemeinde", "Einwohner"])
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if row["1_variable_attribute_code"].startswith("05358"):
            writer.writerow([row["1_variable_attribute_code"], row["1_variable_attribute_label"], row["value"]])
    return out.getvalue().encode("utf-8")


def _post(client: Any, content: bytes, **kw: Any) -> Any:
    region = Region.objects.get(slug="kreis-dueren")
    data = {"region": region.pk, "level": AreaLevel.objects.get(region=region, slug="kommune").pk,
            "name": "Zensus 2022 Gemeinden", "data_year": 2022, "source": "Zensus 2022, Tabelle 1000A-0000",
            "columns": "Einwohner=insgesamt",
            "file": SimpleUploadedFile("gemeinden.csv", content, content_type="text/csv"), **kw}
    return client.post(reverse("gaps:area_table_upload"), {f"table-{k}": v for k, v in data.items()}, follow=True)


def test_planner_imports_a_table_and_runs_the_analysis_on_it(client: Any, planner: Any, dueren_grid: Any,
                                                             dueren_places: list[Any], save_scenario: Any) -> None:
    client.force_login(planner)
    index = client.get(reverse("gaps:index")).content.decode()
    assert 'id="area-table-upload"' in index
    assert 'id="id_table-weight_grid"' in index
    resp = _post(client, _real_table(), weight_grid=dueren_grid.pk)
    html = resp.content.decode()
    assert "15 Gebiete auf" in html, html[:3000]
    grid = PopulationGrid.objects.get(name="Zensus 2022 Gemeinden")
    assert grid.kind == GridKind.AREA_TABLE
    assert sum(c.counts["insgesamt"] for c in grid.cells.all()) == 275_392
    label = "Bedarf aus Gebietstabelle (Kommunen, 2022), auf Rasterzellen verteilt nach Zensus 2011, 1 km (2011)"
    level = AreaLevel.objects.get(region=grid.region, slug="kommune")
    form = {"grid": grid.pk, "group": "insgesamt", "method": "coverage", "radius": 2000, "level": level.pk,
            "place_groups": ["senioren"], "siting_p": "1"}
    page = client.post(reverse("gaps:index"), form)
    text = page.content.decode()
    assert page.status_code == 200, text[:2000]
    assert "Datenstand: 2022" in text
    assert label in text
    assert f"Bedarf: {label}." in text  # also in the siting section
    save_scenario({**form, "name": "Alle, Tabelle"})
    scenario = Scenario.objects.get(name="Alle, Tabelle")
    assert scenario.results["gaps"]["need_label"] == label
    assert scenario.results["siting"]["need_label"] == label
    assert scenario.data_versions["grid"]["kind"] == GridKind.AREA_TABLE
    assert label in client.get(reverse("gaps:scenario", args=[scenario.pk])).content.decode()
    assert label in client.get(reverse("gaps:scenario_export", args=[scenario.pk, "csv"])).content.decode()
    from tests.gaps.test_report import _text

    pdf_text = _text(client.get(reverse("gaps:scenario_pdf", args=[scenario.pk])).content)
    assert "Bedarf aus Gebietstabelle (Kommunen, 2022), auf Rasterzellen verteilt nach Zensus 2011" in pdf_text


def test_bad_table_lists_the_rows_and_stores_nothing(client: Any, planner: Any, regions: Any) -> None:
    client.force_login(planner)
    # Real counts (Aldenhoven; Dortmund is not in Kreis Düren) and a SYNTHETIC negative value.
    bad = b"ARS;Einwohner\n053580004004;13939\n059130000000;598246\n053580008008;-3\n"
    html = _post(client, bad).content.decode()
    assert "Die Tabelle wurde nicht importiert" in html
    assert "Zeile 3: „059130000000“ ist kein Gebiet der Ebene „Kommune“" in html
    assert "Zeile 4, Spalte „Einwohner“: -3 ist negativ" in html
    assert not PopulationGrid.objects.filter(kind=GridKind.AREA_TABLE).exists()


def test_level_of_another_region_is_refused_by_the_form(client: Any, planner: Any, regions: Any) -> None:
    client.force_login(planner)
    other = AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk")
    html = _post(client, _real_table(), level=other.pk).content.decode()
    assert "Die Gebietsebene gehört nicht zur gewählten Region" in html
    assert not PopulationGrid.objects.exists()


@pytest.mark.parametrize("role", ["none", "kommune_editor", "operator", "moderator"])
def test_only_planners_import_tables(client: Any, make_user: Any, regions: Any, role: str) -> None:
    client.force_login(make_user(role))
    resp = _post(client, _real_table())
    assert resp.status_code == 403
    assert not PopulationGrid.objects.exists()


def test_anonymous_cannot_import_tables(client: Any, regions: Any) -> None:
    region = Region.objects.get(slug="kreis-dueren")
    resp = client.post(reverse("gaps:area_table_upload"), {"table-region": region.pk})
    assert login_redirect(resp)
    assert not PopulationGrid.objects.exists()
    assert client.get(reverse("gaps:area_table_upload")).status_code in (302, 405)


def test_planner_uploads_the_national_table_and_skips_other_regions(client: Any, planner: Any,
                                                                    regions: Any) -> None:
    client.force_login(planner)
    national = ZENSUS2022.read_bytes()
    html = _post(client, national, key_column="1_variable_attribute_code", columns="value=insgesamt").content.decode()
    assert "ist kein Gebiet der Ebene" in html
    assert not PopulationGrid.objects.exists()
    html = _post(client, national, key_column="1_variable_attribute_code", columns="value=insgesamt",
                 skip_outside="on").content.decode()
    assert "15 Gebiete auf" in html
    assert "10772 Zeilen zu Gebieten außerhalb der Region übersprungen" in html
    grid = PopulationGrid.objects.get(kind=GridKind.AREA_TABLE)
    assert sum(c.counts["insgesamt"] for c in grid.cells.all()) == 275_392
    assert "gleichmäßig in der Fläche verteilt" in grid.need_label
