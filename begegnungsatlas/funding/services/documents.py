"""Storing uploaded documents: size and type checked by content (magic bytes), random names, private storage."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from begegnungsatlas.core.permissions import signed_in

from ..errors import FundingError
from ..models import Document

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


# Accepted types, recognised by their first bytes – never by the file name or the browser's claim.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
_EXT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def document_store(*, actor: Actor, upload: Any, title: str = "", pdf_only: bool = False, **owner: Any) -> Document:
    """Check and store one uploaded file; ``owner`` is one of ``call=``, ``application=``, ``grant=``.

    ``pdf_only`` accepts PDF content only (call attachments are published documents).

    Raises ``FundingError`` (German message) for empty, too large or mislabelled files. Call it inside the
    caller's transaction; the file itself is written before the row, and an orphaned file on rollback is
    harmless (random name, never served).
    """
    name = getattr(upload, "name", "") or "datei"
    limit = settings.BEGEGNUNGSATLAS_MAX_DOCUMENT_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise FundingError(_("Die Datei „%(name)s“ ist zu groß (höchstens %(mb)s MB).")
                           % {"name": name, "mb": limit // (1024 * 1024)})
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise FundingError(_("Die Datei „%(name)s“ ist zu groß (höchstens %(mb)s MB).")
                           % {"name": name, "mb": limit // (1024 * 1024)})
    if not content:
        raise FundingError(_("Die Datei „%(name)s“ ist leer.") % {"name": name})
    sniffed = sniff(content[:16])
    if pdf_only and (sniffed is None or sniffed[0] != "application/pdf"):
        raise FundingError(_("Die Datei „%(name)s“ ist keine PDF-Datei (geprüft wird der Inhalt, nicht der Name). "
                             "Bitte laden Sie ein PDF hoch.") % {"name": name})
    if sniffed is None:
        raise FundingError(_("Die Datei „%(name)s“ ist kein PDF, PNG oder JPEG. Bitte laden Sie ein PDF oder ein "
                             "Bild hoch.") % {"name": name})
    content_type, ext = sniffed
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed in _EXT_TYPES and _EXT_TYPES[claimed] != content_type:
        raise FundingError(_("Die Datei „%(name)s“ ist nicht das, was ihr Name angibt (Inhalt: %(type)s). "
                             "Bitte prüfen Sie die Datei.") % {"name": name, "type": ext.upper()})
    stored = default_storage.save(f"funding/{secrets.token_hex(16)}.{ext}", ContentFile(content))
    return Document.objects.create(
        file=stored, original_name=name[:255], content_type=content_type, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), title=title[:300], uploaded_by=signed_in(actor), **owner,
    )
