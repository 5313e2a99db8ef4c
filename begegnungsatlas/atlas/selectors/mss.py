"""Adapter to the MSS composite index of the analysis core (``begegnungsatlas.analysis.mss``).

Reads status values for one period and their change over the dynamics period from the database,
decides which areas take part (population threshold where a population indicator exists, complete data)
and calls the core step by step. No index maths here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from begegnungsatlas.analysis import mss as core
from begegnungsatlas.analysis.errors import AnalysisError

from ..errors import AtlasError
from ..models import AreaLevel, Indicator, Polarity
from .values import current_areas, indicator_values_for_level

# Lazy: module constants must follow the request language, not the one active at import.
STATUS_TEXT = {1: gettext_lazy("hoch"), 2: gettext_lazy("mittel"), 3: gettext_lazy("niedrig"),
               4: gettext_lazy("sehr niedrig")}
DYNAMICS_TEXT = {1: gettext_lazy("positiv"), 2: gettext_lazy("stabil"), 3: gettext_lazy("negativ")}
# Status classes from good (light) to very low (dark); dynamics diverging (purple = positive, orange = negative).
# Colour-blind-safe ColorBrewer schemes (YlOrBr 4, PuOr 3).
STATUS_COLOURS = {1: "#ffffd4", 2: "#fed98e", 3: "#fe9929", 4: "#cc4c02"}
DYNAMICS_COLOURS = {1: "#998ec3", 2: "#f7f7f7", 3: "#f1a340"}


@dataclass
class MSSRow:
    area_id: int
    code: str
    name: str
    status_values: list[float | None]
    dynamics_values: list[float | None]
    population: float | None
    included: bool
    reason: str
    status_index: float | None = None
    dynamics_index: float | None = None
    status_class: int = 0
    dynamics_class: int = 0
    group: str = ""


@dataclass
class MSSTable:
    level: AreaLevel
    indicators: list[Indicator]
    period_from: str
    period_to: str
    population_indicator: Indicator | None
    threshold: float
    rows: list[MSSRow]
    matrix: dict[str, int] = field(default_factory=dict)
    status_cutoffs: core.StatusCutoffs = field(default_factory=core.StatusCutoffs)
    dynamics_cutoffs: core.DynamicsCutoffs = field(default_factory=core.DynamicsCutoffs)

    @property
    def n_included(self) -> int:
        return sum(1 for r in self.rows if r.included)


def mss_for_level(
    *, level: AreaLevel, indicators: list[Indicator], period_from: str, period_to: str,
    population_indicator: Indicator | None = None, population_period: str = "", threshold: float = 300.0,
    status_cutoffs: core.StatusCutoffs | None = None, dynamics_cutoffs: core.DynamicsCutoffs | None = None,
) -> MSSTable:
    if not indicators:
        raise AtlasError(_("Bitte mindestens einen Statusindikator wählen."))
    areas = list(current_areas(level).order_by("name").values_list("id", "code", "name"))
    ids = [a[0] for a in areas]
    status_cols, dyn_cols, polarity = [], [], []
    for ind in indicators:
        pol = ind.polarity if ind.polarity != Polarity.NEUTRAL else -1
        polarity.append(pol)
        now = indicator_values_for_level(indicator=ind, level=level, period=period_to)
        before = indicator_values_for_level(indicator=ind, level=level, period=period_from)
        status_cols.append([now[i].value if now[i].ok else None for i in ids])
        dyn_cols.append([
            (now[i].value - before[i].value) if now[i].ok and before[i].ok else None  # type: ignore[operator]
            for i in ids
        ])
    pop: list[float | None] = [None] * len(ids)
    if population_indicator is not None:
        cells = indicator_values_for_level(indicator=population_indicator, level=level, period=population_period)
        pop = [cells[i].value if cells[i].ok else None for i in ids]
    rows = []
    for n, (area_id, code, name) in enumerate(areas):
        sv = [col[n] for col in status_cols]
        dv = [col[n] for col in dyn_cols]
        reason = ""
        if any(v is None for v in sv + dv):
            reason = _("Werte fehlen")
        elif population_indicator is not None and pop[n] is None:
            reason = _("Einwohnerzahl fehlt")
        elif population_indicator is not None and pop[n] < threshold:  # type: ignore[operator]
            reason = _("unter %(t)s Einwohner:innen") % {"t": int(threshold)}
        rows.append(MSSRow(area_id, code, name, sv, dv, pop[n], not reason, reason))
    table = MSSTable(level, indicators, period_from, period_to, population_indicator, threshold, rows,
                     status_cutoffs=status_cutoffs or core.StatusCutoffs(),
                     dynamics_cutoffs=dynamics_cutoffs or core.DynamicsCutoffs())
    mask = np.array([r.included for r in rows])
    if mask.sum() < 2:
        raise AtlasError(_("Zu wenige Gebiete mit vollständigen Werten (mindestens zwei nötig)."))
    s = np.array([[np.nan if v is None else v for v in r.status_values] for r in rows], dtype=float)
    d = np.array([[np.nan if v is None else v for v in r.dynamics_values] for r in rows], dtype=float)
    try:
        sz = core.zscores(s, included=mask, name="status")
        dz = core.zscores(d, included=mask, name="dynamics")
        si = core.composite_index(np.nan_to_num(sz), polarity)
        di = core.composite_index(np.nan_to_num(dz), polarity)
        si[~mask] = np.nan
        di[~mask] = np.nan
        sc = core.classify_status(si, included=mask, cutoffs=table.status_cutoffs)
        dc = core.classify_dynamics(di, included=mask, cutoffs=table.dynamics_cutoffs)
        groups = core.matrix_group(sc, dc)
    except AnalysisError as exc:
        raise AtlasError(_("Index nicht berechenbar: %(e)s") % {"e": str(exc)}) from exc
    for n, r in enumerate(rows):
        if r.included:
            r.status_index, r.dynamics_index = float(si[n]), float(di[n])
            r.status_class, r.dynamics_class, r.group = int(sc[n]), int(dc[n]), str(groups[n])
            table.matrix[r.group] = table.matrix.get(r.group, 0) + 1
    return table
