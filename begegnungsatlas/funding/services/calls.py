"""Writes for calls: create (optionally from a template call), edit, set-up (budget lines, cost types,
criteria, scale), attachments, publish/close, deadline extensions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area, Region
from begegnungsatlas.core.permissions import require_user
from begegnungsatlas.core.services import audit_record, diff_fields

from .. import selectors
from ..errors import FundingError
from ..models import Call, CallBudgetLine, CallStatus, CostType, Criterion, DeadlineExtension, Document
from ..money import format_eur
from ..permissions import can_manage
from .documents import document_store

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


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


def _check_region(region: Region | None) -> None:
    if region is None:
        raise FundingError(_("Bitte wählen Sie das Gebiet (die Region) des Aufrufs."))
    if region.is_reference:
        raise FundingError(_("„%(region)s“ ist eine Vergleichsregion; ein Aufruf gilt für das eigene Gebiet.")
                           % {"region": region.name})


def call_create(*, actor: Actor, data: dict[str, Any], template: Call | None = None,
                budget_lines: list[tuple[str, int, list[str]]] | None = None,
                ineligible: list[str] | None = None, criteria: list[tuple[str, str, int, bool]] | None = None,
                region: Any = None, is_example: bool = False, is_historical: bool = False) -> Call:
    """Create a call in status "in Vorbereitung".

    Budget lines, cost types and criteria are copied from ``template`` or given as
    ``budget_lines=[(name, cents, [eligible cost type names])]``, ``ineligible=[names]`` and
    ``criteria=[(name, description, weight, is_spatial)]``.
    """
    can_manage(actor).enforce()
    region = region or data.get("region") or selectors.default_call_region(template=template)
    _check_region(region)
    with transaction.atomic():
        call = Call(**{k: data[k] for k in CALL_FIELDS if k in data}, region=region,
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


def call_update(*, actor: Actor, call: Call, data: dict[str, Any]) -> Call:
    """Edit the call's texts, dates and number of grants (budget lines and criteria: ``call_setup_update``)."""
    can_manage(actor).enforce()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        before = {k: str(getattr(call, k)) for k in CALL_FIELDS}
        if "scale_max" in data and data["scale_max"] != call.scale_max and (
                reason := call_setup_lock_reason(call)) is not None:
            raise FundingError(reason)
        for k in CALL_FIELDS:
            if k in data:
                setattr(call, k, data[k])
        before["region"] = str(call.region or "")
        if data.get("region") is not None and data["region"].pk != call.region_id:
            _check_region(data["region"])
            if call.applications.exists():
                raise FundingError(_("Das Gebiet kann nicht mehr geändert werden: Es gibt bereits Bewerbungen."))
            call.region = data["region"]
        _validate(call)
        call.save()
        changes = diff_fields(before, {k: str(getattr(call, k)) for k in CALL_FIELDS}
                              | {"region": str(call.region or "")})
        if changes:
            audit_record(actor=actor, action="funding.call.update", obj=call, changes=changes)
    return call


