"""The one write path for the areas of a Sozialraum level: membership, dissolved geometry, checks, edit history.

A *layout* is the list of Sozialräume of a level as ``Part(code, name, units)`` (unit = area id of the base
level). :func:`layout_write` checks a layout (every unit exactly once, each Sozialraum contiguous and at or above
the minimum), stores it (areas, memberships, geometry = dissolved union of the units) and records one
``EditStep`` with the layout before it (undo) and one audit event — all in one transaction, so nothing is ever
saved half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.analysis.regionalisation import contiguity_from_polygons
from begegnungsatlas.atlas.models import Area, AreaLevel, AreaMembership
from begegnungsatlas.atlas.selectors.values import indicator_values_for_level
from begegnungsatlas.atlas.services.areas import area_fields_from_geometry
from begegnungsatlas.atlas.services.boundaries import polygonal
from begegnungsatlas.core.geo import to_geojson, to_metric, to_shape
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import SozialraumError
from ..models import EditStep, SozialraumLevel

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



@dataclass
class Part:
    code: str
    name: str
    units: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BaseUnits:
    """The units of a base level in a fixed order, their metric geometries and rook/queen contiguity."""

    ids: list[int]
    names: list[str]
    index: dict[int, int]
    geoms_web: list[Any]
    adjacency: sp.csr_array


_units_cache: dict[int, tuple[tuple[Any, ...], BaseUnits]] = {}
_units_lock = Lock()


def base_units(level: AreaLevel) -> BaseUnits:
    """Current areas of ``level`` with geometry and their contiguity (rook; islands linked to the nearest unit).

    Cached per level while its areas are unchanged (adjacency of 10,000 grid cells takes about a second).
    """
    # Also changes when a boundary re-import rewrites a polygon in place (in any process): see ``geometry_stamp``.
    stamp = Area.objects.filter(level=level).geometry_stamp()
    hit = _units_cache.get(level.pk)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    rows = list(Area.objects.filter(level=level, valid_to__isnull=True).exclude(geometry=None)
                .order_by("id").values_list("id", "name", "geometry"))
    if not rows:
        raise SozialraumError(_("Die Ebene „%(level)s“ hat keine Gebiete mit Grenzen.") % {"level": level.name})
    raw = [to_shape(g) for _i, _n, g in rows if g is not None]
    # Repaired boundaries can be collections with stray lines (39 of Dortmund's Unterbezirke): keep the polygons,
    # so that the dissolved Sozialräume are polygons too.
    geoms_web = [polygonal(fixed) or fixed for fixed in (shapely.make_valid(g) for g in raw)]
    # contiguity repairs invalid polygons itself (and keeps only their polygonal parts)
    metric = [to_metric(g) for g in raw]
    adjacency = contiguity_from_polygons(metric, kind="rook", islands="connect", tolerance=1.0)
    units = BaseUnits(ids=[r[0] for r in rows], names=[r[1] for r in rows],
                      index={r[0]: i for i, r in enumerate(rows)}, geoms_web=geoms_web, adjacency=adjacency)
    with _units_lock:
        _units_cache[level.pk] = (stamp, units)
    return units


def unit_population(sr: SozialraumLevel, units: BaseUnits) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """Population per unit (in ``units`` order) from the level's population indicator, or None."""
    if sr.population_indicator is None or not sr.population_period:
        return None
    assert sr.level.composed_of is not None
    cells = indicator_values_for_level(indicator=sr.population_indicator, level=sr.level.composed_of,
                                       period=sr.population_period)
    return np.asarray([cells[i].value if i in cells and cells[i].ok else np.nan for i in units.ids], dtype=float)


def layout_of(level: AreaLevel) -> list[Part]:
    """The current layout of a composite level, Sozialräume ordered by code."""
    parts = {a.pk: Part(a.code, a.name) for a in Area.objects.filter(level=level, valid_to__isnull=True)
             .order_by("code").only("id", "code", "name")}
    for area_id, unit_id in (AreaMembership.objects.filter(area__level=level).order_by("unit_id")
                             .values_list("area_id", "unit_id")):
        if area_id in parts:
            parts[area_id].units.append(unit_id)
    return list(parts.values())


def layout_to_json(layout: Sequence[Part]) -> list[dict[str, Any]]:
    return [{"code": p.code, "name": p.name, "units": list(p.units)} for p in layout]


def layout_from_json(data: list[dict[str, Any]]) -> list[Part]:
    return [Part(str(d["code"]), str(d["name"]), [int(u) for u in d["units"]]) for d in data]


def _connected(adj: sp.csr_array, idx: list[int]) -> bool:
    if len(idx) <= 1:
        return True
    sub = adj[idx][:, idx]
    n_comp, _labels = sp.csgraph.connected_components(sub, directed=False)
    return int(n_comp) == 1


