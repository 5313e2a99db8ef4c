"""Site-wide pages: home, data sources and licences, the signed-in dashboard, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse


def home(request: HttpRequest) -> HttpResponse:
    try:
        return redirect(reverse("places:map"))
    except NoReverseMatch:
        return render(request, "web/home.html")


def data_sources(request: HttpRequest) -> HttpResponse:
    from .sources import DATA_SOURCES

    return render(request, "web/data_sources.html", {"sources": DATA_SOURCES})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What this person can do, by role: their places, the moderation queue, import, atlas, funding, supply,
    measures and participation."""
    from begegnungsatlas.measures.selectors import measures_for_contributor
    from begegnungsatlas.participation.permissions import can_moderate_reports
    from begegnungsatlas.participation.selectors import reports_pending
    from begegnungsatlas.places.permissions import can_manage_places, can_moderate
    from begegnungsatlas.places.selectors.editor import places_editable_by, suggestions_pending

    # The links are decided in the template with {% can %}; the view only counts what the person may see.
    user = request.user
    return render(request, "web/dashboard.html", {
        "my_places_count": places_editable_by(user).count() if can_manage_places(user) else 0,
        "pending_count": suggestions_pending().count() if can_moderate(user) else 0,
        "my_measures_count": measures_for_contributor(user).count(),
        "reports_pending_count": reports_pending().count() if can_moderate_reports(user) else None,
    })


def _error(request: HttpRequest, status: int, template: str, reason: str = "") -> HttpResponse:
    response = render(request, template, {"reason": reason}, status=status)
    return response


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refused page: anonymous visitors go to the login page (and come back after signing in); signed-in people
    see the reason. The one way a page denies (``core/http.py``)."""
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated and request.method in ("GET", "HEAD", "POST"):
        return redirect_to_login(request.get_full_path())
    reason = str(exception) if exception and str(exception) else ""
    return _error(request, 403, "403.html", reason)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
