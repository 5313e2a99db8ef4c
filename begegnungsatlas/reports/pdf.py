"""Render a Typst template from ``reports/templates`` with JSON data to PDF bytes (or PNG pages for previews)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import typst

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
# PDF/UA-1 (ISO 14289-1): Typst 0.14+ writes tagged PDF (structure tree, /Lang, /MarkInfo) and, with this
# standard, checks the document (title, alt text on images, …) and records the claim in the XMP metadata.
ACCESSIBLE_STANDARD: Literal["ua-1"] = "ua-1"


class ReportError(RuntimeError):
    """The PDF could not be rendered (a template error: a bug, not a user error)."""


def _compile(template: str, data: dict[str, Any], *, fmt: Literal["pdf", "png"], accessible: bool = False,
             timestamp: datetime | None = None, ppi: float | None = None) -> bytes | list[bytes]:
    path = TEMPLATE_DIR / f"{template}.typ"
    if not path.is_file() or path.parent != TEMPLATE_DIR:
        raise ReportError(f"unknown report template: {template}")
    inputs = {"data": json.dumps(data, ensure_ascii=False, default=str)}
    try:
        if fmt == "pdf":
            # PDF standards only mean something for PDF output; a PNG preview has no tags to write.
            pdf: bytes = typst.compile(
                str(path), root=str(TEMPLATE_DIR), format="pdf", sys_inputs=inputs, ignore_system_fonts=True,
                pdf_standards=ACCESSIBLE_STANDARD if accessible else None,
                timestamp=(timestamp or datetime.now(UTC)).replace(microsecond=0),
            )
            return pdf
        pages: bytes | list[bytes] = typst.compile(str(path), root=str(TEMPLATE_DIR), format="png", ppi=ppi,
                                                   sys_inputs=inputs, ignore_system_fonts=True)
        return pages
    except typst.TypstError as exc:  # pragma: no cover - template bugs
        raise ReportError(str(exc)) from exc


def render_pdf(template: str, data: dict[str, Any], *, timestamp: datetime | None = None,
               accessible: bool = False) -> bytes:
    """Render ``templates/<template>.typ`` with ``data`` and return the PDF.

    The data are passed as JSON in ``sys.inputs.data``; templates read them with
    ``json(bytes(sys.inputs.data))``. Only the fonts embedded in Typst are used (no system fonts), so the
    output is the same on every machine; they cover German umlauts, ß, „…“ and €.

    ``accessible=True`` asks for PDF/UA-1: the template must set a document title and give every image
    alternative text, otherwise Typst refuses (a :class:`ReportError`, i.e. a template bug).
    """
    pdf = _compile(template, data, fmt="pdf", accessible=accessible, timestamp=timestamp)
    assert isinstance(pdf, bytes)
    return pdf


def render_png(template: str, data: dict[str, Any], *, ppi: float = 60) -> list[bytes]:
    """The pages of the same document as PNG images (previews and visual checks in tests)."""
    pages = _compile(template, data, fmt="png", ppi=ppi)
    return pages if isinstance(pages, list) else [pages]
