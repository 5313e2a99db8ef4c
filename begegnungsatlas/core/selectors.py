"""Reads owned by core."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_for(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")
