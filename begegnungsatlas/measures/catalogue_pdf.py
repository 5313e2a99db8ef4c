"""The printable Werkzeugkatalog: the published measures grouped by Handlungsfeld, rendered with Typst."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.reports import render_pdf

from .models import Handlungsfeld, Measure, MeasureKind


def _measure(m: Measure) -> dict[str, Any]:
    sheet = getattr(m, "sheet", None)  # only measures of the Werkstattplan have a Werkzeugblatt
    return {
        "plan": "" if sheet is None else f"{sheet.get_status_display()}"
        + (f", {_('Kosten')} {sheet.cost_total_display}" if sheet.cost_total is not None else ""),
        "number": m.number, "title": m.title, "kind": m.get_kind_display(), "is_new": m.kind == MeasureKind.NEW,
        "description": m.description, "office": m.responsible_office,
        "target_groups": [str(t) for t in m.target_groups.all()],
        "areas": [a.name for a in m.areas.all()],
        "partners": [a.name for a in m.partner_kommunen.all()] + [o.name for o in m.partner_organisations.all()],
        "links": [{"title": link.title, "url": link.url} for link in m.links.all()],
    }


def catalogue_pdf(groups: list[tuple[Handlungsfeld, list[Measure]]], *, title: str, site: str) -> bytes:
    """``groups`` as returned by ``selectors.catalogue_by_field``."""
    is_example = any(f.is_example or any(m.is_example for m in ms) for f, ms in groups)
    data = {
        "sender": site, "title": title, "is_example": is_example,
        "footer": timezone.localdate().strftime("Stand %d.%m.%Y"),
        "fields": [{"name": f.name, "zukunftsbild": f.zukunftsbild, "measures": [_measure(m) for m in ms]}
                   for f, ms in groups],
    }
    return render_pdf("measures_catalogue", data)
