"""Calls: the funding start page (a dashboard per role), call pages, call administration."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from begegnungsatlas.atlas.selectors.areas import kommunen
from begegnungsatlas.core.models import Role, User

from .. import rules, selectors
from ..errors import FundingError
from ..forms import CallForm, ExtensionForm
from ..models import Call, CallStatus, Voucher, VoucherStatus
from ..permissions import can_apply, can_manage, can_read_all, can_view_call
from ..services import calls as call_services
from ._common import form_errors, need_login, run


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    ctx: dict = {"calls": selectors.calls_visible(user)}
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
        ctx["states"] = selectors.state_counts(call)
    return render(request, "funding/call_detail.html", ctx)


def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if (r := need_login(request)) is not None:
        return r
    can_manage(request.user).enforce()
    call = get_object_or_404(Call, pk=pk) if pk else None
    template = Call.objects.filter(is_historical=True).order_by("-deadline").first()
    if request.method == "POST":
        form = CallForm(request.POST)
        weights = {}
        if call is not None:
            for c in call.criteria.all():
                raw = request.POST.get(f"weight-{c.pk}", str(c.weight))
                if not raw.strip().isdigit():
                    messages.error(request, _("Gewicht für „%(c)s“: bitte eine ganze Zahl.") % {"c": c.name})
                    return render(request, "funding/call_form.html", {"form": form, "call": call})
                weights[c.pk] = int(raw)
        if form.is_valid():
            try:
                if call is None:
                    call = call_services.call_create(actor=request.user, data=form.cleaned_data, template=template)
                else:
                    call = call_services.call_update(actor=request.user, call=call, data=form.cleaned_data,
                                                     criteria_weights=weights)
            except FundingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Der Aufruf wurde gespeichert."))
                return redirect("funding:call", pk=call.pk)
    else:
        initial = {"number_of_grants": 2, "scale_max": 5}
        if call is not None:
            initial = {f: getattr(call, f) for f in CallForm.base_fields}
        form = CallForm(initial=initial)
    return render(request, "funding/call_form.html", {"form": form, "call": call, "template": template})


@require_POST
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    if (r := need_login(request)) is not None:
        return r
    call = get_object_or_404(Call, pk=pk)
    can_manage(request.user).enforce()
    return run(request, lambda: call_services.call_set_status(actor=request.user, call=call,
                                                              status=request.POST.get("status", "")),
               success=_("Status geändert."), back=reverse("funding:call", args=[call.pk]))


@require_POST
def call_extension(request: HttpRequest, pk: int) -> HttpResponse:
    if (r := need_login(request)) is not None:
        return r
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
