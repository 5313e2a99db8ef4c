"""Citizens' reports: the public form and list, the photo, moderation and the count in the atlas."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.core.http import client_address
from begegnungsatlas.core.ratelimit import client_hash

from .. import selectors
from ..errors import ParticipationError, RateLimited
from ..forms import ModerationForm, ReportForm
from ..models import Report
from ..permissions import can_moderate_reports
from ..services import reports as services


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data.get("photo_upload")
            data = {k: form.cleaned_data.get(k) for k in services.REPORT_FIELDS}
            try:
                services.report_submit(data=data, client=client_hash(client_address(request), scope="report"),
                                       honeypot=form.cleaned_data.get("website") or "",
                                       photo=upload.read() if upload else None)
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ParticipationError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("participation:report_thanks")
    return render(request, "participation/report_form.html", {"form": form}, status=status)


def report_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/thanks.html", {"report": True})


def report_list(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/report_list.html", {"reports": selectors.reports_public()})


def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(Report, pk=pk)
    if not (report.is_published or can_moderate_reports(request.user).allowed) or not report.photo:
        raise Http404
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")


def moderation_list(request: HttpRequest) -> HttpResponse:
    can_moderate_reports(request.user).enforce()
    return render(request, "participation/moderation_list.html", {
        "pending": selectors.reports_pending(), "all": Report.objects.select_related("category")[:200],
        "levels": AreaLevel.objects.filter(is_municipality=True, region__is_reference=False),
    })


@require_http_methods(["GET", "POST"])
def moderation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_moderate_reports(request.user).enforce()
    report = get_object_or_404(Report.objects.select_related("category", "kommune"), pk=pk)
    form = ModerationForm(request.POST or None, initial={"status": report.status,
                                                         "public_answer": report.public_answer})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_moderate(actor=request.user, report=report, **form.cleaned_data)
            except ParticipationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Die Meldung wurde aktualisiert."))
                return redirect("participation:moderation")
    return render(request, "participation/moderation_detail.html", {"report": report, "form": form},
                  status=status)


@require_POST
def counts_to_atlas(request: HttpRequest, level_id: int) -> HttpResponse:
    can_moderate_reports(request.user).enforce()
    level = get_object_or_404(AreaLevel, pk=level_id)
    try:
        services.report_counts_to_atlas(actor=request.user, level=level, period=str(timezone.localdate().year))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Die Zahl der Meldungen je Kommune steht jetzt im Atlas."))
    return redirect("participation:moderation")