def layout_problems(sr: SozialraumLevel, layout: Sequence[Part]) -> list[str]:
    """Everything wrong with ``layout`` for this level, as German sentences (empty list: fine)."""
    assert sr.level.composed_of is not None
    units = base_units(sr.level.composed_of)
    problems: list[str] = []
    seen: dict[int, str] = {}
    for part in layout:
        if not part.units:
            problems.append(_("„%(name)s“ hat keine Bausteine.") % {"name": part.name})
        for u in part.units:
            if u not in units.index:
                problems.append(_("Baustein %(id)s gehört nicht zur Ebene „%(level)s“.")
                                % {"id": u, "level": sr.level.composed_of.name})
            elif u in seen:
                problems.append(_("„%(unit)s“ liegt in zwei Sozialräumen (%(a)s, %(b)s).")
                                % {"unit": units.names[units.index[u]], "a": seen[u], "b": part.name})
            seen[u] = part.name
    missing = [units.names[i] for i, u in enumerate(units.ids) if u not in seen]
    if missing:
        problems.append(_("Nicht zugeordnet: %(units)s.") % {"units": ", ".join(missing[:10])
                                                             + (" …" if len(missing) > 10 else "")})
    if problems:
        return problems
    pop = unit_population(sr, units)
    for part in layout:
        idx = [units.index[u] for u in part.units]
        if not _connected(units.adjacency, idx):
            problems.append(_("„%(name)s“ ist nicht zusammenhängend: seine Bausteine grenzen nicht aneinander.")
                            % {"name": part.name})
        if sr.min_units and len(idx) < sr.min_units:
            problems.append(_("„%(name)s“ hat %(n)s Bausteine, mindestens %(min)s sind verlangt.")
                            % {"name": part.name, "n": len(idx), "min": sr.min_units})
        if sr.min_population and pop is not None:
            total = float(np.nansum(pop[idx]))
            if np.isnan(pop[idx]).any():
                problems.append(_("„%(name)s“: für einige Bausteine fehlt die Einwohnerzahl.") % {"name": part.name})
            elif total < sr.min_population:
                problems.append(_("„%(name)s“ hat %(pop)s Einwohner, mindestens %(min)s sind verlangt.")
                                % {"name": part.name, "pop": f"{total:,.0f}".replace(",", "."),
                                   "min": f"{sr.min_population:,.0f}".replace(",", ".")})
    return problems


def _dissolve(units: BaseUnits, unit_ids: list[int]) -> dict[str, Any]:
    geom = shapely.union_all([units.geoms_web[units.index[u]] for u in unit_ids])
    return area_fields_from_geometry(to_geojson(geom))


@transaction.atomic
def layout_write(*, sr: SozialraumLevel, layout: Sequence[Part], actor: Actor, action: str, description: str,
                 check: bool = True, record_step: bool = True) -> list[Part]:
    """Store ``layout`` as the level's Sozialräume (all or nothing); return the layout before the change."""
    sr = SozialraumLevel.objects.select_for_update(of=("self",)).select_related(
        "level__composed_of", "level__region", "population_indicator").get(pk=sr.pk)
    if not sr.is_draft and record_step:
        raise SozialraumError(_("„%(name)s“ ist beschlossen und kann nicht mehr geändert werden. "
                                "Legen Sie eine neue Fassung an.") % {"name": sr.level.name})
    codes = [p.code for p in layout]
    if len(set(codes)) != len(codes):
        raise SozialraumError(_("Jeder Sozialraum braucht einen eigenen Schlüssel."))
    if check:
        problems = layout_problems(sr, layout)
        if problems:
            raise SozialraumError(" ".join(problems))
    level = sr.level
    assert level.composed_of is not None
    units = base_units(level.composed_of)
    before = layout_of(level)
    old = {p.code: p for p in before}
    existing = {a.code: a for a in Area.objects.filter(level=level, valid_to__isnull=True)}
    for code, stale in existing.items():
        if code not in codes:
            stale.delete()
    for part in layout:
        area = existing.get(part.code)
        changed = part.code not in old or sorted(old[part.code].units) != sorted(part.units)
        if area is None:
            area = Area.objects.create(region=level.region, level=level, code=part.code, name=part.name,
                                       source=_("zusammengesetzt aus „%(level)s“") % {"level": level.composed_of.name},
                                       **_dissolve(units, part.units))
        else:
            fields = _dissolve(units, part.units) if changed else {}
            for key, value in {"name": part.name, **fields}.items():
                setattr(area, key, value)
            area.save()
        if changed:
            AreaMembership.objects.filter(area=area).delete()
            AreaMembership.objects.bulk_create([AreaMembership(area=area, unit_id=u) for u in part.units],
                                               batch_size=2000)
    if record_step:
        EditStep.objects.create(sozialraum=sr, action=action, description=description[:300],
                                before=layout_to_json(before), actor=signed_in(actor))
    audit_record(actor=actor, action=f"sozialraum.{action}", obj=level, object_label=level.name,
                 changes={"description": description, "sozialraeume": len(layout)})
    return before
