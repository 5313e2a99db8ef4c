"""Services of the Werkzeugkatalog: audited writes, validation with German messages, nothing half-written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.measures.errors import MeasureError
from begegnungsatlas.measures.models import Measure, Step
from begegnungsatlas.measures.services import (
    Relations,
    SheetPlan,
    measure_save,
    note_add,
    sheet_save,
    step_add,
    step_set_done,
)

from .conftest import JUELICH


def test_measure_create_sets_relations_links_and_audits(catalogue):
    m = catalogue["published"]
    assert list(m.partner_kommunen.all()) == [catalogue["dueren"]]
    assert [link.url for link in m.links.all()] == ["https://example.org/info"]
    event = AuditEvent.objects.filter(object_type="measures.measure", object_id=str(m.pk)).first()
    assert event.action == "measures.measure_create"
    assert event.changes["relations"]["partner_kommunen"] == [catalogue["dueren"].pk]


def test_measure_update_records_the_diff(catalogue, planner):
    m = catalogue["published"]
    measure_save(actor=planner, measure=m, data={"title": "Lernpatenschaften plus"},
                 relations=Relations(target_groups=[catalogue["seniors"]]))
    m.refresh_from_db()
    assert m.title == "Lernpatenschaften plus"
    event = AuditEvent.objects.filter(action="measures.measure_update", object_id=str(m.pk)).first()
    assert event.changes["title"] == ["Lernpatenschaften", "Lernpatenschaften plus"]


def test_partner_kommune_must_be_a_municipality_and_nothing_is_written(catalogue, planner):
    region_root = Area.objects.filter(level__is_municipality=False).first()
    before = Measure.objects.count()
    with pytest.raises(MeasureError, match="keine Kommune"):
        measure_save(actor=planner, data={"handlungsfeld": catalogue["bildung"], "title": "X", "kind": "new"},
                     relations=Relations(partner_kommunen=[region_root]))
    assert Measure.objects.count() == before


def test_bad_link_rolls_back_the_whole_measure(catalogue, planner):
    before = Measure.objects.count()
    with pytest.raises(MeasureError, match="https://"):
        measure_save(actor=planner, data={"handlungsfeld": catalogue["bildung"], "title": "X", "kind": "new"},
                     links=[{"title": "böse", "url": "javascript:alert(1)"}])
    assert Measure.objects.count() == before


def test_only_the_planner_edits_the_catalogue(catalogue, editor_dueren):
    with pytest.raises(PermissionDenied):
        measure_save(actor=editor_dueren, measure=catalogue["published"], data={"title": "gekapert"})
    with pytest.raises(PermissionDenied):
        sheet_save(actor=editor_dueren, measure=catalogue["published"], data={})


def test_sheet_rejects_a_step_ending_before_it_starts(catalogue, planner):
    sheet = catalogue["sheet"]
    with pytest.raises(MeasureError, match="Ende liegt vor dem Beginn"):
        sheet_save(actor=planner, measure=catalogue["published"], data={"status": "active"},
                   plan=SheetPlan(steps=[{"title": "Rückwärts", "start": date(2025, 5, 1), "end": date(2025, 4, 1)}]))
    assert sheet.steps.count() == 2  # unchanged


def test_sheet_bad_cost_lines_and_unknown_status_are_refused(catalogue, planner):
    sheet = catalogue["sheet"]
    for line, message in [({"item": "Miete", "kind": "room", "amount": Decimal("-1")}, "negativ"),
                          ({"item": "", "kind": "room", "amount": Decimal(5)}, "Bezeichnung"),
                          ({"item": "Miete", "kind": "gold", "amount": Decimal(5)}, "unbekannte Art"),
                          ({"item": "Miete", "kind": "room", "amount": Decimal("1.005")}, "Nachkommastellen"),
                          ({"item": "Miete", "kind": "room", "amount": "viel"}, "Betrag in Euro")]:
        with pytest.raises(MeasureError, match=message):
            sheet_save(actor=planner, measure=catalogue["published"], data={"status": "active"},
                       plan=SheetPlan(cost_lines=[{"item": "ok", "kind": "staff", "amount": Decimal(1)}, line]))
    assert [c.item for c in sheet.cost_lines.all()] == ["Koordination", "Lernmaterial"]  # unchanged
    with pytest.raises(MeasureError, match="Status"):
        sheet_save(actor=planner, measure=catalogue["other"], data={"status": "fertig"})
    assert not hasattr(Measure.objects.get(pk=catalogue["other"].pk), "sheet_cache")


def test_partner_kommune_adds_steps_and_notes(catalogue, editor_dueren):
    m = catalogue["published"]
    step = step_add(actor=editor_dueren, measure=m, data={"title": "Elternabend", "owner": "Stadt Düren",
                                                         "start": date(2025, 2, 1), "end": date(2025, 2, 1)})
    note = note_add(actor=editor_dueren, measure=m, text="Zwei Schulen machen mit.")
    assert note.author_label == editor_dueren.username
    step_set_done(actor=editor_dueren, step=step, done=True)
    assert Step.objects.get(pk=step.pk).is_done
    actions = set(AuditEvent.objects.filter(actor=editor_dueren).values_list("action", flat=True))
    assert {"measures.step_add", "measures.note_add", "measures.step_done"} <= actions


def test_partner_organisation_contributes_but_other_kommune_does_not(catalogue, operator, make_user):
    m = catalogue["published"]
    note_add(actor=operator, measure=m, text="Räume stehen bereit.")
    stranger = make_user("kommune_editor", kommune_code=JUELICH)
    with pytest.raises(PermissionDenied):
        note_add(actor=stranger, measure=m, text="darf nicht")
    with pytest.raises(PermissionDenied):
        step_set_done(actor=stranger, step=m.sheet.steps.first(), done=True)
    assert m.sheet.notes.count() == 1


def test_contributions_need_a_werkzeugblatt(catalogue, planner):
    with pytest.raises(MeasureError, match="nicht im Werkstattplan"):
        note_add(actor=planner, measure=catalogue["other"], text="x")


def test_empty_note_is_refused(catalogue, planner):
    with pytest.raises(MeasureError, match="Fortschrittsnotiz"):
        note_add(actor=planner, measure=catalogue["published"], text="   ")
