"""Backup and restore: the whole database (in Django's JSON, so any supported database restores into any other)
plus the private uploads, in one ``.tar.gz`` archive.

Archive layout::

    manifest.json        format version, time, database vendor, applied migrations, counts
    database.json        ``dumpdata`` of every app (natural foreign keys; content types and permissions are
                         recreated by ``migrate``)
    private/…            the files under ``PRIVATE_MEDIA_ROOT``

``backup_restore`` refuses a database that already holds accounts: it is meant for an empty (new) database and
never mixes two data sets.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
# Recreated by ``migrate`` (content types, permissions) or not worth keeping (sessions, sign-in throttle).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(ValueError):
    """A backup cannot be written or restored; the message says why (German)."""


def backup_create(*, target: Path) -> dict[str, Any]:
    """Write the archive to ``target`` and return its manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("Die Datei %(path)s gibt es schon; bitte einen neuen Namen wählen.") % {"path": target})
    private_root = Path(settings.PRIVATE_MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.json"
        # One transaction: the dump is a consistent snapshot even while the site keeps running.
        with transaction.atomic():
            call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, output=str(dump), verbosity=0)
            migrations = sorted(f"{app}.{name}" for app, name in
                                MigrationRecorder(connection).migration_qs.values_list("app", "name"))
        files = sorted(p for p in private_root.rglob("*") if p.is_file()) if private_root.is_dir() else []
        manifest = {
            "format": FORMAT_VERSION, "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_vendor": connection.vendor, "migrations": migrations,
            "objects": len(json.loads(dump.read_text(encoding="utf-8"))), "private_files": len(files),
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname="database.json")
            for path in files:
                archive.add(path, arcname=f"private/{path.relative_to(private_root).as_posix()}")
        partial.rename(target)  # never leave a half-written archive under the real name
    return manifest


def _database_is_empty() -> bool:
    from .models import User

    return not User.objects.exists()


def _extract_safely(archive: tarfile.TarFile, dest: Path) -> None:
    """Unpack only plain files and folders inside ``dest``.

    Python 3.11.4+ has the "data" filter (refuses absolute paths, "..", links out of the folder and device files);
    older 3.11 releases (Debian bookworm ships 3.11.2) get the same refusal from an explicit check of every member.
    """
    if hasattr(tarfile, "data_filter"):
        archive.extractall(dest, filter="data")
        return
    root = dest.resolve()
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or (target != root and root not in target.parents):
            raise tarfile.TarError(f"unsafe archive member {member.name!r}")
    archive.extractall(dest)  # noqa: S202 - every member was checked above


def backup_restore(*, source: Path) -> dict[str, Any]:
    """Restore an archive written by ``backup_create`` into an empty database; return its manifest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("Die Sicherung %(path)s gibt es nicht.") % {"path": source})
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with tarfile.open(source, "r:gz") as archive:
                _extract_safely(archive, Path(tmp))
            manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(_("Die Datei ist keine lesbare Sicherung des Begegnungsatlas.")) from exc
        if manifest.get("format") != FORMAT_VERSION or not (Path(tmp) / "database.json").is_file():
            raise BackupError(_("Die Datei ist keine lesbare Sicherung des Begegnungsatlas."))
        call_command("migrate", interactive=False, verbosity=0)
        if not _database_is_empty():
            raise BackupError(_("Die Datenbank enthält schon Daten. Eine Sicherung wird nur in eine leere "
                                "Datenbank zurückgespielt."))
        private_root = Path(settings.PRIVATE_MEDIA_ROOT)
        if private_root.is_dir() and any(private_root.iterdir()):
            raise BackupError(_("Der Ordner für private Dateien (%(path)s) ist nicht leer.") % {"path": private_root})
        with transaction.atomic():
            # Rows created by data migrations (vocabularies) come back from the dump with their own ids;
            # flush re-creates content types and permissions, which the dump refers to by natural key.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(Path(tmp) / "database.json"), verbosity=0)
        restored_files = Path(tmp) / "private"
        if restored_files.is_dir():
            shutil.copytree(restored_files, private_root, dirs_exist_ok=True)
    return dict(manifest)
