"""Grants: budget lines, quotes and invoices, the four-eyes approval, payments, the cooperation contract.

Money is integer cents. Approving an invoice locks its budget line (``select_for_update``) inside the
transaction, so two approvals at the same moment cannot overdraw it; a check constraint on the line is the
second safety net.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core import installation
from begegnungsatlas.core.permissions import require_user, signed_in
from begegnungsatlas.core.services import audit_record, diff_fields
from begegnungsatlas.places.models import Organisation, OrganisationKind

from ..errors import FundingError
from ..models import (
    ActorStatus,
    Application,
    Booking,
    BookingKind,
    BudgetLine,
    Contract,
    ContractParty,
    CostType,
    Grant,
    SignatureStatus,
    Voucher,
    VoucherKind,
    VoucherStatus,
)
from ..money import format_eur
from ..permissions import can_manage, can_upload_voucher
from .documents import document_store

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


_PREFIX = re.compile(r"^(stadt|gemeinde|kommune|stadtverwaltung|gemeindeverwaltung|verwaltung der)\s+", re.I)


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", _PREFIX.sub("", name.strip())).casefold()


def is_kommune_name(name: str) -> bool:
    """Whether a payee/supplier name denotes a Kommune (payments to Kommunen are not allowed)."""
    norm = _norm(name)
    if not norm:
        return False
    if re.search(r"\b(stadtverwaltung|gemeindeverwaltung|stadtkasse|gemeindekasse)\b", name, re.I):
        return True
    names = {_norm(n.split(",")[0]) for n in Area.objects.filter(level__is_municipality=True)
             .values_list("name", flat=True)}
    names |= {_norm(n) for n in Organisation.objects.filter(kind=OrganisationKind.KOMMUNE).values_list("name",
                                                                                                       flat=True)}
    return norm in names or norm.split(",")[0].strip() in names


def grant_create(*, actor: Actor, application: Application) -> Grant:
    """Called by the transition to "bewilligt": budget lines from the call, a draft contract."""
    grant = Grant.objects.create(application=application, created_by=require_user(actor))
    for line in application.call.budget_lines.all():
        BudgetLine.objects.create(grant=grant, call_line=line, name=line.name, amount_cents=line.amount_cents)
    today = timezone.localdate()
    contract = Contract.objects.create(
        grant=grant,
        subject=_("Konzeption, Einrichtung und Aufbau einer Organisationsstruktur für den „Ort der Begegnung“ "
                  "%(title)s in %(kommune)s.") % {"title": application.title, "kommune": application.kommune.name},
        starts_on=today, ends_on=today + timedelta(days=365),
    )
    parties = [
        (installation.current().name, str(OrganisationKind.KREIS.label),
         _("Abrechnung der Fördermittel; Prüfung von Angeboten und Rechnungen; Zahlung an die Auftragnehmer.")),
        (application.kommune.name, str(OrganisationKind.KOMMUNE.label),
         _("Trägerschaft des Ortes; feste Ansprechperson: %(c)s; Einholen von Angeboten.")
         % {"c": application.contact_name or "–"}),
    ]
    kinds = dict(OrganisationKind.choices)
    for actor_row in application.actors.filter(status=ActorStatus.CURRENT):
        parties.append((actor_row.name, str(kinds.get(actor_row.kind, "")), actor_row.role or _("Mitwirkung")))
    for i, (name, kind, resp) in enumerate(parties):
        ContractParty.objects.create(contract=contract, name=name, kind=kind, responsibilities=resp, sort=i)
    audit_record(actor=actor, action="funding.grant.create", obj=grant,
                 changes={"lines": {line.name: line.amount_cents for line in grant.lines.all()}})
    return grant


def cost_type_problem(*, line: BudgetLine, cost_type: CostType) -> str | None:
    """Why a quote or invoice of ``cost_type`` cannot be booked on ``line`` (``None``: it can)."""
    if cost_type.call_id != line.grant.application.call_id:
        return _("Die Kostenart gehört nicht zu diesem Aufruf.")
    if not cost_type.eligible:
        return _("Kostenart „%(ct)s“ ist nach dem Aufruf nicht förderfähig (Bauleistungen, Ausstattung "
                 "und Einrichtung werden nicht gefördert).") % {"ct": cost_type.name}
    if cost_type.budget_line_id != line.call_line_id:
        return _("Kostenart „%(ct)s“ gehört zur Position „%(other)s“, nicht zu „%(line)s“.") % {
            "ct": cost_type.name, "other": cost_type.budget_line.name if cost_type.budget_line else "–",
            "line": line.name}
    return None


def voucher_problems(*, line: BudgetLine, kind: str, supplier: str, amount_cents: int, cost_type: CostType,
                     exclude: Voucher | None = None) -> list[str]:
    """Eligibility against the call's rules; empty list = eligible."""
    problems = []
    if (problem := cost_type_problem(line=line, cost_type=cost_type)) is not None:
        problems.append(problem)
    if is_kommune_name(supplier):
        problems.append(_("„%(s)s“ ist eine Kommune. Eine Auszahlung an Kommunen erfolgt nicht; gezahlt wird nur "
                          "an Auftragnehmer.") % {"s": supplier})
    if kind == VoucherKind.INVOICE and amount_cents > line.remaining_cents:
        problems.append(_("Die Rechnung über %(amount)s übersteigt den verfügbaren Rest der Position „%(line)s“ "
                          "(%(rest)s).") % {"amount": format_eur(amount_cents), "line": line.name,
                                            "rest": format_eur(line.remaining_cents)})
    return problems


def voucher_upload(*, actor: Actor, grant: Grant, line: BudgetLine, kind: str, supplier: str, amount_cents: int,
                   cost_type: CostType, date_: date, upload: Any, description: str = "",
                   quote: Voucher | None = None) -> Voucher:
    can_upload_voucher(actor, grant).enforce()
    if line.grant_id != grant.pk:
        raise FundingError(_("Die Position gehört nicht zu dieser Förderung."))
    if kind not in VoucherKind.values:
        raise FundingError(_("Bitte wählen Sie Angebot oder Rechnung."))
    if not supplier.strip():
        raise FundingError(_("Bitte geben Sie den Lieferanten / Auftragnehmer an."))
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        raise FundingError(_("Betrag: bitte einen positiven Betrag angeben."))
    if (problem := cost_type_problem(line=line, cost_type=cost_type)) is not None:
        raise FundingError(_("%(problem)s Der Beleg wurde nicht gespeichert.") % {"problem": problem})
    if date_ > timezone.localdate():
        raise FundingError(_("Datum: der Beleg darf nicht in der Zukunft liegen."))
    if is_kommune_name(supplier):
        raise FundingError(_("„%(s)s“ ist eine Kommune. Eine Auszahlung an Kommunen erfolgt nicht; Belege müssen "
                             "von Auftragnehmern stammen.") % {"s": supplier})
    if kind == VoucherKind.INVOICE and amount_cents > line.remaining_cents:
        raise FundingError(_("Die Rechnung über %(amount)s übersteigt den verfügbaren Rest der Position "
                             "„%(line)s“ (%(rest)s). Es wurde nichts gespeichert.")
                           % {"amount": format_eur(amount_cents), "line": line.name,
                              "rest": format_eur(line.remaining_cents)})
    if quote is not None and (quote.grant_id != grant.pk or quote.kind != VoucherKind.QUOTE):
        raise FundingError(_("Das zugehörige Angebot gehört nicht zu dieser Förderung."))
    with transaction.atomic():
        document = document_store(actor=actor, upload=upload, grant=grant,
                                  title=f"{VoucherKind(kind).label} {supplier.strip()}")
        voucher = Voucher.objects.create(
            grant=grant, line=line, kind=kind, supplier=supplier.strip()[:300], amount_cents=amount_cents,
            cost_type=cost_type, date=date_, description=description.strip()[:500], document=document,
            quote=quote, uploaded_by=require_user(actor),
        )
        audit_record(actor=actor, action="funding.voucher.upload", obj=voucher,
                     changes={"kind": kind, "supplier": voucher.supplier, "amount_cents": amount_cents,
                              "line": line.name, "cost_type": cost_type.name})
    return voucher


