"""Choropleth: values of one indicator on one level and period, classified by the analysis core.

The classification maths lives in ``begegnungsatlas.analysis.classify``; this module only reads the
values, calls it and attaches colours, counts and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.analysis import classify as core
from begegnungsatlas.analysis.errors import AnalysisError

from ..errors import AtlasError
from ..formatting import format_number
from ..models import Area, AreaLevel, Indicator, Polarity
from .attribution import attribution_for
from .values import Cell, current_areas, indicator_values_for_level

METHODS = {
    "quantiles": _("Quantile (gleich viele Gebiete je Klasse)"),
    "equal_interval": _("gleiche Intervalle"),
    "fisher_jenks": _("natürliche Brüche (Fisher-Jenks)"),
    "std_mean": _("Standardabweichungen um den Mittelwert"),
    "manual": _("manuelle Grenzen"),
}
MIN_K, MAX_K = 3, 7

# ColorBrewer sequential schemes (Brewer & Harrower, colorbrewer2.org), all marked colour-blind safe.
# Dark always means "needs attention": for indicators where higher is better the ramp is reversed.
YL_OR_BR = {
    1: ["#fe9929"],
    2: ["#fed98e", "#cc4c02"],
    3: ["#fff7bc", "#fec44f", "#d95f0e"],
    4: ["#ffffd4", "#fed98e", "#fe9929", "#cc4c02"],
    5: ["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"],
    6: ["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404"],
    7: ["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"],
}
BLUES = {
    1: ["#6baed6"],
    2: ["#bdd7e7", "#2171b5"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}


def palette(k: int, polarity: int) -> list[str]:
    """``k`` colours from low to high values, oriented by polarity (dark = attention)."""
    k = max(1, min(k, 7))
    if polarity == Polarity.NEUTRAL:
        return list(BLUES[k])
    ramp = list(YL_OR_BR[k])
    return ramp[::-1] if polarity == Polarity.HIGHER_BETTER else ramp


def polarity_wording(polarity: int) -> tuple[str, str, str]:
    """(word for the lowest class, word for the highest class, the legend's reading note) for a polarity."""
    if polarity == Polarity.HIGHER_WORSE:
        return (str(_("günstiger")), str(_("ungünstiger")),
                str(_("Niedrigere Werte sind günstiger, höhere ungünstiger. Dunkle Farben zeigen ungünstigere "
                      "Werte (mehr Handlungsbedarf).")))
    if polarity == Polarity.HIGHER_BETTER:
        return (str(_("ungünstiger")), str(_("günstiger")),
                str(_("Höhere Werte sind günstiger, niedrigere ungünstiger. Dunkle Farben zeigen ungünstigere "
                      "Werte (mehr Handlungsbedarf).")))
    return (str(_("niedriger")), str(_("höher")),
            str(_("Dieser Indikator ist weder als günstig noch als ungünstig eingestuft. Dunkle Farben zeigen "
                  "höhere Werte.")))


def effective_polarity(indicator: Indicator) -> int:
    if indicator.base_id and indicator.polarity == Polarity.NEUTRAL and indicator.base is not None:
        return indicator.base.polarity
    return indicator.polarity


def fmt(value: float | None, decimals: int = 1) -> str:
    """Legend, table and chart labels: :func:`atlas.formatting.format_number` (rounded, grouped)."""
    return format_number(value, decimals)


@dataclass
class LegendClass:
    index: int
    lower: float | None
    upper: float
    colour: str
    count: int
    label: str


@dataclass
class Row:
    area_id: int
    code: str
    name: str
    cell: Cell
    klass: int
    colour: str | None
    decimals: int = 1

    @property
    def display(self) -> str:
        return fmt(self.cell.value, self.decimals) if self.cell.ok else self.cell.status_text


@dataclass
class Choropleth:
    indicator: Indicator
    level: AreaLevel
    period: str
    method: str
    k: int
    rows: list[Row]
    legend: list[LegendClass]
    missing: dict[str, int] = field(default_factory=dict)
    breaks: list[float] = field(default_factory=list)
    polarity_note: str = ""
    attribution: list[str] = field(default_factory=list)

    @property
    def n_missing(self) -> int:
        return sum(self.missing.values())


class BreaksError(AtlasError):
    """Manual class breaks that cannot be used; the message is shown at the breaks field."""


def check_breaks(manual: list[float] | None, *, low: float, high: float, decimals: int = 1) -> None:
    """Manual breaks must be numbers, strictly ascending and inside the data range (each class non-empty at its
    upper end): ``low <= b < high``. Raises :class:`BreaksError` with a German message."""
    if not manual:
        raise BreaksError(_("Für manuelle Klassen bitte Grenzen angeben, z. B. 5;10;20."))
    if len(manual) > MAX_K - 1:
        raise BreaksError(_("Höchstens 6 Grenzen (7 Klassen) angeben."))
    for b in manual:
        if not np.isfinite(b):
            raise BreaksError(_("Jede Grenze muss eine endliche Zahl sein."))
    for a, b in zip(manual, manual[1:], strict=False):
        if b <= a:
            raise BreaksError(_("Die Grenzen müssen aufsteigen: %(b)s folgt auf %(a)s.")
                              % {"a": fmt(a, decimals), "b": fmt(b, decimals)})
    for b in manual:
        if not low <= b < high:
            raise BreaksError(_("Die Grenze %(b)s liegt außerhalb der Werte (von %(lo)s bis %(hi)s). Jede Grenze muss "
                                "mindestens so groß wie der kleinste und kleiner als der größte Wert sein.")
                              % {"b": fmt(b, decimals), "lo": fmt(low, decimals), "hi": fmt(high, decimals)})


def classify_values(
    values: list[float | None], *, method: str, k: int, manual: list[float] | None = None, decimals: int = 1,
) -> core.Classification | None:
    """Adapter to ``analysis.classify``; raises :class:`AtlasError` with a German message."""
    if method not in METHODS:
        raise AtlasError(_("Unbekannte Klassifikation „%(m)s“.") % {"m": method})
    if not MIN_K <= k <= MAX_K:
        raise AtlasError(_("Die Zahl der Klassen muss zwischen 3 und 7 liegen."))
    arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if np.isnan(arr).all():
        return None
    try:
        if method == "manual":
            check_breaks(manual, low=float(np.nanmin(arr)), high=float(np.nanmax(arr)), decimals=decimals)
            return core.manual_breaks(arr, manual or [])
        return core.classify(arr, method, k)
    except AnalysisError as exc:
        raise AtlasError(_("Klassifikation nicht möglich: %(e)s") % {"e": str(exc)}) from exc


def choropleth(
    *, indicator: Indicator, level: AreaLevel, period: str, method: str = "quantiles", k: int = 5,
    manual: list[float] | None = None, cells: dict[int, Cell] | None = None,
) -> Choropleth:
    cells = cells if cells is not None else indicator_values_for_level(indicator=indicator, level=level, period=period)
    areas = list(current_areas(level).order_by("name").values_list("id", "code", "name"))
    values = [cells[a[0]].value if cells.get(a[0]) and cells[a[0]].ok else None for a in areas]
    result = classify_values(values, method=method, k=k, manual=manual, decimals=indicator.decimals)
    rows: list[Row] = []
    missing: dict[str, int] = {}
    legend: list[LegendClass] = []
    breaks: list[float] = []
    colours: list[str] = []
    if result is not None:
        breaks = [float(b) for b in result.breaks]
        polarity = effective_polarity(indicator)
        colours = palette(len(breaks), polarity)
        low_word, high_word, polarity_note = polarity_wording(polarity)
        present = [v for v in values if v is not None]
        lo = min(present)
        for i, upper in enumerate(breaks):
            lower = lo if i == 0 else breaks[i - 1]
            label = str((
                _("%(a)s bis %(b)s") if i == 0 else _("über %(a)s bis %(b)s")
            ) % {"a": fmt(lower, indicator.decimals), "b": fmt(upper, indicator.decimals)})
            if i == 0 and len(breaks) > 1:
                label += f" ({low_word})"
            elif i == len(breaks) - 1 and len(breaks) > 1:
                label += f" ({high_word})"
            legend.append(LegendClass(i, lower, upper, colours[i], int(result.counts[i]), label))
    for i, (area_id, code, name) in enumerate(areas):
        cell = cells.get(area_id) or Cell(None, "missing")
        klass = int(result.classes[i]) if result is not None else -1
        if klass < 0:
            missing[cell.status_text] = missing.get(cell.status_text, 0) + 1
        rows.append(Row(area_id, code, name, cell, klass, colours[klass] if klass >= 0 else None, indicator.decimals))
    return Choropleth(indicator, level, period, method, len(breaks) or k, rows, legend, missing, breaks,
                      polarity_note if result is not None else "",
                      attribution_for(level=level, indicators=[indicator]).lines())


def areas_of(level: AreaLevel) -> list[Area]:
    return list(current_areas(level).order_by("name"))


# ---------------------------------------------------------------------------------------------------------------
# In-process cache of classified maps. The stamp changes whenever values or areas are written: every import
# inserts new value rows (higher ids) and area changes alter the area stamp.
_CACHE: dict[tuple[Any, ...], tuple[tuple[Any, ...], Choropleth]] = {}
_CACHE_MAX = 64


def data_stamp() -> tuple[Any, ...]:
    from django.db.models import Max

    from ..models import AreaMembership, IndicatorValue

    return (
        IndicatorValue.objects.aggregate(m=Max("id"))["m"],
        # Edits of composite levels (Sozialräume) rewrite memberships: new ids, new stamp.
        AreaMembership.objects.aggregate(m=Max("id"))["m"],
        Area.objects.aggregate(m=Max("id"))["m"],
        Area.objects.filter(valid_to__isnull=True).count(),
    )


def choropleth_cached(*, indicator: Indicator, level: AreaLevel, period: str, method: str = "quantiles", k: int = 5,
                      manual: list[float] | None = None) -> tuple[Choropleth, tuple[Any, ...]]:
    """Like :func:`choropleth`, served from memory while the data are unchanged; returns (map, stamp)."""
    # Legend labels and status texts are translated and number-formatted when computed: key by language too.
    key = (indicator.pk, level.pk, period, method, k, tuple(manual or ()), get_language())
    stamp = data_stamp()
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1], stamp
    result = choropleth(indicator=indicator, level=level, period=period, method=method, k=k, manual=manual)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (stamp, result)
    return result, stamp
