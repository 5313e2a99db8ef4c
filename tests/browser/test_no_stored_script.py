"""A place (and an area) named like an HTML payload is shown as text everywhere; nothing of it runs.

Two independent checks per page: the payload never becomes an element (``img[src=x]``: catches HTML
injection even where the Content-Security-Policy would stop the handler) and ``window.__xss`` stays unset.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=1">'

WATCH = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
}"""


def assert_inert(page: Any, where: str) -> None:
    state = page.evaluate(
        "() => ({xss: window.__xss || 0, injected: document.querySelectorAll('img[src=x]').length,"
        " violations: window.__violations || []})")
    assert state == {"xss": 0, "injected": 0, "violations": []}, where


def open_all_overlays(page: Any, selector: str) -> int:
    """Open every tooltip and popup on the Leaflet map in ``selector``; return how many were opened."""
    return int(page.evaluate("""(sel) => {
      const map = document.querySelector(sel)._leafletMap; let n = 0;
      map.eachLayer((layer) => {
        if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(layer.getLatLng ? layer.getLatLng() : undefined); n++; }
        if (layer.getPopup && layer.getPopup()) { layer.openPopup(); n++; }
      });
      return n;
    }""", selector))


def test_a_script_in_a_name_runs_nowhere(live_server, regions, make_user, page, sign_in):
    from begegnungsatlas.atlas import demo as atlas_demo
    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.places.models import Suggestion
    from begegnungsatlas.places.services.places import place_create

    atlas_demo.indicators_dortmund(out=lambda *_a: None)
    planner = make_user("planner", username="planerin", is_staff=True)
    place = place_create(actor=planner, data={"name": PAYLOAD, "lon": 7.4653, "lat": 51.5136})
    Suggestion.objects.create(kind="new_place", name=PAYLOAD, description=PAYLOAD)
    # An area name comes from an imported boundary file: just as untrusted.
    area = Area.objects.filter(level__slug="unterbezirk").order_by("code").first()
    assert area is not None
    Area.objects.filter(pk=area.pk).update(name=PAYLOAD)
    page.add_init_script(WATCH)
    failed: list[str] = []
    page.on("pageerror", lambda e: failed.append(str(e)))

    # Public map: the area outlines' tooltips and the place's popup.
    page.goto(live_server.url + "/orte/")
    page.wait_for_function("() => document.querySelector('[data-map=public]').dataset.markerCount === '1'")
    page.locator(".place-marker").first.click()
    page.wait_for_selector(".leaflet-popup-content a")
    assert page.locator(".leaflet-popup-content a").inner_text() == PAYLOAD
    assert open_all_overlays(page, "[data-map=public]") > 1
    assert_inert(page, "public map")

    # Search results (server-rendered list, updated by htmx).
    page.goto(live_server.url + "/orte/?q=img")
    assert PAYLOAD in page.locator("#results").inner_text()
    assert_inert(page, "search results")

    # Place detail with its map.
    page.goto(f"{live_server.url}/orte/{place.pk}/")
    assert PAYLOAD in page.locator("h1").inner_text()
    page.wait_for_selector(".leaflet-marker-icon")
    assert_inert(page, "place detail")

    # Atlas map with the places shown: area tooltips and the place's hover label.
    page.goto(live_server.url + "/atlas/karte/?region=dortmund&ebene=unterbezirk"
              "&indikator=children_under_15_SGB_II_pct&periode=2024")
    page.wait_for_selector("#atlas-map[data-ready='1']", state="attached")
    page.check("#atlas-places")
    page.wait_for_function("() => { let n = 0; document.querySelector('#atlas-map')._leafletMap.eachLayer("
                           "(l) => { if (l.getLatLng && l.getTooltip && l.getTooltip()) n++; }); return n > 0; }")
    assert open_all_overlays(page, "#atlas-map") > 10
    labels = page.locator(".leaflet-tooltip").all_inner_texts()
    assert PAYLOAD in labels
    assert any(label.startswith(PAYLOAD + ": ") for label in labels)
    assert_inert(page, "atlas map")

    # Signed in: the editor, the planner's lists, the moderation queue, the history and the admin.
    sign_in("planerin", "pw-Test-12345")
    for path in (f"/orte/{place.pk}/bearbeiten/", "/orte/meine/", "/orte/moderation/",
                 f"/orte/{place.pk}/verlauf/", "/verwaltung/places/place/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert_inert(page, path)
    assert not failed, failed
