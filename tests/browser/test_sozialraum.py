"""Editing Sozialräume with the keyboard (and a click on the map) in Chromium: check, move, undo."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_planner_moves_a_unit_with_the_keyboard_and_undoes_it(page, live_server, regions, make_user, sign_in):
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.atlas.models import AreaLevel, Indicator
    from begegnungsatlas.sozialraum.models import EditStep
    from begegnungsatlas.sozialraum.services.layout import layout_of
    from begegnungsatlas.sozialraum.services.propose import ProposalInputs, proposal_create
    from begegnungsatlas.sozialraum.services.versions import sozialraum_create_from_proposal

    demo.indicators_kreis_dueren(out=lambda *_a: None)
    planner = make_user("planner", username="planerin")
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    proposal = proposal_create(inputs=ProposalInputs(
        base_level=level, method="ward", period="2022-05-15", n_regions=4,
        indicators=[(Indicator.objects.get(slug="einwohner_dichte_zensus2022"), 1.0)]), name="Ward 4", actor=planner)
    sr = sozialraum_create_from_proposal(proposal=proposal, series="Test", actor=planner)
    before = sorted((p.code, sorted(p.units)) for p in layout_of(sr.level))

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in("planerin", "pw-Test-12345")
    page.goto(live_server.url + f"/sozialraeume/{sr.pk}/")
    page.wait_for_selector("#sr-map[data-ready='1']", state="attached")
    # a click on a unit on the map selects its row and focuses its "move to" select
    page.locator("#sr-map path.leaflet-interactive").first.click(force=True)
    assert page.locator(".sr-unit-table tr.selected").count() == 1
    # keyboard only from here: the first unit that has a neighbouring Sozialraum
    select = page.locator(".sr-unit-table select").first
    select.focus()
    page.keyboard.press("Tab")  # → "Prüfen"
    page.keyboard.press("Enter")
    page.wait_for_selector("#sr-check .sr-check")
    check = page.locator("#sr-check").inner_text()
    assert "Prüfung bestanden" in check or "So nicht möglich" in check
    assert not EditStep.objects.exists()
    passed = "Prüfung bestanden" in check
    page.keyboard.press("Tab")  # → "Verschieben"
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    message = page.locator(".messages").inner_text()
    if passed:
        assert "Gespeichert" in message
        assert sorted((p.code, sorted(p.units)) for p in layout_of(sr.level)) != before
        page.locator("form[action$='/rueckgaengig/'] button").focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        assert "Rückgängig gemacht" in page.locator(".messages").inner_text()
    else:
        assert "zusammenhängend" in message or "Einwohner" in message or "letzte Baustein" in message
    assert sorted((p.code, sorted(p.units)) for p in layout_of(sr.level)) == before
    assert not errors, errors
