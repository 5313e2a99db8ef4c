"""Area tables as need: counts per area (e.g. persons 65+ per Kommune or per Dortmund Unterbezirk) spread onto
points inside the areas, stored as a population grid of kind *area_table* that every method uses like a grid.

Rows come from the same readers as grids (CSV, XLSX, GeoJSON properties). Each row names an area of the chosen
level by its code (AGS/ARS, also an 8-digit AGS for a 12-digit ARS; a city's area number) or its name, and carries
one or more count columns. The spreading is the framework-free ``analysis.dasymetric.spread_counts``: onto the
cells of a weighting grid (e.g. Zensus 2011, 1 km) in proportion to its population where the area has such cells,
otherwise evenly onto INSPIRE cell centres inside the polygon; the cells of an area add up to the table's value
exactly. All rows are checked first; any error lists the rows and nothing is stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from begegnungsatlas.atlas.models import Area, AreaLevel, Region
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, to_shape, transformer
from begegnungsatlas.core.permissions import Actor, signed_in
from begegnungsatlas.core.services import audit_record
from begegnungsatlas.data import DATA_DIR

from .. import adapter, selectors
from ..errors import GapsError
from ..groups import GROUPS
from ..models import GridKind, PopulationCell, PopulationGrid
from .analysis import _level_area
from .population import GRID_CRS, inspire_short_id

#: Columns that name the area by its code, then by its name (compared in lower case).
KEY_COLUMNS = ("ars", "ags", "code", "schluessel", "schlüssel", "gebietsschluessel", "gebietsschlüssel",
               "regionalschluessel", "regionalschlüssel", "unbeznr", "ubznr", "nummer", "1_variable_attribute_code")
NAME_COLUMNS = ("name", "namen", "gebiet", "gemeinde", "kommune", "place", "bezeichnung", "bezeichnun",
                "1_variable_attribute_label")
#: Columns that are neither key nor count (left out when no column list is given).
IGNORED_COLUMNS = {"state", "land", "kreis", "jahr", "year", "stichtag", "quelle", "source", "hinweis", "note"}
#: Usual headers for the total population, read as ``insgesamt`` (the column of the group "alle Einwohner").
ALIASES = {"population": "insgesamt", "einwohner": "insgesamt", "bevoelkerung": "insgesamt",
           "bevölkerung": "insgesamt", "personen": "insgesamt", "gesamt": "insgesamt"}
#: Evenly spread areas get lattice points at the finest of these spacings that keeps the points below the limit.
SPACINGS_M = (100, 250, 500, 1000, 2000, 5000)
MAX_SAMPLE_POINTS = 10_000
MAX_LISTED = 10
_TARGET = re.compile(r"^[A-Za-z0-9_]+$")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")


@dataclass(frozen=True)
class AreaTableSummary:
    grid: PopulationGrid
    areas: int
    cells: int
    by_method: dict[str, int]
    missing_areas: list[str] = field(default_factory=list)
    skipped_rows: int = 0


def parse_column_map(text: str) -> dict[str, str]:
    """``"population=insgesamt; ab65"`` → ``{"population": "insgesamt", "ab65": "ab65"}`` (table → need column).

    >>> parse_column_map("population=insgesamt, ab65")
    {'population': 'insgesamt', 'ab65': 'ab65'}
    """
    out: dict[str, str] = {}
    for part in re.split(r"[;,\n]", text or ""):
        if not part.strip():
            continue
        source, _sep, target = part.partition("=")
        source, target = source.strip(), (target.strip() or source.strip())
        if not _TARGET.match(target):
            raise GapsError(_("„%(name)s“ ist kein gültiger Spaltenname (nur Buchstaben, Ziffern, _).")
                            % {"name": target[:40]})
        out[source] = target
    return out


def whole_count(text: str) -> int:
    """A whole, non-negative count; German or English thousands separators are allowed.

    >>> whole_count("12.345"), whole_count("1 234"), whole_count("98"), whole_count("17.0")
    (12345, 1234, 98, 17)
    """
    value = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if _GROUPED.match(value):
        return int(re.sub(r"[.,]", "", value))
    if value.isdigit():
        return int(value)
    whole = _WHOLE_FLOAT.match(value)
    if whole:
        return int(whole.group(1))
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ValueError(_("„%(v)s“ ist keine Zahl") % {"v": value[:20]}) from None
    if not math.isfinite(number):
        raise ValueError(_("„%(v)s“ ist keine Zahl") % {"v": value[:20]})
    if number < 0:
        raise ValueError(_("%(v)s ist negativ") % {"v": value[:20]})
    raise ValueError(_("%(v)s ist keine ganze Zahl") % {"v": value[:20]})


def _name_key(name: str) -> str:
    return name.split(",")[0].strip().casefold()


def _code_keys(code: str) -> set[str]:
    code = code.strip()
    keys = {code.casefold()}
    if code.isdigit():
        keys.add(code.lstrip("0") or "0")
        if len(code) == 12:  # ARS → AGS
            ags = code[:5] + code[9:]
            keys |= {ags, ags.lstrip("0")}
    return keys


def _lookup(areas: list[Area]) -> tuple[dict[str, Area], dict[str, Area]]:
    """Code and name keys → area; a key that fits two areas is left out (ambiguous)."""
    def unique(pairs: Iterable[tuple[str, Area]]) -> dict[str, Area]:
        found: dict[str, Area | None] = {}
        for key, area in pairs:
            found[key] = area if found.get(key, area) is area else None
        return {k: a for k, a in found.items() if a is not None}

    codes = unique((k, a) for a in areas for k in _code_keys(a.code) if a.code)
    names = unique((_name_key(a.name), a) for a in areas)
    return codes, names


def _listed(errors: list[str]) -> str:
    shown = "; ".join(errors[:MAX_LISTED])
    if len(errors) > MAX_LISTED:
        shown += " " + _("(und %(n)s weitere)") % {"n": len(errors) - MAX_LISTED}
    return shown


def _polygon_3035(area: Area) -> BaseGeometry:
    geom = to_shape(area.geometry or {})
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        geom = shapely.union_all([g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")])
    t = transformer(WEB_CRS, GRID_CRS)
    return shapely.transform(geom, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def _spacing(polygons: list[BaseGeometry]) -> int:
    total = sum(p.area for p in polygons)
    return next((s for s in SPACINGS_M if total / (s * s) <= MAX_SAMPLE_POINTS), SPACINGS_M[-1])


def _parse(rows: list[Mapping[str, str]], *, level: AreaLevel, areas: list[Area], key_column: str,
           columns: dict[str, str], skip_outside: bool = False) -> tuple[list[Area], np.ndarray, list[str], str, int]:
    if not rows:
        raise GapsError(_("Die Tabelle enthält keine Zeilen."))
    header = [k for k in rows[0] if k]
    lower = {k.strip().casefold(): k for k in header}
    if key_column:
        key = lower.get(key_column.strip().casefold())
        if key is None:
            raise GapsError(_("Die Schlüsselspalte „%(c)s“ gibt es in der Tabelle nicht.") % {"c": key_column[:60]})
    else:
        key = next((lower[c] for c in (*KEY_COLUMNS, *NAME_COLUMNS) if c in lower), None)
        if key is None:
            raise GapsError(_("Keine Spalte mit dem Gebietsschlüssel oder Gebietsnamen gefunden (z. B. ars, ags, "
                              "code, unbeznr oder name)."))
    if columns:
        missing = [c for c in columns if c.strip().casefold() not in lower]
        if missing:
            raise GapsError(_("Diese Spalten gibt es in der Tabelle nicht: %(c)s.") % {"c": ", ".join(missing)})
        chosen = {lower[c.strip().casefold()]: t for c, t in columns.items()}
    else:
        skip = {key.casefold(), *NAME_COLUMNS, *KEY_COLUMNS, *IGNORED_COLUMNS}
        chosen = {h: ALIASES.get(h.strip().casefold(), h.strip()) for h in header if h.strip().casefold() not in skip}
    targets = list(dict.fromkeys(chosen.values()))
    group_columns = sorted({c for g in GROUPS.values() for c in g.columns})
    if not chosen or not set(targets) & set(group_columns):
        raise GapsError(_("Keine Spalte der Tabelle passt zu einer Zielgruppe. Bitte die Zahlenspalten angeben, "
                          "z. B. „Einwohner=insgesamt“ oder „ab65“ (erlaubt: %(cols)s).")
                        % {"cols": ", ".join(group_columns)})
    codes, names = _lookup(areas)
    level_label = level.name
    errors: list[str] = []
    found: list[Area] = []
    values: list[list[int]] = []
    first_row: dict[int, int] = {}
    skipped = 0
    for i, row in enumerate(rows, start=2):
        raw = str(row.get(key) or "").strip()
        area = None
        for k in _code_keys(raw):
            area = area or codes.get(k)
        area = area or names.get(_name_key(raw))
        if area is None and skip_outside:
            skipped += 1
            continue
        if area is None:
            errors.append(_("Zeile %(row)s: „%(v)s“ ist kein Gebiet der Ebene „%(level)s“")
                          % {"row": i, "v": raw[:60], "level": level_label})
            continue
        if area.pk in first_row:
            errors.append(_("Zeile %(row)s: „%(name)s“ steht schon in Zeile %(first)s")
                          % {"row": i, "name": area.name, "first": first_row[area.pk]})
            continue
        first_row[area.pk] = i
        counts = {t: 0 for t in targets}
        bad = False
        for column, target in chosen.items():
            try:
                counts[target] += whole_count(str(row.get(column) or ""))
            except ValueError as exc:
                errors.append(_("Zeile %(row)s, Spalte „%(col)s“: %(error)s")
                              % {"row": i, "col": column, "error": exc})
                bad = True
        if not bad:
            found.append(area)
            values.append([counts[t] for t in targets])
    if errors:
        raise GapsError(_("Die Tabelle wurde nicht importiert: %(errors)s.") % {"errors": _listed(errors)})
    if not found:
        raise GapsError(_("Keine Zeile der Tabelle gehört zu einem Gebiet der Ebene „%(level)s“.")
                        % {"level": level_label})
    return found, np.asarray(values, dtype=np.int64).reshape(len(found), len(targets)), targets, key, skipped


@transaction.atomic
def area_table_import(
    *,
    region: Region,
    level: AreaLevel,
    name: str,
    data_year: int,
    source: str,
    rows: Iterable[Mapping[str, str]],
    licence: str = "",
    key_column: str = "",
    columns: str = "",
    weight_grid: PopulationGrid | None = None,
    weight_column: str = "insgesamt",
    skip_outside: bool = False,
    replace: bool = False,
    actor: Actor = None,
) -> AreaTableSummary:
    """Check every row, spread the counts onto points inside the areas and store them as a need source.

    ``skip_outside``: rows naming no area of the level are skipped and counted (a national table such as the
    Zensus 2022 Gemeinde table) instead of refused."""
    if not name.strip():
        raise GapsError(_("Bitte einen Namen für die Tabelle angeben."))
    if not 1950 <= int(data_year) <= 2100:
        raise GapsError(_("Das Datenjahr %(year)s ist nicht plausibel.") % {"year": data_year})
    if level.region_id != region.pk or level.rank == 0 or level.grid_size_m is not None:
        raise GapsError(_("Bitte eine Gebietsebene der Region „%(region)s“ wählen.") % {"region": region.name})
    if weight_grid is not None and (weight_grid.region_id != region.pk or weight_grid.kind != GridKind.GRID):
        raise GapsError(_("Das Raster für die Verteilung muss ein Bevölkerungsraster derselben Region sein."))
    level_areas = list(Area.objects.with_geometry().filter(level=level, valid_to__isnull=True))
    found, table, targets, key, skipped = _parse(list(rows), level=level, areas=level_areas,
                                                 key_column=key_column, columns=parse_column_map(columns),
                                                 skip_outside=skip_outside)
    no_geometry = [a.name for a in found if not a.geometry]
    if no_geometry:
        raise GapsError(_("Für diese Gebiete fehlt die Grenze: %(names)s.") % {"names": ", ".join(no_geometry)})
    polygons = [_polygon_3035(a) for a in found]
    tree = selectors.area_tree(region)
    index = {a.pk: i for i, a in enumerate(found)}
    wcells: list[PopulationCell] = []
    points = weights = owner = None
    if weight_grid is not None:
        if weight_column not in weight_grid.columns:
            raise GapsError(_("Das Raster „%(grid)s“ hat keine Spalte „%(col)s“.")
                            % {"grid": weight_grid.name, "col": weight_column})
        wcells = selectors.grid_cells(weight_grid)
        half = weight_grid.cell_size_m / 2
        points = np.array([[c.x_3035 + half, c.y_3035 + half] for c in wcells], dtype=float).reshape(-1, 2)
        weights = np.array([float(c.counts.get(weight_column) or 0) for c in wcells])
        owner = np.array([index.get(_level_area(tree, c.area_id, level.pk)
                                    or _level_area(tree, c.kommune_id, level.pk) or -1, -1) for c in wcells])
        spacing = int(weight_grid.cell_size_m)
    else:
        spacing = _spacing(polygons)
    spread = adapter.spread(polygons, table, spacing=spacing, points=points, weights=weights, point_area=owner)

    existing = PopulationGrid.objects.filter(region=region, name=name.strip())
    if existing.exists():
        if not replace:
            raise GapsError(_("Ein Raster „%(name)s“ gibt es schon.") % {"name": name})
        existing.delete()
    by_method = {m: spread.method.count(m) for m in ("grid", "sample", "point")}
    level_label = level.name_plural or level.name
    if weight_grid is not None and by_method["grid"]:
        label = (_("Bedarf aus Gebietstabelle (%(level)s, %(year)s), auf Rasterzellen verteilt nach %(grid)s "
                   "(%(grid_year)s)") % {"level": level_label, "year": data_year, "grid": weight_grid.name,
                                         "grid_year": weight_grid.data_year})
        if by_method["sample"] + by_method["point"]:
            label += "; " + (_("%(n)s Gebiete ohne Einwohner im Raster gleichmäßig in der Fläche verteilt "
                               "(Punkte im Abstand von %(s)s m)")
                             % {"n": by_method["sample"] + by_method["point"], "s": f"{spacing:,}".replace(",", ".")})
    else:
        label = (_("Bedarf aus Gebietstabelle (%(level)s, %(year)s), gleichmäßig in der Fläche verteilt (Punkte im "
                   "Abstand von %(s)s m)") % {"level": level_label, "year": data_year,
                                              "s": f"{spacing:,}".replace(",", ".")})
    missing_areas = sorted(a.name for a in level_areas if a.pk not in index)
    grid = PopulationGrid.objects.create(
        region=region, name=name.strip(), data_year=int(data_year), cell_size_m=spacing, source=source,
        licence=licence, note=label, columns=targets, kind=GridKind.AREA_TABLE,
        derivation={
            "label": label, "level_id": level.pk, "level": level_label, "key_column": key, "areas": len(found),
            "weight_grid": None if weight_grid is None else {
                "id": weight_grid.pk, "name": weight_grid.name, "data_year": weight_grid.data_year,
                "column": weight_column},
            "spacing_m": spacing, "by_method": by_method,
            "sampled_areas": [a.name for a, m in zip(found, spread.method, strict=True) if m != "grid"],
            "missing_areas": missing_areas, "skipped_rows": skipped,
        },
        created_by=signed_in(actor),
    )
    PopulationCell.objects.bulk_create(_cells(grid, spread, found, targets, wcells, spacing, tree, level),
                                       batch_size=1000)
    audit_record(actor=actor, action="gaps.area_table_import", obj=grid,
                 changes={"areas": len(found), "cells": int(len(spread.xy)), "columns": targets,
                          "by_method": by_method}, note=source[:200])
    return AreaTableSummary(grid=grid, areas=len(found), cells=int(len(spread.xy)), by_method=by_method,
                            missing_areas=missing_areas, skipped_rows=skipped)


ZENSUS2022_FILE = DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv"
ZENSUS2022_SOURCE = "Zensus 2022, Tabelle 1000A-0000 „Bevölkerung kompakt“, Einwohner je Gemeinde, Stichtag 15.05.2022"
ZENSUS2022_LICENCE = "Zensus 2022, Statistische Ämter des Bundes und der Länder, dl-de/by-2-0"


def zensus2022_table_import(*, region: Region, weight_grid: PopulationGrid | None = None, actor: Actor = None,
                            replace: bool = True) -> AreaTableSummary:
    """The bundled national Zensus 2022 Gemeinde table as need (persons, column ``insgesamt``) for the region's
    Kommunen; rows of other Gemeinden (and the Germany total) are skipped."""
    level = AreaLevel.objects.filter(region=region, is_municipality=True, grid_size_m__isnull=True).first()
    if level is None:
        raise GapsError(_("Die Region „%(region)s“ hat keine Ebene der Kommunen.") % {"region": region.name})
    from .population import read_rows

    return area_table_import(
        region=region, level=level, name="Zensus 2022, Einwohner je Gemeinde", data_year=2022,
        source=ZENSUS2022_SOURCE, licence=ZENSUS2022_LICENCE,
        rows=read_rows(ZENSUS2022_FILE.name, ZENSUS2022_FILE.read_bytes()),
        key_column="1_variable_attribute_code", columns="value=insgesamt", weight_grid=weight_grid,
        skip_outside=True, replace=replace, actor=actor,
    )


def _cells(grid: PopulationGrid, spread: Any, found: list[Area], targets: list[str], wcells: list[PopulationCell],
           size: int, tree: dict[int, tuple[int | None, int, str]], level: AreaLevel) -> list[PopulationCell]:
    """Spread points → cells: weighting-grid cells keep their id and areas; lattice and surface points get the
    INSPIRE id of the cell they are the centre of (or lie in, with the area code appended) and the areas around
    them, never outside their table area."""
    own = np.flatnonzero(spread.source < 0)
    x3, y3 = spread.xy[own, 0], spread.xy[own, 1]
    lon, lat = transformer(GRID_CRS, WEB_CRS).transform(x3, y3)
    mx, my = transformer(GRID_CRS, METRIC_CRS).transform(x3, y3)
    assigned = area_ids_at(list(lon), list(lat))
    at = {int(k): j for j, k in enumerate(own)}
    seen = {wcells[int(s)].cell_id for s in spread.source if s >= 0}
    out: list[PopulationCell] = []
    for k in range(len(spread.xy)):
        area = found[int(spread.area[k])]
        counts = {t: int(spread.counts[k, c]) for c, t in enumerate(targets)}
        src = int(spread.source[k])
        if src >= 0:
            wc = wcells[src]
            out.append(PopulationCell(grid=grid, cell_id=wc.cell_id, x_3035=wc.x_3035, y_3035=wc.y_3035, lon=wc.lon,
                                      lat=wc.lat, x=wc.x, y=wc.y, kommune_id=wc.kommune_id, area_id=wc.area_id,
                                      counts=counts))
            continue
        j = at[k]
        llx, lly = math.floor(x3[j] / size) * size, math.floor(y3[j] / size) * size
        cell_id = inspire_short_id(llx, lly, size)
        if cell_id in seen:
            cell_id = f"{cell_id}-{area.code}"[:40]
        seen.add(cell_id)
        kommune_id, area_id = assigned[j]
        if area.pk not in (_level_area(tree, area_id, level.pk), _level_area(tree, kommune_id, level.pk)):
            # On the polygon's edge the projections may disagree: the table's area decides.
            area_id = area.pk
            kommune_id = area.pk if level.is_municipality else kommune_id
        out.append(PopulationCell(grid=grid, cell_id=cell_id, x_3035=float(llx), y_3035=float(lly),
                                  lon=round(float(lon[j]), 6), lat=round(float(lat[j]), 6), x=float(mx[j]),
                                  y=float(my[j]), kommune_id=kommune_id, area_id=area_id, counts=counts))
    return out
