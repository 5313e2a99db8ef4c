"""Grants: budget lines with the remaining amount, quotes and invoices, four-eyes approval, payment, contract."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from begegnungsatlas.core.http import error_messages
from begegnungsatlas.core.permissions import require_login

from .. import letters, selectors
from ..errors import FundingError
from ..forms import ContractForm, NoteForm, PartyFormSet, PayForm, VoucherForm, formset_rows
from ..models import Grant, Voucher
from ..money import format_eur
from ..permissions import can_manage, can_upload_voucher, can_view_grant
from ..services import grants as services
from ._common import confirm_step, form_errors, run


def _grant(request: HttpRequest, pk: int) -> Grant:
    grant = get_object_or_404(Grant.objects.select_related("application"), pk=pk)
    can_view_grant(request.user, grant).enforce()
    return selectors.grant_detail(pk)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    return _render_detail(request, _grant(request, pk))


def _render_detail(request: HttpRequest, grant: Grant, *, voucher_form: VoucherForm | None = None) -> HttpResponse:
    """The grant page; after a refused upload with the bound voucher form, so what was typed stays."""
    office = bool(can_manage(request.user))
    contract = getattr(grant, "contract", None)
    parties = list(contract.parties.all()) if contract else []
    return render(request, "funding/grant_detail.html", {
        "grant": grant, "application": grant.application, "lines": grant.lines.all(), "vouchers": grant.vouchers.all(),
        "office": office, "may_upload": bool(can_upload_voucher(request.user, grant)),
        "voucher_form": voucher_form or VoucherForm(grant=grant, initial={"date": timezone.localdate()}),
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
        "contract": contract, "parties": parties,
        "party_management": PartyFormSet(initial=[{} for _p in parties], prefix="party").management_form,
        "contract_form": ContractForm(initial={f: getattr(contract, f) for f in ContractForm.base_fields})
        if contract and office else None,
        "bookings": [b for line in grant.lines.all() for b in line.bookings.select_related("by", "voucher")],
        "history": selectors.audit_for(grant),
    })


@require_POST
def voucher_upload(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    grant = _grant(request, pk)
    can_upload_voucher(request.user, grant).enforce()
    form = VoucherForm(request.POST, request.FILES, grant=grant)
    if not form.is_valid():
        messages.error(request, _("Beleg nicht gespeichert. %(errors)s") % {"errors": form_errors(form)})
        return _render_detail(request, grant, voucher_form=form)
    d = form.cleaned_data
    try:
        services.voucher_upload(
            actor=request.user, grant=grant, line=d["line"], kind=d["kind"], supplier=d["supplier"],
            amount_cents=d["amount"], cost_type=d["cost_type"], date_=d["date"], upload=d["file"],
            description=d["description"], quote=d["quote"])
    except FundingError as exc:
        messages.error(request, str(exc))
        return _render_detail(request, grant, voucher_form=form)
    messages.success(request, _("Beleg gespeichert."))
    return redirect("funding:grant", pk=pk)


def _voucher(request: HttpRequest, pk: int) -> Voucher:
    voucher = get_object_or_404(Voucher.objects.select_related("grant__application"), pk=pk)
    can_view_grant(request.user, voucher.grant).enforce()
    can_manage(request.user).enforce()
    return voucher


@require_POST
def voucher_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_login(request.user).enforce()
    voucher = _voucher(request, pk)
    back = reverse("funding:grant", args=[voucher.grant_id])
    if action in ("approve", "pay") and (page := confirm_step(
            request, back=back,
            title=_("Rechnung freigeben") if action == "approve" else _("Zahlung erfassen"),
            action_label=_("Ja, freigeben und buchen") if action == "approve" else _("Ja, Zahlung buchen"),
            text=_("%(voucher)s über %(amount)s. Die Buchung ist endgültig und kann nicht gelöscht werden.")
            % {"voucher": voucher, "amount": format_eur(voucher.amount_cents)})) is not None:
        return page
    if action == "check":
        note = NoteForm(request.POST)
        text = note.cleaned_data["note"] if note.is_valid() else ""
        return run(request, lambda: services.voucher_check(actor=request.user, voucher=voucher, note=text),
                   success=_("Beleg geprüft."), back=back)
    if action == "approve":
        return run(request, lambda: services.voucher_approve(actor=request.user, voucher=voucher),
                   success=_("Rechnung freigegeben und gebucht."), back=back)
    if action == "pay":
        form = PayForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect(back)
        d = form.cleaned_data
        return run(request, lambda: services.voucher_pay(actor=request.user, voucher=voucher, payee=d["payee"],
                                                         paid_on=d["paid_on"], reference=d["reference"]),
                   success=_("Zahlung erfasst."), back=back)
    messages.error(request, _("Unbekannte Aktion."))
    return redirect(back)


@require_POST
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    grant = _grant(request, pk)
    can_manage(request.user).enforce()
    form = ContractForm(request.POST)
    back = reverse("funding:grant", args=[pk]) + "#vertrag"
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    party_forms = PartyFormSet(request.POST, prefix="party")
    if not party_forms.is_valid():
        messages.error(request, " ".join(error_messages(party_forms)))
        return redirect(back)
    parties = formset_rows(party_forms)
    try:
        services.contract_update(actor=request.user, contract=grant.contract, data=form.cleaned_data,
                                 parties=parties)
    except FundingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vertrag gespeichert."))
    return redirect(back)


def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    grant = _grant(request, pk)
    response = HttpResponse(letters.contract_pdf(grant.contract), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Kooperationsvertrag-{grant.application.reference}.pdf"'
    return response
