"""Views owned by core: health check, error handlers (JSON for the API), the page shown while sign-in is throttled."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from begegnungsatlas.web import views as web_views


def login_locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes calls this instead of the login when an account or an address has too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the database answers and every migration is applied (else 503)."""
    from .selectors import database_health

    health = database_health()
    return JsonResponse(health, status=200 if health["status"] == "ok" else 503,
                        headers={"Cache-Control": "no-store"})


# Error pages: API clients (everything under /api/) get JSON like the API's own errors, people get the HTML page.
def _api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api_request(request):
        return _api_error(400, "Bad Request")
    return web_views.error_400(request, exception)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api_request(request):
        return _api_error(403, str(exception) if exception and str(exception) else "Forbidden")
    return web_views.error_403(request, exception)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api_request(request):
        return _api_error(404, "Not Found")
    return web_views.error_404(request, exception)


def error_500(request: HttpRequest) -> HttpResponse:
    if _api_request(request):
        return _api_error(500, "Internal Server Error")
    return web_views.error_500(request)
