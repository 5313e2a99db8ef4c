"""Hand edits of a draft Sozialraum level: move a unit, merge, split, rename, undo.

Each edit builds the new layout and hands it to :func:`layout_write` (checks, one transaction, history, audit).
:func:`edit_preview` runs the same checks without writing — the live check the edit page shows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area

from ..errors import SozialraumError
from ..models import EditStep, SozialraumLevel
from .layout import Part, base_units, layout_from_json, layout_of, layout_problems, layout_write

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



@dataclass(frozen=True)
class Edit:
    """A planned change: the layout after it and a German description."""

    action: str
    description: str
    layout: list[Part]


def _find(layout: list[Part], code: str) -> Part:
    for part in layout:
        if part.code == code:
            return part
    raise SozialraumError(_("Den Sozialraum „%(code)s“ gibt es in dieser Fassung nicht.") % {"code": code})


def _unit_name(unit_id: int) -> str:
    return Area.objects.filter(pk=unit_id).values_list("name", flat=True).first() or str(unit_id)


def plan_move(sr: SozialraumLevel, *, unit_id: int, target_code: str) -> Edit:
    layout = copy.deepcopy(layout_of(sr.level))
    source = next((p for p in layout if unit_id in p.units), None)
    if source is None:
        raise SozialraumError(_("Dieser Baustein gehört zu keinem Sozialraum der Fassung."))
    target = _find(layout, target_code)
    if source.code == target.code:
        raise SozialraumError(_("„%(unit)s“ liegt schon in „%(name)s“.") % {"unit": _unit_name(unit_id),
                                                                         "name": target.name})
    assert sr.level.composed_of is not None
    units = base_units(sr.level.composed_of)
    i = units.index[unit_id]
    neighbours = set(units.adjacency.indices[units.adjacency.indptr[i]:units.adjacency.indptr[i + 1]].tolist())
    if not any(units.index[u] in neighbours for u in target.units):
        raise SozialraumError(_("„%(unit)s“ grenzt nicht an „%(name)s“; verschieben Sie nur in einen "
                                "Nachbar-Sozialraum.") % {"unit": _unit_name(unit_id), "name": target.name})
    if len(source.units) == 1:
        raise SozialraumError(_("„%(unit)s“ ist der letzte Baustein von „%(name)s“; fassen Sie die Sozialräume "
                                "stattdessen zusammen.") % {"unit": _unit_name(unit_id), "name": source.name})
    source.units.remove(unit_id)
    target.units.append(unit_id)
    return Edit("move", _("„%(unit)s“ von „%(a)s“ nach „%(b)s“ verschoben")
                % {"unit": _unit_name(unit_id), "a": source.name, "b": target.name}, layout)


def plan_merge(sr: SozialraumLevel, *, code: str, other_code: str) -> Edit:
    layout = copy.deepcopy(layout_of(sr.level))
    keep, drop = _find(layout, code), _find(layout, other_code)
    if keep.code == drop.code:
        raise SozialraumError(_("Bitte zwei verschiedene Sozialräume wählen."))
    keep.units.extend(drop.units)
    layout.remove(drop)
    return Edit("merge", _("„%(b)s“ mit „%(a)s“ zusammengefasst") % {"a": keep.name, "b": drop.name}, layout)


def _next_code(layout: list[Part]) -> str:
    taken = {p.code for p in layout}
    n = len(layout) + 1
    while f"SR{n:02d}" in taken:
        n += 1
    return f"SR{n:02d}"


def plan_split(sr: SozialraumLevel, *, code: str, unit_ids: list[int], new_name: str) -> Edit:
    layout = copy.deepcopy(layout_of(sr.level))
    part = _find(layout, code)
    moving = [u for u in part.units if u in set(unit_ids)]
    if not moving or len(moving) == len(part.units):
        raise SozialraumError(_("Zum Teilen einige, aber nicht alle Bausteine von „%(name)s“ auswählen.")
                              % {"name": part.name})
    if not new_name.strip():
        raise SozialraumError(_("Bitte einen Namen für den neuen Sozialraum angeben."))
    part.units = [u for u in part.units if u not in set(moving)]
    layout.append(Part(_next_code(layout), new_name.strip()[:200], moving))
    return Edit("split", _("„%(name)s“ geteilt; neu: „%(new)s“") % {"name": part.name, "new": new_name.strip()},
                layout)


def plan_rename(sr: SozialraumLevel, *, code: str, name: str) -> Edit:
    layout = copy.deepcopy(layout_of(sr.level))
    part = _find(layout, code)
    if not name.strip():
        raise SozialraumError(_("Der Name darf nicht leer sein."))
    old = part.name
    part.name = name.strip()[:200]
    return Edit("rename", _("„%(old)s“ umbenannt in „%(new)s“") % {"old": old, "new": part.name}, layout)


def edit_preview(sr: SozialraumLevel, edit: Edit) -> list[str]:
    """The checks :func:`edit_apply` would run, without writing anything."""
    return layout_problems(sr, edit.layout)


def edit_apply(*, sr: SozialraumLevel, edit: Edit, actor: Actor) -> None:
    layout_write(sr=sr, layout=edit.layout, actor=actor, action=edit.action, description=edit.description)


@transaction.atomic
def edit_undo(*, sr: SozialraumLevel, actor: Actor) -> EditStep:
    """Restore the layout before the latest edit that is not undone yet; the undo is itself audited."""
    step = (EditStep.objects.select_for_update().filter(sozialraum=sr, undone=False)
            .exclude(action="undo").order_by("-created_at", "-id").first())
    if step is None:
        raise SozialraumError(_("Es gibt keinen Bearbeitungsschritt zum Rückgängigmachen."))
    layout_write(sr=sr, layout=layout_from_json(step.before), actor=actor, action="undo",
                 description=_("Rückgängig: %(what)s") % {"what": step.description}, check=False)
    step.undone = True
    step.save(update_fields=["undone"])
    return step
