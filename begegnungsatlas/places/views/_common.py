"""Helpers shared by the place views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from begegnungsatlas.core.permissions import Decision, is_authenticated


def denied_response(request: HttpRequest, decision: Decision) -> HttpResponse | None:
    """``None`` when allowed; a redirect to the login page for anonymous people; otherwise 403 with the reason."""
    if decision.allowed:
        return None
    if not is_authenticated(request.user):
        return redirect_to_login(request.get_full_path())
    decision.enforce()
    return None  # pragma: no cover - enforce() raised


def client_address(request: HttpRequest) -> str:
    """The client address for the rate limit: ``core.middleware.client_ip`` (the one reading of the address,
    resolved behind trusted proxies), with ``"unknown"`` for requests without a valid address."""
    from begegnungsatlas.core.middleware import client_ip

    return client_ip(request) or "unknown"


def qs_without(request: HttpRequest, *keys: str) -> str:
    params: Any = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return str(params.urlencode())
