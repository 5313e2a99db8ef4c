from __future__ import annotations

from typing import Any

from django import template

from ..money import format_eur
from ..rules import local

register = template.Library()


@register.filter
def eur(cents: Any) -> str:
    return format_eur(cents) if cents not in (None, "") else "–"


@register.filter
def berlin(value: Any) -> str:
    """An aware datetime in local time (Europe/Berlin), with seconds."""
    return local(value) if value else "–"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
