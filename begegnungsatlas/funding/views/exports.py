"""Exports (CSV/XLSX) and the audit trail of the funding workflow – office and auditor, read only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import exports, selectors
from ..permissions import can_read_all


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    can_read_all(request.user).enforce()
    if kind not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    head, rows = exports.export_table(kind)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(head, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_xlsx(head, rows, kind),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="foerderung-{kind}.{fmt}"'
    return response


def audit(request: HttpRequest) -> HttpResponse:
    can_read_all(request.user).enforce()
    return render(request, "funding/audit.html", {"events": selectors.audit_events()})
