"""Writes for calls: create (optionally from a template call), edit, publish/close, deadline extensions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.services import audit_record, diff_fields

from ..errors import FundingError
from ..models import Call, CallBudgetLine, CallStatus, CostType, Criterion, DeadlineExtension
from ..permissions import can_manage

CALL_FIELDS = ["title", "text", "eligibility", "opens_at", "deadline", "number_of_grants", "scale_max"]


def _validate(call: Call) -> None:
    if not call.title.strip():
        raise FundingError(_("Bitte geben Sie einen Titel an."))
    if call.deadline <= call.opens_at:
        raise FundingError(_("Die Bewerbungsfrist muss nach dem Beginn der Bewerbungsphase liegen."))
    if call.number_of_grants < 1:
        raise FundingError(_("Es muss mindestens eine Förderung vergeben werden."))
    if not 1 <= call.scale_max <= 10:
        raise FundingError(_("Die Bewertungsskala muss zwischen 1 und 10 Punkten enden."))


def call_create(*, actor: Any, data: dict[str, Any], template: Call | None = None,
                budget_lines: list[tuple[str, int, list[str]]] | None = None,
                ineligible: list[str] | None = None, criteria: list[tuple[str, str, int, bool]] | None = None,
                region: Any = None, is_example: bool = False, is_historical: bool = False) -> Call:
    """Create a call in status "in Vorbereitung".

    Budget lines, cost types and criteria are copied from ``template`` or given as
    ``budget_lines=[(name, cents, [eligible cost type names])]``, ``ineligible=[names]`` and
    ``criteria=[(name, description, weight, is_spatial)]``.
    """
    can_manage(actor).enforce()
    with transaction.atomic():
        call = Call(**{k: data[k] for k in CALL_FIELDS if k in data}, region=region or (template and template.region),
                    is_example=is_example, is_historical=is_historical)
        _validate(call)
        call.save()
        if template is not None:
            budget_lines = [(line.name, line.amount_cents, [c.name for c in line.cost_types.all()])
                            for line in template.budget_lines.all()]
            ineligible = [c.name for c in template.cost_types.filter(eligible=False)]
            criteria = [(c.name, c.description, c.weight, c.is_spatial) for c in template.criteria.all()]
        for i, (name, cents, cost_types) in enumerate(budget_lines or []):
            line = CallBudgetLine.objects.create(call=call, name=name, amount_cents=cents, sort=i)
            for j, ct in enumerate(cost_types):
                CostType.objects.create(call=call, name=ct, eligible=True, budget_line=line, sort=j)
        for j, ct in enumerate(ineligible or []):
            CostType.objects.create(call=call, name=ct, eligible=False, sort=100 + j)
        for i, (name, description, weight, spatial) in enumerate(criteria or []):
            Criterion.objects.create(call=call, name=name, description=description, weight=weight,
                                     is_spatial=spatial, sort=i)
        audit_record(actor=actor, action="funding.call.create", obj=call,
                     changes={"title": [None, call.title], "status": [None, call.status]})
    return call


def call_update(*, actor: Any, call: Call, data: dict[str, Any],
                criteria_weights: dict[int, int] | None = None) -> Call:
    can_manage(actor).enforce()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        before = {k: str(getattr(call, k)) for k in CALL_FIELDS}
        if call.status != CallStatus.DRAFT and call.applications.exclude(state="draft").exists() and (
                "scale_max" in data and data["scale_max"] != call.scale_max):
            raise FundingError(_("Die Bewertungsskala kann nach Eingang von Bewerbungen nicht geändert werden."))
        for k in CALL_FIELDS:
            if k in data:
                setattr(call, k, data[k])
        _validate(call)
        call.save()
        changes = diff_fields(before, {k: str(getattr(call, k)) for k in CALL_FIELDS})
        for pk, weight in (criteria_weights or {}).items():
            criterion = call.criteria.get(pk=pk)
            if weight < 0 or weight > 100:
                raise FundingError(_("Gewicht für „%(c)s“: bitte eine Zahl von 0 bis 100.") % {"c": criterion.name})
            if criterion.weight != weight:
                if call.applications.filter(assignments__scores__isnull=False).exists():
                    raise FundingError(_("Gewichte können nach Beginn der Begutachtung nicht mehr geändert werden."))
                changes[f"weight:{criterion.name}"] = [criterion.weight, weight]
                criterion.weight = weight
                criterion.save(update_fields=["weight"])
        if changes:
            audit_record(actor=actor, action="funding.call.update", obj=call, changes=changes)
    return call


def call_set_status(*, actor: Any, call: Call, status: str) -> Call:
    can_manage(actor).enforce()
    if status not in CallStatus.values:
        raise FundingError(_("Unbekannter Status."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if status == CallStatus.PUBLISHED and not call.criteria.exists():
            raise FundingError(_("Ein Aufruf braucht veröffentlichte Auswahlkriterien."))
        if status == CallStatus.PUBLISHED and not call.budget_lines.exists():
            raise FundingError(_("Ein Aufruf braucht mindestens eine Haushaltsposition."))
        before = call.status
        call.status = status
        call.save(update_fields=["status"])
        audit_record(actor=actor, action="funding.call.status", obj=call, changes={"status": [before, status]})
    return call


def call_extension_grant(*, actor: Any, call: Call, kommune: Area, until: datetime, reason: str) -> DeadlineExtension:
    """A documented individual extension of the deadline for one applicant Kommune."""
    can_manage(actor).enforce()
    if not reason.strip():
        raise FundingError(_("Eine Fristverlängerung muss begründet werden."))
    if until <= call.deadline:
        raise FundingError(_("Die verlängerte Frist muss nach der regulären Frist liegen."))
    if not kommune.level.is_municipality:
        raise FundingError(_("Fristverlängerungen gelten für eine Kommune."))
    with transaction.atomic():
        extension, created = DeadlineExtension.objects.update_or_create(
            call=call, kommune=kommune, defaults={"until": until, "reason": reason.strip(), "granted_by": actor})
        audit_record(actor=actor, action="funding.call.extension", obj=call,
                     changes={"kommune": kommune.name, "until": until.isoformat()}, note=reason.strip())
    return extension
