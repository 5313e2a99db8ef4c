"""Creating indicators and area levels from the import dialog (planners, no admin needed); audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from begegnungsatlas.core.services import audit_record

from ..errors import AtlasError
from ..models import AreaLevel, Indicator, IndicatorKind, Region
from ..permissions import can_edit_indicators, can_import

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def _free_slug(base: str, taken: Any, max_length: int = 80) -> str:
    base = (slugify(base) or "x")[: max_length - 4]
    slug, n = base, 2
    while taken(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


def indicator_create(*, actor: Actor, title: str, unit: str = "", kind: str = IndicatorKind.VALUE, source: str = "",
                     licence: str = "", region: Region | None = None) -> Indicator:
    """A new imported (not derived) indicator with the metadata the dialog asks for."""
    can_edit_indicators(actor).enforce()
    title = title.strip()
    if not title:
        raise AtlasError(_("Bitte einen Titel für den neuen Indikator angeben."))
    if kind not in IndicatorKind.values:
        raise AtlasError(_("Unbekannte Art des Indikators."))
    with transaction.atomic():
        slug = _free_slug(title, lambda s: Indicator.objects.filter(slug=s).exists())
        ind = Indicator.objects.create(slug=slug, title=title[:200], unit=unit.strip()[:60], kind=kind,
                                       source=source.strip()[:500], licence=licence.strip()[:200], region=region)
        audit_record(actor=actor, action="atlas.indicator_create", obj=ind,
                     changes={"slug": slug, "title": ind.title, "unit": ind.unit, "kind": kind},
                     note=_("Indikator im Import angelegt"))
    return ind


def area_level_create(*, actor: Actor, name: str, name_plural: str = "", region: Region | None = None,
                      region_name: str = "") -> AreaLevel:
    """A new level below the region's existing levels (or the first level of a new region)."""
    can_import(actor).enforce()
    name = name.strip()
    if not name:
        raise AtlasError(_("Bitte einen Namen für die neue Gebietsebene angeben."))
    with transaction.atomic():
        if region is None:
            region_name = region_name.strip()
            if not region_name:
                raise AtlasError(_("Bitte eine Region wählen oder den Namen einer neuen Region angeben."))
            region = Region.objects.create(
                slug=_free_slug(region_name, lambda s: Region.objects.filter(slug=s).exists(), 50), name=region_name[:200])
        rank = (AreaLevel.objects.filter(region=region).aggregate(m=Max("rank"))["m"] or -1) + 1
        level = AreaLevel.objects.create(
            region=region, rank=rank, name=name[:100], name_plural=(name_plural.strip() or name)[:100],
            slug=_free_slug(name, lambda s: AreaLevel.objects.filter(region=region, slug=s).exists(), 50),
        )
        audit_record(actor=actor, action="atlas.level_create", obj=level,
                     changes={"region": region.slug, "slug": level.slug, "name": level.name, "rank": rank},
                     note=_("Gebietsebene im Import angelegt"))
    return level
