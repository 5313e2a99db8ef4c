"""Browser: a citizen submits a suggestion end to end (click on the map sets the point)."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser





def click_map_at(page, selector, lat, lon):
    """Click the Leaflet map where the given point is (a real mouse click at that pixel)."""
    page.wait_for_function(f"() => document.querySelector('{selector}')._leafletMap && "
                           f"document.querySelectorAll('{selector} path.leaflet-interactive').length > 10")
    page.evaluate(f"document.querySelector('{selector}')._leafletMap.setView([{lat}, {lon}], 14, {{animate: false}})")
    x, y = page.evaluate(
        f"(() => {{ const p = document.querySelector('{selector}')._leafletMap"
        f".latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"
    )
    page.locator(selector).click(position={"x": x, "y": y})


def test_citizen_suggests_a_potenzialraum(live_server, regions, page):
    from django.apps import apps

    from begegnungsatlas.places.models import Suggestion

    importlib.import_module("begegnungsatlas.places.migrations.0002_vocabularies").seed(apps, None)
    page.goto(f"{live_server.url}/orte/vorschlagen/")
    page.get_by_label("Potenzialraum").check()
    page.get_by_label("Name des Ortes").fill('Alte Kapelle <script>alert(1)</script>')
    page.get_by_label("Beschreibung").fill("Leerstehend seit 2023, ideal für Treffen.")
    page.get_by_label("Ort", exact=True).fill("Düren")
    click_map_at(page, "#picker", 50.8048, 6.4836)
    expect(page.locator("#picker-status")).to_contain_text("Punkt gesetzt")
    assert abs(float(page.locator("#id_lat").input_value()) - 50.8048) < 0.001
    assert abs(float(page.locator("#id_lon").input_value()) - 6.4836) < 0.001
    page.get_by_label("Familien").check()
    page.get_by_role("button", name="Vorschlag senden").click()
    expect(page.locator("h1")).to_have_text("Danke für Ihren Vorschlag!")

    suggestion = Suggestion.objects.get()
    assert suggestion.kind == "potential"
    assert suggestion.status == "pending"
    assert suggestion.name == "Alte Kapelle <script>alert(1)</script>"
    assert abs(suggestion.lat - 50.8048) < 0.001
    assert list(suggestion.target_groups.values_list("slug", flat=True)) == ["familien"]
    # not public before moderation
    page.goto(f"{live_server.url}/orte/")
    expect(page.locator("#results-heading")).to_have_text("0 Orte")
