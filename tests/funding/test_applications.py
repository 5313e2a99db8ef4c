"""Calls, applications and the workflow service (issue points 1, 2, 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.funding import demo
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.models import Application
from begegnungsatlas.funding.rules import missing_items
from begegnungsatlas.funding.services.applications import (
    application_attach,
    application_create,
    application_screen,
    application_transition,
    application_update,
)
from begegnungsatlas.funding.services.calls import call_extension_grant
from begegnungsatlas.funding.workflow import State

from .conftest import fill

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_seed_call_has_the_published_rules(office):
    call = demo.create_seed_call(office)
    assert call.number_of_grants == 2
    assert [(b.name, b.amount_cents) for b in call.budget_lines.all()] == [("Sachmittel", 150000),
                                                                            ("Beratungsleistungen", 350000)]
    assert sorted(c.name for c in call.cost_types.filter(eligible=False)) == ["Ausstattung", "Bauleistungen",
                                                                               "Einrichtung"]
    assert call.criteria.count() == 6
    deadline = call.deadline.astimezone(demo.BERLIN)
    assert (deadline.year, deadline.month, deadline.day, deadline.hour, deadline.minute) == (2024, 3, 1, 23, 59)
    assert call.status == "closed"


def test_completeness_check_names_each_missing_item(open_call, applicant):
    application = application_create(actor=applicant, call=open_call)
    missing = missing_items(application)
    assert "Name des Ortes der Begegnung" in missing
    assert "feste Ansprechperson" in missing
    with pytest.raises(FundingError, match="Es fehlt: Name des Ortes der Begegnung"):
        application_transition(actor=applicant, application=application, to=State.SUBMITTED)
    fill(applicant, application, contact_name="")
    with pytest.raises(FundingError, match="Es fehlt: feste Ansprechperson"):
        application_transition(actor=applicant, application=application, to=State.SUBMITTED)
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_submit_freezes_sends_receipt_with_pdf_and_audits(draft, applicant):
    mail.outbox.clear()
    application = application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    assert application.state == State.SUBMITTED
    assert application.revisions.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Eingangsbestätigung" in message.subject
    assert "mueller@example.org" in message.to
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    assert name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="funding.application.transition", object_id=str(draft.pk),
                                     changes__state=["draft", "submitted"]).exists()
    with pytest.raises(PermissionDenied, match="eingefroren"):
        application_update(actor=applicant, application=application, data={"title": "Neu"})


def test_double_submission_is_refused_and_changes_nothing(draft, applicant):
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    mail.outbox.clear()
    with pytest.raises(FundingError, match="bereits eingereicht"):
        application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    assert draft.revisions.count() == 1
    assert mail.outbox == []


def test_deadline_edge_one_second(draft, applicant):
    deadline = draft.call.deadline
    with pytest.raises(FundingError, match="Bewerbungsfrist ist am .* abgelaufen"):
        application_transition(actor=applicant, application=draft, to=State.SUBMITTED,
                               now=deadline + timedelta(seconds=1))
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED, now=deadline - timedelta(seconds=1))
    assert Application.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_deadline_message_shows_local_time(draft, applicant):
    with pytest.raises(FundingError) as exc:
        application_transition(actor=applicant, application=draft, to=State.SUBMITTED,
                               now=draft.call.deadline + timedelta(seconds=1))
    assert "23:59:59 Uhr" in str(exc.value)


def test_documented_extension_for_one_applicant(draft, applicant, applicant_juelich, office):
    late = draft.call.deadline + timedelta(hours=5)
    other = fill(applicant_juelich, application_create(actor=applicant_juelich, call=draft.call))
    with pytest.raises(FundingError, match="begründet"):
        call_extension_grant(actor=office, call=draft.call, kommune=draft.kommune,
                             until=draft.call.deadline + timedelta(days=1), reason=" ")
    call_extension_grant(actor=office, call=draft.call, kommune=draft.kommune,
                         until=draft.call.deadline + timedelta(days=1), reason="Ratssitzung verschoben")
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED, now=late)
    with pytest.raises(FundingError, match="abgelaufen"):
        application_transition(actor=applicant_juelich, application=other, to=State.SUBMITTED, now=late)
    assert AuditEvent.objects.filter(action="funding.call.extension", note="Ratssitzung verschoben").exists()


def test_withdrawal_only_before_deadline(draft, applicant):
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    with pytest.raises(FundingError, match="abgelaufen"):
        application_transition(actor=applicant, application=draft, to=State.WITHDRAWN,
                               now=draft.call.deadline + timedelta(seconds=1))
    application_transition(actor=applicant, application=draft, to=State.WITHDRAWN)
    assert Application.objects.get(pk=draft.pk).state == State.WITHDRAWN


def test_more_information_makes_a_new_revision_and_keeps_the_old(draft, applicant, office):
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    application_transition(actor=office, application=draft, to=State.SCREENING)
    with pytest.raises(FundingError, match="Begründung"):
        application_transition(actor=office, application=draft, to=State.MORE_INFO)
    application_transition(actor=office, application=draft, to=State.MORE_INFO, note="Bitte Vereine nennen")
    application_update(actor=applicant, application=draft, data={"title": "Begegnungscafé Nord, ergänzt"})
    # after the deadline: requested information may still be submitted
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED,
                           now=draft.call.deadline + timedelta(days=3))
    revisions = list(draft.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].data["title"] == "Begegnungscafé Nord"
    assert revisions[1].data["title"] == "Begegnungscafé Nord, ergänzt"
    with pytest.raises(PermissionError):
        revisions[0].save()


def test_roles_per_transition_are_enforced(draft, applicant, applicant_juelich, office, reviewer, auditor):
    with pytest.raises(PermissionDenied):
        application_transition(actor=applicant_juelich, application=draft, to=State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        application_transition(actor=office, application=draft, to=State.SUBMITTED)
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    for actor in (applicant, reviewer, auditor):
        with pytest.raises(PermissionDenied):
            application_transition(actor=actor, application=draft, to=State.SCREENING)
    with pytest.raises(FundingError, match="kein Übergang"):
        application_transition(actor=office, application=draft, to=State.GRANTED)


def test_screening_gates_review_and_ineligible_rejection(draft, applicant, office):
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    application_transition(actor=office, application=draft, to=State.SCREENING)
    with pytest.raises(FundingError, match="Vorprüfung"):
        application_transition(actor=office, application=draft, to=State.IN_REVIEW)
    with pytest.raises(FundingError, match="begründen"):
        application_screen(actor=office, application=draft, complete=True, eligible=False)
    application_screen(actor=office, application=draft, complete=True, eligible=False, note="nur Ausstattung")
    mail.outbox.clear()
    application = application_transition(actor=office, application=draft, to=State.DECIDED, note="nur Ausstattung")
    assert application.decision == "ineligible"
    assert len(mail.outbox) == 1


def test_attachments_are_checked_by_content(draft, applicant):
    fake = SimpleUploadedFile("konzept.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(FundingError, match="kein PDF, PNG oder JPEG"):
        application_attach(actor=applicant, application=draft, upload=fake)
    png_named_pdf = SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="application/pdf")
    with pytest.raises(FundingError, match="nicht das, was ihr Name angibt"):
        application_attach(actor=applicant, application=draft, upload=png_named_pdf)
    assert draft.attachments.count() == 0
    document = application_attach(actor=applicant, application=draft,
                                  upload=SimpleUploadedFile("konzept.pdf", PDF), title="Konzept")
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("funding/")
    assert "konzept" not in document.file.name


def test_upload_size_limit(draft, applicant, settings):
    settings.BEGEGNUNGSATLAS_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(FundingError, match="zu groß"):
        application_attach(actor=applicant, application=draft, upload=SimpleUploadedFile("a.pdf", PDF + b"0" * 200))


def test_operator_applies_on_behalf_of_a_kommune(open_call, make_user):
    from begegnungsatlas.places.models import Organisation

    org = Organisation.objects.create(name="Caritas Beispiel", kind="wohlfahrtsverband")
    operator = make_user("operator", organisation=org, username="caritas")
    from begegnungsatlas.atlas.models import Area

    juelich = Area.objects.get(code="053580024024", level__is_municipality=True)
    with pytest.raises(FundingError, match="Kommune"):
        application_create(actor=operator, call=open_call)
    application = application_create(actor=operator, call=open_call, kommune=juelich)
    assert application.partner == org
    assert application.kommune == juelich
    fill(operator, application)
    application_transition(actor=operator, application=application, to=State.SUBMITTED)
