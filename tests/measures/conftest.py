"""Fixtures: a small catalogue with a published and a draft measure, partners per role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.measures.models import Handlungsfeld, Measure
from begegnungsatlas.measures.services import Relations, SheetPlan, measure_save, sheet_save
from begegnungsatlas.places.models import Organisation, TargetGroup

DUEREN = "053580008008"
JUELICH = "053580024024"


@pytest.fixture
def org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Verein Nachbarschaft", kind="verein")


@pytest.fixture
def operator(make_user: Any, org: Organisation) -> Any:
    return make_user("operator", organisation=org, username="operator")


@pytest.fixture
def catalogue(db: Any, planner: Any, org: Organisation) -> dict[str, Any]:
    bildung = Handlungsfeld.objects.create(slug="bildung", name="Bildung", zukunftsbild="Lernen vor Ort", sort=2)
    wohnen = Handlungsfeld.objects.create(slug="wohnen", name="Leben & Wohnen", sort=5)
    dueren = Area.objects.get(level__is_municipality=True, code=DUEREN)
    seniors = TargetGroup.objects.get(slug="senioren")
    published = measure_save(actor=planner, data={
        "handlungsfeld": bildung, "number": "B-01", "title": "Lernpatenschaften", "kind": "new",
        "description": "Ehrenamtliche begleiten Kinder.", "is_published": True, "responsible_office": "Schulamt",
    }, relations=Relations(target_groups=[seniors], areas=[dueren], partner_kommunen=[dueren],
                           partner_organisations=[org]),
        links=[{"title": "Info", "url": "https://example.org/info"}])
    other = measure_save(actor=planner, data={
        "handlungsfeld": wohnen, "number": "W-01", "title": "Wohnberatung", "kind": "existing",
        "is_published": True,
    })
    draft = measure_save(actor=planner, data={
        "handlungsfeld": wohnen, "number": "W-02", "title": "Geheimer Entwurf", "kind": "new", "is_published": False,
    })
    sheet = sheet_save(actor=planner, measure=published, data={"goals": "Mehr Lernzeit", "status": "active"},
                       plan=SheetPlan(cost_lines=[
                           {"item": "Koordination", "kind": "staff", "amount": Decimal("10000")},
                           {"item": "Lernmaterial", "kind": "material", "amount": Decimal("2500.00"),
                            "note": "Bücher"}],
                                      steps=[{"title": "Auftakt", "owner": "Schulamt", "start": date(2025, 1, 1),
                                              "end": date(2025, 3, 31)},
                                             {"title": "Umsetzung", "owner": "Kommune", "start": date(2025, 4, 1),
                                              "end": date(2026, 6, 30)}]))
    return {"bildung": bildung, "wohnen": wohnen, "published": published, "other": other, "draft": draft,
            "sheet": sheet, "dueren": dueren, "seniors": seniors}


def measure_titles(response: Any) -> set[str]:
    return {m.title for _f, ms in response.context["groups"] for m in ms}


__all__ = ["DUEREN", "JUELICH", "Measure", "measure_titles"]
