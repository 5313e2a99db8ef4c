"""Browser: the office's and the auditor's parts on the demo data.

The second planner approves the invoice waiting for four-eyes approval and sees the remaining budget drop; the
office recomputes the selection with a stronger spread rule; the auditor reads the audit trail and finds no button
that changes anything.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from begegnungsatlas.core.demo import DEMO_PASSWORD
from begegnungsatlas.funding import demo
from begegnungsatlas.funding.models import Call, Voucher
from begegnungsatlas.places.models import TargetGroup

pytestmark = pytest.mark.browser


@pytest.fixture
def funding_demo(regions):
    for slug, name in (("familien", "Familien"), ("senioren", "Ältere Menschen"), ("alle", "Alle Generationen"),
                       ("neuzugewanderte", "Neuzugewanderte"), ("kinder", "Kinder"), ("jugendliche", "Jugendliche")):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name_de": name, "name_en": name})
    demo.load(out=lambda *_a: None)



def test_second_planner_approves_the_waiting_invoice(page, live_server, funding_demo, sign_in):
    waiting = Voucher.objects.get(status="checked", kind="invoice")
    sign_in("planung2", DEMO_PASSWORD)
    page.goto(live_server.url + "/foerderung/")
    # The office's start page lists the invoices waiting for a second person.
    expect(page.locator("main")).to_contain_text(waiting.supplier)
    page.goto(live_server.url + f"/foerderung/foerderungen/{waiting.grant_id}/")
    page.get_by_role("button", name="Freigeben (zweite Person)").click()
    expect(page.locator("#confirm-text")).to_contain_text("endgültig")
    waiting.refresh_from_db()
    assert waiting.status == "checked"
    page.get_by_role("button", name="Ja, freigeben und buchen").click()
    waiting.refresh_from_db()
    assert waiting.status == "approved"
    expect(page.locator("main")).to_contain_text("freigegeben")


def test_office_recomputes_the_selection_with_a_stronger_spread_rule(page, live_server, funding_demo, sign_in):
    call = Call.objects.get(is_example=True)
    sign_in("planung", DEMO_PASSWORD)
    page.goto(live_server.url + f"/foerderung/aufrufe/{call.pk}/auswahl/")
    expect(page.get_by_role("heading", name="Reine Rangfolge")).to_be_visible()
    expect(page.get_by_role("heading", name="Mit räumlicher Verteilung")).to_be_visible()
    page.get_by_label("Abzug für Nähe (Punkte)").fill("2")
    page.get_by_label("Nähe-Radius (km)").fill("50")
    page.get_by_role("button", name="Neu berechnen").click()
    page.wait_for_url(lambda url: "?" in url)
    # The rule's parameters are in the URL, so the office can bookmark and document the comparison.
    assert "2" in page.url.split("?", 1)[1]
    assert "50" in page.url.split("?", 1)[1]
    expect(page.get_by_label("Abzug für Nähe (Punkte)")).to_have_value("2")
    expect(page.locator("main")).to_contain_text("Preis der Verteilung")


def test_auditor_reads_the_audit_trail_and_can_change_nothing(page, live_server, funding_demo, sign_in):
    sign_in("pruefung", DEMO_PASSWORD)
    page.goto(live_server.url + "/foerderung/protokoll/")
    expect(page.locator("main table")).to_be_visible()
    assert page.locator("main tbody tr").count() > 10
    for url in ("/foerderung/", f"/foerderung/foerderungen/{Voucher.objects.first().grant_id}/"):
        page.goto(live_server.url + url)
        assert page.locator("main form[method=post]").count() == 0, url
