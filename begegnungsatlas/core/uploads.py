"""The one store for uploads kept between the steps of a web flow (upload → column mapping → preview → import).

Every app that lets a person upload a file and come back to it (place import, atlas values and boundaries import …)
keeps it here: the file lives under ``PRIVATE_MEDIA_ROOT/uploads/<purpose>/<random>/`` (outside the web root) with a
small ``meta.json``. The browser only gets a token signed for the purpose and the user; a token of another user or
another purpose, a forged or an expired token is refused with a German message. Folders are removed after the import,
on cancel, and when older than a day (on every new upload and by ``begegnungsatlas cleanup_uploads``).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_AGE_S = 24 * 3600
PURPOSE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


class UploadError(DomainError):
    """The kept upload cannot be used (expired, unknown, of another person, gone)."""


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "uploads"


def _folder(purpose: str) -> Path:
    if not PURPOSE.match(purpose):
        raise ValueError(f"invalid upload purpose {purpose!r}")
    return _root() / purpose


def _salt(purpose: str) -> str:
    return f"begegnungsatlas.upload.{purpose}"


def upload_store(*, purpose: str, chunks: Iterable[bytes], user_id: int, meta: dict[str, Any]) -> str:
    """Save the uploaded chunks and their options; return the signed token."""
    uploads_cleanup()
    key = secrets.token_hex(16)
    folder = _folder(purpose) / key
    folder.mkdir(parents=True, exist_ok=False)
    with (folder / "upload").open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    (folder / "meta.json").write_text(json.dumps({**meta, "user": user_id}), encoding="utf-8")
    return signing.dumps({"k": key, "u": user_id}, salt=_salt(purpose))


def upload_open(token: str, *, purpose: str, user_id: int) -> tuple[Path, dict[str, Any]]:
    """Path of the stored file and its options, or ``UploadError`` when the token is not valid for the user."""
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE_S)
    except signing.SignatureExpired as exc:
        raise UploadError(_("Der Import ist abgelaufen. Bitte laden Sie die Datei erneut hoch.")) from exc
    except signing.BadSignature as exc:
        raise UploadError(_("Dieser Import ist unbekannt. Bitte laden Sie die Datei erneut hoch.")) from exc
    if data.get("u") != user_id:
        raise UploadError(_("Dieser Import gehört zu einem anderen Konto."))
    key = str(data.get("k", ""))
    folder = _folder(purpose) / key
    if not key.isalnum() or not (folder / "upload").exists():
        raise UploadError(_("Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch."))
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return folder / "upload", meta


def upload_update(token: str, *, purpose: str, user_id: int, **changes: Any) -> None:
    path, meta = upload_open(token, purpose=purpose, user_id=user_id)
    meta.update(changes)
    (path.parent / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def upload_delete(token: str, *, purpose: str, user_id: int) -> None:
    try:
        path, _meta = upload_open(token, purpose=purpose, user_id=user_id)
    except UploadError:
        return
    shutil.rmtree(path.parent, ignore_errors=True)


def uploads_cleanup(*, max_age_s: int = MAX_AGE_S) -> int:
    """Remove upload folders (of every purpose) older than ``max_age_s``; returns how many."""
    root = _root()
    if not root.exists():
        return 0
    removed = 0
    limit = time.time() - max_age_s
    for purpose in root.iterdir():
        if not purpose.is_dir():
            continue
        for folder in purpose.iterdir():
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed
