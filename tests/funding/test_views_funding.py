"""The web layer: every page for its role, every denial (403 or login), bad input shown in German."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from begegnungsatlas.funding.models import Application, Voucher
from begegnungsatlas.funding.services.applications import application_attach, application_transition
from begegnungsatlas.funding.services.reviews import reviewer_assign
from begegnungsatlas.funding.workflow import State

from .test_grants import make_grant
from .test_reviews_selection import in_review

PDF = b"%PDF-1.4\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def test_public_index_and_call_page(client, open_call):
    response = client.get(reverse("funding:index"))
    assert response.status_code == 200
    assert open_call.title in response.content.decode()
    page = client.get(reverse("funding:call", args=[open_call.pk])).content.decode()
    assert "1.500,00 €" in page
    assert "Bauleistungen" in page
    assert "23:59:59 Uhr" in page


def test_anonymous_is_sent_to_login(client, draft):
    for name in ("funding:application", "funding:application_edit", "funding:application_pdf"):
        response = client.get(reverse(name, args=[draft.pk]))
        assert response.status_code == 302
        assert "/anmelden/" in response["Location"]
    assert client.get(reverse("funding:export", args=["applications", "csv"])).status_code == 302


def test_applicant_path_in_the_browser_layer(client, open_call, applicant):
    login(client, applicant)
    response = client.post(reverse("funding:apply", args=[open_call.pk]))
    application = Application.objects.get(kommune=applicant.kommune)
    assert response["Location"] == reverse("funding:application_edit", args=[application.pk])
    page = client.get(reverse("funding:application", args=[application.pk])).content.decode()
    assert "Name des Ortes der Begegnung" in page
    data = {"title": "Treff", "place_mode": "new", "location": "Markt 1", "concept": "x" * 60,
            "target_groups": [], "staff_hours_per_week": "5", "volunteers": "3", "own_funds_cents": "1,500.00",
            "contact_name": "A", "contact_email": "a@example.org", "actor-TOTAL_FORMS": "1", "actor-INITIAL_FORMS": "0",
            "actor-0-name": "Verein",
            "actor-0-kind": "verein", "actor-0-status": "current"}
    page = client.post(reverse("funding:application_edit", args=[application.pk]), data).content.decode()
    assert "mehrdeutig" in page
    assert "Es wurde nichts gespeichert" in page
    application.refresh_from_db()
    assert application.title == ""
    data["own_funds_cents"] = "1.500,00"
    saved = client.post(reverse("funding:application_edit", args=[application.pk]), data)
    assert saved["Location"] == reverse("funding:application_edit", args=[application.pk])  # "Entwurf speichern"
    then = client.post(reverse("funding:application_edit", args=[application.pk]), {**data, "then": "submit"})
    assert then["Location"] == reverse("funding:application", args=[application.pk]) + "#einreichen"
    application.refresh_from_db()
    assert application.title == "Treff"
    assert application.actors.get().name == "Verein"  # the actor row (a formset) was saved
    assert application.own_funds_cents == 150000
    response = client.post(reverse("funding:application_transition", args=[application.pk]), {"to": "submitted"},
                           follow=True)
    assert "mindestens eine Zielgruppe" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_other_applicant_gets_403_everywhere(client, draft, applicant, applicant_juelich):
    document = application_attach(actor=applicant, application=draft, upload=SimpleUploadedFile("k.pdf", PDF))
    login(client, applicant_juelich)
    for url in (reverse("funding:application", args=[draft.pk]), reverse("funding:application_edit", args=[draft.pk]),
                reverse("funding:application_pdf", args=[draft.pk]), reverse("funding:document", args=[document.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("funding:application_transition", args=[draft.pk]),
                       {"to": "submitted"}).status_code == 403
    login(client, applicant)
    response = client.get(reverse("funding:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_applicant_sees_only_own_applications(client, draft, applicant_juelich):
    login(client, applicant_juelich)
    page = client.get(reverse("funding:index")).content.decode()
    assert draft.reference not in page


def test_auditor_reads_everything_and_changes_nothing(client, draft, applicant, auditor, office):
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    login(client, auditor)
    assert client.get(reverse("funding:index")).status_code == 200
    assert client.get(reverse("funding:application", args=[draft.pk])).status_code == 200
    assert client.get(reverse("funding:audit")).status_code == 200
    for kind in ("applications", "scores", "bookings"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("funding:export", args=[kind, fmt]))
            assert response.status_code == 200
    csv = client.get(reverse("funding:export", args=["applications", "csv"])).content.decode("utf-8-sig")
    assert draft.reference in csv
    assert client.post(reverse("funding:application_transition", args=[draft.pk]),
                       {"to": "screening"}).status_code == 403
    assert client.post(reverse("funding:call_status", args=[draft.call_id]), {"status": "closed"}).status_code == 403
    assert client.get(reverse("funding:call_create")).status_code == 403
    assert Application.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_exports_denied_to_applicants_and_reviewers(client, applicant, reviewer):
    for user in (applicant, reviewer):
        login(client, user)
        assert client.get(reverse("funding:export", args=["bookings", "csv"])).status_code == 403
        assert client.get(reverse("funding:audit")).status_code == 403


def test_reviewer_page_and_denials(client, open_call, applicant, applicant_juelich, office, reviewer, reviewer2):
    app = in_review(open_call, applicant, office)
    other = in_review(open_call, applicant_juelich, office)
    assignment = reviewer_assign(actor=office, application=app, reviewer=reviewer)
    login(client, reviewer)
    assert client.get(reverse("funding:review", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("funding:application", args=[other.pk])).status_code == 403
    criteria = list(open_call.criteria.all())
    data = ({f"points-{c.pk}": "4" for c in criteria} | {f"reason-{c.pk}": "gut" for c in criteria}
            | {"submit": "1", "confirm": "1"})
    client.post(reverse("funding:review", args=[assignment.pk]), data)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.scores.count() == 6
    login(client, reviewer2)
    assert client.get(reverse("funding:review", args=[assignment.pk])).status_code == 403
    assert client.post(reverse("funding:selection", args=[open_call.pk])).status_code == 403


def test_planner_selection_page_shows_both_rankings(client, open_call, applicant, applicant_juelich, office, reviewer):
    for user, pts in ((applicant, 5), (applicant_juelich, 4)):
        app = in_review(open_call, user, office)
        a = reviewer_assign(actor=office, application=app, reviewer=reviewer)
        from .test_reviews_selection import score_all

        score_all(reviewer, a, pts)
    login(client, office)
    page = client.get(reverse("funding:selection", args=[open_call.pk]) + "?penalty=0,5&radius_km=20&one_per_kommune=on")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Reine Rangfolge" in text
    assert "Preis der Verteilung" in text


def test_grant_page_upload_with_wrong_decimal_and_fake_file(client, open_call, applicant, office, reviewer,
                                                           applicant_juelich):
    grant = make_grant(open_call, applicant, office, reviewer)
    url = reverse("funding:voucher_upload", args=[grant.pk])
    line = grant.lines.get(name="Sachmittel")
    ct = open_call.cost_types.get(name="Öffentlichkeitsarbeit")
    base = {"kind": "invoice", "line": line.pk, "cost_type": ct.pk, "supplier": "Druckerei", "date": "2025-01-10"}
    login(client, applicant)
    page = client.post(url, base | {"amount": "1,500.00", "file": SimpleUploadedFile("r.pdf", PDF)}, follow=True)
    assert "mehrdeutig" in page.content.decode()
    page = client.post(url, base | {"amount": "100,00", "file": SimpleUploadedFile("r.pdf", b"<html>")}, follow=True)
    assert "kein PDF, PNG oder JPEG" in page.content.decode()
    page = client.post(url, base | {"amount": "1.600,00", "file": SimpleUploadedFile("r.pdf", PDF)}, follow=True)
    assert "übersteigt" in page.content.decode()
    assert Voucher.objects.count() == 0
    client.post(url, base | {"amount": "100,00", "file": SimpleUploadedFile("r.pdf", PDF)})
    voucher = Voucher.objects.get()
    assert voucher.amount_cents == 10000
    assert client.get(reverse("funding:grant", args=[grant.pk])).status_code == 200
    assert client.post(reverse("funding:voucher_action", args=[voucher.pk, "check"])).status_code == 403
    login(client, applicant_juelich)
    assert client.get(reverse("funding:grant", args=[grant.pk])).status_code == 403
    assert client.get(reverse("funding:document", args=[voucher.document_id])).status_code == 403
    assert client.get(reverse("funding:contract_pdf", args=[grant.pk])).status_code == 403
    login(client, office)
    assert client.get(reverse("funding:contract_pdf", args=[grant.pk]))["Content-Type"] == "application/pdf"


def test_planner_dashboard_query_count(client, office, draft, django_assert_max_num_queries):
    login(client, office)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("funding:index")).status_code == 200


def test_planner_creates_call_from_template_and_extends_deadline(client, office, open_call):
    from begegnungsatlas.funding import demo

    demo.create_seed_call(office)
    login(client, office)
    data = {"title": "Dritte Runde", "text": "Text", "eligibility": "Kommunen", "opens_at": "2026-01-01T00:00",
            "deadline": "2026-03-01T23:59:59", "number_of_grants": "3", "scale_max": "5",
            "region": open_call.region_id}
    response = client.post(reverse("funding:call_create"), data)
    assert response.status_code == 302
    from begegnungsatlas.funding.models import Call

    call = Call.objects.get(title="Dritte Runde")
    assert call.criteria.count() == 6
    assert call.budget_lines.count() == 2
    from begegnungsatlas.atlas.models import Area

    juelich = Area.objects.get(code="053580024024", level__is_municipality=True)
    until = (open_call.deadline + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("funding:call_extension", args=[open_call.pk]),
                {"kommune": juelich.pk, "until": until, "reason": "Krankheit"})
    assert open_call.extensions.get().kommune == juelich


@pytest.mark.parametrize("state", [State.SUBMITTED])
def test_application_pdf_is_a_pdf(client, draft, applicant, state):
    application_transition(actor=applicant, application=draft, to=state)
    login(client, applicant)
    response = client.get(reverse("funding:revision_pdf", args=[draft.pk, 1]))
    assert response.content.startswith(b"%PDF-")
