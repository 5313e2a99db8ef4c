"""Browser: ticking a context layer draws its points on the public map."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from begegnungsatlas.places.models import ContextFeature

pytestmark = pytest.mark.browser


def test_ticking_a_context_layer_draws_it(page, live_server, regions):
    for i in range(4):
        ContextFeature.objects.create(layer="kitas", layer_name="Kitas", name=f"Kita {i}", lon=7.45 + i / 100,
                                      lat=51.51, source="Open Data Dortmund")
    page.goto(live_server.url + "/orte/")
    box = page.get_by_label("Kitas (4)")
    expect(box).to_be_visible()
    box.check()
    expect(page.locator("#map")).to_have_attribute("data-context_kitas", "4")
    expect(page.locator("#map path.leaflet-interactive[stroke='#555']")).to_have_count(4)
