"""Sozialraum levels and their versions: create a draft (from a proposal or a predecessor), adopt it.

Versioning: every version is its own atlas ``AreaLevel`` (``composed_of`` the base level) with a
``SozialraumLevel`` row (series, version number, predecessor, status, adoption date). A new version copies the
predecessor's layout into a new draft level; adopted levels are never edited, so their values stay readable.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import AreaLevel, Indicator
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import SozialraumError
from ..models import Proposal, SozialraumLevel, Status
from .layout import Part, layout_of, layout_problems, layout_write

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


COMPOSITE_RANK_START = 100


def _new_level(*, base: AreaLevel, series: str, version: int) -> AreaLevel:
    region = base.region
    top = AreaLevel.objects.filter(region=region).aggregate(m=Max("rank"))["m"] or 0
    slug = f"sr-{slugify(series)[:30]}-v{version}"
    if AreaLevel.objects.filter(region=region, slug=slug).exists():
        raise SozialraumError(_("Eine Ebene „%(slug)s“ gibt es schon.") % {"slug": slug})
    name = _("%(series)s (Fassung %(version)s)") % {"series": series, "version": version}
    return AreaLevel.objects.create(region=region, slug=slug, rank=max(top + 1, COMPOSITE_RANK_START),
                                    name=name[:100], name_plural=name[:100], composed_of=base, is_draft=True)


def layout_from_proposal(proposal: Proposal) -> list[Part]:
    parts: dict[int, Part] = {}
    for unit_id, label in zip(proposal.unit_ids, proposal.labels, strict=True):
        part = parts.setdefault(int(label), Part(f"SR{int(label) + 1:02d}",
                                                 _("Sozialraum %(n)s") % {"n": int(label) + 1}))
        part.units.append(int(unit_id))
    return [parts[k] for k in sorted(parts)]


@transaction.atomic
def sozialraum_create_from_proposal(*, proposal: Proposal, series: str, actor: Actor,
                                    is_example: bool = False) -> SozialraumLevel:
    """A new draft level (version 1 of ``series``, or the next version if the series exists) from a proposal."""
    series = series.strip()
    if not series:
        raise SozialraumError(_("Bitte einen Namen für die Sozialraumgliederung angeben."))
    latest = SozialraumLevel.objects.filter(series=series).order_by("-version").first()
    if latest is not None and latest.level.composed_of_id != proposal.base_level_id:
        raise SozialraumError(_("Die Reihe „%(series)s“ besteht aus anderen Bausteinen.") % {"series": series})
    version = latest.version + 1 if latest else 1
    params = proposal.params
    indicator = Indicator.objects.filter(pk=params.get("population_indicator")).first()
    level = _new_level(base=proposal.base_level, series=series, version=version)
    sr = SozialraumLevel.objects.create(
        level=level, series=series, version=version, predecessor=latest, created_by=signed_in(actor), is_example=is_example,
        population_indicator=indicator, population_period=params.get("population_period") or "",
        min_population=params.get("min_population"), min_units=params.get("min_units"),
        note=_("aus Vorschlag „%(name)s“") % {"name": proposal.name},
    )
    layout_write(sr=sr, layout=layout_from_proposal(proposal), actor=actor, action="create",
                 description=_("aus Vorschlag „%(name)s“ angelegt") % {"name": proposal.name}, record_step=False)
    return sr


@transaction.atomic
def sozialraum_new_version(*, sr: SozialraumLevel, actor: Actor) -> SozialraumLevel:
    """A new draft version with the layout of ``sr`` (usually the adopted one), to be edited and adopted."""
    if sr.successors.filter(status=Status.DRAFT).exists():
        raise SozialraumError(_("Zu „%(name)s“ gibt es schon einen Entwurf.") % {"name": sr.level.name})
    base = sr.level.composed_of
    assert base is not None
    version = (SozialraumLevel.objects.filter(series=sr.series).aggregate(m=Max("version"))["m"] or 0) + 1
    level = _new_level(base=base, series=sr.series, version=version)
    new = SozialraumLevel.objects.create(
        level=level, series=sr.series, version=version, predecessor=sr, created_by=signed_in(actor), is_example=sr.is_example,
        population_indicator=sr.population_indicator, population_period=sr.population_period,
        min_population=sr.min_population, min_units=sr.min_units,
    )
    layout_write(sr=new, layout=layout_of(sr.level), actor=actor, action="version",
                 description=_("neue Fassung aus „%(name)s“") % {"name": sr.level.name}, check=False,
                 record_step=False)
    return new


@transaction.atomic
def sozialraum_adopt(*, sr: SozialraumLevel, adopted_on: dt.date, actor: Actor) -> SozialraumLevel:
    """Draft → adopted (with the date of the decision). The layout must pass every check."""
    sr = SozialraumLevel.objects.select_for_update(of=("self",)).select_related("level__composed_of").get(pk=sr.pk)
    if not sr.is_draft:
        raise SozialraumError(_("„%(name)s“ ist schon beschlossen.") % {"name": sr.level.name})
    problems = layout_problems(sr, layout_of(sr.level))
    if problems:
        raise SozialraumError(_("Nicht beschließbar: %(problems)s") % {"problems": " ".join(problems)})
    sr.status, sr.adopted_on = Status.ADOPTED, adopted_on
    sr.save(update_fields=["status", "adopted_on"])
    AreaLevel.objects.filter(pk=sr.level_id).update(is_draft=False)
    audit_record(actor=actor, action="sozialraum.adopt", obj=sr.level, object_label=sr.level.name,
                 changes={"adopted_on": adopted_on.isoformat(), "version": sr.version})
    return sr


@transaction.atomic
def sozialraum_delete_draft(*, sr: SozialraumLevel, actor: Actor) -> None:
    if not sr.is_draft:
        raise SozialraumError(_("Beschlossene Fassungen bleiben erhalten und können nicht gelöscht werden."))
    level = sr.level
    audit_record(actor=actor, action="sozialraum.delete", obj=level, object_label=level.name, changes={})
    sr.delete()
    level.areas.all().delete()
    level.delete()
