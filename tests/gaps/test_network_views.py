"""Walking networks on the Versorgung page: planners upload (built in the background), choose "Fußweg (Wegenetz)",
see the cells outside the network and the ODbL attribution, delete; everybody else is refused and sees only
published scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from begegnungsatlas.atlas.models import AreaLevel, Region
from begegnungsatlas.core.jobs import Job
from begegnungsatlas.gaps.models import NetworkStatus, Scenario, WalkingNetwork

from .conftest import APLERBECK


def _form(grid: Any, network: Any, **kw: Any) -> dict[str, Any]:
    level = AreaLevel.objects.get(region=grid.region, slug="statistischer-bezirk")
    return {"grid": grid.pk, "group": "ab65", "method": "nearest", "radius": 500, "level": level.pk,
            "network": network.pk if network else "", **kw}


def _upload(client: Any, region: Any, content: bytes, filename: str = "aplerbeck.osm.pbf", **kw: Any) -> Any:
    data = {"region": region.pk, "name": "Aplerbeck", "source": "OSM-Auszug", "licence": "© OpenStreetMap, ODbL",
            "file": SimpleUploadedFile(filename, content), **kw}
    return client.post(reverse("gaps:network_upload"), data)


@pytest.fixture
def run_worker(monkeypatch: Any) -> Any:
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_planner_uploads_a_network_built_in_the_background(client: Any, planner: Any, media: Path, regions: Any,
                                                           run_worker: Any,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(planner)
    region = Region.objects.get(slug="dortmund")
    with django_capture_on_commit_callbacks(execute=True):
        # The name claims XML; the content (PBF) decides.
        resp = _upload(client, region, APLERBECK.read_bytes(), filename="netz.osm")
    assert resp.status_code == 302
    job = Job.objects.get(kind="gaps.network")
    assert resp["Location"] == reverse("core:job", args=[job.pk])
    network = WalkingNetwork.objects.get()
    assert network.status == NetworkStatus.PENDING
    assert network.kind == "osm_pbf"
    assert network.file.name.endswith(".osm.pbf")
    run_worker()
    network.refresh_from_db()
    job.refresh_from_db()
    assert network.status == NetworkStatus.READY, network.message
    assert network.nodes > 500
    assert job.status == "done"
    assert "Aplerbeck" in job.message
    page = client.get(reverse("gaps:index")).content.decode()
    assert "Fußweg (Wegenetz): Aplerbeck" in page
    assert "bereit" in page


def test_bad_upload_gives_a_german_message_and_stores_nothing(client: Any, planner: Any, media: Path,
                                                              regions: Any) -> None:
    client.force_login(planner)
    region = Region.objects.get(slug="dortmund")
    resp = _upload(client, region, b"name;lon;lat\nA;7.5;51.5\n", filename="netz.osm.pbf")
    assert resp.status_code == 302
    messages = [str(m) for m in resp.wsgi_request._messages]
    assert any("kein OpenStreetMap-Auszug" in m for m in messages), messages
    assert not WalkingNetwork.objects.exists()
    assert not Job.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_planner_runs_on_walking_distance_and_sees_the_cells_outside(client: Any, planner: Any, dortmund_grid: Any,
                                                                    aplerbeck_network: Any,
                                                                    aplerbeck_places: list[Any]) -> None:
    client.force_login(planner)
    resp = client.post(reverse("gaps:index"), _form(dortmund_grid, aplerbeck_network, siting_p="1",
                                                    siting_method="pmedian"))
    html = resp.content.decode()
    assert resp.status_code == 200, html[:3000]
    n_out = dortmund_grid.cells.count() - 1
    assert f"{n_out} Zellen außerhalb des Wegenetzes" in html
    assert "als Fußweg im Wegenetz „Aplerbeck“" in html
    assert "© OpenStreetMap" in html
    assert "Open Database License" in html
    assert "Entfernungen als Fußweg im Wegenetz" in html  # the siting section says so too
    line = client.post(reverse("gaps:index"), _form(dortmund_grid, None)).content.decode()
    assert "Zellen außerhalb des Wegenetzes" not in line
    assert "(Luftlinie)" in line


def test_network_of_another_region_is_refused(client: Any, planner: Any, dueren_grid: Any,
                                              aplerbeck_network: Any) -> None:
    client.force_login(planner)
    level = AreaLevel.objects.get(region=dueren_grid.region, slug="kommune")
    resp = client.post(reverse("gaps:index"), {"grid": dueren_grid.pk, "group": "ab65", "method": "nearest",
                                               "radius": 500, "level": level.pk, "network": aplerbeck_network.pk})
    assert resp.status_code == 400
    assert "Das Wegenetz gehört nicht zur Region des Rasters." in resp.content.decode()


def test_saved_scenario_keeps_the_network_and_reports_it(client: Any, planner: Any, make_user: Any,
                                                          dortmund_grid: Any, aplerbeck_network: Any,
                                                          aplerbeck_places: list[Any], save_scenario: Any) -> None:
    client.force_login(planner)
    save_scenario({**_form(dortmund_grid, aplerbeck_network, method="coverage"), "name": "Aplerbeck zu Fuß"})
    scenario = Scenario.objects.get()
    assert scenario.inputs["network"] == aplerbeck_network.pk
    assert scenario.data_versions["network"]["sha256"] == aplerbeck_network.sha256
    cells = client.get(reverse("gaps:scenario_export", args=[scenario.pk, "geojson"])).json()["features"]
    assert sum(f["properties"]["outside_network"] for f in cells) == dortmund_grid.cells.count() - 1
    assert scenario.results["gaps"]["distance"]["mode"] == "network"
    assert scenario.results["gaps"]["totals"]["outside_cells"] == dortmund_grid.cells.count() - 1
    pdf = client.get(reverse("gaps:scenario_pdf", args=[scenario.pk]))
    assert pdf.status_code == 200
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "außerhalb des Wegenetzes" in text
    assert "OpenStreetMap" in text
    # A citizen sees it only once published.
    client.force_login(make_user("none", username="buerger"))
    assert client.get(reverse("gaps:scenario", args=[scenario.pk])).status_code == 403
    scenario.is_published = True
    scenario.save()
    page = client.get(reverse("gaps:scenario", args=[scenario.pk])).content.decode()
    assert "Zellen außerhalb des Wegenetzes" in page
    assert "© OpenStreetMap" in page


@pytest.mark.parametrize("role", ["none", "kommune_editor", "moderator"])
def test_others_cannot_upload_run_or_delete_networks(client: Any, make_user: Any, dortmund_grid: Any,
                                                    aplerbeck_network: Any, aplerbeck_places: list[Any],
                                                    role: str) -> None:
    client.force_login(make_user(role, username=f"u-{role}"))
    region = Region.objects.get(slug="dortmund")
    assert _upload(client, region, APLERBECK.read_bytes(), filename="x.osm.pbf", name="Fremd").status_code == 403
    assert client.post(reverse("gaps:network_delete", args=[aplerbeck_network.pk])).status_code == 403
    assert WalkingNetwork.objects.count() == 1
    # Running: the citizen page answers with the published scenarios only, no result is computed.
    resp = client.post(reverse("gaps:index"), _form(dortmund_grid, aplerbeck_network))
    html = resp.content.decode()
    assert "Zellen außerhalb des Wegenetzes" not in html
    assert "Wegenetz importieren" not in html
    assert not Job.objects.exists()


def test_anonymous_cannot_upload_or_delete(client: Any, aplerbeck_network: Any) -> None:
    region = Region.objects.get(slug="dortmund")
    assert _upload(client, region, APLERBECK.read_bytes(), name="Fremd").status_code in (302, 403)
    assert client.post(reverse("gaps:network_delete", args=[aplerbeck_network.pk])).status_code in (302, 403)
    assert WalkingNetwork.objects.count() == 1


def test_planner_deletes_a_network_and_its_files(client: Any, planner: Any, aplerbeck_network: Any, media: Path,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    files = [media / aplerbeck_network.file.name, media / aplerbeck_network.graph_file.name]
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("gaps:network_delete", args=[aplerbeck_network.pk]))
    assert resp.status_code == 302
    assert not WalkingNetwork.objects.exists()
    assert not any(f.exists() for f in files)
    assert client.get(reverse("gaps:network_delete", args=[1])).status_code == 405
