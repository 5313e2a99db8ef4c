"""Writes owned by core: the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import AuditEvent


def _actor_fields(actor: Any, anonymous_label: str) -> dict[str, Any]:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if authenticated else None,
        "actor_label": (actor.get_username() if authenticated else anonymous_label)[:200],
    }


def _object_fields(obj: Any) -> dict[str, Any]:
    return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk), "object_label": str(obj)[:300]}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_label: str | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    anonymous_label: str = "anonym",
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    if obj is not None:
        defaults = _object_fields(obj)
        object_type = object_type or defaults["object_type"]
        object_id = object_id if object_id is not None else defaults["object_id"]
        object_label = object_label if object_label is not None else defaults["object_label"]
    return AuditEvent.objects.create(
        **_actor_fields(actor, anonymous_label),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=object_label or "",
        changes=changes or {},
        note=note,
    )


def audit_record_many(
    *,
    actor: Any,
    action: str,
    items: Iterable[tuple[Any, dict[str, Any]]],
    note: str = "",
    anonymous_label: str = "anonym",
    batch_size: int = 500,
) -> list[AuditEvent]:
    """Append one audit event per ``(object, changes)`` in bulk (imports); same fields as ``audit_record``."""
    who = _actor_fields(actor, anonymous_label)
    events = [
        AuditEvent(**who, action=action, **_object_fields(obj), changes=changes or {}, note=note)
        for obj, changes in items
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
