"""Browser: the public map renders markers and the list, the Kommune filter changes URL and results, keyboard use."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DUEREN = "053580008008"




@pytest.fixture
def places(regions):
    from django.apps import apps

    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.places.models import Place

    importlib.import_module("begegnungsatlas.places.migrations.0002_vocabularies").seed(apps, None)
    dortmund = Area.objects.only("id").get(code="059130000000", level__is_municipality=True)
    dueren = Area.objects.only("id").get(code=DUEREN, level__is_municipality=True)
    for i in range(4):
        Place.objects.create(name=f"Treff Dortmund {i}", lon=7.40 + i * 0.02, lat=51.51, kommune=dortmund)
    Place.objects.create(name="Treff Düren Mitte", lon=6.4836, lat=50.8048, kommune=dueren, is_example=True)
    Place.objects.create(name="Treff Düren Nord", lon=6.49, lat=50.82, kommune=dueren)


def test_map_markers_list_and_kommune_filter(live_server, places, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/orte/")
    page.wait_for_function("() => document.getElementById('map').dataset.markerCount === '6'")
    assert page.locator("#map .leaflet-marker-icon").count() >= 1
    assert page.locator("#map path.leaflet-interactive").count() > 20  # Kommune/Stadtbezirk outlines as base map
    assert page.locator(".place-list > li").count() == 6
    expect(page.locator("#results-heading")).to_have_text("6 Orte")

    page.select_option("#id_kommune", DUEREN)
    page.wait_for_url(f"**/orte/?*kommune={DUEREN}*")
    expect(page.locator("#results-heading")).to_have_text("2 Orte")
    assert page.locator(".place-list h3").all_inner_texts() == ["Treff Düren Mitte", "Treff Düren Nord"]
    page.wait_for_function("() => document.getElementById('map').dataset.markerCount === '2'")
    expect(page.locator(".place-list .example-badge")).to_have_text("Beispiel")
    # the URL is bookmarkable: loading it fresh gives the same result
    page.goto(page.url)
    expect(page.locator("#results-heading")).to_have_text("2 Orte")
    assert page.locator("#id_kommune").input_value() == DUEREN
    assert errors == []


def test_keyboard_skip_link_filter_form_and_list_links(live_server, places, page):
    page.goto(f"{live_server.url}/orte/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    reached_filter = reached_list = False
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "(() => { const a = document.activeElement;"
            " return {id: a.id, inForm: !!a.closest('#filter-form'), inList: !!a.closest('.place-list'),"
            " label: a.labels && a.labels.length ? a.labels[0].textContent.trim() : a.textContent.trim()}; })()"
        )
        assert info["label"], f"focused element without accessible text: {info}"
        reached_filter = reached_filter or (info["inForm"] and info["id"] == "id_q")
        if info["inList"]:
            reached_list = True
            break
    assert reached_filter
    assert reached_list
    page.keyboard.press("Enter")
    page.wait_for_url("**/orte/*/")
    expect(page.locator("h1")).to_have_text("Treff Dortmund 0")
