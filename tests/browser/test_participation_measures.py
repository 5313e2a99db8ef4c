"""Browser: filter the Werkzeugkatalog, answer a survey, report a problem with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_catalogue_filter_and_werkstattplan(live_server, regions, page):
    from begegnungsatlas.measures import demo

    demo.load(out=lambda *_a: None)
    page.goto(f"{live_server.url}/werkzeuge/")
    expect(page.get_by_role("status").first).to_contain_text("10 Werkzeuge")
    page.get_by_label("Handlungsfeld").select_option(label="Bildung")
    page.get_by_label("Art").select_option(label="neues Werkzeug (grün)")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("main h2")).to_have_count(1)
    expect(page.locator("main h2")).to_contain_text("Bildung")
    expect(page.locator(".measure-list > li")).to_have_count(1)
    expect(page.locator(".measure-list")).to_contain_text("Beispiel: neues Werkzeug im Handlungsfeld Bildung")
    page.get_by_role("link", name="Zum Werkstattplan").click()
    expect(page.locator("svg.timeline rect.tl-span")).to_have_count(3)
    expect(page.locator("main table tbody tr")).to_have_count(3)


def test_citizen_answers_a_survey(live_server, regions, page):
    from begegnungsatlas.participation import demo
    from begegnungsatlas.participation.models import Response, Survey

    demo.load(out=lambda *_a: None)
    survey = Survey.objects.get()
    before = Response.objects.count()
    page.goto(f"{live_server.url}/beteiligung/")
    page.get_by_role("link", name=survey.title, exact=True).click()
    page.get_by_label("ja, gelegentlich").check()
    page.get_by_label("Räume").check()
    page.get_by_label("Fahrtkosten").check()
    page.get_by_label("Wie viele Stunden im Monat engagieren Sie sich?").fill("4")
    page.get_by_label("In welcher Kommune wohnen Sie?").select_option(index=1)
    page.get_by_role("button", name="Antworten absenden").click()
    expect(page.locator("h1")).to_have_text("Vielen Dank!")
    assert Response.objects.count() == before + 1
    answers = {a.question.kind: a for a in Response.objects.order_by("-id").first().answers.select_related("question")}
    assert answers["multiple"].options == [0, 1]
    assert answers["number"].number == 4.0


def test_citizen_reports_a_problem_with_the_keyboard(live_server, regions, page):
    from begegnungsatlas.participation import demo
    from begegnungsatlas.participation.models import Report

    demo.load(out=lambda *_a: None)
    page.goto(f"{live_server.url}/beteiligung/melden/")
    page.get_by_label("Problem", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Kategorie").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Ampel zu kurz grün")
    page.keyboard.press("Tab")
    page.keyboard.type("Für ältere Menschen reicht die Zeit nicht.")
    # the location by keyboard: the coordinate fields are the accessible alternative to clicking the map
    page.get_by_label("Breitengrad").focus()
    page.keyboard.type("50.8048")
    page.keyboard.press("Tab")
    page.keyboard.type("6.4836")
    page.keyboard.press("Tab")
    expect(page.locator("[data-map=picker] .leaflet-marker-icon")).to_have_count(1)
    page.get_by_role("button", name="Meldung senden").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Vielen Dank!")
    report = Report.objects.get(title="Ampel zu kurz grün")
    assert report.kind == "problem"
    assert not report.is_published
    assert abs(report.lat - 50.8048) < 1e-6
    page.goto(f"{live_server.url}/beteiligung/meldungen/")
    expect(page.locator("main")).not_to_contain_text("Ampel zu kurz grün")
