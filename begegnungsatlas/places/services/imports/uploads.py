"""Keeping an uploaded file between the steps of the web import.

The file lives under ``PRIVATE_MEDIA_ROOT/imports/<random>/`` (outside the web root) with a small ``meta.json``.
The browser only gets a signed token naming that folder and the user; a token of another user, a forged or an
expired token is refused. Folders are removed after the import, on cancel, and when older than a day.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from .errors import ImportFileError

SALT = "begegnungsatlas.places.import"
MAX_AGE_S = 24 * 3600


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "imports"


def upload_store(*, chunks: Any, user_id: int, meta: dict[str, Any]) -> str:
    """Save the uploaded chunks and the options; return the signed token."""
    uploads_cleanup()
    key = secrets.token_hex(16)
    folder = _root() / key
    folder.mkdir(parents=True, exist_ok=False)
    with (folder / "upload").open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    (folder / "meta.json").write_text(json.dumps({**meta, "user": user_id}), encoding="utf-8")
    return signing.dumps({"k": key, "u": user_id}, salt=SALT)


def upload_open(token: str, *, user_id: int) -> tuple[Path, dict[str, Any]]:
    """Path of the stored file and its options, or ``ImportFileError`` when the token is not valid for the user."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
    except signing.SignatureExpired as exc:
        raise ImportFileError(_("Der Import ist abgelaufen. Bitte laden Sie die Datei erneut hoch.")) from exc
    except signing.BadSignature as exc:
        raise ImportFileError(_("Dieser Import ist unbekannt. Bitte laden Sie die Datei erneut hoch.")) from exc
    if data.get("u") != user_id:
        raise ImportFileError(_("Dieser Import gehört zu einem anderen Konto."))
    folder = _root() / str(data.get("k", ""))
    if not str(data.get("k", "")).isalnum() or not (folder / "upload").exists():
        raise ImportFileError(_("Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch."))
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return folder / "upload", meta


def upload_update(token: str, *, user_id: int, **changes: Any) -> None:
    path, meta = upload_open(token, user_id=user_id)
    meta.update(changes)
    (path.parent / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def upload_delete(token: str, *, user_id: int) -> None:
    try:
        path, _meta = upload_open(token, user_id=user_id)
    except ImportFileError:
        return
    shutil.rmtree(path.parent, ignore_errors=True)


def uploads_cleanup(*, max_age_s: int = MAX_AGE_S) -> int:
    """Remove upload folders older than ``max_age_s``; returns how many."""
    root = _root()
    if not root.exists():
        return 0
    removed = 0
    limit = time.time() - max_age_s
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
