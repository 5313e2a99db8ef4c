"""Proposals of Sozialräume from the data: units, weighted indicators, a minimum, a method → labels and quality.

The database is read here; the regionalisation itself is the framework-free core
(``analysis.regionalisation``: ``max_p_regions``, ``skater_regions``, ``ward_regions``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from begegnungsatlas.analysis.errors import AnalysisError, InfeasibleError
from begegnungsatlas.analysis.regionalisation import (
    RegionalisationResult,
    interactive_maxp_settings,
    max_p_regions,
    skater_regions,
    ward_regions,
    within_region_ssd,
)
from begegnungsatlas.atlas.models import AreaLevel, Indicator
from begegnungsatlas.atlas.selectors.values import indicator_values_for_level
from begegnungsatlas.core.geo import to_metric
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import SozialraumError
from ..models import Method, Proposal
from .layout import BaseUnits, base_units

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


MAX_INDICATORS = 12


@dataclass
class ProposalInputs:
    base_level: AreaLevel
    method: str
    indicators: list[tuple[Indicator, float]]
    period: str
    population_indicator: Indicator | None = None
    min_population: float | None = None
    min_units: int | None = None
    n_regions: int | None = None
    seed: int = 0
    time_limit: float = 30.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "base_level": self.base_level.pk, "method": self.method, "period": self.period,
            "indicators": [[i.pk, w] for i, w in self.indicators],
            "population_indicator": self.population_indicator.pk if self.population_indicator else None,
            "population_period": self.period if self.population_indicator else "",
            "min_population": self.min_population, "min_units": self.min_units, "n_regions": self.n_regions,
            "seed": self.seed,
        }


def inputs_from_json(data: dict[str, Any]) -> ProposalInputs:
    try:
        level = AreaLevel.objects.select_related("region").get(pk=data["base_level"])
        inds = Indicator.objects.in_bulk([i for i, _w in data["indicators"]])
        indicators = [(inds[i], float(w)) for i, w in data["indicators"]]
        pop = Indicator.objects.get(pk=data["population_indicator"]) if data.get("population_indicator") else None
    except (AreaLevel.DoesNotExist, Indicator.DoesNotExist, KeyError) as exc:
        raise SozialraumError(_("Ebene oder Indikator gibt es nicht mehr.")) from exc
    return ProposalInputs(base_level=level, method=data["method"], indicators=indicators, period=data["period"],
                          population_indicator=pop, min_population=data.get("min_population"),
                          min_units=data.get("min_units"), n_regions=data.get("n_regions"),
                          seed=int(data.get("seed") or 0))


def _values(indicator: Indicator, level: AreaLevel, period: str, units: BaseUnits) -> np.ndarray[Any, Any]:
    cells = indicator_values_for_level(indicator=indicator, level=level, period=period)
    values = np.asarray([cells[u].value if u in cells and cells[u].ok else np.nan for u in units.ids], dtype=float)
    missing = [units.names[i] for i in np.flatnonzero(~np.isfinite(values))]
    if missing:
        raise SozialraumError(
            _("„%(ind)s“ (%(period)s) fehlt für %(n)s Bausteine, z. B. %(names)s. Bitte einen anderen Indikator, "
              "Zeitpunkt oder andere Bausteine wählen.")
            % {"ind": indicator.title, "period": period, "n": len(missing), "names": ", ".join(missing[:5])})
    return values


def attribute_matrix(inputs: ProposalInputs, units: BaseUnits) -> np.ndarray[Any, Any]:
    """z-scored indicator columns, each multiplied by the square root of its weight (weights the SSD)."""
    cols = []
    for indicator, weight in inputs.indicators:
        if weight <= 0:
            raise SozialraumError(_("Gewichte müssen größer als 0 sein."))
        v = _values(indicator, inputs.base_level, inputs.period, units)
        sd = v.std()
        cols.append(((v - v.mean()) / sd if sd > 0 else v * 0.0) * math.sqrt(weight))
    return np.column_stack(cols)


def _check(inputs: ProposalInputs, n: int) -> None:
    if not inputs.indicators:
        raise SozialraumError(_("Bitte mindestens einen Indikator wählen."))
    if len(inputs.indicators) > MAX_INDICATORS:
        raise SozialraumError(_("Höchstens %(n)s Indikatoren.") % {"n": MAX_INDICATORS})
    if inputs.method not in Method.values:
        raise SozialraumError(_("Unbekanntes Verfahren."))
    if inputs.method == Method.MAXP and not (inputs.min_population or inputs.min_units):
        raise SozialraumError(_("max-p braucht eine Mindestzahl an Einwohnern oder Bausteinen."))
    if inputs.method in (Method.SKATER, Method.WARD) and not inputs.n_regions:
        raise SozialraumError(_("SKATER und Ward brauchen die Zahl der Sozialräume."))
    if inputs.n_regions is not None and not 1 <= inputs.n_regions <= n:
        raise SozialraumError(_("Die Zahl der Sozialräume muss zwischen 1 und %(n)s liegen.") % {"n": n})
    if inputs.min_population and inputs.population_indicator is None:
        raise SozialraumError(_("Für eine Mindestzahl an Einwohnern bitte den Einwohnerindikator wählen."))


def compactness(geoms_metric: list[Any]) -> list[float]:
    """Polsby–Popper compactness 4πA/P² per region (1 = circle, towards 0 = elongated or ragged)."""
    out = []
    for g in geoms_metric:
        perimeter = float(g.length)
        out.append(4 * math.pi * float(g.area) / perimeter ** 2 if perimeter > 0 else 0.0)
    return out


def quality(z: np.ndarray[Any, Any], labels: np.ndarray[Any, Any], units: BaseUnits,
            population: np.ndarray[Any, Any] | None) -> dict[str, Any]:
    p = int(labels.max()) + 1
    total = float(((z - z.mean(axis=0)) ** 2).sum())
    ssd = within_region_ssd(z, labels)
    metric = [to_metric(shapely.union_all([units.geoms_web[i] for i in np.flatnonzero(labels == r)]))
              for r in range(p)]
    comp = compactness(metric)
    sizes = np.bincount(labels, minlength=p)
    pops = np.bincount(labels, weights=population, minlength=p) if population is not None else None
    return {
        "n_regions": p, "ssd": round(ssd, 3), "ssd_share": round(ssd / total, 4) if total > 0 else 0.0,
        "units": sizes.tolist(), "population": [round(float(x)) for x in pops] if pops is not None else None,
        "population_min": round(float(pops.min())) if pops is not None else None,
        "population_max": round(float(pops.max())) if pops is not None else None,
        "compactness": [round(c, 3) for c in comp], "compactness_mean": round(float(np.mean(comp)), 3),
    }


def proposal_compute(inputs: ProposalInputs) -> tuple[BaseUnits, RegionalisationResult, dict[str, Any]]:
    units = base_units(inputs.base_level)
    n = len(units.ids)
    _check(inputs, n)
    z = attribute_matrix(inputs, units)
    population = None
    if inputs.population_indicator is not None:
        population = _values(inputs.population_indicator, inputs.base_level, inputs.period, units)
    if inputs.min_population:
        floor_var, floor = population, float(inputs.min_population)
        total = float(population.sum()) if population is not None else 0.0
        if total < floor:
            raise SozialraumError(_("Alle Bausteine zusammen haben nur %(total)s Einwohner; die Mindestzahl "
                                    "%(floor)s ist nicht erreichbar.") % {"total": f"{total:,.0f}".replace(",", "."),
                                                                           "floor": f"{floor:,.0f}".replace(",", ".")})
    elif inputs.min_units:
        floor_var, floor = np.ones(n), float(inputs.min_units)
        if inputs.min_units > n:
            raise SozialraumError(_("Es gibt nur %(n)s Bausteine.") % {"n": n})
    else:
        floor_var, floor = None, None
    started = time.perf_counter()
    try:
        if inputs.method == Method.MAXP:
            result = max_p_regions(z, units.adjacency, floor_var, float(floor or 1), standardise=False,
                                   seed=inputs.seed, time_limit=inputs.time_limit,
                                   **interactive_maxp_settings(n))
        elif inputs.method == Method.SKATER:
            result = skater_regions(z, units.adjacency, int(inputs.n_regions or 1), floor_variable=floor_var,
                                    floor=floor, standardise=False, time_limit=inputs.time_limit)
        else:
            result = ward_regions(z, units.adjacency, inputs.n_regions, floor_variable=floor_var, floor=floor,
                                  standardise=False)
    except InfeasibleError as exc:
        raise SozialraumError(_("Mit dieser Mindestgröße und Zahl der Sozialräume gibt es keine Lösung. Bitte die "
                                "Mindestgröße senken oder weniger Sozialräume verlangen.")) from exc
    except AnalysisError as exc:
        raise SozialraumError(_("Die Eingaben passen nicht zusammen: %(detail)s") % {"detail": str(exc)}) from exc
    q = quality(z, result.labels, units, population)
    q["seconds"] = round(time.perf_counter() - started, 3)
    return units, result, q


@transaction.atomic
def proposal_create(*, inputs: ProposalInputs, name: str, actor: Actor) -> Proposal:
    units, result, q = proposal_compute(inputs)
    proposal = Proposal.objects.create(
        region=inputs.base_level.region, base_level=inputs.base_level, name=name.strip()[:200] or pgettext("Sozialraum", "Vorschlag"),
        method=inputs.method, params=inputs.to_json(), unit_ids=units.ids, labels=result.labels.tolist(),
        quality=q, created_by=signed_in(actor),
    )
    audit_record(actor=actor, action="sozialraum.propose", obj=proposal, object_label=proposal.name,
                 changes={"method": inputs.method, "n_regions": q["n_regions"]})
    return proposal
