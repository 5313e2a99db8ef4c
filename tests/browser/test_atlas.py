"""The choropleth renders in Chromium with its legend; changing the classification changes the URL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser




def test_choropleth_renders_and_classification_is_in_the_url(browser, live_server, regions, settings):
    from begegnungsatlas.atlas import demo

    demo.indicators_dortmund(out=lambda *_a: None)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(live_server.url + "/atlas/karte/?region=dortmund&ebene=unterbezirk"
              "&indikator=children_under_15_SGB_II_pct&periode=2024&methode=quantiles&klassen=5")
    page.wait_for_selector("#atlas-map[data-ready='1']", state="attached", timeout=15000)
    assert not errors, errors
    assert page.locator("#atlas-map canvas").count() >= 1
    assert page.locator("#atlas-legend li").count() == 5
    page.select_option("#f-methode", "fisher_jenks")
    page.wait_for_url("**methode=fisher_jenks**", timeout=10000)
    page.wait_for_selector("#atlas-map[data-ready='1']", state="attached", timeout=15000)
    assert "natürliche Brüche" in page.locator(".atlas-legend").inner_text()
    page.select_option("#f-klassen", "3")
    page.wait_for_url("**klassen=3**", timeout=10000)
    assert page.locator("#atlas-legend li").count() == 3
    assert not errors
    page.close()
