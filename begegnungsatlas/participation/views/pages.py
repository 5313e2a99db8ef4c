"""Participation start page and the privacy notice."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import reports_public, surveys_open, surveys_with_public_results


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/index.html", {
        "surveys": surveys_open(), "results": surveys_with_public_results(), "reports": reports_public()[:10],
    })


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/privacy.html", {
        "retention_days": settings.BEGEGNUNGSATLAS_REPORTER_DATA_DAYS,
        "rate": settings.BEGEGNUNGSATLAS_SUGGESTION_RATE,
    })
