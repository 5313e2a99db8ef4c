from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import installation


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.BEGEGNUNGSATLAS_SITE_NAME,
        "TILE_URL": settings.BEGEGNUNGSATLAS_TILE_URL,
        "TILE_ATTRIBUTION": settings.BEGEGNUNGSATLAS_TILE_ATTRIBUTION,
        "INSTALLATION": installation.current(),
    }
