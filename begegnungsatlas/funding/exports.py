"""Exports for the office and the auditor: applications, scores, bookings as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from . import selectors
from .models import Application, Booking, Score

EXPORTS = ("applications", "scores", "bookings")


def _applications() -> tuple[list[str], Iterable[list[Any]]]:
    head = ["Aktenzeichen", "Aufruf", "Kommune", "Partner", "Titel", "Status", "Entscheidung", "Begründung",
            "eingereicht am", "Beispieldaten"]
    rows = (
        [a.reference, a.call.title, a.kommune.name, a.partner.name if a.partner else "", a.title,
         a.get_state_display(), a.get_decision_display() if a.decision else "", a.decision_reason,
         a.submitted_at.isoformat() if a.submitted_at else "", "ja" if a.is_example else "nein"]
        for a in Application.objects.select_related("call", "kommune", "partner").order_by("call", "reference")
    )
    return head, rows


def _scores() -> tuple[list[str], Iterable[list[Any]]]:
    head = ["Aktenzeichen", "Gutachter:in", "Kriterium", "Gewicht", "Punkte", "Begründung", "abgegeben am"]
    rows = (
        [s.assignment.application.reference, s.assignment.reviewer.get_username(), s.criterion.name,
         s.criterion.weight, s.points, s.reason,
         s.assignment.submitted_at.isoformat() if s.assignment.submitted_at else ""]
        for s in Score.objects.select_related("assignment__application", "assignment__reviewer", "criterion")
        .order_by("assignment__application__reference", "assignment__reviewer__username", "criterion__sort")
    )
    return head, rows


def _bookings() -> tuple[list[str], Iterable[list[Any]]]:
    head = ["Buchung", "Zeitpunkt", "Aktenzeichen", "Position", "Art", "Betrag (EUR)", "Empfänger", "Beleg",
            "gebucht von"]
    rows = (
        [b.pk, b.at.isoformat(), b.line.grant.application.reference, b.line.name, b.get_kind_display(),
         f"{b.amount_cents // 100}.{b.amount_cents % 100:02d}", b.payee, str(b.voucher), b.by.get_username()]
        for b in Booking.objects.select_related("line__grant__application", "voucher", "by").order_by("at", "id")
    )
    return head, rows


def export_table(kind: str) -> tuple[list[str], list[list[Any]]]:
    head, rows = {"applications": _applications, "scores": _scores, "bookings": _bookings}[kind]()
    return head, [[str(v) if not isinstance(v, int | float) else v for v in row] for row in rows]


def _safe(value: Any) -> Any:
    # Text that a spreadsheet would read as a formula is stored as text, never evaluated.
    return ("'" + value) if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def to_csv(head: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(head)
    writer.writerows([_safe(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(head: list[str], rows: list[list[Any]], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(head)
    for row in rows:
        ws.append([_safe(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["EXPORTS", "export_table", "selectors", "to_csv", "to_xlsx"]
