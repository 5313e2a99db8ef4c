"""Participation start page and the privacy notice."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import surveys_open


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/index.html", {"surveys": surveys_open()})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/privacy.html", {
        "retention_days": settings.BEGEGNUNGSATLAS_REPORTER_DATA_DAYS,
        "rate": settings.BEGEGNUNGSATLAS_SUGGESTION_RATE,
    })
