"""Reads of the Sozialraum app: visible versions, the layout with its checks, unit choices, proposal comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.permissions import Actor

from .models import EditStep, Proposal, SozialraumLevel, Status
from .permissions import can_plan
from .services.layout import base_units, layout_of, layout_problems, unit_population


def sozialraum_levels_visible(user: Actor) -> QuerySet[SozialraumLevel]:
    qs = SozialraumLevel.objects.select_related("level__region", "level__composed_of", "predecessor__level")
    return qs if can_plan(user) else qs.filter(status=Status.ADOPTED)


def proposals_recent(limit: int = 30) -> QuerySet[Proposal]:
    return Proposal.objects.select_related("base_level__region", "created_by")[:limit]


@dataclass
class PartRow:
    code: str
    name: str
    area_id: int | None
    units: list[int]
    population: float | None
    neighbours: list[str] = field(default_factory=list)


@dataclass
class UnitRow:
    id: int
    name: str
    code: str
    choices: list[tuple[str, str]]  # neighbouring Sozialräume (code, name) a unit may move to


@dataclass
class LayoutView:
    parts: list[PartRow]
    units: list[UnitRow]
    problems: list[str]
    steps: list[EditStep]


def layout_view(sr: SozialraumLevel) -> LayoutView:
    """The Sozialräume of a version with population, neighbours, per-unit move choices and the checks."""
    level = sr.level
    assert level.composed_of is not None
    units = base_units(level.composed_of)
    layout = layout_of(level)
    area_ids = dict(Area.objects.filter(level=level, valid_to__isnull=True).values_list("code", "id"))
    pop = unit_population(sr, units)
    code_of = {u: p.code for p in layout for u in p.units}
    names = {p.code: p.name for p in layout}
    adj = units.adjacency
    part_neighbours: dict[str, set[str]] = {p.code: set() for p in layout}
    rows: list[UnitRow] = []
    for i, u in enumerate(units.ids):
        own = code_of.get(u, "")
        nb = {code_of.get(units.ids[j], "") for j in adj.indices[adj.indptr[i]:adj.indptr[i + 1]].tolist()}
        nb.discard(own)
        nb.discard("")
        if own:
            part_neighbours[own] |= nb
        rows.append(UnitRow(u, units.names[i], own, sorted((c, names[c]) for c in nb)))
    rows.sort(key=lambda r: (r.code, r.name))
    parts = []
    for p in layout:
        idx = [units.index[u] for u in p.units if u in units.index]
        total = float(np.nansum(pop[idx])) if pop is not None and idx else None
        parts.append(PartRow(p.code, p.name, area_ids.get(p.code), p.units, total,
                             sorted(part_neighbours.get(p.code, set()))))
    return LayoutView(parts, rows, layout_problems(sr, layout), list(sr.steps.select_related("actor")[:20]))


def layout_geojson(sr: SozialraumLevel) -> dict[str, Any]:
    """Units with their Sozialraum code (for the edit map), plus the Sozialraum outlines."""
    level = sr.level
    units_rows = Area.objects.filter(pk__in=[u for p in layout_of(level) for u in p.units]).values_list(
        "id", "name", "geometry_web", "geometry")
    code_of = {u: p.code for p in layout_of(level) for u in p.units}
    features = [{"type": "Feature", "geometry": gw or g,
                 "properties": {"id": i, "name": n, "code": code_of.get(i, ""), "kind": "unit"}}
                for i, n, gw, g in units_rows]
    for code, name, gw in Area.objects.filter(level=level, valid_to__isnull=True).values_list(
            "code", "name", "geometry_web"):
        features.append({"type": "Feature", "geometry": gw,
                         "properties": {"code": code, "name": name, "kind": "sozialraum"}})
    return {"type": "FeatureCollection", "features": features}


def rand_index(a: list[int], b: list[int]) -> float:
    """Share of unit pairs on which two partitions agree (same/different region in both), 1 = identical.

    >>> rand_index([0, 0, 1, 1], [5, 5, 7, 7])
    1.0
    """
    x, y = np.asarray(a), np.asarray(b)
    n = x.size
    if n < 2:
        return 1.0
    _ux, xi = np.unique(x, return_inverse=True)
    _uy, yi = np.unique(y, return_inverse=True)
    table = np.zeros((xi.max() + 1, yi.max() + 1))
    np.add.at(table, (xi, yi), 1)

    def pairs(v: Any) -> float:
        return float((v * (v - 1) / 2).sum())

    total = n * (n - 1) / 2
    same_both = pairs(table)
    same_x, same_y = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    return float((total + 2 * same_both - same_x - same_y) / total)


def proposal_compare(a: Proposal, b: Proposal) -> dict[str, Any]:
    rows = []
    for key, label in (("n_regions", "Sozialräume"), ("ssd", "SSD"), ("ssd_share", "SSD-Anteil"),
                       ("population_min", "kleinster (Einw.)"), ("population_max", "größter (Einw.)"),
                       ("compactness_mean", "Kompaktheit")):
        rows.append((label, a.quality.get(key), b.quality.get(key)))
    agreement = None
    if a.base_level_id == b.base_level_id and a.unit_ids == b.unit_ids:
        agreement = rand_index(a.labels, b.labels)
    return {"rows": rows, "agreement": agreement}
