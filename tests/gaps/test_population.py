"""Population grids: INSPIRE ids, the bundled Zensus 2011 extract, uploads in CSV/XLSX/GeoJSON, bad input."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.gaps.errors import GapsError
from begegnungsatlas.gaps.models import PopulationCell, PopulationGrid
from begegnungsatlas.gaps.services.population import (
    ZENSUS2011_DIR,
    parse_cell_id,
    population_grid_import,
    read_rows,
    zensus2011_rows,
)


def test_cell_ids_in_all_three_spellings() -> None:
    assert parse_cell_id("1kmN3053E4055") == parse_cell_id("CRS3035RES1000mN3053000E4055000")
    assert parse_cell_id("100mN30530E40551").x == 4_055_100
    with pytest.raises(GapsError, match="keine INSPIRE-Zellen-ID"):
        parse_cell_id("N3053E4055")


def test_zensus_extract_joins_both_themes_per_cell() -> None:
    rows = zensus2011_rows("dueren")
    ids = set()
    for name in ("alter_5klassen_1km.csv", "geburtsland_1km.csv"):
        with open(ZENSUS2011_DIR / name, encoding="utf-8") as fh:
            ids |= {r["cell_id"] for r in csv.DictReader(fh) if r["region"] == "dueren"}
    assert len(rows) == len(ids)
    # README totals of the Düren box (real Zensus 2011 figures, after secrecy rounding).
    assert sum(float(r.get("ab65") or 0) for r in rows) == 125_383
    assert sum(float(r.get("eu27_land") or 0) for r in rows) == 24_924


def test_zensus_import_assigns_cells_to_areas_by_centre(dueren_grid: Any) -> None:
    grid = dueren_grid
    assert grid.data_year == 2011
    assert grid.cell_size_m == 1000
    cells = PopulationCell.objects.filter(grid=grid)
    assert cells.count() == len(zensus2011_rows("dueren"))
    inside = [c for c in cells if c.kommune_id is not None]
    # The box reaches into neighbouring Kreise: those cells are stored but belong to no area of the region.
    assert 0 < len(inside) < cells.count()
    people = sum(c.counts.get("insgesamt", 0) for c in inside)
    # README: Kreis Düren inside the box, 247,702 persons (cell centres in simplified VG250 2022).
    assert people == pytest.approx(247_702, rel=0.03)
    cell = cells.get(cell_id="1kmN3054E4075")
    assert cell.counts["ab65"] == 19
    assert cell.x_3035 == 4_075_000
    assert AuditEvent.objects.filter(action="gaps.grid_import", object_id=str(grid.pk)).exists()


def _region() -> Region:
    return Region.objects.get(slug="kreis-dueren")


def _import(rows: list[dict[str, str]], **kw: Any) -> Any:
    return population_grid_import(region=_region(), name=kw.pop("name", "Upload"), data_year=2022,
                                  source="Test", rows=rows, **kw)


def test_upload_formats_give_the_same_grid(db: Any) -> None:
    # Zensus 2022 style: semicolon CSV, long ids, a secrecy dash.
    text = "GITTER_ID_1km;x_mp_1km;y_mp_1km;Einwohner\nCRS3035RES1000mN3073000E4070000;4070500;3073500;812\n" \
           "CRS3035RES1000mN3073000E4071000;4071500;3073500;–\n"
    from_csv = read_rows("zensus2022.csv", text.encode())
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"cell_id": "1kmN3073E4070", "Einwohner": 812}},
        {"type": "Feature", "geometry": None, "properties": {"cell_id": "1kmN3073E4071", "Einwohner": None}},
    ]}
    from_geojson = read_rows("cells.geojson", json.dumps(features).encode())
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["cell_id", "Einwohner"])
    book.active.append(["1kmN3073E4070", 812])
    book.active.append(["1kmN3073E4071", None])
    buf = io.BytesIO()
    book.save(buf)
    from_xlsx = read_rows("cells.xlsx", buf.getvalue())
    results = [_import(rows, name=f"Upload {i}") for i, rows in enumerate((from_csv, from_geojson, from_xlsx))]
    for summary in results:
        cells = {c.cell_id: c.counts for c in summary.grid.cells.all()}
        assert cells == {"1kmN3073E4070": {"Einwohner": 812.0}, "1kmN3073E4071": {}}
        assert summary.missing_values == 1
        assert summary.in_areas >= 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"name": "x", "Einwohner": "3"}], "Keine Spalte mit der Zellen-ID"),
        ([{"cell_id": "1kmN3073E4070", "a": "3"}, {"cell_id": "1kmN3073E4070", "a": "4"}], "doppelt"),
        ([{"cell_id": "1kmN3073E4070", "a": "3"}, {"cell_id": "100mN30730E40700", "a": "4"}], "verschiedene Größen"),
        ([{"cell_id": "1kmN3073E4070", "a": "-3"}], "negativ"),
        ([{"cell_id": "1kmN2700E4400", "a": "3"}], "Keine Zelle liegt in der Region"),  # far south, outside
        ([{"cell_id": "1kmN3073E4070"}], "keine Bevölkerungszahlen"),
        ([], "keine Zellen"),
    ],
)
def test_bad_uploads_store_nothing(db: Any, rows: list[dict[str, str]], message: str) -> None:
    grids, cells = PopulationGrid.objects.count(), PopulationCell.objects.count()
    with pytest.raises(GapsError, match=message):
        _import(rows)
    assert (PopulationGrid.objects.count(), PopulationCell.objects.count()) == (grids, cells)


def test_unknown_file_type_and_duplicate_name_are_refused(dueren_grid: Any) -> None:
    with pytest.raises(GapsError, match="CSV-, XLSX- oder GeoJSON"):
        read_rows("cells.shp", b"")
    with pytest.raises(GapsError, match="gibt es schon"):
        _import([{"cell_id": "1kmN3073E4070", "a": "3"}], name=dueren_grid.name)
