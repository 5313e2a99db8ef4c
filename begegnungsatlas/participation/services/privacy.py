"""Deletion of reporters' personal data (the e-mail address) after the configured period."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from begegnungsatlas.core.services import audit_record

from ..models import Report


@transaction.atomic
def reporter_data_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Blank the e-mail of every report older than ``days`` (default: the setting); return how many."""
    days = settings.BEGEGNUNGSATLAS_REPORTER_DATA_DAYS if days is None else days
    now = now or timezone.now()
    qs = Report.objects.filter(submitted_at__lt=now - timedelta(days=days)).exclude(reporter_email="")
    ids = list(qs.values_list("pk", flat=True))
    n = Report.objects.filter(pk__in=ids).update(reporter_email="", email_deleted_at=now)
    if n:
        audit_record(actor=None, action="participation.reporter_data_purge", object_type="participation.report",
                     object_id="", object_label=f"{n}", changes={"reports": ids, "days": days},
                     anonymous_label="system")
    return n
