"""What an import of indicator values may replace, the record it leaves, and undoing it.

An import replaces only the values it matched (same indicator, area and period). Values of the same indicators and
periods on the level that the file does not contain are kept — unless the planner asks for a *full replacement*;
that deletes them, but only with the confirmation token of the exact list of values that will be deleted
(:func:`replace_plan`), so nothing disappears that the planner has not seen.

Every import leaves a :class:`~begegnungsatlas.atlas.models.ValueImport` with the written keys and the previous
rows; :func:`value_import_undo` restores them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import AtlasError
from ..models import Area, AreaLevel, Indicator, IndicatorValue, ValueImport
from ..permissions import can_import

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


#: (indicator id, area id, period, value, status, flag)
ValueRow = tuple[int, int, str, Any, str, str]
Key = tuple[int, int, str]
CHUNK = 2000


class ReplaceNotConfirmed(AtlasError):
    """A full replacement would delete values the planner has not confirmed; ``plan`` lists them."""

    def __init__(self, message: str, plan: ReplacePlan) -> None:
        super().__init__(message)
        self.plan = plan


@dataclass
class ReplacePlan:
    """Values a full replacement would delete (with labels for the page) and the token that confirms exactly them."""

    to_delete: list[dict[str, Any]]
    token: str

    @property
    def count(self) -> int:
        return len(self.to_delete)


def _slice(level: AreaLevel, pairs: Iterable[tuple[int, str]]) -> Q:
    q = Q()
    for ind, period in sorted(set(pairs)):
        q |= Q(indicator_id=ind, period=period)
    return q & Q(area__level=level)


def slice_existing(level: AreaLevel, pairs: Iterable[tuple[int, str]]) -> list[tuple[int, ValueRow]]:
    """``(id, row)`` of every stored value of these (indicator, period) pairs on the level."""
    pairs = list(pairs)
    if not pairs:
        return []
    qs = IndicatorValue.objects.filter(_slice(level, pairs)).values_list(
        "id", "indicator_id", "area_id", "period", "value", "status", "flag")
    return [(r[0], (r[1], r[2], r[3], r[4], r[5], r[6])) for r in qs]


def _token(keys: Sequence[Key]) -> str:
    digest = hashlib.sha256(repr(sorted(keys)).encode()).hexdigest()
    return digest[:32]


def replace_plan(*, level: AreaLevel, rows: Sequence[ValueRow]) -> ReplacePlan:
    """The values of the level a full replacement with ``rows`` would delete."""
    keys = {(r[0], r[1], r[2]) for r in rows}
    gone = [row for _id, row in slice_existing(level, {(r[0], r[2]) for r in rows}) if (row[0], row[1], row[2]) not in keys]
    areas = dict(Area.objects.filter(pk__in={r[1] for r in gone}).values_list("pk", "name"))
    codes = dict(Area.objects.filter(pk__in={r[1] for r in gone}).values_list("pk", "code"))
    titles = dict(Indicator.objects.filter(pk__in={r[0] for r in gone}).values_list("pk", "title"))
    gone.sort(key=lambda r: (titles.get(r[0], ""), r[2], areas.get(r[1], "")))
    listed = [{"indicator": titles.get(r[0], ""), "area": areas.get(r[1], ""), "code": codes.get(r[1], ""),
               "period": r[2], "value": r[3], "status": r[4]} for r in gone]
    return ReplacePlan(listed, _token([(r[0], r[1], r[2]) for r in gone]))


def apply_rows(*, level: AreaLevel, rows: Sequence[ValueRow], replace_all: bool, confirm: str = "",
               insert: Any) -> tuple[list[ValueRow], list[ValueRow], int]:
    """Replace the matched keys (and, confirmed, the rest of the slice); ``insert(rows)`` writes the new rows.

    Returns ``(previous rows at written keys, deleted rows, kept count)``. Call inside a transaction.
    """
    keys = {(r[0], r[1], r[2]) for r in rows}
    existing = slice_existing(level, {(r[0], r[2]) for r in rows})
    touched = [(pk, row) for pk, row in existing if (row[0], row[1], row[2]) in keys]
    others = [(pk, row) for pk, row in existing if (row[0], row[1], row[2]) not in keys]
    deleted: list[tuple[int, ValueRow]] = []
    if replace_all and others:
        token = _token([(r[0], r[1], r[2]) for _pk, r in others])
        if confirm != token:
            raise ReplaceNotConfirmed(
                _("Ein vollständiger Ersatz löscht %(n)s Werte, die nicht in der Datei stehen. "
                  "Bitte prüfen und bestätigen Sie die Liste.") % {"n": len(others)},
                replace_plan(level=level, rows=rows),
            )
        deleted = others
    ids = [pk for pk, _r in touched] + [pk for pk, _r in deleted]
    for i in range(0, len(ids), CHUNK):
        IndicatorValue.objects.filter(pk__in=ids[i : i + CHUNK]).delete()
    insert(rows)
    return [r for _pk, r in touched], [r for _pk, r in deleted], len(others) - len(deleted)


def _jsonable(row: ValueRow) -> list[Any]:
    return [row[0], row[1], row[2], row[3], row[4], row[5]]


def written_keys(keys: Iterable[Key]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for ind, area, period in keys:
        out.setdefault(f"{ind}|{period}", []).append(area)
    return {k: sorted(v) for k, v in out.items()}


def history_record(*, actor: Actor, level: AreaLevel, file_name: str, keys: Iterable[Key], previous: Sequence[ValueRow],
                   deleted: Sequence[ValueRow], kept: int, replace_all: bool) -> ValueImport:
    """Store the import's record (inside the import's transaction)."""
    written = written_keys(keys)
    pairs = {tuple(k.split("|", 1)) for k in written}
    slugs = sorted(Indicator.objects.filter(pk__in={int(p[0]) for p in pairs}).values_list("slug", flat=True))
    n_written = sum(len(v) for v in written.values())
    return ValueImport.objects.create(
        actor=signed_in(actor), file_name=file_name[:200], level=level,
        indicators=slugs, periods=sorted({p[1] for p in pairs}), replace_all=replace_all,
        n_written=n_written, n_created=n_written - len(previous), n_updated=len(previous), n_deleted=len(deleted),
        n_kept=kept, written=written, previous=[_jsonable(r) for r in [*previous, *deleted]],
    )


def _later_overlapping(record: ValueImport) -> ValueImport | None:
    later = ValueImport.objects.filter(level=record.level, undone_at__isnull=True, created_at__gte=record.created_at) \
        .exclude(pk=record.pk).order_by("created_at")
    mine = set(record.written) | {f"{r[0]}|{r[2]}" for r in record.previous}
    for other in later:
        if other.created_at == record.created_at and other.pk < record.pk:
            continue
        theirs = set(other.written) | {f"{r[0]}|{r[2]}" for r in other.previous}
        if mine & theirs:
            return other
    return None


def value_import_undo(*, actor: Actor, record_id: int) -> ValueImport:
    """Undo one import: delete what it wrote and restore what was there before (all or nothing)."""
    can_import(actor).enforce()
    with transaction.atomic():
        try:
            record = ValueImport.objects.select_for_update(of=("self",)).select_related("level").get(pk=record_id)
        except ValueImport.DoesNotExist as exc:
            raise AtlasError(_("Diesen Import gibt es nicht.")) from exc
        if record.undone_at is not None:
            raise AtlasError(_("Dieser Import wurde bereits rückgängig gemacht."))
        later = _later_overlapping(record)
        if later is not None:
            raise AtlasError(
                _("Ein späterer Import (%(file)s, %(when)s) hat dieselben Werte geändert. Bitte machen Sie zuerst "
                  "diesen rückgängig.") % {"file": later.file_name or "–",
                                            "when": timezone.localtime(later.created_at).strftime("%d.%m.%Y %H:%M")}
            )
        removed = 0
        for pair, area_ids in record.written.items():
            ind, period = pair.split("|", 1)
            for i in range(0, len(area_ids), CHUNK):
                removed += IndicatorValue.objects.filter(indicator_id=int(ind), period=period,
                                                         area_id__in=area_ids[i : i + CHUNK]).delete()[0]
        restore = [IndicatorValue(indicator_id=r[0], area_id=r[1], period=r[2], value=r[3], status=r[4], flag=r[5])
                   for r in record.previous]
        IndicatorValue.objects.bulk_create(restore, batch_size=CHUNK)
        record.undone_at = timezone.now()
        record.undone_by = signed_in(actor)
        record.save(update_fields=["undone_at", "undone_by"])
        audit_record(
            actor=actor, action="atlas.values_import_undo", obj=record.level,
            changes={"import": record.pk, "removed": removed, "restored": len(restore),
                     "indicators": record.indicators, "periods": record.periods},
            note=_("Import „%(file)s“ rückgängig gemacht") % {"file": record.file_name or "–"},
        )
    return record
