"""Demo content of the Werkzeugkatalog, clearly marked as example (``is_example``).

Only the *structure* is real: the five Handlungsfelder named in the public description of the Kreis Düren
Werkzeugkatalog, existing ("blau") and new ("grün") tools, and the Werkstattplan with Werkzeugblättern. The
Zukunftsbild texts and measures below are labelled placeholders, not the catalogue's content.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from begegnungsatlas.atlas.models import Area, Indicator
from begegnungsatlas.places.models import TargetGroup

from .models import CostKind, Handlungsfeld, Measure, MeasureKind, SheetStatus
from .services import (
    Relations,
    SheetPlan,
    example_measures_delete,
    handlungsfeld_save,
    measure_save,
    sheet_save,
)

# (slug, name) as in the public description of the Werkzeugkatalog (Kreis Düren, Zukunftswerkstatt 2017)
HANDLUNGSFELDER = [
    ("fachkraefte", "Fachkräfte"),
    ("bildung", "Bildung"),
    ("teilhabe", "gesellschaftliche Teilhabe"),
    ("mobilitaet", "Mobilität & (Nah-)Versorgung"),
    ("wohnen", "Leben & Wohnen"),
]
OFFICE = "Amt für Generationen, Demografie, Inklusion und Sozialplanung (Kreis Düren)"


def load(*, out: Callable[[str], object] = print) -> None:
    fields = []
    for sort, (slug, name) in enumerate(HANDLUNGSFELDER, start=1):
        existing = Handlungsfeld.objects.filter(slug=slug).first()
        fields.append(handlungsfeld_save(actor=None, check_permission=False, handlungsfeld=existing, data={
            "slug": slug, "name": name, "sort": sort * 10, "is_example": True,
            "zukunftsbild": (f"Beispieltext: Hier steht das Zukunftsbild des Handlungsfeldes „{name}“ – wie sich "
                             "der Kreis in diesem Feld bestmöglich entwickeln kann. Der echte Text steht im "
                             "Werkzeugkatalog des Kreises Düren."),
        }))
    kreuzau = Area.objects.filter(level__is_municipality=True, name__icontains="Kreuzau").first()
    dueren = Area.objects.filter(level__is_municipality=True, code="053580008008").first()
    groups = list(TargetGroup.objects.order_by("sort")[:3])
    example_measures_delete()
    created: list[Measure] = []
    for i, feld in enumerate(fields, start=1):
        for kind, colour in ((MeasureKind.EXISTING, "blau"), (MeasureKind.NEW, "grün")):
            label = "bestehendes" if kind == MeasureKind.EXISTING else "neues"
            created.append(measure_save(actor=None, check_permission=False, data={
                "handlungsfeld": feld, "number": f"{feld.slug[:2].upper()}-{len(created) + 1:02d}",
                "title": f"Beispiel: {label} Werkzeug im Handlungsfeld {feld.name}",
                "kind": kind, "is_published": True, "is_example": True, "responsible_office": OFFICE,
                "description": (f"Beispiel für ein {label} („{colour}es“) Werkzeug – ein demografierelevantes "
                                "Projekt oder eine Maßnahme, die weiter ausgebaut oder neu geschaffen werden kann, "
                                "um das Zukunftsbild zu verwirklichen. Platzhalter, keine echte Maßnahme."),
            }, relations=Relations(
                target_groups=groups[i % len(groups): i % len(groups) + 1] if groups else [],
                areas=[a for a in (kreuzau if i % 2 else dueren,) if a is not None],
                partner_kommunen=[a for a in (dueren,) if a is not None and kind == MeasureKind.NEW],
            )))
    today = timezone.localdate()
    indicator = Indicator.objects.filter(is_internal=False).first()
    for n, measure in enumerate(created[1::2][:3]):
        # the finished example lies in the past, the others start now and later
        start = today.replace(day=1) + timedelta(days=60 * n if n < 2 else -330)
        sheet_save(actor=None, check_permission=False, measure=measure, data={
            "goals": "Beispiel: Ziele des Werkzeugs, in kleinen Schritten geplant.",
            "resources": "Beispiel: Personal, Räume, Sachmittel.",
            "status": [SheetStatus.ACTIVE, SheetStatus.PLANNED, SheetStatus.DONE][n],
        }, plan=SheetPlan(
            steps=[
                {"title": "Beispiel: Bedarf klären", "owner": OFFICE, "start": start,
                 "end": start + timedelta(days=45), "is_done": n != 1},
                {"title": "Beispiel: Umsetzung mit den Kommunen", "owner": "Beispiel: beteiligte Kommune",
                 "start": start + timedelta(days=46), "end": start + timedelta(days=200), "is_done": n == 2},
                {"title": "Beispiel: Auswertung", "owner": OFFICE, "start": start + timedelta(days=201),
                 "end": start + timedelta(days=260), "is_done": n == 2},
            ],
            indicators=[{"description": "Beispiel: Entwicklung eines Indikators im Atlas", "indicator": indicator,
                         "target": ""}],
            cost_lines=[
                {"item": "Beispiel: Koordination (Stellenanteil)", "kind": CostKind.STAFF,
                 "amount": Decimal(3000 * (n + 1))},
                {"item": "Beispiel: Material und Druck", "kind": CostKind.MATERIAL, "amount": Decimal("1250.50")},
                {"item": "Beispiel: Raummiete Bürgerhaus", "kind": CostKind.ROOM, "amount": Decimal(750),
                 "note": "Beispiel: 10 Termine"},
            ],
        ))
    out(f"Werkzeugkatalog: {len(fields)} Handlungsfelder, {len(created)} Beispiel-Werkzeuge, "
        f"3 Werkzeugblätter (Beispieldaten).")
