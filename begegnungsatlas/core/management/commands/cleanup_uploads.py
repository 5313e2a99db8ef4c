"""Remove kept uploads (``core.uploads``) older than a day, or ``--hours``; run it daily (cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from begegnungsatlas.core.uploads import MAX_AGE_S, uploads_cleanup


class Command(BaseCommand):
    help = "Entfernt zwischengespeicherte Uploads, die älter als einen Tag (oder --hours) sind."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=float, default=MAX_AGE_S / 3600,
                            help="Alter in Stunden, ab dem ein Upload entfernt wird (Standard: 24).")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = uploads_cleanup(max_age_s=int(options["hours"] * 3600))
        self.stdout.write(f"{removed} zwischengespeicherte Uploads entfernt.")
