"""Writes of the Werkzeugkatalog: every change runs in one transaction and is recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.permissions import require_user
from begegnungsatlas.core.services import audit_record, diff_fields

from .errors import MeasureError
from .models import (
    CostKind,
    CostLine,
    Handlungsfeld,
    Measure,
    MeasureKind,
    MeasureLink,
    ProgressNote,
    SheetStatus,
    Step,
    SuccessIndicator,
    Werkzeugblatt,
)
from .permissions import can_contribute, can_manage_catalogue

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


MEASURE_FIELDS = ("handlungsfeld", "number", "title", "kind", "description", "responsible_office",
                  "is_published", "is_example")
RELATION_FIELDS = ("target_groups", "areas", "places", "partner_kommunen", "partner_organisations", "funding_calls")
SHEET_FIELDS = ("goals", "resources", "status")


@dataclass
class Relations:
    """The many-to-many relations of a measure, as chosen in the form."""

    target_groups: Iterable[Any] = ()
    areas: Iterable[Any] = ()
    places: Iterable[Any] = ()
    partner_kommunen: Iterable[Any] = ()
    partner_organisations: Iterable[Any] = ()
    funding_calls: Iterable[Any] = ()


@dataclass
class SheetPlan:
    """Steps and indicators of success of a Werkzeugblatt (dicts as cleaned by the formsets)."""

    steps: Sequence[dict[str, Any]] = field(default_factory=list)
    indicators: Sequence[dict[str, Any]] = field(default_factory=list)
    cost_lines: Sequence[dict[str, Any]] = field(default_factory=list)


def _snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


@transaction.atomic
def handlungsfeld_save(*, actor: Actor, data: dict[str, Any], handlungsfeld: Handlungsfeld | None = None,
                       check_permission: bool = True) -> Handlungsfeld:
    if check_permission:
        can_manage_catalogue(actor).enforce()
    name = (data.get("name") or "").strip()
    if not name:
        raise MeasureError(_("Bitte geben Sie den Namen des Handlungsfeldes an."))
    obj = handlungsfeld or Handlungsfeld()
    before = _snapshot(obj, ("name", "zukunftsbild", "sort")) if obj.pk else {}
    obj.name = name
    obj.slug = data.get("slug") or obj.slug
    if not obj.slug:
        raise MeasureError(_("Bitte geben Sie ein Kürzel für das Handlungsfeld an."))
    obj.zukunftsbild = (data.get("zukunftsbild") or "").strip()
    obj.sort = int(data.get("sort") or obj.sort or 100)
    obj.is_example = bool(data.get("is_example", obj.is_example))
    obj.save()
    audit_record(actor=actor, action="measures.handlungsfeld_save", obj=obj,
                 changes=diff_fields(before, _snapshot(obj, ("name", "zukunftsbild", "sort"))))
    return obj


def _check_measure(data: dict[str, Any], relations: Relations) -> None:
    if not (data.get("title") or "").strip():
        raise MeasureError(_("Bitte geben Sie einen Titel für das Werkzeug an."))
    if data.get("handlungsfeld") is None:
        raise MeasureError(_("Bitte wählen Sie ein Handlungsfeld."))
    if data.get("kind") not in MeasureKind.values:
        raise MeasureError(_("Die Art muss „bestehend“ oder „neu“ sein."))
    for kommune in relations.partner_kommunen:
        if not kommune.level.is_municipality:
            raise MeasureError(_("„%(name)s“ ist keine Kommune.") % {"name": kommune.name})


def _set_relations(measure: Measure, relations: Relations) -> dict[str, list[int]]:
    out = {}
    for name in RELATION_FIELDS:
        items = list(getattr(relations, name))
        getattr(measure, name).set(items)
        out[name] = sorted(i.pk for i in items)
    return out


def _set_links(measure: Measure, links: Iterable[dict[str, str]]) -> list[str]:
    measure.links.all().delete()
    urls = []
    for link in links:
        title, url = (link.get("title") or "").strip(), (link.get("url") or "").strip()
        if not url:
            continue
        if not url.startswith(("https://", "http://")):
            raise MeasureError(_("Links müssen mit https:// oder http:// beginnen: %(url)s") % {"url": url})
        MeasureLink.objects.create(measure=measure, title=title or url, url=url)
        urls.append(url)
    return urls


@transaction.atomic
def measure_save(*, actor: Actor, data: dict[str, Any], relations: Relations | None = None,
                 links: Iterable[dict[str, str]] = (), measure: Measure | None = None,
                 check_permission: bool = True) -> Measure:
    """Create (``measure=None``) or update a measure with its relations and links."""
    if check_permission:
        can_manage_catalogue(actor).enforce()
    relations = relations or Relations()
    merged = {**({k: getattr(measure, k) for k in MEASURE_FIELDS} if measure else {}), **data}
    _check_measure(merged, relations)
    obj = measure or Measure()
    before = _snapshot(obj, MEASURE_FIELDS) if obj.pk else {}
    for name in MEASURE_FIELDS:
        if name in merged:
            value = merged[name]
            setattr(obj, name, value.strip() if isinstance(value, str) else value)
    obj.save()
    changes: dict[str, Any] = diff_fields(before, _snapshot(obj, MEASURE_FIELDS))
    changes["relations"] = _set_relations(obj, relations)
    changes["links"] = _set_links(obj, links)
    audit_record(actor=actor, action="measures.measure_update" if before else "measures.measure_create",
                 obj=obj, changes=changes)
    return obj


@transaction.atomic
def example_measures_delete() -> int:
    """Remove the demo's example measures (with their Werkzeugblätter) before the demo is loaded again."""
    count = 0
    for measure in Measure.objects.filter(is_example=True):
        audit_record(actor=None, action="measures.measure_example_delete", obj=measure, changes={})
        measure.delete()
        count += 1
    return count