def voucher_check(*, actor: Actor, voucher: Voucher, note: str = "", now: datetime | None = None) -> Voucher:
    """Sachliche Prüfung: the eligibility check against the call's rules (first pair of eyes)."""
    can_manage(actor).enforce()
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().select_related("line__grant__application", "cost_type").get(
            pk=voucher.pk)
        if voucher.status not in (VoucherStatus.UPLOADED, VoucherStatus.INELIGIBLE):
            raise FundingError(_("Der Beleg ist bereits geprüft."))
        problems = voucher_problems(line=voucher.line, kind=voucher.kind, supplier=voucher.supplier,
                                    amount_cents=voucher.amount_cents, cost_type=voucher.cost_type)
        before = voucher.status
        voucher.status = VoucherStatus.INELIGIBLE if problems else VoucherStatus.CHECKED
        voucher.check_note = " ".join(problems) or (note.strip() or _("förderfähig nach den Regeln des Aufrufs"))
        voucher.checked_by, voucher.checked_at = signed_in(actor), now or timezone.now()
        voucher.save()
        audit_record(actor=actor, action="funding.voucher.check", obj=voucher,
                     changes={"status": [before, voucher.status]}, note=voucher.check_note)
    return voucher


def voucher_approve(*, actor: Actor, voucher: Voucher, now: datetime | None = None) -> Voucher:
    """Four-eyes approval of a checked invoice: books its amount against the line, never beyond it."""
    can_manage(actor).enforce()
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.kind != VoucherKind.INVOICE:
            raise FundingError(_("Nur Rechnungen werden freigegeben; Angebote werden nur geprüft."))
        if voucher.status == VoucherStatus.APPROVED or voucher.status == VoucherStatus.PAID:
            raise FundingError(_("Diese Rechnung ist bereits freigegeben."))
        if voucher.status != VoucherStatus.CHECKED:
            raise FundingError(_("Die Rechnung muss zuerst sachlich geprüft und als förderfähig bestätigt sein."))
        if require_user(actor).pk in (voucher.checked_by_id, voucher.uploaded_by_id):
            raise FundingError(_("Vier-Augen-Prinzip: Die Freigabe muss eine andere Person erteilen als die, die "
                                 "den Beleg eingereicht oder geprüft hat."))
        # Lock the line: a concurrent approval waits here and then sees the updated sum.
        line = BudgetLine.objects.select_for_update().get(pk=voucher.line_id)
        if line.approved_cents + voucher.amount_cents > line.amount_cents:
            raise FundingError(_("Freigabe abgelehnt: Die Position „%(line)s“ würde überzogen (verfügbar %(rest)s, "
                                 "Rechnung %(amount)s).") % {"line": line.name,
                                                             "rest": format_eur(line.remaining_cents),
                                                             "amount": format_eur(voucher.amount_cents)})
        before = line.approved_cents
        line.approved_cents += voucher.amount_cents
        try:
            with transaction.atomic():
                line.save(update_fields=["approved_cents"])
        except IntegrityError as exc:  # the check constraint – should never trigger behind the lock
            raise FundingError(_("Freigabe abgelehnt: Die Position würde überzogen.")) from exc
        voucher.status = VoucherStatus.APPROVED
        voucher.approved_by, voucher.approved_at = signed_in(actor), now or timezone.now()
        voucher.save()
        booking = Booking.objects.create(line=line, voucher=voucher, kind=BookingKind.APPROVAL,
                                         amount_cents=voucher.amount_cents, payee=voucher.supplier, by=require_user(actor))
        audit_record(actor=actor, action="funding.booking.approval", obj=voucher,
                     changes={"line": line.name, "approved_cents": [before, line.approved_cents],
                              "amount_cents": voucher.amount_cents, "booking": booking.pk})
    return voucher