def call_set_status(*, actor: Actor, call: Call, status: str) -> Call:
    can_manage(actor).enforce()
    if status not in CallStatus.values:
        raise FundingError(_("Unbekannter Status."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if status == CallStatus.PUBLISHED and not call.criteria.exists():
            raise FundingError(_("Ein Aufruf braucht veröffentlichte Auswahlkriterien."))
        if status == CallStatus.PUBLISHED and not call.budget_lines.exists():
            raise FundingError(_("Ein Aufruf braucht mindestens eine Haushaltsposition."))
        if (status == CallStatus.DRAFT and call.status != CallStatus.DRAFT
                and call.applications.filter(submitted_at__isnull=False).exists()):
            raise FundingError(_("Der Aufruf kann nicht mehr auf „in Vorbereitung“ zurückgesetzt werden: Es sind "
                                 "bereits Bewerbungen eingereicht worden."))
        before = call.status
        call.status = status
        call.save(update_fields=["status"])
        audit_record(actor=actor, action="funding.call.status", obj=call, changes={"status": [before, status]})
    return call


def call_extension_grant(*, actor: Actor, call: Call, kommune: Area, until: datetime, reason: str) -> DeadlineExtension:
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
            call=call, kommune=kommune, defaults={"until": until, "reason": reason.strip(), "granted_by": require_user(actor)})
        audit_record(actor=actor, action="funding.call.extension", obj=call,
                     changes={"kommune": kommune.name, "until": until.isoformat()}, note=reason.strip())
    return extension


# --- set-up: budget lines, cost types, criteria, scoring scale -------------------------------------------------


@dataclass(frozen=True)
class BudgetLineInput:
    """One budget line as the planner wants it; ``pk`` is set for an existing line of the call."""

    name: str
    amount_cents: int
    cost_types: list[str] = field(default_factory=list)
    pk: int | None = None


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    description: str = ""
    is_spatial: bool = False
    pk: int | None = None


MAX_WEIGHT = 100


def call_setup_lock_reason(call: Call) -> str | None:
    """Why budget lines, cost types, criteria, weights and scale can no longer change (``None``: they can).

    They are the published conditions every applicant relies on: editable while the call is in preparation,
    frozen once it is published, and for good once an application has been submitted (the call can then no
    longer be set back to "in Vorbereitung", see ``call_set_status``).
    """
    if call.pk and call.applications.filter(submitted_at__isnull=False).exists():
        return _("Für diesen Aufruf sind bereits Bewerbungen eingereicht worden. Haushaltspositionen, Kostenarten, "
                 "Kriterien, Gewichte und Bewertungsskala können nicht mehr geändert werden.")
    if call.status != CallStatus.DRAFT:
        return _("Der Aufruf ist veröffentlicht oder geschlossen. Haushaltspositionen, Kostenarten, Kriterien, "
                 "Gewichte und Bewertungsskala können nur geändert werden, solange er „in Vorbereitung“ ist. "
                 "Setzen Sie ihn dafür zurück (nur möglich, solange keine Bewerbung eingereicht ist).")
    return None


def call_setup_snapshot(call: Call) -> dict[str, Any]:
    """The set-up as readable, JSON-serialisable values (for the audit trail)."""
    lines = [f"{line.name}: {format_eur(line.amount_cents)} ({', '.join(c.name for c in line.cost_types.all())})"
             for line in call.budget_lines.prefetch_related("cost_types")]
    spatial = " (" + _("räumlich") + ")"
    return {
        "budget_lines": lines,
        "ineligible": [c.name for c in call.cost_types.filter(eligible=False)],
        "criteria": [f"{c.name}: {c.weight}" + (spatial if c.is_spatial else "")
                     for c in call.criteria.all()],
        "scale_max": call.scale_max,
    }


def _setup_problems(budget_lines: list[BudgetLineInput], ineligible: list[str], criteria: list[CriterionInput],
                    scale_max: int) -> list[str]:
    problems: list[str] = []
    seen_lines: set[str] = set()
    seen_types: dict[str, str] = {}
    for i, line in enumerate(budget_lines, start=1):
        label = line.name.strip() or _("Haushaltsposition %(n)s") % {"n": i}
        if not line.name.strip():
            problems.append(_("Haushaltsposition %(n)s: bitte einen Namen angeben.") % {"n": i})
        elif line.name.strip().casefold() in seen_lines:
            problems.append(_("Die Haushaltsposition „%(name)s“ steht mehrfach.") % {"name": line.name.strip()})
        seen_lines.add(line.name.strip().casefold())
        if line.amount_cents <= 0:
            problems.append(_("%(line)s: der Betrag je Förderung muss größer als 0 sein.") % {"line": label})
        if not line.cost_types:
            problems.append(_("%(line)s: bitte mindestens eine förderfähige Kostenart angeben.") % {"line": label})
        for name in line.cost_types:
            if name.casefold() in seen_types:
                problems.append(_("Die Kostenart „%(ct)s“ steht mehrfach (bei „%(a)s“ und „%(b)s“). Jede Kostenart "
                                  "gehört zu genau einer Haushaltsposition oder ist nicht förderfähig.")
                                % {"ct": name, "a": seen_types[name.casefold()], "b": label})
            seen_types[name.casefold()] = label
    for name in ineligible:
        if name.casefold() in seen_types:
            problems.append(_("Die Kostenart „%(ct)s“ steht mehrfach (bei „%(a)s“ und „%(b)s“). Jede Kostenart "
                              "gehört zu genau einer Haushaltsposition oder ist nicht förderfähig.")
                            % {"ct": name, "a": seen_types[name.casefold()], "b": _("nicht förderfähig")})
        seen_types[name.casefold()] = _("nicht förderfähig")
    if not criteria:
        problems.append(_("Ein Aufruf braucht mindestens ein Auswahlkriterium."))
    seen_criteria: set[str] = set()
    for i, criterion in enumerate(criteria, start=1):
        label = criterion.name.strip() or _("Kriterium %(n)s") % {"n": i}
        if not criterion.name.strip():
            problems.append(_("Kriterium %(n)s: bitte einen Namen angeben.") % {"n": i})
        elif criterion.name.strip().casefold() in seen_criteria:
            problems.append(_("Das Kriterium „%(name)s“ steht mehrfach.") % {"name": criterion.name.strip()})
        seen_criteria.add(criterion.name.strip().casefold())
        if not 1 <= criterion.weight <= MAX_WEIGHT:
            problems.append(_("Gewicht für „%(c)s“: bitte eine ganze Zahl von 1 bis %(max)s.")
                            % {"c": label, "max": MAX_WEIGHT})
    if not 1 <= scale_max <= 10:
        problems.append(_("Die Bewertungsskala muss zwischen 1 und 10 Punkten enden."))
    return problems


def _clean_names(names: list[str]) -> list[str]:
    return [n.strip()[:200] for n in names if n.strip()]


def call_setup_update(*, actor: Actor, call: Call, budget_lines: list[BudgetLineInput], ineligible: list[str],
                      criteria: list[CriterionInput], scale_max: int) -> Call:
    """Replace the call's budget lines, cost types, criteria and scoring scale (all or nothing).

    The lists are in the wanted order; existing rows are matched by ``pk`` (lines, criteria) or by name
    (cost types) and kept, rows that are no longer listed are deleted. Refused with the reason of
    ``call_setup_lock_reason`` once the call is published or has submitted applications.
    """
    can_manage(actor).enforce()
    budget_lines = [BudgetLineInput(name=b.name.strip(), amount_cents=b.amount_cents,
                                    cost_types=_clean_names(b.cost_types), pk=b.pk) for b in budget_lines]
    ineligible = _clean_names(ineligible)
    criteria = [CriterionInput(name=c.name.strip(), weight=c.weight, description=c.description.strip(),
                               is_spatial=c.is_spatial, pk=c.pk) for c in criteria]
    problems = _setup_problems(budget_lines, ineligible, criteria, scale_max)
    if problems:
        raise FundingError(" ".join(problems))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if (reason := call_setup_lock_reason(call)) is not None:
            raise FundingError(reason)
        before = call_setup_snapshot(call)
        existing_lines = {line.pk: line for line in call.budget_lines.all()}
        existing_types = {ct.name.casefold(): ct for ct in call.cost_types.all()}
        existing_criteria = {c.pk: c for c in call.criteria.all()}
        unknown = ([b.pk for b in budget_lines if b.pk is not None and b.pk not in existing_lines]
                   + [c.pk for c in criteria if c.pk is not None and c.pk not in existing_criteria])
        if unknown:
            raise FundingError(_("Die Angaben passen nicht zu diesem Aufruf. Bitte laden Sie die Seite neu."))

        kept_lines: set[int] = set()
        kept_types: set[int] = set()
        wanted_types: list[tuple[str, CallBudgetLine | None]] = []
        for i, b in enumerate(budget_lines):
            if b.pk is not None:
                line = existing_lines[b.pk]
                line.name, line.amount_cents, line.sort = b.name[:200], b.amount_cents, i
                line.save(update_fields=["name", "amount_cents", "sort"])
            else:
                line = CallBudgetLine.objects.create(call=call, name=b.name[:200], amount_cents=b.amount_cents,
                                                     sort=i)
            kept_lines.add(line.pk)
            wanted_types += [(name, line) for name in b.cost_types]
        wanted_types += [(name, None) for name in ineligible]
        for sort, (name, owner) in enumerate(wanted_types):
            ct = existing_types.get(name.casefold())
            if ct is None:
                ct = CostType(call=call)
            ct.name, ct.eligible, ct.budget_line, ct.sort = name, owner is not None, owner, sort
            ct.save()
            kept_types.add(ct.pk)
        # Cost types first: a line's cost types cascade with it, and one may just have moved to another line.
        call.cost_types.exclude(pk__in=kept_types).delete()
        call.budget_lines.exclude(pk__in=kept_lines).delete()

        kept_criteria: set[int] = set()
        for i, c in enumerate(criteria):
            criterion = existing_criteria[c.pk] if c.pk is not None else Criterion(call=call)
            criterion.name, criterion.description, criterion.weight = c.name[:300], c.description, c.weight
            criterion.is_spatial, criterion.sort = c.is_spatial, i
            criterion.save()
            kept_criteria.add(criterion.pk)
        call.criteria.exclude(pk__in=kept_criteria).delete()

        if call.scale_max != scale_max:
            call.scale_max = scale_max
            call.save(update_fields=["scale_max"])
        changes = diff_fields(before, call_setup_snapshot(call))
        if changes:
            audit_record(actor=actor, action="funding.call.setup", obj=call, changes=changes)
    return call


# --- attachments -------------------------------------------------------------------------------------------------


def call_attachment_add(*, actor: Actor, call: Call, upload: Any, title: str = "") -> Document:
    """Attach a PDF to the call (published with it); checked by content and size, stored privately."""
    can_manage(actor).enforce()
    with transaction.atomic():
        document = document_store(actor=actor, upload=upload, title=title.strip(), pdf_only=True, call=call)
        audit_record(actor=actor, action="funding.call.attachment.add", obj=call,
                     changes={"attachment": [None, str(document)], "sha256": document.sha256})
    return document


def call_attachment_delete(*, actor: Actor, call: Call, document: Document) -> None:
    """Remove an attachment; the file is deleted from the storage once the transaction has committed."""
    can_manage(actor).enforce()
    if document.call_id != call.pk:
        raise FundingError(_("Diese Anlage gehört nicht zu diesem Aufruf."))
    with transaction.atomic():
        name, label = document.file.name, str(document)
        assert name is not None  # the file is required
        document.delete()
        audit_record(actor=actor, action="funding.call.attachment.delete", obj=call,
                     changes={"attachment": [label, None]})
        transaction.on_commit(lambda: default_storage.delete(name))
