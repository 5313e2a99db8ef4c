"""Browser: the applicant's path (form, completeness check, submit, receipt) and a reviewer scoring."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from begegnungsatlas.funding import demo
from begegnungsatlas.funding.models import Application
from begegnungsatlas.funding.services.applications import (
    application_create,
    application_screen,
    application_transition,
    application_update,
)
from begegnungsatlas.funding.services.reviews import reviewer_assign
from begegnungsatlas.funding.workflow import State
from begegnungsatlas.places.models import TargetGroup

pytestmark = pytest.mark.browser
PASSWORD = "pw-Test-12345"




@pytest.fixture
def vocab(regions):
    """Transactional tests flush the vocabularies seeded by migration; make sure the ones used here exist."""
    for slug, name in (("familien", "Familien"), ("senioren", "Seniorinnen und Senioren")):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name_de": name, "name_en": name})



def test_applicant_fills_form_sees_missing_item_submits_and_gets_receipt(page, live_server, vocab, make_user, sign_in):
    office = make_user("planner", username="office")
    call = demo.create_open_call(office)
    make_user("kommune_editor", kommune_code="053580024024", username="juelich", email="juelich@example.org")
    sign_in("juelich", PASSWORD)
    page.goto(live_server.url + f"/foerderung/aufrufe/{call.pk}/")
    page.get_by_role("button", name="Bewerbung beginnen").click()
    page.get_by_label("Name des Ortes der Begegnung").fill("Begegnungsort Jülich-Nord")
    page.get_by_label("Lage und Adresse").fill("Marktplatz 1, 52428 Jülich")
    page.get_by_label("Konzept").fill("Ein Treffpunkt für Familien, Ältere und Neuzugewanderte mit Sprachcafé "
                                      "und offenen Räumen für Vereine.")
    page.get_by_label("Familien").check()
    page.get_by_label("Name 1").fill("Heimatverein Jülich")
    page.get_by_label("Art 1").select_option("verein")
    page.get_by_label("Beteiligung 1").select_option("current")
    page.get_by_label("Name 2").fill("Pfarrei St. Mariä")
    page.get_by_label("Art 2").select_option("kirche")
    page.get_by_label("Beteiligung 2").select_option("targeted")
    page.get_by_label("Personaleinsatz (Stunden pro Woche)").fill("8")
    page.get_by_label("Zahl der ehrenamtlich Engagierten").fill("10")
    page.get_by_label("E-Mail der Ansprechperson").fill("kontakt@example.org")
    page.get_by_role("button", name="Speichern und zum Einreichen").click()
    missing = page.locator("#missing")
    expect(missing).to_contain_text("feste Ansprechperson")
    page.get_by_role("button", name="Einreichen").click()
    expect(page.locator(".message.error")).to_contain_text("Es fehlt: feste Ansprechperson")
    page.get_by_role("link", name="Bewerbung bearbeiten").click()
    page.get_by_label("Feste Ansprechperson").fill("Frau Beispiel")
    page.get_by_role("button", name="Speichern und zum Einreichen").click()
    expect(page.locator("#complete")).to_be_visible()
    page.get_by_role("button", name="Einreichen").click()
    expect(page.locator("#state")).to_have_text("eingereicht")
    expect(page.get_by_role("link", name="Fassung 1")).to_be_visible()
    application = Application.objects.get(kommune__code="053580024024")
    assert application.state == State.SUBMITTED
    receipt = [m for m in mail.outbox if "Eingangsbestätigung" in m.subject]
    assert receipt
    assert receipt[0].attachments[0][1].startswith(b"%PDF-")


def test_reviewer_scores_an_application(page, live_server, vocab, make_user, sign_in):
    office = make_user("planner", username="office")
    make_user("reviewer", username="gutachterin")
    applicant = make_user("kommune_editor", kommune_code="053580008008", username="dueren", email="d@example.org")
    call = demo.create_open_call(office)
    application = application_create(actor=applicant, call=call)
    application_update(actor=applicant, application=application, data={
        "title": "Begegnungscafé", "place_mode": "new", "location": "Markt 2", "concept": "Konzept " * 10,
        "staff_hours_per_week": 4, "volunteers": 5, "contact_name": "Herr B", "contact_email": "b@example.org"},
        target_groups=list(TargetGroup.objects.filter(slug="senioren")),
        actors=[{"name": "AWO", "kind": "wohlfahrtsverband", "status": "current"},
                {"name": "TV", "kind": "verein", "status": "targeted"}])
    application_transition(actor=applicant, application=application, to=State.SUBMITTED)
    application_transition(actor=office, application=application, to=State.SCREENING)
    application_screen(actor=office, application=application, complete=True, eligible=True)
    application_transition(actor=office, application=application, to=State.IN_REVIEW)
    from begegnungsatlas.core.models import User

    assignment = reviewer_assign(actor=office, application=application,
                                 reviewer=User.objects.get(username="gutachterin"))
    sign_in("gutachterin", PASSWORD)
    page.goto(live_server.url + "/foerderung/")
    page.get_by_role("link", name="Begegnungscafé").click()
    for i, criterion in enumerate(call.criteria.all()):
        page.get_by_label(f"Punkte für {criterion.name}").select_option(str(3 + i % 2))
        page.get_by_label(f"Begründung für {criterion.name}").fill("nachvollziehbar begründet")
    page.get_by_role("button", name="Bewertung abgeben").click()
    # Submitting is final: a confirmation step (a page, no JavaScript dialog) comes first.
    expect(page.locator("#confirm-text")).to_contain_text("nicht mehr geändert")
    page.get_by_role("button", name="Bewertung endgültig abgeben").click()
    expect(page.locator("#submitted")).to_contain_text("Gewichtete Gesamtnote: 3,50")
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.scores.count() == 6