def voucher_pay(*, actor: Actor, voucher: Voucher, payee: str, paid_on: date, reference: str = "") -> Voucher:
    """Record the payment to the supplier. Payments to a Kommune cannot be entered."""
    can_manage(actor).enforce()
    payee = payee.strip()
    if not payee:
        raise FundingError(_("Bitte den Zahlungsempfänger angeben."))
    if is_kommune_name(payee):
        raise FundingError(_("Eine Auszahlung an eine Kommune ist nach dem Aufruf ausgeschlossen; gezahlt wird an "
                             "den Auftragnehmer."))
    if paid_on > timezone.localdate():
        raise FundingError(_("Das Zahlungsdatum darf nicht in der Zukunft liegen."))
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.status == VoucherStatus.PAID:
            raise FundingError(_("Diese Rechnung ist bereits bezahlt."))
        if voucher.status != VoucherStatus.APPROVED:
            raise FundingError(_("Nur freigegebene Rechnungen können bezahlt werden."))
        if _norm(payee) != _norm(voucher.supplier):
            raise FundingError(_("Gezahlt wird nur an den Auftragnehmer der Rechnung („%(s)s“).")
                               % {"s": voucher.supplier})
        voucher.status = VoucherStatus.PAID
        voucher.paid_to, voucher.paid_on, voucher.payment_reference = payee, paid_on, reference.strip()[:100]
        voucher.save()
        booking = Booking.objects.create(line_id=voucher.line_id, voucher=voucher, kind=BookingKind.PAYMENT,
                                         amount_cents=voucher.amount_cents, payee=payee, by=require_user(actor))
        audit_record(actor=actor, action="funding.booking.payment", obj=voucher,
                     changes={"payee": payee, "amount_cents": voucher.amount_cents, "paid_on": paid_on.isoformat(),
                              "booking": booking.pk})
    return voucher


def contract_update(*, actor: Actor, contract: Contract, data: dict[str, Any],
                    parties: list[dict[str, Any]] | None = None) -> Contract:
    can_manage(actor).enforce()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        fields = ["subject", "starts_on", "ends_on", "signature_status"]
        before = {f: str(getattr(contract, f)) for f in fields}
        for f in fields:
            if f in data and data[f] not in (None, ""):
                setattr(contract, f, data[f])
        if contract.ends_on <= contract.starts_on:
            raise FundingError(_("Das Vertragsende muss nach dem Beginn liegen."))
        if contract.signature_status not in SignatureStatus.values:
            raise FundingError(_("Unbekannter Unterschriftsstatus."))
        changes = diff_fields(before, {f: str(getattr(contract, f)) for f in fields})
        if parties is not None:
            clean = [p for p in parties if (p.get("name") or "").strip()]
            for i, p in enumerate(clean, start=1):
                if not (p.get("responsibilities") or "").strip():
                    raise FundingError(_("Vertragspartei %(n)s („%(name)s“): bitte die Zuständigkeiten angeben.")
                                       % {"n": i, "name": p["name"]})
            if contract.signature_status == SignatureStatus.SIGNED and any(not p.get("signed_on") for p in clean):
                raise FundingError(_("„von allen unterschrieben“ setzt für jede Partei ein Unterschriftsdatum voraus."))
            contract.parties.all().delete()
            for i, p in enumerate(clean):
                ContractParty.objects.create(
                    contract=contract, sort=i, name=p["name"].strip()[:300], kind=(p.get("kind") or "")[:32],
                    responsibilities=p["responsibilities"].strip(), tasks=(p.get("tasks") or "").strip(),
                    duties=(p.get("duties") or "").strip(), signed_on=p.get("signed_on") or None)
            changes["parties"] = [p["name"] for p in clean]
        contract.save()
        audit_record(actor=actor, action="funding.contract.update", obj=contract.grant, changes=changes)
    return contract