def _check_step(step: dict[str, Any]) -> None:
    if not (step.get("title") or "").strip():
        raise MeasureError(_("Jeder Schritt braucht eine Bezeichnung."))
    start, end = step.get("start"), step.get("end")
    if not isinstance(start, date) or not isinstance(end, date):
        raise MeasureError(_("Schritt „%(t)s“: bitte Beginn und Ende angeben.") % {"t": step["title"]})
    if end < start:
        raise MeasureError(_("Schritt „%(t)s“: das Ende liegt vor dem Beginn.") % {"t": step["title"]})


def _check_cost_line(line: dict[str, Any]) -> dict[str, Any]:
    """A cost line as the model wants it; German errors for a missing item, unknown kind or bad amount."""
    item = (line.get("item") or "").strip()
    if not item:
        raise MeasureError(_("Jeder Kostenposten braucht eine Bezeichnung."))
    kind = line.get("kind") or CostKind.OTHER
    if kind not in CostKind.values:
        raise MeasureError(_("Kostenposten „%(i)s“: unbekannte Art.") % {"i": item})
    try:
        amount = Decimal(str(line.get("amount")))
    except (InvalidOperation, ValueError) as exc:
        raise MeasureError(_("Kostenposten „%(i)s“: bitte einen Betrag in Euro angeben.") % {"i": item}) from exc
    if not amount.is_finite() or amount < 0:
        raise MeasureError(_("Kostenposten „%(i)s“: der Betrag darf nicht negativ sein.") % {"i": item})
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise MeasureError(_("Kostenposten „%(i)s“: höchstens zwei Nachkommastellen und unter 10 Mrd. Euro.")
                           % {"i": item})
    return {"item": item, "kind": kind, "amount": amount, "note": (line.get("note") or "").strip()[:300]}


