"""Import population grids: Zensus 2011 (bundled) and any grid the planner uploads (CSV, XLSX, GeoJSON).

One write path for every source: readers turn a file into rows (``dict`` of column → text), and
:func:`population_grid_import` checks all rows, then stores the grid and its cells in one transaction.
Cells are identified by their INSPIRE id (``1kmN3053E4055``, ``100mN30530E40550`` or
``CRS3035RES1000mN3053000E4055000``; Zensus 2022 files: ``GITTER_ID_100m``) and belong to the Kommune and
the smallest area that contain their centre; cells outside every area of the region are kept (the map shows
the whole grid) but count for no area.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area, Region
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.core.geo import METRIC_CRS, WEB_CRS, transformer
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record
from begegnungsatlas.data import DATA_DIR

from ..errors import GapsError
from ..models import PopulationCell, PopulationGrid

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


GRID_CRS = "EPSG:3035"
MAX_CELLS = 200_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ZENSUS2011_DIR = DATA_DIR / "zensus2011_grid_1km"
ZENSUS2011_SOURCE = "Zensus 2011, Gitterzellen 1 km (Statistisches Bundesamt)"
ZENSUS2011_LICENCE = (
    "© Statistisches Bundesamt, Wiesbaden 2018 (Zensus 2011); Vervielfältigung und Verbreitung, auch "
    "auszugsweise, mit Quellenangabe gestattet"
)
ZENSUS2011_NOTE = (
    "Die Zählwerte sind durch das Geheimhaltungsverfahren (SAFE) leicht verändert: 1 und 2 kommen nicht vor, "
    "kleine Zahlen sind gerundet; für räumliche Muster und Anteile, nicht als genaue Kopfzahlen."
)
# Which bounding box of the bundled extract belongs to which demo region.
ZENSUS2011_BOXES = {"kreis-dueren": "dueren", "dortmund": "dortmund"}

_CELL_ID = re.compile(
    r"^(?:CRS3035RES(?P<res>\d+)mN(?P<fy>\d+)E(?P<fx>\d+)"
    r"|(?P<size>\d+)(?P<unit>km|m)N(?P<y>\d+)E(?P<x>\d+))$"
)
ID_COLUMNS = ("cell_id", "gitter_id_1km", "gitter_id_100m", "gitter_id_10km", "id", "cell")
_SKIP_COLUMNS = {"x_3035", "y_3035", "region", "x_mp_1km", "y_mp_1km", "x_mp_100m", "y_mp_100m", "x_mp_10km",
                 "y_mp_10km"}
_MISSING = {"", "-", "–", "—", ".", "x", "X", "None"}


@dataclass(frozen=True)
class CellId:
    x: int  # lower-left corner, EPSG:3035
    y: int
    size: int


def parse_cell_id(value: str) -> CellId:
    """Parse an INSPIRE grid cell id.

    >>> parse_cell_id("1kmN3053E4055")
    CellId(x=4055000, y=3053000, size=1000)
    >>> parse_cell_id("100mN30530E40551")
    CellId(x=4055100, y=3053000, size=100)
    >>> parse_cell_id("CRS3035RES1000mN3053000E4055000")
    CellId(x=4055000, y=3053000, size=1000)
    """
    m = _CELL_ID.match(value.strip())
    if m is None:
        raise GapsError(_("„%(value)s“ ist keine INSPIRE-Zellen-ID (z. B. 1kmN3053E4055).") % {"value": value[:60]})
    if m.group("res"):
        size = int(m.group("res"))
        return CellId(int(m.group("fx")), int(m.group("fy")), size)
    size = int(m.group("size")) * (1000 if m.group("unit") == "km" else 1)
    return CellId(int(m.group("x")) * size, int(m.group("y")) * size, size)


def inspire_short_id(x: float, y: float, size: int) -> str:
    """Short INSPIRE id as the Zensus files write it.

    >>> inspire_short_id(4055000, 3053000, 1000)
    '1kmN3053E4055'
    """
    label = f"{size // 1000}km" if size % 1000 == 0 else f"{size}m"
    return f"{label}N{int(y) // size}E{int(x) // size}"


# --- readers: file → rows ------------------------------------------------------------------------------


def read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (``,`` or ``;``), XLSX (first sheet) or GeoJSON (feature properties) file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise GapsError(_("Die Datei ist größer als %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    if suffix in (".geojson", ".json"):
        return _geojson_rows(data)
    raise GapsError(_("Bitte eine CSV-, XLSX- oder GeoJSON-Datei hochladen."))


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [dict(r) for r in csv.DictReader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise GapsError(_("Die XLSX-Datei lässt sich nicht lesen.")) from exc
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    if not rows:
        return []
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    return [{h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)} for row in rows[1:]]


def _geojson_rows(data: bytes) -> list[dict[str, str]]:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GapsError(_("Die GeoJSON-Datei ist kein gültiges JSON.")) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise GapsError(_("Die GeoJSON-Datei muss eine FeatureCollection sein."))
    return [
        {k: "" if v is None else str(v) for k, v in (f.get("properties") or {}).items()}
        for f in doc.get("features", []) if isinstance(f, dict)
    ]


# --- the one write path ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    grid: PopulationGrid
    cells: int
    in_areas: int
    missing_values: int


def _number(value: str) -> float | None:
    text = value.strip().replace(" ", "")
    if text in _MISSING:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _parse(rows: Iterable[Mapping[str, str]]) -> tuple[list[CellId], list[str], list[dict[str, float]], int, int]:
    ids: list[CellId] = []
    labels: list[str] = []
    counts: list[dict[str, float]] = []
    seen: set[str] = set()
    missing = 0
    size = 0
    for i, row in enumerate(rows, start=2):
        lower = {k.strip().lower(): k for k in row if k}
        id_key = next((lower[c] for c in ID_COLUMNS if c in lower), None)
        if id_key is None:
            raise GapsError(_("Keine Spalte mit der Zellen-ID gefunden (erwartet: cell_id oder GITTER_ID_1km)."))
        raw = str(row[id_key] or "").strip()
        try:
            cell = parse_cell_id(raw)
        except GapsError as exc:
            raise GapsError(_("Zeile %(row)s: %(error)s") % {"row": i, "error": exc}) from exc
        if size and cell.size != size:
            raise GapsError(_("Zeile %(row)s: die Zellen haben verschiedene Größen (%(a)s m und %(b)s m).")
                            % {"row": i, "a": size, "b": cell.size})
        size = cell.size
        label = inspire_short_id(cell.x, cell.y, cell.size)
        if label in seen:
            raise GapsError(_("Zeile %(row)s: die Zelle %(cell)s kommt doppelt vor.") % {"row": i, "cell": label})
        seen.add(label)
        values: dict[str, float] = {}
        for key, value in row.items():
            name = (key or "").strip()
            if not name or name == id_key or name.lower() in _SKIP_COLUMNS:
                continue
            number = _number(str(value or ""))
            if number is None:
                missing += 1
                continue
            if number < 0:
                raise GapsError(_("Zeile %(row)s: „%(col)s“ ist negativ.") % {"row": i, "col": name})
            values[name] = number
        ids.append(cell)
        labels.append(label)
        counts.append(values)
        if len(ids) > MAX_CELLS:
            raise GapsError(_("Mehr als %(n)s Zellen; bitte einen Ausschnitt hochladen.") % {"n": f"{MAX_CELLS:,}"})
    if not ids:
        raise GapsError(_("Die Datei enthält keine Zellen."))
    return ids, labels, counts, size, missing


@transaction.atomic
def population_grid_import(
    *,
    region: Region,
    name: str,
    data_year: int,
    source: str,
    rows: Iterable[Mapping[str, str]],
    licence: str = "",
    note: str = "",
    replace: bool = False,
    actor: Actor = None,
) -> ImportSummary:
    """Check every row, then store the grid and its cells; all or nothing."""
    if not name.strip():
        raise GapsError(_("Bitte einen Namen für das Raster angeben."))
    if not 1950 <= int(data_year) <= 2100:
        raise GapsError(_("Das Datenjahr %(year)s ist nicht plausibel.") % {"year": data_year})
    ids, labels, counts, size, missing = _parse(rows)
    columns = sorted({c for row in counts for c in row})
    if not columns:
        raise GapsError(_("Die Datei enthält keine Bevölkerungszahlen (nur die Zellen-ID)."))
    x3035 = np.array([c.x for c in ids], dtype=float)
    y3035 = np.array([c.y for c in ids], dtype=float)
    cx, cy = x3035 + size / 2, y3035 + size / 2
    lon, lat = transformer(GRID_CRS, WEB_CRS).transform(cx, cy)
    mx, my = transformer(GRID_CRS, METRIC_CRS).transform(cx, cy)
    assignment = area_ids_at(list(lon), list(lat))
    region_areas = set(Area.objects.filter(region=region).values_list("id", flat=True))
    assignment = [(k if k in region_areas else None, a if a in region_areas else None) for k, a in assignment]
    in_areas = sum(1 for k, a in assignment if a is not None or k is not None)
    if in_areas == 0:
        raise GapsError(_("Keine Zelle liegt in der Region „%(region)s“; passt das Raster zur Region?")
                        % {"region": region.name})
    existing = PopulationGrid.objects.filter(region=region, name=name.strip())
    if existing.exists():
        if not replace:
            raise GapsError(_("Ein Raster „%(name)s“ gibt es schon.") % {"name": name})
        existing.delete()
    grid = PopulationGrid.objects.create(
        region=region, name=name.strip(), data_year=int(data_year), cell_size_m=size, source=source,
        licence=licence, note=note, columns=columns,
        created_by=signed_in(actor),
    )
    PopulationCell.objects.bulk_create(
        [
            PopulationCell(
                grid=grid, cell_id=labels[i], x_3035=float(x3035[i]), y_3035=float(y3035[i]),
                lon=round(float(lon[i]), 6), lat=round(float(lat[i]), 6), x=float(mx[i]), y=float(my[i]),
                kommune_id=assignment[i][0], area_id=assignment[i][1], counts=counts[i],
            )
            for i in range(len(ids))
        ],
        batch_size=1000,
    )
    audit_record(actor=actor, action="gaps.grid_import", obj=grid,
                 changes={"cells": len(ids), "in_areas": in_areas, "columns": columns}, note=source[:200])
    return ImportSummary(grid=grid, cells=len(ids), in_areas=in_areas, missing_values=missing)


def zensus2011_rows(box: str, directory: Path = ZENSUS2011_DIR) -> list[dict[str, str]]:
    """Rows of the bundled Zensus 2011 extract for one box, both themes joined by cell id.

    The birth-country total is kept as ``insgesamt_geburtsland`` (the two themes' totals differ slightly
    because of the secrecy procedure); ``insgesamt`` is the age file's total.
    """
    merged: dict[str, dict[str, str]] = {}
    for filename, rename in (("alter_5klassen_1km.csv", {}), ("geburtsland_1km.csv",
                                                             {"insgesamt": "insgesamt_geburtsland"})):
        with open(directory / filename, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["region"] != box:
                    continue
                target = merged.setdefault(row["cell_id"], {"cell_id": row["cell_id"]})
                for key, value in row.items():
                    if key not in ("cell_id", "x_3035", "y_3035", "region"):
                        target[rename.get(key, key)] = value
    if not merged:
        raise GapsError(_("Im Zensus-2011-Auszug gibt es keinen Ausschnitt „%(box)s“.") % {"box": box})
    return list(merged.values())


def zensus2011_import(*, region: Region, actor: Actor = None, replace: bool = True) -> ImportSummary:
    """Import the bundled Zensus 2011 1 km grid (age classes, country of birth) for a demo region."""
    box = ZENSUS2011_BOXES.get(region.slug)
    if box is None:
        raise GapsError(_("Für die Region „%(region)s“ liegt kein Zensus-2011-Auszug bei.") % {"region": region.name})
    return population_grid_import(
        region=region, name="Zensus 2011, 1 km", data_year=2011, source=ZENSUS2011_SOURCE,
        licence=ZENSUS2011_LICENCE, note=ZENSUS2011_NOTE, rows=zensus2011_rows(box), replace=replace, actor=actor,
    )
