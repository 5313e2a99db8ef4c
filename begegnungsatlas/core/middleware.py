"""Language selection: German unless the person chose another language with the language switch.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a German public body's site should
open in German for everybody and switch only on request (the choice is kept in the language cookie).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestSizeLimitMiddleware:
    """Refuse oversized request bodies before Django reads them (a clear page instead of a long upload)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "BEGEGNUNGSATLAS_MAX_REQUEST_BYTES", 0) or 0)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            from django.shortcuts import render

            return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return self.get_response(request)
