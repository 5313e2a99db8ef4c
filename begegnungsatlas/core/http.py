"""The view idiom shared by every app: how a page denies, and small request helpers.

**Denial.** A view asks its rule and calls ``decision.enforce()`` (``core.permissions``); a refused decision raises
``PermissionDenied`` with the German reason. The project's 403 handler (``core.views.error_403``) answers API clients
with JSON, sends anonymous visitors of a page to the login page (``?next=`` the page they wanted) and shows signed-in
people the reason. So there is one way to deny, in views, services and templates alike; no view builds its own
redirect or 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from .middleware import client_ip


def client_address(request: HttpRequest) -> str:
    """The client address for rate limits: ``core.middleware.client_ip`` (resolved behind trusted proxies), with
    ``"unknown"`` for requests without a valid address."""
    return client_ip(request) or "unknown"


def qs_without(request: HttpRequest, *keys: str) -> str:
    """The current query string without ``keys`` (for pagination and filter links)."""
    params: Any = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return str(params.urlencode())


def error_messages(form: forms.BaseForm | forms.BaseFormSet[Any]) -> list[str]:
    """Every error message of a bound form (or of a formset's forms and the formset itself), in field order, for the
    pages that show one message instead of errors beside the fields."""
    if isinstance(form, forms.BaseFormSet):
        nested = [m for f in form.forms for m in error_messages(f)]
        return nested + [str(e) for e in form.non_form_errors()]
    return [str(e) for errors in form.errors.values() for e in errors]
