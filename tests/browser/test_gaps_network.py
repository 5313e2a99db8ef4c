"""Browser: a planner imports the bundled OSM extract of Dortmund-Aplerbeck as a walking network (built by the
background worker), runs the gap analysis on the real Zensus grid with "Fußweg (Wegenetz)" and p-median siting,
and sees the cells outside the network and the ODbL attribution; a citizen gets no upload form."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from begegnungsatlas.atlas.models import AreaLevel, Region
from begegnungsatlas.gaps.models import NetworkStatus, WalkingNetwork
from begegnungsatlas.gaps.services.population import zensus2011_import
from begegnungsatlas.places.models import TargetGroup
from begegnungsatlas.places.services.places import place_create

pytestmark = pytest.mark.browser
PASSWORD = "pw-Test-12345"
APLERBECK = Path(__file__).resolve().parents[2] / "begegnungsatlas" / "data" / "osm" / \
    "dortmund_aplerbeck_osr_testdata.osm.pbf"


@pytest.fixture
def network_data(regions, make_user, settings, tmp_path, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    TargetGroup.objects.get_or_create(slug="senioren", defaults={"name_de": "Ältere Menschen", "name_en": "Older"})
    grid = zensus2011_import(region=Region.objects.get(slug="dortmund")).grid
    planner = make_user("planner", username="planung-netz")
    for name, lon, lat, status in (("Seniorentreff Aplerbeck Markt", 7.5560, 51.4930, "existing"),
                                   ("Seniorenbüro Innenstadt", 7.4650, 51.5140, "existing"),
                                   ("Potenzialraum Aplerbeck West", 7.5545, 51.4925, "potential"),
                                   ("Geplanter Treff Aplerbeck Ost", 7.5585, 51.4940, "planned")):
        place_create(actor=planner, data={"name": name, "lon": lon, "lat": lat, "status": status},
                     target_groups=["senioren"])
    return grid


def test_planner_imports_a_network_and_runs_on_walking_distance(page, live_server, network_data, make_user,
                                                                sign_in):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in("planung-netz", PASSWORD)
    page.goto(live_server.url + "/versorgung/")
    form = page.locator("#network-upload")
    form.locator("#id_region").select_option(label="Dortmund")
    form.locator("#id_name").fill("Aplerbeck (OSM)")
    form.locator("#id_source").fill("OSM-Ausschnitt Dortmund-Aplerbeck")
    form.locator("#id_file").set_input_files(str(APLERBECK))
    form.get_by_role("button", name="Wegenetz importieren").click()
    expect(page.get_by_text("Fortschritt")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    network = WalkingNetwork.objects.get()
    assert network.status == NetworkStatus.READY, network.message
    page.get_by_role("link", name="Zum Ergebnis").click()
    expect(page.locator("#gaps-networks")).to_contain_text("bereit")

    level = AreaLevel.objects.get(region=network_data.region, slug="statistischer-bezirk")
    page.locator("#id_grid").select_option(str(network_data.pk))
    page.locator("#id_group").select_option("ab65")
    page.locator("#id_method").select_option("nearest")
    page.locator("#id_radius").fill("500")
    page.locator("#id_network").select_option(label="Fußweg (Wegenetz): Aplerbeck (OSM) – Dortmund")
    page.locator("#id_level").select_option(str(level.pk))
    page.locator("#id_siting_p").select_option("1")
    page.locator("#id_siting_method").select_option("pmedian")
    page.get_by_role("button", name="Berechnen", exact=True).click()
    outside = network_data.cells.count() - 1
    expect(page.locator("#gaps-network-outside")).to_contain_text(f"{outside} Zellen außerhalb des Wegenetzes")
    expect(page.get_by_text("© OpenStreetMap-Mitwirkende, Open Database License (ODbL) 1.0").first).to_be_visible()
    expect(page.locator("#gaps-map .leaflet-overlay-pane canvas")).to_be_attached()
    expect(page.get_by_text("Entfernungen als Fußweg im Wegenetz „Aplerbeck (OSM)“")).to_be_visible()
    assert not errors, errors

    # A citizen has neither the analysis nor the upload form.
    make_user("none", username="buerger-netz")
    page.context.clear_cookies()
    sign_in("buerger-netz", PASSWORD)
    page.goto(live_server.url + "/versorgung/")
    expect(page.locator("#network-upload")).to_have_count(0)
    expect(page.locator("#id_network")).to_have_count(0)


def test_bundling_on_foot_names_the_mode_and_the_places_outside(page, live_server, network_data, sign_in):
    from begegnungsatlas.core.models import User
    from begegnungsatlas.gaps.services.networks import network_build, network_import
    from begegnungsatlas.places.models import Offer, Place

    network_build(network_import(region=network_data.region, name="Aplerbeck (OSM)", source="OSM (Test)",
                                 content=APLERBECK.read_bytes(), original_name=APLERBECK.name,
                                 actor=User.objects.get(username="planung-netz")))
    for place in Place.objects.filter(status="existing"):
        Offer.objects.create(place=place, title=f"Treff {place.name}", category="leisure")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in("planung-netz", PASSWORD)
    page.goto(live_server.url + "/versorgung/buendelung/")
    page.locator("#id_region").select_option(label="Dortmund")
    page.locator("#id_radius").fill("500")
    page.locator("#id_network").select_option(label="Fußweg (Wegenetz): Aplerbeck (OSM) – Dortmund")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#bundling-distance")).to_have_text("Entfernung 500 m als Fußweg im Wegenetz „Aplerbeck (OSM)“.")
    expect(page.locator("#bundling-network-outside")).to_contain_text("Seniorenbüro Innenstadt")
    expect(page.get_by_text("© OpenStreetMap-Mitwirkende, Open Database License (ODbL) 1.0")).to_be_visible()
    expect(page.locator("#bundling-map .leaflet-overlay-pane canvas")).to_be_attached()
    assert not errors, errors
