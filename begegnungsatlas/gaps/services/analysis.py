"""Run a gap analysis on stored data: need per cell (population grid) × supply (places) → cells, areas, ranks.

Results are plain JSON-ready dicts, so a run can be shown, downloaded and saved as a scenario unchanged.
Area figures are population-weighted over the cells whose centre lies in the area (cells outside every area
of the region are shown on the map but counted for no area).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from begegnungsatlas.analysis.classify import fisher_jenks
from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer

from .. import adapter, selectors
from ..errors import GapsError
from ..groups import GROUPS
from ..models import NetworkStatus, PopulationCell, PopulationGrid, WalkingNetwork
from .networks import network_graph

MIN_RADIUS_M = 100
MAX_RADIUS_M = 20_000
METHOD_LABELS = {
    "nearest": "Entfernung zum nächsten Ort (m)",
    "coverage": "Anteil der Zielgruppe im Umkreis",
    "2sfca": "2SFCA: Plätze je 1.000 Personen der Zielgruppe",
    "e2sfca": "E2SFCA: Plätze je 1.000 Personen (abgestufte Entfernung)",
}


@dataclass(frozen=True)
class GapInputs:
    grid: PopulationGrid
    group: str
    method: str
    radius: float
    level: AreaLevel
    place_groups: tuple[str, ...]
    open_at: datetime | None = None
    network: WalkingNetwork | None = None  # None: straight line; else walking distance on this network

    def as_json(self) -> dict[str, Any]:
        return {
            "grid": self.grid.pk, "group": self.group, "method": self.method, "radius": self.radius,
            "level": self.level.pk, "place_groups": list(self.place_groups),
            "open_at": self.open_at.isoformat() if self.open_at else None,
            "network": self.network.pk if self.network else None,
        }


def distance_info(network: WalkingNetwork | None) -> dict[str, Any]:
    """How distances were measured, for every result, the downloads and the report (with the ODbL attribution)."""
    if network is None:
        return {"mode": "line", "label": "Luftlinie"}
    return {"mode": "network", "label": f"Fußweg (Wegenetz „{network.name}“)", "network_id": network.pk,
            "network_name": network.name, "source": network.source, "licence": network.licence,
            "data_date": network.data_date}


def _check(inputs: GapInputs) -> None:
    if inputs.group not in GROUPS:
        raise GapsError(_("Bitte eine Zielgruppe wählen."))
    if inputs.method not in adapter.METHODS:
        raise GapsError(_("Bitte eine Methode wählen."))
    if not MIN_RADIUS_M <= inputs.radius <= MAX_RADIUS_M:
        raise GapsError(_("Die Entfernung muss zwischen %(a)s und %(b)s m liegen.")
                        % {"a": MIN_RADIUS_M, "b": f"{MAX_RADIUS_M:,}".replace(",", ".")})
    if inputs.level.region_id != inputs.grid.region_id:
        raise GapsError(_("Die Gebietsebene gehört nicht zur Region des Rasters."))
    if not inputs.place_groups:
        raise GapsError(_("Bitte mindestens eine Zielgruppe der Orte wählen."))
    net = inputs.network
    if net is not None:
        if net.region_id != inputs.grid.region_id:
            raise GapsError(_("Das Wegenetz gehört nicht zur Region des Rasters."))
        if net.status != NetworkStatus.READY:
            raise GapsError(_("Das Wegenetz „%(name)s“ ist noch nicht aufgebaut oder fehlerhaft.")
                            % {"name": net.name})


def _split(network: WalkingNetwork | None, demand_xy: np.ndarray, supply_xy: np.ndarray, *,
           what: str | None) -> tuple[Any, np.ndarray, np.ndarray]:
    """The core graph and which cells and which places lie outside its extent (nothing outside without one)."""
    if network is None:
        return None, np.zeros(len(demand_xy), dtype=bool), np.zeros(len(supply_xy), dtype=bool)
    graph = network_graph(network)
    cells_out = adapter.outside(graph, demand_xy)
    places_out = adapter.outside(graph, supply_xy) if len(supply_xy) else np.zeros(0, dtype=bool)
    if cells_out.all():
        raise GapsError(_("Keine Rasterzelle liegt im Wegenetz „%(name)s“; bitte ein Wegenetz wählen, das das "
                          "Gebiet abdeckt, oder Luftlinie.") % {"name": network.name})
    if what is not None and len(supply_xy) and places_out.all():
        raise GapsError(_("Kein %(what)s liegt im Wegenetz „%(name)s“; Fußwege können so nicht berechnet werden.")
                        % {"what": what, "name": network.name})
    return graph, cells_out, places_out


def metric_xy(lonlat: list[tuple[float, float]]) -> np.ndarray:
    """EPSG:4326 (lon, lat) pairs → EPSG:25832 metres, shape (n, 2)."""
    if not lonlat:
        return np.zeros((0, 2))
    arr = np.asarray(lonlat, dtype=float)
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def demand_of(cell: PopulationCell, group: str) -> float:
    return float(sum(cell.counts.get(c, 0.0) for c in GROUPS[group].columns))


def _level_area(tree: dict[int, tuple[int | None, int, str]], area_id: int | None, level_id: int) -> int | None:
    seen = 0
    while area_id is not None and seen < 20:
        parent, level, _name = tree.get(area_id, (None, -1, ""))
        if level == level_id:
            return area_id
        area_id, seen = parent, seen + 1
    return None


def run_gap_analysis(inputs: GapInputs) -> dict[str, Any]:
    """Compute the method per cell, aggregate per area of the chosen level and rank the gaps."""
    _check(inputs)
    grid = inputs.grid
    cells = selectors.grid_cells(grid)
    group = GROUPS[inputs.group]
    if not any(c in grid.columns for c in group.columns):
        raise GapsError(_("Das Raster „%(grid)s“ enthält keine Zahlen für „%(group)s“.")
                        % {"grid": grid.name, "group": group.label})
    demand = np.array([demand_of(c, inputs.group) for c in cells], dtype=float)
    if demand.sum() <= 0:
        raise GapsError(_("Im Raster gibt es niemanden aus der Zielgruppe „%(group)s“.") % {"group": group.label})
    places = selectors.supply_places(region=grid.region, place_groups=list(inputs.place_groups),
                                     open_at=inputs.open_at)
    if not places:
        raise GapsError(_("Keine Orte für diese Zielgruppe (und Öffnungszeit) gefunden; ohne Angebot gibt es "
                          "nichts zu berechnen."))
    demand_xy = np.array([[c.x, c.y] for c in cells], dtype=float)
    supply_xy = metric_xy([(float(p.lon or 0), float(p.lat or 0)) for p in places])
    capacity = np.array([float(p.capacity) if p.capacity else 1.0 for p in places])
    graph, cells_out, places_out = _split(inputs.network, demand_xy, supply_xy, what=_("Ort"))
    inside, used = ~cells_out, ~places_out
    if demand[inside].sum() <= 0:
        raise GapsError(_("In den Zellen innerhalb des Wegenetzes gibt es niemanden aus der Zielgruppe."))
    # Cells outside the network's extent get no value (None) and count for no area; they are reported.
    values_in = adapter.cell_values(inputs.method, demand_xy[inside], demand[inside], supply_xy[used],
                                    capacity[used], inputs.radius, network=graph)
    values = adapter.CellValues(value=np.full(len(cells), np.nan), served=np.zeros(len(cells), dtype=bool),
                                nearest_distance=np.full(len(cells), np.nan))
    values.value[inside] = values_in.value
    values.served[inside] = values_in.served
    values.nearest_distance[inside] = values_in.nearest_distance

    tree = selectors.area_tree(grid.region)
    level_id = inputs.level.pk
    per_area: dict[int, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        if cells_out[i]:
            continue
        area = _level_area(tree, cell.area_id, level_id) or _level_area(tree, cell.kommune_id, level_id)
        if area is not None:
            per_area[area].append(i)
    places_per_area: dict[int, int] = defaultdict(int)
    for p in places:
        area = _level_area(tree, p.area_id, level_id) or _level_area(tree, p.kommune_id, level_id)
        if area is not None:
            places_per_area[area] += 1
    areas: list[dict[str, Any]] = []
    for area_id, idx in per_area.items():
        d = demand[idx]
        total = float(d.sum())
        unserved = float(d[~values.served[idx]].sum())
        # Finite values only: a cell with no place within the walking cutoff has no nearest distance.
        fin = np.isfinite(values.value[idx])
        fin_total = float(d[fin].sum())
        mean = float((values.value[idx][fin] * d[fin]).sum() / fin_total) if fin_total > 0 else None
        near_fin = np.isfinite(values.nearest_distance[idx])
        near_total = float(d[near_fin].sum())
        areas.append({
            "area_id": area_id, "name": tree[area_id][2], "demand": round(total),
            "value": None if mean is None else round(mean, 3),
            "unserved": round(unserved), "unserved_share": round(unserved / total, 4) if total > 0 else None,
            "mean_distance": (round(float((values.nearest_distance[idx][near_fin] * d[near_fin]).sum() / near_total))
                              if near_total > 0 else None),
            "places": places_per_area.get(area_id, 0), "cells": len(idx),
        })
    # Rank 1 = largest gap: most persons of the group without a place within the distance, then the
    # method's value (farther / less covered / less supply per person).
    worse_high = inputs.method == "nearest"
    sign = -1.0 if worse_high else 1.0
    areas.sort(key=lambda a: (-float(a["unserved"]), sign * float(a["value"] or 0.0)))
    for rank, a in enumerate(areas, start=1):
        a["rank"] = rank
    ranked_values = [a["unserved_share"] for a in areas if a["unserved_share"] is not None]
    classes = fisher_jenks(ranked_values, k=min(5, len(ranked_values))) if ranked_values else None
    return {
        "inputs": inputs.as_json(),
        "group_label": str(group.label),
        "method_label": METHOD_LABELS[inputs.method],
        "level_name": inputs.level.name,
        "data_year": grid.data_year,
        "grid_name": grid.name,
        "need_label": grid.need_label,
        "source": grid.source,
        "licence": grid.licence,
        "distance": distance_info(inputs.network),
        "places": [{"id": p.pk, "name": p.name, "lon": p.lon, "lat": p.lat, "capacity": p.capacity or 1,
                    "capacity_default": not p.capacity, "outside": bool(places_out[j])}
                   for j, p in enumerate(places)],
        "cells": [{"cell_id": c.cell_id, "lon": c.lon, "lat": c.lat, "size": grid.cell_size_m,
                   "demand": round(float(demand[i])),
                   "value": round(float(values.value[i]), 3) if np.isfinite(values.value[i]) else None,
                   "served": bool(values.served[i]), "outside": bool(cells_out[i])} for i, c in enumerate(cells)],
        "areas": areas,
        "breaks": [] if classes is None else [round(float(b), 4) for b in classes.breaks],
        "totals": {
            "demand": round(float(demand[inside].sum())),
            "unserved": round(float(demand[inside & ~values.served].sum())),
            "places": len(places),
            "outside_cells": int(cells_out.sum()),
            "outside_demand": round(float(demand[cells_out].sum())),
            "outside_places": int(places_out.sum()),
            "capacity_defaulted": int(sum(1 for p in places if not p.capacity)),
        },
    }


SITING_LABELS = {
    "mclp": "MCLP: die meisten Personen im Umkreis",
    "pmedian": "p-Median: kürzeste mittlere Entfernung",
    "lscp": "LSCP: wenigste neue Orte, damit alle im Umkreis sind",
}


def run_siting(inputs: GapInputs, *, p: int | None, extra_candidates: list[dict[str, Any]] | None = None,
               method: str = "mclp") -> dict[str, Any]:
    """Where should new places go? Existing places stay fixed; candidates are potential areas, planned places
    and uploaded ones. ``mclp``: the next ``p`` (1–3) places covering most of the group within the distance;
    ``pmedian``: the next ``p`` places shortening the population-weighted mean distance most; ``lscp``: the
    fewest new places so that everybody of the group has a place within the distance (``p`` unused)."""
    _check(inputs)
    if method not in adapter.SITING_METHODS:
        raise GapsError(_("Bitte ein Verfahren für die Standortwahl wählen."))
    if method != "lscp" and (p is None or not 1 <= p <= 3):
        raise GapsError(_("Bitte 1 bis 3 neue Orte wählen."))
    grid = inputs.grid
    cells = selectors.grid_cells(grid)
    demand = np.array([demand_of(c, inputs.group) for c in cells], dtype=float)
    if demand.sum() <= 0:
        raise GapsError(_("Im Raster gibt es niemanden aus dieser Zielgruppe."))
    existing = selectors.supply_places(region=grid.region, place_groups=list(inputs.place_groups),
                                       open_at=inputs.open_at)
    candidates: list[dict[str, Any]] = [{"name": c.name, "lon": c.lon, "lat": c.lat, "kind": c.get_status_display(), "id": c.pk}
                  for c in selectors.candidate_places(region=grid.region)]
    candidates += list(extra_candidates or [])
    if not candidates:
        raise GapsError(_("Es gibt keine Standortkandidaten: Potenzialräume, geplante Orte oder eine "
                          "hochgeladene Kandidatenliste."))
    demand_xy = np.array([[c.x, c.y] for c in cells], dtype=float)
    existing_xy = metric_xy([(float(p_.lon or 0), float(p_.lat or 0)) for p_ in existing])
    candidate_xy = metric_xy([(float(c["lon"]), float(c["lat"])) for c in candidates])
    outside_info: dict[str, Any] = {}
    graph = None
    if inputs.network is not None:
        # Walking distances: cells, existing places and candidates outside the network's extent are left out
        # and counted, never given a distance.
        graph, cells_out, existing_out = _split(inputs.network, demand_xy, existing_xy, what=None)
        cand_out = adapter.outside(graph, candidate_xy)
        if cand_out.all():
            raise GapsError(_("Kein Standortkandidat liegt im Wegenetz „%(name)s“.") % {"name": inputs.network.name})
        outside_info = {"outside_cells": int(cells_out.sum()), "outside_demand": round(float(demand[cells_out].sum())),
                        "outside_existing": int(existing_out.sum()),
                        "outside_candidates": [c["name"] for c, o in zip(candidates, cand_out, strict=True) if o]}
        demand_xy, demand = demand_xy[~cells_out], demand[~cells_out]
        existing_xy = existing_xy[~existing_out] if len(existing_xy) else existing_xy
        candidates = [c for c, o in zip(candidates, cand_out, strict=True) if not o]
        candidate_xy = candidate_xy[~cand_out]
        if demand.sum() <= 0:
            raise GapsError(_("In den Zellen innerhalb des Wegenetzes gibt es niemanden aus der Zielgruppe."))
    common = {"inputs": {**inputs.as_json(), "p": p}, "method": method, "method_label": SITING_LABELS[method],
              "data_year": grid.data_year, "need_label": grid.need_label, "existing": len(existing_xy), "distance": distance_info(inputs.network),
              **outside_info}
    if method == "pmedian":
        assert p is not None
        med = adapter.siting_median(demand_xy, demand, existing_xy, candidate_xy, p, network=graph)
        return {**common, "candidates": candidates, "chosen": [candidates[j] for j in med.selected],
                "mean_before": None if med.mean_before is None else round(med.mean_before),
                "mean_after": round(med.mean_after), "total": round(med.total),
                "unreached_before": round(med.unreached_before), "unreached_after": round(med.unreached_after),
                "curve": [{"p": k, "mean_distance": round(v), "chosen": [candidates[j]["name"] for j in sel]}
                          for k, v, sel in med.curve],
                "optimal": med.optimal}
    if method == "lscp":
        cover = adapter.siting_cover_all(demand_xy, demand, existing_xy, candidate_xy, inputs.radius, network=graph)
        return {**common, "candidates": candidates, "chosen": [candidates[j] for j in cover.selected],
                "needed": cover.needed, "uncoverable": round(cover.uncoverable), "total": round(cover.total),
                "curve": [], "optimal": cover.optimal}
    assert p is not None
    result = adapter.siting(demand_xy, demand, existing_xy, candidate_xy, inputs.radius, p, network=graph)
    for c, gain in zip(candidates, result.added, strict=True):
        c["added"] = round(gain)
    return {
        **common,
        "candidates": sorted(candidates, key=lambda c: -c["added"]),
        "chosen": [candidates[j] for j in result.selected],
        "covered_before": round(result.covered_before),
        "covered_after": round(result.covered_after),
        "total": round(result.total),
        "curve": [{"p": k, "covered": round(v), "chosen": [candidates[j]["name"] for j in sel]}
                  for k, v, sel in result.curve],
        "optimal": result.optimal,
    }
