"""Render a Typst template from ``reports/templates`` with JSON data to PDF bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typst

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class ReportError(RuntimeError):
    """The PDF could not be rendered (a template error: a bug, not a user error)."""


def render_pdf(template: str, data: dict[str, Any], *, timestamp: datetime | None = None) -> bytes:
    """Render ``templates/<template>.typ`` with ``data`` and return the PDF.

    The data are passed as JSON in ``sys.inputs.data``; templates read them with
    ``json(bytes(sys.inputs.data))``. Only the fonts embedded in Typst are used (no system fonts), so the
    output is the same on every machine; they cover German umlauts, ß, „…“ and €.
    """
    path = TEMPLATE_DIR / f"{template}.typ"
    if not path.is_file() or path.parent != TEMPLATE_DIR:
        raise ReportError(f"unknown report template: {template}")
    try:
        pdf = typst.compile(
            str(path),
            root=str(TEMPLATE_DIR),
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False, default=str)},
            ignore_system_fonts=True,
            timestamp=(timestamp or datetime.now(UTC)).replace(microsecond=0),
        )
    except typst.TypstError as exc:  # pragma: no cover - template bugs
        raise ReportError(str(exc)) from exc
    assert isinstance(pdf, bytes)
    return pdf
