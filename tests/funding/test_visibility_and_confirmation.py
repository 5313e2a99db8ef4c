"""Issue 8 point 10: who sees reviewers, the call's region, the request for information by mail, the selection
page with unscored applications, ISO dates in date inputs, confirmation before irreversible steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.funding import selectors
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.forms import ContractForm, PayForm, VoucherForm
from begegnungsatlas.funding.models import Application, Call, Decision, Voucher
from begegnungsatlas.funding.permissions import can_see_history_event
from begegnungsatlas.funding.services.applications import application_create, application_transition
from begegnungsatlas.funding.services.calls import call_create
from begegnungsatlas.funding.services.reviews import conflict_declare, reviewer_assign
from begegnungsatlas.funding.services.selection import selection_decide
from begegnungsatlas.funding.workflow import State

from .conftest import fill
from .test_grants import make_grant
from .test_reviews_selection import in_review, score_all
from .test_views_funding import login

CALL_DATA = {"title": "Ohne Vorlage", "text": "Text", "eligibility": "Kommunen", "opens_at": "2026-01-01T00:00",
             "deadline": "2026-03-01T23:59:59", "number_of_grants": "2"}


# --- reviewers' names and conflict reasons --------------------------------------------------------------------

@pytest.fixture
def reviewed_twice(open_call, applicant, office, reviewer, reviewer2, make_user):
    reviewer.first_name, reviewer.last_name = "Renate", "Gutachterin"
    reviewer.save()
    third = make_user("reviewer", username="rev3-befangen")
    application = in_review(open_call, applicant, office)
    score_all(reviewer, reviewer_assign(actor=office, application=application, reviewer=reviewer), 4)
    score_all(reviewer2, reviewer_assign(actor=office, application=application, reviewer=reviewer2), 3)
    conflict_declare(actor=third, assignment=reviewer_assign(actor=office, application=application, reviewer=third),
                     note="Vorsitz im Trägerverein")
    return application


def test_applicant_sees_no_reviewer_names_or_conflict_reasons(client, reviewed_twice, applicant):
    login(client, applicant)
    text = client.get(reverse("funding:application", args=[reviewed_twice.pk])).content.decode()
    for secret in ("rev1", "rev2", "rev3-befangen", "Renate", "Vorsitz im Trägerverein"):
        assert secret not in text, secret
    # The history still shows the applicant's own and the office's steps.
    assert "funding.application.transition" in text
    history = selectors.application_history(applicant, reviewed_twice)
    assert history
    assert not any(e.action.startswith("funding.review.") for e in history)


def test_other_reviewer_sees_scores_but_not_names(client, reviewed_twice, reviewer2):
    login(client, reviewer2)
    text = client.get(reverse("funding:application", args=[reviewed_twice.pk])).content.decode()
    assert "Gutachten 1" in text
    for secret in ("rev1", "Renate", "rev3-befangen", "Vorsitz im Trägerverein"):
        assert secret not in text, secret
    labels = [r.label for r in selectors.visible_reviews(reviewer2, reviewed_twice)]
    assert labels == ["Gutachten 1", "rev2"]
    own = reviewed_twice.assignments.get(reviewer=reviewer2)
    page = client.get(reverse("funding:review", args=[own.pk])).content.decode()
    assert "Gutachten 1" in page
    assert "Renate" not in page


def test_office_and_auditor_see_names_and_conflict_reasons(client, reviewed_twice, office, auditor):
    for user in (office, auditor):
        login(client, user)
        text = client.get(reverse("funding:application", args=[reviewed_twice.pk])).content.decode()
        assert "Renate Gutachterin" in text
        assert "Vorsitz im Trägerverein" in text
        assert any(e.action == "funding.review.conflict"
                   for e in selectors.application_history(user, reviewed_twice))


def test_history_rule_lets_a_reviewer_see_only_own_review_entries(reviewed_twice, reviewer, reviewer2):
    events = selectors.audit_for(reviewed_twice)
    review_events = [e for e in events if e.action.startswith("funding.review.")]
    mine = [e for e in review_events if can_see_history_event(reviewer, e)]
    assert mine
    assert all(e.actor_id == reviewer.pk for e in mine)
    assert not can_see_history_event(reviewer2, mine[0])


# --- a call created without a template has its region ---------------------------------------------------------

def test_call_without_template_gets_the_region_from_the_form(client, office):
    dueren = Region.objects.get(slug="kreis-dueren")
    login(client, office)
    page = client.get(reverse("funding:call_create")).content.decode()
    assert 'name="region"' in page
    response = client.post(reverse("funding:call_create"), CALL_DATA | {"start_empty": "on", "region": dueren.pk})
    assert response.status_code == 302
    assert Call.objects.get(title="Ohne Vorlage").region == dueren


def test_call_without_template_and_region_is_refused(client, office):
    login(client, office)
    page = client.post(reverse("funding:call_create"), CALL_DATA | {"start_empty": "on"})
    assert page.status_code == 200
    assert not Call.objects.filter(title="Ohne Vorlage").exists()
    with pytest.raises(FundingError, match="Gebiet"):
        call_create(actor=office, data={k: v for k, v in CALL_DATA.items() if k not in ("opens_at", "deadline")}
                    | {"opens_at": timezone.now(), "deadline": timezone.now() + timedelta(days=3)})


def test_default_region_comes_from_the_setting(office):
    with override_settings(BEGEGNUNGSATLAS_REGION="kreis-dueren"):
        assert selectors.default_call_region().slug == "kreis-dueren"
        call = call_create(actor=office, data={"title": "X", "text": "", "eligibility": "", "number_of_grants": 1,
                                               "opens_at": timezone.now(),
                                               "deadline": timezone.now() + timedelta(days=3)})
    assert call.region.slug == "kreis-dueren"
    planning = Region.objects.filter(is_reference=False)
    with override_settings(BEGEGNUNGSATLAS_REGION=""):
        expected = planning.get() if planning.count() == 1 else None
        assert selectors.default_call_region() == expected


def test_reference_region_is_refused(office):
    reference = Region.objects.create(slug="nrw-vergleich", name="NRW (Vergleich)", is_reference=True)
    with pytest.raises(FundingError, match="Vergleichsregion"):
        call_create(actor=office, region=reference,
                    data={"title": "X", "text": "", "eligibility": "", "number_of_grants": 1,
                          "opens_at": timezone.now(), "deadline": timezone.now() + timedelta(days=3)})


# --- "Informationen nachfordern" e-mails the applicant -------------------------------------------------------

@pytest.mark.parametrize("from_state", [State.SCREENING, State.IN_REVIEW])
def test_request_for_information_mails_the_applicant(open_call, applicant, office, from_state):
    application = in_review(open_call, applicant, office) if from_state == State.IN_REVIEW else None
    if application is None:
        application = fill(applicant, application_create(actor=applicant, call=open_call))
        application_transition(actor=applicant, application=application, to=State.SUBMITTED)
        application_transition(actor=office, application=application, to=State.SCREENING)
    mail.outbox.clear()
    application_transition(actor=office, application=application, to=State.MORE_INFO,
                           note="Bitte den Mietvertrag des Raumes nachreichen.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["dueren@example.org", "mueller@example.org"]
    assert application.reference in message.subject
    assert "Nachforderung" in message.subject
    assert "Bitte den Mietvertrag des Raumes nachreichen." in message.body
    assert reverse("funding:application", args=[application.pk]) in message.body


# --- the selection page: unscored applications, kept input, explicit confirmation ------------------------------

@pytest.fixture
def scored_and_unscored(open_call, applicant, applicant_juelich, office, reviewer):
    scored = in_review(open_call, applicant, office)
    score_all(reviewer, reviewer_assign(actor=office, application=scored, reviewer=reviewer), 4)
    unscored = in_review(open_call, applicant_juelich, office)
    reviewer_assign(actor=office, application=unscored, reviewer=reviewer)
    return scored, unscored


def test_selection_page_lists_unscored_and_keeps_input_after_an_error(client, open_call, office,
                                                                    scored_and_unscored):
    scored, unscored = scored_and_unscored
    url = reverse("funding:selection", args=[open_call.pk])
    login(client, office)
    page = client.get(url).content.decode()
    assert f'name="reason-{unscored.pk}"' in page
    assert f'id="def-{unscored.pk}" name="deferred" value="{unscored.pk}" checked' in page
    # An error (no confirmation) shows the page again with everything typed and ticked.
    page = client.post(url, {"selected": [scored.pk], "reason-" + str(scored.pk): "Gute Note, klarer Bedarf",
                             "deferred": [unscored.pk]}).content.decode()
    assert "Bitte bestätigen" in page
    assert "Gute Note, klarer Bedarf</textarea>" in page
    assert f'value="{scored.pk}" checked' in page
    assert Application.objects.get(pk=scored.pk).state == State.IN_REVIEW
    # Missing reason: again kept, nothing decided.
    page = client.post(url, {"selected": [scored.pk], "reason-" + str(unscored.pk): "Konzept zu vage",
                             "confirm": "1"}).content.decode()
    assert "Bitte begründen" in page
    assert "Konzept zu vage</textarea>" in page
    assert 'id="confirm" name="confirm" value="1" checked' in page
    # Decide the scored one, the unscored one stays in review for a later round.
    response = client.post(url, {"selected": [scored.pk], "reason-" + str(scored.pk): "Gute Note",
                                 "deferred": [unscored.pk], "confirm": "1"})
    assert response.status_code == 302
    assert Application.objects.get(pk=scored.pk).decision == Decision.SELECTED
    assert Application.objects.get(pk=unscored.pk).state == State.IN_REVIEW
    # Next round: the page is not stuck – the unscored application can be rejected with a reason.
    page = client.get(url).content.decode()
    assert f'name="reason-{unscored.pk}"' in page
    response = client.post(url, {"reason-" + str(unscored.pk): "Keine Begutachtung möglich", "confirm": "1"})
    assert response.status_code == 302
    assert Application.objects.get(pk=unscored.pk).decision == Decision.REJECTED


def test_unscored_application_cannot_be_selected(open_call, office, scored_and_unscored):
    scored, unscored = scored_and_unscored
    with pytest.raises(FundingError, match="Noch nicht begutachtet"):
        selection_decide(actor=office, call=open_call, selected=[unscored.pk],
                         reasons={scored.pk: "a", unscored.pk: "b"})
    with pytest.raises(FundingError, match="zugleich"):
        selection_decide(actor=office, call=open_call, selected=[scored.pk], deferred=[scored.pk],
                         reasons={scored.pk: "a"})


# --- date inputs keep their values ------------------------------------------------------------------------------

def _form_classes():
    import begegnungsatlas.funding.forms as funding_forms

    modules = [funding_forms]
    for name in ("begegnungsatlas.places.forms", "begegnungsatlas.atlas.forms", "begegnungsatlas.core.forms"):
        try:
            modules.append(__import__(name, fromlist=["*"]))
        except ModuleNotFoundError:
            continue
    return [obj for m in modules for obj in vars(m).values()
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and obj.__module__ == m.__name__]


def test_every_date_input_renders_iso():
    checked = 0
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if getattr(widget, "input_type", "") == "date":
                checked += 1
                with translation.override("de"):
                    html = widget.render(name, date(2025, 1, 10))
                assert 'value="2025-01-10"' in html, (form_class.__name__, name, html)
    assert checked >= 4


def test_grant_page_date_inputs_show_iso_values(client, open_call, applicant, office, reviewer):
    grant = make_grant(open_call, applicant, office, reviewer)
    login(client, office)
    text = client.get(reverse("funding:grant", args=[grant.pk])).content.decode()
    iso = timezone.localdate().isoformat()
    assert f'type="date" name="date" value="{iso}"' in text
    assert f'type="date" name="starts_on" value="{grant.contract.starts_on.isoformat()}"' in text
    for form in (PayForm(data={"payee": "x", "paid_on": "2025-01-10"}),
                 ContractForm(data={"subject": "x", "starts_on": "2025-01-10", "ends_on": "10.02.2025",
                                    "signature_status": "draft"}),
                 VoucherForm(grant=grant, data={"date": "2025-01-10"})):
        form.is_valid()
        assert "date" not in form.errors
        assert "paid_on" not in form.errors
        assert "ends_on" not in form.errors


# --- confirmation before irreversible steps --------------------------------------------------------------------

def test_withdrawing_needs_an_explicit_confirmation(client, draft, applicant):
    url = reverse("funding:application_transition", args=[draft.pk])
    login(client, applicant)
    page = client.post(url, {"to": State.WITHDRAWN})
    assert page.status_code == 200
    text = page.content.decode()
    assert "kann nicht rückgängig gemacht werden" in text
    assert 'name="to" value="withdrawn"' in text
    assert 'name="confirm" value="1"' in text
    assert "confirm(" not in text
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    client.post(url, {"to": State.WITHDRAWN, "confirm": "1"})
    draft.refresh_from_db()
    assert draft.state == State.WITHDRAWN


def test_submitting_a_draft_needs_no_confirmation_step(client, draft, applicant):
    client = login(client, applicant)
    client.post(reverse("funding:application_transition", args=[draft.pk]), {"to": State.SUBMITTED})
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_conflict_and_final_review_and_approval_need_confirmation(client, open_call, applicant, office, office2,
                                                                  reviewer, reviewer2):
    application = in_review(open_call, applicant, office)
    a1 = reviewer_assign(actor=office, application=application, reviewer=reviewer)
    a2 = reviewer_assign(actor=office, application=application, reviewer=reviewer2)
    login(client, reviewer2)
    page = client.post(reverse("funding:conflict", args=[a2.pk]), {"note": "Nachbar"}).content.decode()
    assert "Ja, ich bin befangen" in page
    assert 'value="Nachbar"' in page
    a2.refresh_from_db()
    assert not a2.conflict_declared
    login(client, reviewer)
    criteria = list(open_call.criteria.all())
    data = ({f"points-{c.pk}": "4" for c in criteria} | {f"reason-{c.pk}": "gut" for c in criteria}
            | {"submit": "1"})
    page = client.post(reverse("funding:review", args=[a1.pk]), data).content.decode()
    assert "Bewertung endgültig abgeben" in page
    a1.refresh_from_db()
    assert a1.submitted_at is None
    client.post(reverse("funding:review", args=[a1.pk]), data | {"confirm": "1"})
    a1.refresh_from_db()
    assert a1.submitted_at is not None


def test_invoice_approval_needs_confirmation(client, open_call, applicant, office, office2, reviewer):
    from .test_grants import upload

    grant = make_grant(open_call, applicant, office, reviewer)
    invoice = upload(applicant, grant, amount=1000)
    from begegnungsatlas.funding.services.grants import voucher_check

    voucher_check(actor=office, voucher=invoice)
    login(client, office2)
    url = reverse("funding:voucher_action", args=[invoice.pk, "approve"])
    assert "Ja, freigeben und buchen" in client.post(url).content.decode()
    assert Voucher.objects.get(pk=invoice.pk).status == "checked"
    client.post(url, {"confirm": "1"})
    assert Voucher.objects.get(pk=invoice.pk).status == "approved"


def test_refused_upload_shows_the_form_again_with_typed_values_and_iso_date(client, open_call, applicant, office,
                                                                          reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    grant = make_grant(open_call, applicant, office, reviewer)
    login(client, applicant)
    page = client.post(reverse("funding:voucher_upload", args=[grant.pk]), {
        "kind": "invoice", "line": grant.lines.get(name="Sachmittel").pk,
        "cost_type": open_call.cost_types.get(name="Ausstattung").pk, "supplier": "Möbelhaus Rur",
        "amount": "250,00", "date": "10.01.2025", "description": "Stühle",
        "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert page.status_code == 200
    text = page.content.decode()
    assert "nicht förderfähig" in text
    assert 'value="Möbelhaus Rur"' in text
    assert 'type="date" name="date" value="2025-01-10"' in text
    assert Voucher.objects.count() == 0
