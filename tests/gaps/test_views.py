"""The Versorgung pages: planners run, save, publish, compare and download; others see only what is published."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.core.jobs import Job
from begegnungsatlas.gaps.models import Scenario
from tests.conftest import login_redirect


def _form(grid: Any, **kw: Any) -> dict[str, Any]:
    level = AreaLevel.objects.get(region=grid.region, slug="kommune")
    return {"grid": grid.pk, "group": "ab65", "method": "coverage", "radius": 2000, "level": level.pk, **kw}


def test_planner_runs_the_analysis_and_sees_the_data_year(client: Any, planner: Any, dueren_grid: Any,
                                                          dueren_places: list[Any]) -> None:
    client.force_login(planner)
    page = client.get(reverse("gaps:index"))
    assert page.status_code == 200
    assert "Berechnen" in page.content.decode()
    resp = client.post(reverse("gaps:index"), _form(dueren_grid, siting_p="2"))
    html = resp.content.decode()
    assert resp.status_code == 200, html[:2000]
    assert "Datenstand: 2011" in html
    assert 'id="gaps-map-data"' in html
    assert "Wohin sollen neue Orte?" in html
    assert "Potenzialraum Nideggen" in html or "Geplanter Treff Kreuzau" in html


def test_bad_input_shows_a_german_message_and_stores_nothing(client: Any, planner: Any, dueren_grid: Any,
                                                             save_scenario: Any) -> None:
    client.force_login(planner)
    resp = client.post(reverse("gaps:index"), _form(dueren_grid))  # no places at all
    assert resp.status_code == 400
    assert "Keine Orte für diese Zielgruppe" in resp.content.decode()
    resp = save_scenario({**_form(dueren_grid), "name": "leer"})
    assert resp.status_code == 302
    assert not Scenario.objects.exists()
    job = Job.objects.get()
    assert job.status == "failed"
    assert "Keine Orte für diese Zielgruppe" in job.message
    assert "Keine Orte für diese Zielgruppe" in client.get(resp["Location"]).content.decode()


def test_save_publish_compare_and_download(client: Any, planner: Any, make_user: Any, dueren_grid: Any,
                                           dueren_places: list[Any], save_scenario: Any) -> None:
    client.force_login(planner)
    first = save_scenario({**_form(dueren_grid, siting_p="1"), "name": "Ältere, 2 km"})
    save_scenario({**_form(dueren_grid, radius=1000, method="2sfca"), "name": "Ältere, 1 km"})
    a, b = Scenario.objects.order_by("pk")
    job_page = client.get(first["Location"])
    assert job_page.status_code == 200
    status = client.get(reverse("core:job_status", args=[Job.objects.order_by("pk").first().pk])).content.decode()
    assert reverse("gaps:scenario", args=[a.pk]) in status
    assert "siting" in a.results
    assert a.results["gaps"]["data_year"] == 2011
    assert a.data_versions["grid"]["name"] == "Zensus 2011, 1 km"
    resp = client.get(reverse("gaps:compare"), {"a": a.pk, "b": b.pk})
    assert resp.status_code == 200
    assert "Ältere, 1 km" in resp.content.decode()
    csv_resp = client.get(reverse("gaps:scenario_export", args=[a.pk, "csv"]))
    assert csv_resp.status_code == 200
    assert "Datenstand;2011" in csv_resp.content.decode()
    geo = json.loads(client.get(reverse("gaps:scenario_export", args=[a.pk, "geojson"])).content)
    assert len(geo["features"]) == dueren_grid.cells.count()
    xlsx = client.get(reverse("gaps:scenario_export", args=[a.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("gaps:scenario_pdf", args=[a.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")

    # A citizen sees nothing unpublished ...
    citizen = make_user("none", username="buerger")
    client.force_login(citizen)
    assert "Ältere, 2 km" not in client.get(reverse("gaps:index")).content.decode()
    assert client.get(reverse("gaps:scenario", args=[a.pk])).status_code == 403
    assert client.get(reverse("gaps:scenario_export", args=[a.pk, "csv"])).status_code == 403
    assert client.get(reverse("gaps:scenario_pdf", args=[a.pk])).status_code == 403
    assert client.get(reverse("gaps:compare"), {"a": a.pk, "b": b.pk}).status_code == 403
    assert client.post(reverse("gaps:index"), _form(dueren_grid)).status_code == 200  # the public list only
    assert client.post(reverse("gaps:scenario_publish", args=[a.pk]), {"published": "1"}).status_code == 403
    assert client.post(reverse("gaps:scenario_create"), {**_form(dueren_grid), "name": "x"}).status_code == 403
    assert client.get(first["Location"]).status_code == 403  # somebody else's job
    # ... until the planner publishes it.
    client.force_login(planner)
    client.post(reverse("gaps:scenario_publish", args=[a.pk]), {"published": "1"})
    client.logout()
    assert "Ältere, 2 km" in client.get(reverse("gaps:index")).content.decode()
    assert client.get(reverse("gaps:scenario", args=[a.pk])).status_code == 200
    assert login_redirect(client.get(reverse("gaps:scenario", args=[b.pk])))


@pytest.mark.parametrize("role", ["kommune_editor", "operator", "moderator"])
def test_other_roles_cannot_run_or_import(client: Any, make_user: Any, dueren_grid: Any, role: str) -> None:
    client.force_login(make_user(role))
    assert "Berechnen" not in client.get(reverse("gaps:index")).content.decode()
    resp = client.post(reverse("gaps:grid_upload"), {"region": dueren_grid.region_id, "name": "x", "data_year": 2022,
                                                     "source": "x"})
    assert resp.status_code == 403


def test_planner_imports_a_grid_through_the_page(client: Any, planner: Any, regions: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from begegnungsatlas.atlas.models import Region
    from begegnungsatlas.gaps.models import PopulationGrid

    client.force_login(planner)
    region = Region.objects.get(slug="kreis-dueren")
    upload = SimpleUploadedFile("raster.csv", b"cell_id,Einwohner\n1kmN3073E4070,812\n", content_type="text/csv")
    resp = client.post(reverse("gaps:grid_upload"), {"region": region.pk, "name": "Eigenes Raster", "data_year": 2022,
                                                     "source": "Kreis Düren", "file": upload})
    assert resp.status_code == 302
    assert PopulationGrid.objects.get(name="Eigenes Raster").cells.count() == 1
    bad = SimpleUploadedFile("raster.csv", b"cell_id,Einwohner\nfoo,1\n", content_type="text/csv")
    client.post(reverse("gaps:grid_upload"), {"region": region.pk, "name": "Kaputt", "data_year": 2022,
                                              "source": "x", "file": bad})
    assert not PopulationGrid.objects.filter(name="Kaputt").exists()


@pytest.mark.parametrize(("method", "expected"), [("lscp", "mindestens"), ("pmedian", "Mittlere Entfernung")])
def test_planner_chooses_the_siting_method(client: Any, planner: Any, dueren_grid: Any,
                                           dueren_places: list[Any], method: str, expected: str) -> None:
    client.force_login(planner)
    resp = client.post(reverse("gaps:index"), _form(dueren_grid, siting_method=method,
                                                     siting_p="" if method == "lscp" else "1"))
    html = resp.content.decode()
    assert resp.status_code == 200, html[:2000]
    assert "Wohin sollen neue Orte?" in html
    assert expected in html


def test_dashboard_links_the_supply_pages_by_role(client: Any, planner: Any, make_user: Any) -> None:
    client.force_login(planner)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Versorgungsanalyse" in html
    assert reverse("gaps:bundling") in html
    client.force_login(make_user("none", username="buerger"))
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Veröffentlichte Versorgungsszenarien" in html
    assert reverse("gaps:index") in html
    assert reverse("gaps:bundling") not in html
