"""Grants, vouchers, four-eyes, payments, contract, audit (issue points 5, 6, 7, 10)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.funding import demo, letters
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.models import Booking, BudgetLine, Voucher, VoucherStatus
from begegnungsatlas.funding.services.applications import application_transition
from begegnungsatlas.funding.services.grants import (
    contract_update,
    voucher_approve,
    voucher_check,
    voucher_pay,
    voucher_upload,
)
from begegnungsatlas.funding.services.selection import selection_decide
from begegnungsatlas.funding.workflow import State

from .test_reviews_selection import in_review, score_all

PDF = b"%PDF-1.4\n%%EOF\n"


def make_grant(call, applicant, office, reviewer):
    from begegnungsatlas.funding.services.reviews import reviewer_assign

    app = in_review(call, applicant, office)
    score_all(reviewer, reviewer_assign(actor=office, application=app, reviewer=reviewer), 4)
    selection_decide(actor=office, call=call, selected=[app.pk], reasons={app.pk: "gut"})
    return application_transition(actor=office, application=app, to=State.GRANTED).grant


@pytest.fixture
def grant(open_call, applicant, office, reviewer):
    return make_grant(open_call, applicant, office, reviewer)


def line(grant, name):
    return grant.lines.get(name=name)


def cost(grant, name):
    return grant.application.call.cost_types.get(name=name)


def upload(actor, grant, *, kind="invoice", amount=100000, line_name="Beratungsleistungen",
           cost_name="Allgemeine Beratungsleistungen", supplier="Beratung GmbH", content=PDF):
    return voucher_upload(actor=actor, grant=grant, line=line(grant, line_name), kind=kind, supplier=supplier,
                          amount_cents=amount, cost_type=cost(grant, cost_name), date_=date(2025, 1, 10),
                          upload=SimpleUploadedFile("beleg.pdf", content))


def test_invoice_path_check_four_eyes_approve_pay(grant, applicant, office, office2):
    invoice = upload(applicant, grant, amount=120050)
    voucher_check(actor=office, voucher=invoice)
    with pytest.raises(FundingError, match="Vier-Augen"):
        voucher_approve(actor=office, voucher=invoice)
    with pytest.raises(PermissionDenied):
        voucher_approve(actor=applicant, voucher=invoice)
    voucher_approve(actor=office2, voucher=invoice)
    assert line(grant, "Beratungsleistungen").remaining_cents == 350000 - 120050
    with pytest.raises(FundingError, match="bereits freigegeben"):
        voucher_approve(actor=office2, voucher=invoice)
    with pytest.raises(FundingError, match="Kommune"):
        voucher_pay(actor=office2, voucher=invoice, payee="Stadt Düren", paid_on=date(2025, 2, 1))
    with pytest.raises(FundingError, match="nur an den Auftragnehmer"):
        voucher_pay(actor=office2, voucher=invoice, payee="Irgendwer", paid_on=date(2025, 2, 1))
    voucher_pay(actor=office2, voucher=invoice, payee="Beratung GmbH", paid_on=date(2025, 2, 1), reference="X1")
    assert [b.kind for b in Booking.objects.filter(voucher=invoice)] == ["approval", "payment"]
    assert AuditEvent.objects.filter(action="funding.booking.approval", actor=office2).exists()
    assert AuditEvent.objects.filter(action="funding.booking.payment").exists()
    booking = Booking.objects.first()
    with pytest.raises(PermissionError):
        booking.save()
    with pytest.raises(PermissionError):
        Booking.objects.all().delete()


@pytest.mark.parametrize("kind", ["quote", "invoice"])
def test_ineligible_cost_type_is_refused_at_upload(grant, applicant, kind):
    with pytest.raises(FundingError, match="„Ausstattung“ ist nach dem Aufruf nicht förderfähig"):
        upload(applicant, grant, kind=kind, line_name="Sachmittel", cost_name="Ausstattung", amount=50000)
    with pytest.raises(FundingError, match="gehört zur Position „Beratungsleistungen“"):
        upload(applicant, grant, kind=kind, line_name="Sachmittel", cost_name="Allgemeine Beratungsleistungen",
               amount=1000)
    assert Voucher.objects.count() == 0
    assert grant.documents.count() == 0


def test_check_flags_a_voucher_whose_cost_type_became_ineligible(grant, applicant, office):
    invoice = upload(applicant, grant, line_name="Sachmittel", cost_name="Öffentlichkeitsarbeit", amount=5000)
    ct = cost(grant, "Öffentlichkeitsarbeit")
    ct.eligible, ct.budget_line = False, None
    ct.save()
    voucher_check(actor=office, voucher=invoice)
    invoice.refresh_from_db()
    assert invoice.status == VoucherStatus.INELIGIBLE
    assert "nicht förderfähig" in invoice.check_note


def test_bad_vouchers_are_refused_and_nothing_changes(grant, applicant):
    with pytest.raises(FundingError, match="übersteigt"):
        upload(applicant, grant, line_name="Sachmittel", cost_name="Öffentlichkeitsarbeit", amount=150001)
    with pytest.raises(FundingError, match="positiven Betrag"):
        upload(applicant, grant, amount=-5)
    with pytest.raises(FundingError, match="kein PDF"):
        upload(applicant, grant, content=b"GIF89a....")
    with pytest.raises(FundingError, match="Kommune"):
        upload(applicant, grant, supplier="Gemeinde Niederzier")
    assert Voucher.objects.count() == 0


def test_line_cannot_be_overdrawn_sequentially(grant, applicant, office, office2):
    a = upload(applicant, grant, amount=200000)
    b = upload(applicant, grant, amount=200000)
    for v in (a, b):
        voucher_check(actor=office, voucher=v)
    voucher_approve(actor=office2, voucher=a)
    with pytest.raises(FundingError, match="überzogen"):
        voucher_approve(actor=office2, voucher=b)
    assert line(grant, "Beratungsleistungen").approved_cents == 200000


def test_other_applicant_cannot_upload(grant, applicant_juelich):
    with pytest.raises(PermissionDenied):
        upload(applicant_juelich, grant)


def test_contract_pdf_and_update(grant, office, applicant):
    contract = grant.contract
    assert {p.name for p in contract.parties.all()} >= {"Kreis Düren", grant.application.kommune.name}
    pdf = letters.contract_pdf(contract)
    assert pdf.startswith(b"%PDF-")
    parties = [{"name": p.name, "kind": p.kind, "responsibilities": p.responsibilities, "tasks": "t",
                "duties": "d", "signed_on": None} for p in contract.parties.all()]
    with pytest.raises(FundingError, match="Unterschriftsdatum"):
        contract_update(actor=office, contract=contract, data={"signature_status": "signed"}, parties=parties)
    for p in parties:
        p["signed_on"] = date(2025, 1, 2)
    contract_update(actor=office, contract=contract, data={"signature_status": "signed"}, parties=parties)
    contract.refresh_from_db()
    assert contract.signature_status == "signed"
    with pytest.raises(PermissionDenied):
        contract_update(actor=applicant, contract=contract, data={})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_cannot_overdraw(regions, django_db_blocker):
    """Two people approve two invoices on one line at the same instant: exactly one wins."""
    from begegnungsatlas.core.models import User

    office = User.objects.create_user("c-office", role="planner")
    office2 = User.objects.create_user("c-office2", role="planner")
    office3 = User.objects.create_user("c-office3", role="planner")
    reviewer = User.objects.create_user("c-rev", role="reviewer")
    applicant = User.objects.create_user("c-app", role="kommune_editor", email="c@example.org")
    from begegnungsatlas.atlas.models import Area

    applicant.kommune = Area.objects.get(code="053580008008", level__is_municipality=True)
    applicant.save()
    call = demo.create_open_call(office)
    grant = make_grant(call, applicant, office, reviewer)
    a = upload(applicant, grant, amount=200000)
    b = upload(applicant, grant, amount=200000)
    for v in (a, b):
        voucher_check(actor=office, voucher=v)

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(name, actor, voucher):
        try:
            barrier.wait(timeout=10)
            voucher_approve(actor=actor, voucher=voucher)
            outcomes[name] = "ok"
        except FundingError as exc:
            outcomes[name] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=("a", office2, a)),
               threading.Thread(target=approve, args=("b", office3, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True], outcomes
    assert any("überzogen" in v for v in outcomes.values())
    fresh = BudgetLine.objects.get(grant=grant, name="Beratungsleistungen")
    assert fresh.approved_cents == 200000 <= fresh.amount_cents
    assert Booking.objects.filter(line=fresh, kind="approval").count() == 1
