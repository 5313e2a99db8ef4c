"""Reads for the import history page."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ValueImport


def value_imports_recent(*, limit: int = 100) -> QuerySet[ValueImport]:
    """The latest imports with their level, region and people, without the (large) undo data."""
    return (ValueImport.objects.select_related("level__region", "actor", "undone_by")
            .defer("written", "previous").order_by("-created_at", "-id")[:limit])
