"""System checks of the installation settings (``python -m django check``; ``begegnungsatlas serve`` runs them)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from .installation import parse_map_view, setting


@register()
def check_installation(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    try:
        parse_map_view(setting("BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW"))
    except ValueError as exc:
        errors.append(Error(
            f"BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW is malformed: {exc}.",
            hint='Set it to "latitude,longitude,zoom", e.g. "50.8,6.48,10".',
            id="begegnungsatlas.E001",
        ))
    for name in ("BEGEGNUNGSATLAS_INSTALLATION_NAME", "BEGEGNUNGSATLAS_LETTERHEAD", "BEGEGNUNGSATLAS_LETTER_PLACE"):
        if not str(setting(name)).strip():
            errors.append(Error(f"{name} is empty.", hint="Letters and notices need it.",
                                id="begegnungsatlas.E002"))
    return errors
