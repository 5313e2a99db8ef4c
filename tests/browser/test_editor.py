"""Browser: a municipal editor signs in, clicks the map to set the point, saves a new place."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser





def test_editor_logs_in_clicks_the_map_and_saves(live_server, regions, make_user, page):
    from django.apps import apps

    from begegnungsatlas.places.models import Place

    importlib.import_module("begegnungsatlas.places.migrations.0002_vocabularies").seed(apps, None)
    make_user("kommune_editor", kommune_code="053580008008", username="redaktion-dueren")

    page.goto(f"{live_server.url}/orte/neu/")
    expect(page).to_have_url(f"{live_server.url}/anmelden/?next=/orte/neu/")
    page.get_by_label("Benutzername").fill("redaktion-dueren")
    page.get_by_label("Passwort").fill("pw-Test-12345")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Neuen Ort anlegen")

    page.locator("#id_name").fill("Quartierstreff Ost")
    page.get_by_label("Öffnungszeiten").fill("Mo-Fr 09:00-12:00; PH off")
    page.wait_for_function("() => document.querySelector('#picker')._leafletMap && "
                           "document.querySelectorAll('#picker path.leaflet-interactive').length > 10")
    page.evaluate("document.querySelector('#picker')._leafletMap.setView([50.8048, 6.4836], 14, {animate: false})")
    x, y = page.evaluate("(() => { const p = document.querySelector('#picker')._leafletMap"
                         ".latLngToContainerPoint([50.8048, 6.4836]); return [p.x, p.y]; })()")
    page.locator("#picker").click(position={"x": x, "y": y})
    expect(page.locator("#picker-status")).to_contain_text("Punkt gesetzt")
    page.get_by_label("Familien").first.check()
    page.get_by_role("button", name="Speichern").click()

    expect(page.locator("h1")).to_have_text("Quartierstreff Ost")
    expect(page.locator(".messages")).to_contain_text("„Quartierstreff Ost“ wurde gespeichert.")
    place = Place.objects.get(name="Quartierstreff Ost")
    assert place.kommune.code == "053580008008"
    assert abs(place.lon - 6.4836) < 0.001
    assert abs(place.lat - 50.8048) < 0.001
    assert place.opening_hours == "Mo-Fr 09:00-12:00; PH off"
