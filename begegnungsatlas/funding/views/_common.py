from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..errors import FundingError


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


def confirm_step(request: HttpRequest, *, title: Any, text: Any, action_label: Any, back: str) -> HttpResponse | None:
    """The explicit second step before an irreversible action (no JavaScript ``confirm()``).

    Returns ``None`` when the POST carries ``confirm=1``; otherwise a page that repeats the posted values as
    hidden fields and asks to confirm (or to go back without any change).
    """
    if request.POST.get("confirm") == "1":
        return None
    fields = [(key, value) for key in request.POST if key not in ("csrfmiddlewaretoken", "confirm")
              for value in request.POST.getlist(key)]
    return render(request, "funding/confirm.html", {
        "title": title, "text": text, "action_label": action_label, "back": back, "fields": fields,
        "action": request.get_full_path()})
