"""``{{ value|zahl:decimals }}``: the atlas number format in templates (see ``atlas.formatting``)."""

from __future__ import annotations

from typing import Any

from django import template

from ..formatting import format_number

register = template.Library()


@register.filter(name="zahl")
def zahl(value: Any, decimals: Any = 1) -> str:
    if value in (None, ""):
        return "–"
    try:
        return format_number(float(value), int(decimals))
    except (TypeError, ValueError):
        return "–"
