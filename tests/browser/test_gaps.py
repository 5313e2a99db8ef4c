"""Browser: a planner runs the gap analysis (map + ranked table), saves a scenario as a background job and
publishes it; a citizen sees only the published scenario and is refused the unpublished one."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.gaps.models import Scenario
from begegnungsatlas.gaps.services.population import zensus2011_import
from begegnungsatlas.places.models import TargetGroup
from begegnungsatlas.places.services.places import place_create

pytestmark = pytest.mark.browser
PASSWORD = "pw-Test-12345"


@pytest.fixture
def gaps_data(regions, make_user):
    TargetGroup.objects.get_or_create(slug="senioren", defaults={"name_de": "Ältere Menschen", "name_en": "Older"})
    zensus2011_import(region=Region.objects.get(slug="kreis-dueren"))
    planner = make_user("planner", username="planung-test")
    for name, lon, lat, status in (("Seniorentreff Düren Mitte", 6.4830, 50.8035, "existing"),
                                   ("Seniorencafé Jülich", 6.3610, 50.9220, "existing"),
                                   ("Potenzialraum Nideggen", 6.4830, 50.6890, "potential")):
        place_create(actor=planner, data={"name": name, "lon": lon, "lat": lat, "status": status},
                     target_groups=["senioren"])
    return planner


def test_planner_runs_saves_and_publishes_citizen_sees_only_published(page, live_server, gaps_data, make_user,
                                                                      sign_in):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in("planung-test", PASSWORD)
    page.goto(live_server.url + "/versorgung/")
    page.locator("#id_grid").select_option(label="Zensus 2011, 1 km (2011)")
    page.locator("#id_group").select_option("ab65")
    page.locator("#id_method").select_option("coverage")
    page.locator("#id_radius").fill("2000")
    page.locator("#id_level").select_option(label="Kreis Düren: Kommune")
    page.locator("#id_siting_p").select_option("1")
    page.get_by_role("button", name="Berechnen", exact=True).click()
    expect(page.locator("#gaps-areas tbody tr").first).to_be_visible()
    expect(page.get_by_text("Datenstand: 2011")).to_be_visible()
    expect(page.locator("#gaps-map .leaflet-overlay-pane canvas")).to_be_attached()
    assert not errors, errors
    expect(page.get_by_role("heading", name="Wohin sollen neue Orte?")).to_be_visible()

    # Save: the job page shows the progress; the database worker runs the job; the page links to the result.
    page.fill("#id_name", "Ältere Kreis Düren 2 km")
    page.get_by_role("button", name="Berechnen und als Szenario speichern").click()
    expect(page.get_by_text("Fortschritt")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.get_by_role("link", name="Zum Ergebnis").click()
    expect(page.get_by_role("heading", name="Szenario: Ältere Kreis Düren 2 km")).to_be_visible()
    scenario = Scenario.objects.get(name="Ältere Kreis Düren 2 km")

    # A citizen is refused the unpublished scenario and does not see it listed.
    make_user("none", username="buerger-test")
    page.context.clear_cookies()
    sign_in("buerger-test", PASSWORD)
    response = page.goto(live_server.url + f"/versorgung/szenarien/{scenario.pk}/")
    assert response.status == 403
    page.goto(live_server.url + "/versorgung/")
    expect(page.get_by_text("Ältere Kreis Düren 2 km")).to_have_count(0)
    expect(page.get_by_role("button", name="Berechnen", exact=True)).to_have_count(0)

    # The planner publishes it; now the citizen sees it with its map and table.
    page.context.clear_cookies()
    sign_in("planung-test", PASSWORD)
    page.goto(live_server.url + f"/versorgung/szenarien/{scenario.pk}/")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.context.clear_cookies()
    sign_in("buerger-test", PASSWORD)
    page.goto(live_server.url + "/versorgung/")
    page.get_by_role("link", name="Ältere Kreis Düren 2 km").click()
    expect(page.locator("#gaps-areas tbody tr").first).to_be_visible()
    expect(page.get_by_role("button", name="Veröffentlichen")).to_have_count(0)


def test_bundling_map_draws_clusters_and_centres(page, live_server, gaps_data, sign_in):
    from begegnungsatlas.places.models import Offer, Place

    for place in Place.objects.filter(status="existing"):
        Offer.objects.create(place=place, title=f"Treff {place.pk}", category="leisure").target_groups.set(
            [TargetGroup.objects.get(slug="senioren")])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in("planung-test", PASSWORD)
    page.goto(live_server.url + "/versorgung/buendelung/")
    page.locator("#id_region").select_option(label="Kreis Düren")
    page.locator("#id_radius").fill("3000")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#bundling-map .leaflet-overlay-pane canvas")).to_be_attached()
    expect(page.locator("#bundling-map.leaflet-container")).to_be_visible()
    assert not errors, errors


def test_planner_imports_an_area_table_and_the_result_names_it(page, live_server, gaps_data, sign_in):
    """The real Zensus 2022 table of the 15 Kommunen of Kreis Düren, spread by the Zensus 2011 grid, then used as
    the need of a run: the result says where the need came from."""
    from tests.gaps.test_area_table_views import _real_table

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in("planung-test", PASSWORD)
    page.goto(live_server.url + "/versorgung/")
    form = page.locator("#area-table-upload")
    form.locator("#id_table-region").select_option(label="Kreis Düren")
    form.locator("#id_table-level").select_option(label="Kreis Düren: Kommune")
    form.locator("#id_table-name").fill("Zensus 2022 Gemeinden")
    form.locator("#id_table-data_year").fill("2022")
    form.locator("#id_table-source").fill("Zensus 2022, Tabelle 1000A-0000")
    form.locator("#id_table-columns").fill("Einwohner=insgesamt")
    form.locator("#id_table-weight_grid").select_option(label="Zensus 2011, 1 km (2011)")
    form.locator("#id_table-file").set_input_files(
        {"name": "gemeinden.csv", "mimeType": "text/csv", "buffer": _real_table()})
    form.get_by_role("button", name="Tabelle importieren").click()
    expect(page.get_by_text("15 Gebiete auf")).to_be_visible()

    page.locator("#id_grid").select_option(label="Zensus 2022 Gemeinden (2022)")
    page.locator("#id_group").select_option("insgesamt")
    page.locator("#id_place_groups").get_by_label("Ältere Menschen").check()
    page.locator("#id_radius").fill("2000")
    page.locator("#id_level").select_option(label="Kreis Düren: Kommune")
    page.get_by_role("button", name="Berechnen", exact=True).click()
    expect(page.locator("#gaps-areas tbody tr")).to_have_count(15)
    expect(page.locator("#gaps-need-label")).to_contain_text(
        "Bedarf aus Gebietstabelle (Kommunen, 2022), auf Rasterzellen verteilt nach Zensus 2011, 1 km (2011)")
    expect(page.get_by_text("Datenstand: 2022")).to_be_visible()
    assert not errors, errors
