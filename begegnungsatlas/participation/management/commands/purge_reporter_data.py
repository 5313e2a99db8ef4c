from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from begegnungsatlas.participation.services.privacy import reporter_data_purge


class Command(BaseCommand):
    help = "Delete reporters' e-mail addresses older than BEGEGNUNGSATLAS_REPORTER_DATA_DAYS (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="override the configured period")

    def handle(self, *args: Any, **opts: Any) -> None:
        n = reporter_data_purge(days=opts["days"])
        self.stdout.write(f"{n} E-Mail-Adressen gelöscht.")
