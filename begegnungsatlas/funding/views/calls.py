"""Calls: the funding start page (a dashboard per role), call pages, call administration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from begegnungsatlas.atlas.selectors.areas import kommunen
from begegnungsatlas.core.models import Role, User
from begegnungsatlas.core.permissions import require_login

from .. import rules, selectors
from ..errors import FundingError
from ..forms import (
    BudgetLineFormSet,
    CallAttachmentForm,
    CallCreateForm,
    CallForm,
    CallSetupForm,
    CallStatusForm,
    CriterionFormSet,
    ExtensionForm,
)
from ..models import Call, CallStatus, Document, Voucher, VoucherStatus
from ..permissions import can_apply, can_manage, can_read_all, can_view_call
from ..services import calls as call_services
from ._common import confirm_step, form_errors, run


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    ctx: dict[str, Any] = {"calls": selectors.calls_visible(user)}
    if user.is_authenticated:
        if can_read_all(user):
            ctx.update(
                office=True, states=selectors.state_counts(),
                applications=selectors.applications_all()[:200],
                reviewers=User.objects.filter(role=Role.REVIEWER, is_active=True).annotate(
                    n_open=Count("review_assignments", filter=Q(review_assignments__submitted_at__isnull=True,
                                                                review_assignments__conflict_declared=False)),
                    n_done=Count("review_assignments", filter=Q(review_assignments__submitted_at__isnull=False))),
                grants=selectors.grants_visible(user),
                awaiting_approval=Voucher.objects.filter(status=VoucherStatus.CHECKED, kind="invoice")
                .select_related("grant__application", "line"),
                can_manage=bool(can_manage(user)),
            )
        elif user.role in (Role.KOMMUNE_EDITOR, Role.OPERATOR):
            ctx.update(applicant=True, mine=selectors.applications_for_applicant(user),
                       grants=selectors.grants_visible(user))
        elif user.role == Role.REVIEWER:
            ctx.update(reviewer=True, assignments=selectors.assignments_for_reviewer(user))
    return render(request, "funding/index.html", ctx)


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    can_view_call(request.user, call).enforce()
    call = selectors.call_detail(pk)
    user = request.user
    deadline, extension = rules.effective_deadline(call, getattr(user, "kommune_id", None))
    ctx = {
        "call": call, "deadline": deadline, "extension": extension, "is_open": call.is_open()
        or (extension is not None and call.status == CallStatus.PUBLISHED and call.opens_at <= deadline),
        "may_apply": bool(can_apply(user, call)), "may_manage": bool(can_manage(user)),
        "status_choices": CallStatus.choices,
        "kommunen": kommunen().filter(region=call.region) if call.region_id else kommunen(),
    }
    if ctx["may_manage"]:
        ctx["extension_form"] = ExtensionForm(kommunen=ctx["kommunen"])
        ctx["attachment_form"] = CallAttachmentForm()
        ctx["setup_lock"] = call_services.call_setup_lock_reason(call)
        ctx["states"] = selectors.state_counts(call)
    return render(request, "funding/call_detail.html", ctx)


def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    can_manage(request.user).enforce()
    call = get_object_or_404(Call, pk=pk) if pk else None
    template = Call.objects.filter(is_historical=True).order_by("-deadline").first()
    form_class = CallForm if call is not None else CallCreateForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                if call is None:
                    call = call_services.call_create(
                        actor=request.user, data=form.cleaned_data,
                        template=None if form.cleaned_data.get("start_empty") else template)
                    messages.success(request, _("Der Aufruf wurde angelegt. Legen Sie jetzt Mittel und Kriterien "
                                                "fest."))
                    return redirect("funding:call_setup", pk=call.pk)
                call = call_services.call_update(actor=request.user, call=call, data=form.cleaned_data)
            except FundingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Der Aufruf wurde gespeichert."))
                return redirect("funding:call", pk=call.pk)
    else:
        initial: dict[str, Any] = {"number_of_grants": 2, "region": selectors.default_call_region(template=template)}
        if call is not None:
            initial = {f: getattr(call, f) for f in CallForm.base_fields}
        form = form_class(initial=initial)
    return render(request, "funding/call_form.html", {"form": form, "call": call, "template": template})


@require_POST
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    can_manage(request.user).enforce()
    form = CallStatusForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return run(request, lambda: call_services.call_set_status(actor=request.user, call=call, status=status),
               success=_("Status geändert."), back=reverse("funding:call", args=[call.pk]))


@require_POST
def call_extension(request: HttpRequest, pk: int) -> HttpResponse:
    require_login(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    can_manage(request.user).enforce()
    form = ExtensionForm(request.POST, kommunen=kommunen())
    back = reverse("funding:call", args=[call.pk])
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    d = form.cleaned_data
    return run(request, lambda: call_services.call_extension_grant(
        actor=request.user, call=call, kommune=d["kommune"], until=d["until"], reason=d["reason"]),
        success=_("Die Fristverlängerung für %(k)s ist dokumentiert.") % {"k": d["kommune"].name}, back=back)


def _setup_initial(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    lines = [{"id": line.pk, "name": line.name, "amount": line.amount_cents, "ORDER": i,
              "cost_types": "\n".join(ct.name for ct in line.cost_types.all())}
             for i, line in enumerate(call.budget_lines.prefetch_related("cost_types"), start=1)]
    criteria = [{"id": c.pk, "name": c.name, "description": c.description, "weight": c.weight,
                 "is_spatial": c.is_spatial, "ORDER": i} for i, c in enumerate(call.criteria.all(), start=1)]
    form = {"scale_max": call.scale_max,
            "ineligible": "\n".join(c.name for c in call.cost_types.filter(eligible=False))}
    return form, lines, criteria


def call_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Budget lines (with their eligible cost types), ineligible cost types, criteria and scale of one call."""
    can_manage(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    if request.method == "POST":
        form = CallSetupForm(request.POST)
        lines = BudgetLineFormSet(request.POST, prefix="lines")
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        if all([form.is_valid(), lines.is_valid(), criteria.is_valid()]):
            try:
                call_services.call_setup_update(
                    actor=request.user, call=call,
                    budget_lines=[call_services.BudgetLineInput(
                        name=f.cleaned_data["name"], amount_cents=f.cleaned_data["amount"],
                        cost_types=f.cleaned_data["cost_types"], pk=f.cleaned_data.get("id"))
                        for f in lines.ordered_forms],
                    ineligible=form.cleaned_data["ineligible"],
                    criteria=[call_services.CriterionInput(
                        name=f.cleaned_data["name"], description=f.cleaned_data.get("description", ""),
                        weight=f.cleaned_data["weight"], is_spatial=f.cleaned_data.get("is_spatial", False),
                        pk=f.cleaned_data.get("id"))
                        for f in criteria.ordered_forms],
                    scale_max=form.cleaned_data["scale_max"])
            except FundingError as exc:
                messages.error(request, _("%(problem)s Es wurde nichts gespeichert.") % {"problem": exc})
            else:
                messages.success(request, _("Mittel und Kriterien des Aufrufs wurden gespeichert."))
                return redirect("funding:call_setup", pk=call.pk)
        else:
            messages.error(request, _("Bitte prüfen Sie die markierten Angaben. Es wurde nichts gespeichert."))
    else:
        form_initial, line_initial, criteria_initial = _setup_initial(call)
        form = CallSetupForm(initial=form_initial)
        lines = BudgetLineFormSet(initial=line_initial, prefix="lines")
        criteria = CriterionFormSet(initial=criteria_initial, prefix="criteria")
    return render(request, "funding/call_setup.html", {
        "call": call, "form": form, "lines": lines, "criteria": criteria,
        "lock": call_services.call_setup_lock_reason(call)})


@require_POST
def call_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    can_manage(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    back = reverse("funding:call", args=[call.pk]) + "#h-attachments"
    form = CallAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return run(request, lambda: call_services.call_attachment_add(
        actor=request.user, call=call, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]),
        success=_("Die Anlage wurde hochgeladen."), back=back)


@require_POST
def call_attachment_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    can_manage(request.user).enforce()
    call = get_object_or_404(Call, pk=pk)
    document = get_object_or_404(Document, pk=document_pk, call=call)
    if (page := confirm_step(
            request, title=_("Anlage löschen"), action_label=_("Ja, Anlage löschen"),
            back=reverse("funding:call", args=[call.pk]) + "#h-attachments",
            text=_("Die Anlage „%(name)s“ des Aufrufs „%(call)s“ wird mit ihrer Datei gelöscht.")
            % {"name": document, "call": call.title})) is not None:
        return page
    return run(request, lambda: call_services.call_attachment_delete(actor=request.user, call=call,
                                                                     document=document),
               success=_("Die Anlage „%(name)s“ wurde gelöscht.") % {"name": document},
               back=reverse("funding:call", args=[call.pk]) + "#h-attachments")
