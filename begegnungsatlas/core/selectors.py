"""Reads owned by core."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_for(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")


def database_health() -> dict[str, Any]:
    """``{"status": "ok"|"error", "database": …, "migrations": …}`` — never raises (it feeds /healthz)."""
    from django.db import DatabaseError, connection
    from django.db.migrations.loader import MigrationLoader

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "error", "database": "unreachable", "error": exc.__class__.__name__, "migrations": "unknown"}
    try:
        loader = MigrationLoader(connection)
        # Every migration of the graph that is not recorded as applied, also one below an applied leaf
        # (a plan to the leaves would skip it).
        pending = set(loader.graph.nodes) - set(loader.applied_migrations)
    except DatabaseError as exc:
        return {"status": "error", "database": "ok", "migrations": "unknown", "error": exc.__class__.__name__}
    if pending:
        names = sorted(f"{app}.{name}" for app, name in pending)
        return {"status": "error", "database": "ok", "migrations": "pending", "pending": names}
    return {"status": "ok", "database": "ok", "migrations": "applied"}
