"""``{% can "app.rule" obj as allowed %}``: templates ask the permission registry instead of re-encoding roles.

The actor is the request's user. The result is the rule's :class:`~begegnungsatlas.core.permissions.Decision`
(true when allowed; ``allowed.reason`` says why).
"""

from __future__ import annotations

from typing import Any

from django import template

from begegnungsatlas.core.permissions import Decision, check

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, rule_name: str, *args: Any) -> Decision:
    request = context.get("request")
    actor = getattr(request, "user", None) if request is not None else context.get("user")
    return check(rule_name, actor, *args)
