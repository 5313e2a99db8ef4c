"""Reads of the Werkzeugkatalog: the filtered catalogue, one measure, the Werkstattplan as a timeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from begegnungsatlas.core.models import Role
from begegnungsatlas.core.permissions import has_role, signed_in

from .models import Handlungsfeld, Measure, SheetStatus, Step, Werkzeugblatt, euro_display

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


def _with_relations(qs: QuerySet[Measure]) -> QuerySet[Measure]:
    return qs.select_related("handlungsfeld").prefetch_related(
        "target_groups", "areas", "partner_kommunen", "partner_organisations", "links",
    )


def visible_measures(user: Actor) -> QuerySet[Measure]:
    """Published measures for everybody; the planner and the auditor see drafts, partners their own."""
    qs = Measure.objects.all()
    if has_role(user, Role.PLANNER, Role.AUDITOR):
        return qs
    q = Q(is_published=True)
    u = signed_in(user)
    if u is not None and u.role == Role.KOMMUNE_EDITOR and u.kommune_id:
        q |= Q(partner_kommunen=u.kommune_id)
    if u is not None and u.role == Role.OPERATOR and u.organisation_id:
        q |= Q(partner_organisations=u.organisation_id)
    return qs.filter(q).distinct()


def catalogue_search(*, user: Actor = None, text: str = "", handlungsfeld: Handlungsfeld | None = None,
                     kind: str = "", target_group: Any = None, area: Any = None) -> QuerySet[Measure]:
    qs = visible_measures(user)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(number__icontains=text)
                       | Q(responsible_office__icontains=text))
    if handlungsfeld is not None:
        qs = qs.filter(handlungsfeld=handlungsfeld)
    if kind:
        qs = qs.filter(kind=kind)
    if target_group is not None:
        qs = qs.filter(target_groups=target_group)
    if area is not None:
        # an area filter also finds measures of the areas inside it and of the Kommune it belongs to
        qs = qs.filter(Q(areas=area) | Q(areas__parent=area) | Q(partner_kommunen=area)
                       | Q(areas__pk=area.parent_id))
    return _with_relations(qs.distinct())


def catalogue_by_field(measures: QuerySet[Measure]) -> list[tuple[Handlungsfeld, list[Measure]]]:
    """Group measures by Handlungsfeld in catalogue order (empty fields are left out)."""
    groups: dict[int, list[Measure]] = {}
    for m in measures:
        groups.setdefault(m.handlungsfeld_id, []).append(m)
    return [(f, groups[f.pk]) for f in Handlungsfeld.objects.all() if f.pk in groups]


def measure_detail(pk: int) -> Measure:
    return _with_relations(Measure.objects.all()).prefetch_related("places").get(pk=pk)


def measures_of_call(call: Any, *, user: Actor) -> QuerySet[Measure]:
    """The measures a funding call finances, as far as ``user`` may see them (for the call page)."""
    return visible_measures(user).filter(funding_calls=call).select_related("handlungsfeld") \
        .order_by("handlungsfeld__sort", "number", "title")


def funding_calls_of(measure: Measure, *, user: Actor) -> list[Any]:
    """The funding calls financing a measure that ``user`` may see (drafts only for the funding staff)."""
    from begegnungsatlas.funding.permissions import can_view_call

    return [c for c in measure.funding_calls.order_by("-opens_at", "title") if can_view_call(user, c).allowed]


def sheet_of(measure: Measure) -> Werkzeugblatt | None:
    return (Werkzeugblatt.objects.filter(measure=measure)
            .prefetch_related("steps", "success_indicators__indicator", "notes", "cost_lines").first())


def measures_for_contributor(user: Actor) -> QuerySet[Measure]:
    """Measures the person's Kommune or organisation is partner in (all for the planner)."""
    if has_role(user, Role.PLANNER):
        return Measure.objects.select_related("handlungsfeld")
    u = signed_in(user)
    if u is None:
        return Measure.objects.none()
    q = Q(pk__in=[])
    if u.role == Role.KOMMUNE_EDITOR and u.kommune_id:
        q = Q(partner_kommunen=u.kommune_id)
    elif u.role == Role.OPERATOR and u.organisation_id:
        q = Q(partner_organisations=u.organisation_id)
    return Measure.objects.filter(q).select_related("handlungsfeld").distinct()


@dataclass
class Bar:
    label: str
    start: date
    end: date
    x: float  # percent of the timeline width
    width: float
    is_done: bool = False
    owner: str = ""


@dataclass
class PlanRow:
    measure: Measure
    sheet: Werkzeugblatt
    start: date | None
    end: date | None
    steps: list[Bar] = field(default_factory=list)
    span: Bar | None = None
    done_steps: int = 0


@dataclass
class Timeline:
    rows: list[PlanRow]
    start: date | None
    end: date | None
    years: list[tuple[int, float]]  # (year, x percent of 1 January)
    status_counts: list[tuple[str, str, int, str]]  # (status value, label, count, planned costs displayed)
    cost_total: str = ""  # the planned costs of all rows, displayed
    today_x: float | None = None  # percent position of today's date, when it lies on the axis


def _pos(d: date, start: date, days: int) -> float:
    return round(100.0 * (d - start).days / days, 3)


def werkstattplan(*, user: Actor = None) -> Timeline:
    """The selected measures (those with a Werkzeugblatt) with their steps placed on one time axis."""
    sheets = list(
        Werkzeugblatt.objects.filter(measure__in=visible_measures(user))
        .select_related("measure__handlungsfeld")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("start", "end", "id")), "cost_lines")
        .order_by("measure__handlungsfeld__sort", "measure__number", "measure__title")
    )
    all_steps = [s for sheet in sheets for s in sheet.steps.all()]
    start = min((s.start for s in all_steps), default=None)
    end = max((s.end for s in all_steps), default=None)
    rows: list[PlanRow] = []
    years: list[tuple[int, float]] = []
    if start and end:
        start = date(start.year, 1, 1)
        end = date(end.year, 12, 31)
        days = max((end - start).days, 1)
        years = [(y, _pos(date(y, 1, 1), start, days)) for y in range(start.year, end.year + 1)]
    for sheet in sheets:
        steps = list(sheet.steps.all())
        row = PlanRow(measure=sheet.measure, sheet=sheet, start=min((s.start for s in steps), default=None),
                      end=max((s.end for s in steps), default=None), done_steps=sum(s.is_done for s in steps))
        if start and row.start and row.end:
            days = max((end - start).days, 1)  # type: ignore[operator]
            row.span = Bar(str(sheet.measure), row.start, row.end, _pos(row.start, start, days),
                           max(_pos(row.end, start, days) - _pos(row.start, start, days), 0.4))
            row.steps = [Bar(s.title, s.start, s.end, _pos(s.start, start, days),
                             max(_pos(s.end, start, days) - _pos(s.start, start, days), 0.4), s.is_done, s.owner)
                         for s in steps]
        rows.append(row)
    counts = Counter(sheet.status for sheet in sheets)
    costs: dict[str, Decimal] = {}
    for sheet in sheets:
        costs[sheet.status] = costs.get(sheet.status, Decimal(0)) + (sheet.cost_total or Decimal(0))
    status_counts = [(value, str(label), counts.get(value, 0), euro_display(costs.get(value, Decimal(0))))
                     for value, label in SheetStatus.choices]
    today = timezone.localdate()
    today_x = _pos(today, start, max((end - start).days, 1)) if start and end and start <= today <= end else None
    return Timeline(rows=rows, start=start, end=end, years=years, status_counts=status_counts, today_x=today_x,
                    cost_total=euro_display(sum(costs.values(), Decimal(0))))
