from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ..errors import FundingError


def need_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def run(request: HttpRequest, action: Callable[[], Any], *, success: str, back: str) -> HttpResponse:
    """Run a service; on a domain error show its German message and change nothing."""
    try:
        action()
    except FundingError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if success:
        messages.success(request, success)
    return redirect(back)


def form_errors(form: Any) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
