from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from begegnungsatlas.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive written by `begegnungsatlas backup` into an empty database (see docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = backup_restore(source=Path(opts["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Sicherung vom {manifest['created']} zurückgespielt ({manifest['objects']} Datensätze, "
                          f"{manifest['private_files']} private Dateien)")