@transaction.atomic
def sheet_save(*, actor: Actor, measure: Measure, data: dict[str, Any], plan: SheetPlan | None = None,
               check_permission: bool = True) -> Werkzeugblatt:
    """Create or update the Werkzeugblatt of a measure (which puts it into the Werkstattplan).

    The steps and indicators of success given replace the former ones.
    """
    if check_permission:
        can_manage_catalogue(actor).enforce()
    plan = plan or SheetPlan()
    status = data.get("status") or SheetStatus.PLANNED
    if status not in SheetStatus.values:
        raise MeasureError(_("Unbekannter Status."))
    lines = [_check_cost_line(line) for line in plan.cost_lines]
    for step in plan.steps:
        _check_step(step)
    for item in plan.indicators:
        if not (item.get("description") or "").strip():
            raise MeasureError(_("Jeder Erfolgsindikator braucht eine Beschreibung."))
    sheet, created = Werkzeugblatt.objects.select_for_update().get_or_create(measure=measure)
    before = {} if created else _snapshot(sheet, SHEET_FIELDS)
    sheet.goals = (data.get("goals") or "").strip()
    sheet.resources = (data.get("resources") or "").strip()
    sheet.status = status
    sheet.save()
    sheet.steps.all().delete()
    Step.objects.bulk_create([
        Step(sheet=sheet, title=s["title"].strip(), owner=(s.get("owner") or "").strip(), start=s["start"],
             end=s["end"], is_done=bool(s.get("is_done")))
        for s in plan.steps
    ])
    sheet.success_indicators.all().delete()
    SuccessIndicator.objects.bulk_create([
        SuccessIndicator(sheet=sheet, description=i["description"].strip(), indicator=i.get("indicator"),
                         target=(i.get("target") or "").strip())
        for i in plan.indicators
    ])
    sheet.cost_lines.all().delete()
    CostLine.objects.bulk_create([CostLine(sheet=sheet, **line) for line in lines])
    changes: dict[str, Any] = diff_fields(before, _snapshot(sheet, SHEET_FIELDS))
    changes["cost_lines"] = [[line["item"], line["kind"], str(line["amount"])] for line in lines]
    changes["steps"] = [s["title"] for s in plan.steps]
    changes["indicators"] = [i["description"] for i in plan.indicators]
    audit_record(actor=actor, action="measures.sheet_create" if created else "measures.sheet_update",
                 obj=sheet, changes=changes)
    return sheet


def _sheet_for_contribution(actor: Actor, measure: Measure) -> Werkzeugblatt:
    can_contribute(actor, measure).enforce()
    try:
        return measure.sheet
    except Werkzeugblatt.DoesNotExist as exc:
        raise MeasureError(_("Dieses Werkzeug ist nicht im Werkstattplan (es hat kein Werkzeugblatt).")) from exc


@transaction.atomic
def step_add(*, actor: Actor, measure: Measure, data: dict[str, Any]) -> Step:
    """A partner adds a step to the Werkzeugblatt."""
    sheet = _sheet_for_contribution(actor, measure)
    _check_step(data)
    step = Step.objects.create(sheet=sheet, title=data["title"].strip(), owner=(data.get("owner") or "").strip(),
                               start=data["start"], end=data["end"])
    audit_record(actor=actor, action="measures.step_add", obj=step,
                 changes={"measure": measure.pk, "start": str(step.start), "end": str(step.end)})
    return step


@transaction.atomic
def step_set_done(*, actor: Actor, step: Step, done: bool) -> Step:
    step = Step.objects.select_for_update().select_related("sheet__measure").get(pk=step.pk)
    can_contribute(actor, step.sheet.measure).enforce()
    if step.is_done != done:
        step.is_done = done
        step.save(update_fields=["is_done"])
        audit_record(actor=actor, action="measures.step_done" if done else "measures.step_reopen", obj=step,
                     changes={"is_done": [not done, done]})
    return step


@transaction.atomic
def note_add(*, actor: Actor, measure: Measure, text: str) -> ProgressNote:
    sheet = _sheet_for_contribution(actor, measure)
    text = (text or "").strip()
    if not text:
        raise MeasureError(_("Bitte schreiben Sie etwas in die Fortschrittsnotiz."))
    if len(text) > 5000:
        raise MeasureError(_("Die Notiz ist zu lang (höchstens 5000 Zeichen)."))
    author = require_user(actor)
    note = ProgressNote.objects.create(sheet=sheet, author=author, author_label=author.get_username(), text=text)
    audit_record(actor=actor, action="measures.note_add", obj=note, changes={"measure": measure.pk})
    return note
