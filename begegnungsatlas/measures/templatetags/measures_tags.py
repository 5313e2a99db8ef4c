"""Template tags other apps may include: the measures a funding call finances (read-only)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("measures/_call_measures.html", takes_context=True)
def measures_of_call(context: template.Context, call: Any) -> dict[str, Any]:
    """The measures of the Werkzeugkatalog financed by ``call`` that the current user may see."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return {"measures": list(selectors.measures_of_call(call, user=user))}
