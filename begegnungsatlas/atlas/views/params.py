"""Parsing of the map/table query string (the URL holds indicator, level, period and classification)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from begegnungsatlas.core import installation

from ..models import AreaLevel, Indicator, Region
from ..permissions import can_view_indicator
from ..selectors.areas import levels_visible
from ..selectors.choropleth import METHODS, BreaksError
from ..selectors.values import indicator_levels, indicator_periods, indicators_for_region

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


@dataclass
class MapQuery:
    region: Region
    level: AreaLevel
    indicator: Indicator | None
    period: str
    method: str
    k: int
    manual: list[float] | None
    manual_raw: str
    indicators: list[Indicator]
    levels: list[AreaLevel]
    periods: list[str]
    breaks_error: str = ""

    def params(self, **override: Any) -> str:
        q = QueryDict(mutable=True)
        q.update({
            "region": self.region.slug, "ebene": self.level.slug,
            "indikator": self.indicator.slug if self.indicator else "", "periode": self.period,
            "methode": self.method, "klassen": str(self.k),
        })
        if self.manual_raw:
            q["grenzen"] = self.manual_raw
        for k, v in override.items():
            q[k] = v
        return q.urlencode()


_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")


def parse_number(part: str) -> float:
    """A number as planners type it: German ``1.234,5`` or ``12,5``, or ``12.5``; ``1.000`` is a thousand."""
    text = part.strip()
    if "," in text or _GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(part)
    return value


def parse_breaks(raw: str) -> list[float] | None:
    """Manual class breaks from the URL (``;``-separated). Raises :class:`BreaksError` with a German message."""
    raw = raw.strip()
    if not raw:
        return None
    out = []
    for part in raw.replace(" ", "").split(";"):
        if not part:
            continue
        try:
            out.append(parse_number(part))
        except ValueError as exc:
            raise BreaksError(_("Grenze „%(v)s“ ist keine Zahl (Grenzen mit ; trennen, z. B. 5;10,5;20).")
                              % {"v": part[:40]}) from exc
    return out or None


def map_query(get: QueryDict, user: Actor) -> MapQuery:
    slug = get.get("region") or installation.current().atlas_region
    region = Region.objects.filter(slug=slug).first() or Region.objects.order_by("is_reference", "name").first()
    if region is None:
        raise Http404(_("Es sind noch keine Gebiete angelegt."))
    indicators = list(indicators_for_region(region_id=region.id, user=None).order_by("sort", "title"))
    if user is not None:
        indicators = list(indicators_for_region(region_id=region.id, user=user).order_by("sort", "title"))
    levels = list(levels_visible(region=region, user=user))
    ind_slug = get.get("indikator", "")
    indicator = None
    if ind_slug:
        indicator = Indicator.objects.select_related("numerator", "denominator", "base").filter(slug=ind_slug).first()
        if indicator is None:
            raise Http404(_("Indikator „%(s)s“ unbekannt.") % {"s": ind_slug})
        can_view_indicator(user, indicator).enforce()
    elif indicators:
        indicator = next((i for i in indicators if i.is_key), indicators[0])
    level = next((lv for lv in levels if lv.slug == get.get("ebene")), None)
    if level is None and indicator is not None:
        with_data = indicator_levels(indicator)
        level = max((lv for lv in levels if lv.id in with_data), key=lambda lv: lv.rank, default=None)
    if level is None:
        level = levels[-1] if levels else None
    if level is None:
        raise Http404(_("Die Region hat keine Ebenen."))
    periods = indicator_periods(indicator) if indicator else []
    period = get.get("periode") or (periods[-1] if periods else "")
    method = get.get("methode") or "quantiles"
    if method not in METHODS:
        method = "quantiles"
    try:
        k = int(get.get("klassen") or 5)
    except ValueError:
        k = 5
    manual_raw = get.get("grenzen", "")[:200] if method == "manual" else ""
    manual, breaks_error = None, ""
    try:
        manual = parse_breaks(manual_raw)
    except BreaksError as exc:
        breaks_error = str(exc)
    return MapQuery(region, level, indicator, period, method, k, manual, manual_raw, indicators, levels, periods,
                    breaks_error)
