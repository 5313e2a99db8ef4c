from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from begegnungsatlas.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database and the private uploads into one archive (see docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="target file, e.g. begegnungsatlas-2026-12-03.tar.gz")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = backup_create(target=Path(opts["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Sicherung geschrieben: {opts['archive']} ({manifest['objects']} Datensätze, "
                          f"{manifest['private_files']} private Dateien)")
