"""Browser: the office decides on the selection page with one application still unscored; after an error
(no confirmation) everything typed and ticked is still there, and the unscored application does not block."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from begegnungsatlas.funding import demo
from begegnungsatlas.funding.models import Application, Decision
from begegnungsatlas.funding.services.applications import (
    application_create,
    application_screen,
    application_transition,
    application_update,
)
from begegnungsatlas.funding.services.reviews import review_save, reviewer_assign
from begegnungsatlas.funding.workflow import State
from begegnungsatlas.places.models import TargetGroup

pytestmark = pytest.mark.browser
PASSWORD = "pw-Test-12345"


def _in_review(call, applicant, office, title):
    application = application_create(actor=applicant, call=call)
    application_update(actor=applicant, application=application, data={
        "title": title, "place_mode": "new", "location": "Markt 2", "concept": "Konzept " * 10,
        "staff_hours_per_week": 4, "volunteers": 5, "contact_name": "Herr B", "contact_email": "b@example.org"},
        target_groups=list(TargetGroup.objects.filter(slug="senioren")),
        actors=[{"name": "AWO", "kind": "wohlfahrtsverband", "status": "current"},
                {"name": "TV", "kind": "verein", "status": "targeted"}])
    application_transition(actor=applicant, application=application, to=State.SUBMITTED)
    application_transition(actor=office, application=application, to=State.SCREENING)
    application_screen(actor=office, application=application, complete=True, eligible=True)
    return application_transition(actor=office, application=application, to=State.IN_REVIEW)


@pytest.fixture
def call_with_unscored(regions, make_user):
    TargetGroup.objects.get_or_create(slug="senioren", defaults={"name_de": "Senioren", "name_en": "Seniors"})
    office = make_user("planner", username="office")
    reviewer = make_user("reviewer", username="gutachterin")
    call = demo.create_open_call(office)
    scored = _in_review(call, make_user("kommune_editor", kommune_code="053580008008", email="d@example.org"),
                        office, "Begegnungscafé")
    unscored = _in_review(call, make_user("kommune_editor", kommune_code="053580024024", email="j@example.org"),
                          office, "Treffpunkt")
    assignment = reviewer_assign(actor=office, application=scored, reviewer=reviewer)
    review_save(actor=reviewer, assignment=assignment, submit=True,
                scores={c.pk: (4, "gut begründet") for c in call.criteria.all()})
    reviewer_assign(actor=office, application=unscored, reviewer=reviewer)
    return call, scored, unscored


def test_selection_keeps_input_after_an_error_and_is_not_stuck_on_unscored(page, live_server, call_with_unscored,
                                                                          sign_in):
    call, scored, unscored = call_with_unscored
    sign_in("office", PASSWORD)
    page.goto(live_server.url + f"/foerderung/aufrufe/{call.pk}/auswahl/")
    select = page.locator(f"#sel-{scored.pk}")
    expect(select).to_be_checked()  # the spread rule's choice is preselected
    expect(page.locator(f"#def-{unscored.pk}")).to_be_checked()  # unscored: deferred by default
    page.locator(f"#reason-{scored.pk}").fill("Höchste Note, klarer Bedarf im Quartier")
    page.locator(f"#reason-{unscored.pk}").fill("wird in der nächsten Runde entschieden")
    page.get_by_role("button", name="Entscheidung speichern und Bescheide versenden").click()
    # No confirmation ticked: a German error, nothing decided, everything typed and ticked is still there.
    expect(page.locator(".messages")).to_contain_text("Bitte bestätigen Sie")
    expect(page.locator(f"#reason-{scored.pk}")).to_have_value("Höchste Note, klarer Bedarf im Quartier")
    expect(page.locator(f"#reason-{unscored.pk}")).to_have_value("wird in der nächsten Runde entschieden")
    expect(page.locator(f"#sel-{scored.pk}")).to_be_checked()
    expect(page.locator(f"#def-{unscored.pk}")).to_be_checked()
    assert Application.objects.get(pk=scored.pk).decision == ""
    page.locator("#confirm").check()
    page.get_by_role("button", name="Entscheidung speichern und Bescheide versenden").click()
    page.wait_for_url(lambda url: "/auswahl/" not in url)
    assert Application.objects.get(pk=scored.pk).decision == Decision.SELECTED
    assert Application.objects.get(pk=unscored.pk).state == State.IN_REVIEW
