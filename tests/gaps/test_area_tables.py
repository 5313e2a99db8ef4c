"""Area tables as need (``gaps.services.area_tables``): spread onto cells, totals exact, usable by every method.

Real data: the bundled Zensus 2022 table 1000A-0000 (persons per Gemeinde, 15.05.2022), the 15 rows of Kreis Düren,
read from the original GENESIS flat file. Tests marked SYNTHETIC use invented counts (said where they do).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pytest
import shapely

from begegnungsatlas.analysis.location import coverage_from_xy, lscp, mclp_from_xy, p_median_from_xy
from begegnungsatlas.atlas.models import Area, AreaLevel, Region
from begegnungsatlas.data import DATA_DIR
from begegnungsatlas.gaps.errors import GapsError
from begegnungsatlas.gaps.models import GridKind, PopulationGrid
from begegnungsatlas.gaps.services.analysis import (
    GapInputs,
    metric_xy,
    run_gap_analysis,
    run_siting,
)
from begegnungsatlas.gaps.services.area_tables import area_table_import
from begegnungsatlas.gaps.services.population import read_rows
from tests.gaps.conftest import core_cell_values, core_inputs

ZENSUS2022 = DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv"
DUEREN_TOTAL = 275_392  # docs of the bundled file: Kreis Düren, 15 Gemeinden


@pytest.fixture
def dueren_rows() -> list[dict[str, str]]:
    """The real Zensus 2022 rows of the 15 Gemeinden of Kreis Düren (ARS 05358…), unchanged."""
    rows = read_rows(ZENSUS2022.name, ZENSUS2022.read_bytes())
    return [r for r in rows if r["1_variable_attribute_code"].startswith("05358")]


def _kommune_level() -> AreaLevel:
    return AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")


def _import(rows: list[dict[str, str]], **kw: Any) -> Any:
    defaults: dict[str, Any] = {
        "region": Region.objects.get(slug="kreis-dueren"), "level": _kommune_level(), "name": "Zensus 2022 Gemeinden",
        "data_year": 2022, "source": "Zensus 2022, Tabelle 1000A-0000", "rows": rows, "columns": "value=insgesamt",
    }
    return area_table_import(**{**defaults, **kw})


def _sum_per_kommune(grid: PopulationGrid) -> dict[int, int]:
    level = _kommune_level()
    kommune_of = {a.pk: a.pk for a in Area.objects.filter(level=level)}
    sums: dict[int, int] = defaultdict(int)
    for cell in grid.cells.all():
        key = kommune_of.get(cell.kommune_id)
        assert key is not None, cell.cell_id  # every spread cell belongs to a Kommune of the table
        sums[key] += int(cell.counts["insgesamt"])
    return dict(sums)


def test_spread_by_the_zensus_grid_keeps_every_kommune_total_exactly(dueren_grid: Any,
                                                                     dueren_rows: list[dict[str, str]]) -> None:
    assert len(dueren_rows) == 15
    summary = _import(dueren_rows, weight_grid=dueren_grid)
    grid = summary.grid
    table = {Area.objects.get(level=_kommune_level(), code=r["1_variable_attribute_code"]).pk: int(r["value"])
             for r in dueren_rows}
    assert _sum_per_kommune(grid) == table
    assert sum(table.values()) == DUEREN_TOTAL
    assert grid.kind == GridKind.AREA_TABLE
    assert grid.columns == ["insgesamt"]
    assert summary.by_method == {"grid": 15, "sample": 0, "point": 0}
    assert grid.need_label == ("Bedarf aus Gebietstabelle (Kommunen, 2022), auf Rasterzellen verteilt nach "
                               "Zensus 2011, 1 km (2011)")
    # Dasymetric: within a Kommune the cells follow the 2011 grid's population (largest remainder, < 1 person off).
    by_id = {c.cell_id: c for c in dueren_grid.cells.all()}
    duren = Area.objects.get(level=_kommune_level(), code="053580008008")
    cells = list(grid.cells.filter(kommune_id=duren.pk))
    weights = np.array([by_id[c.cell_id].counts["insgesamt"] for c in cells], dtype=float)
    spread = np.array([c.counts["insgesamt"] for c in cells], dtype=float)
    np.testing.assert_array_less(np.abs(spread - 94_149 * weights / weights.sum()), 1.0)


def test_spread_without_a_grid_is_even_over_points_inside_each_kommune(db: Any,
                                                                       dueren_rows: list[dict[str, str]]) -> None:
    summary = _import(dueren_rows)
    grid = summary.grid
    assert _sum_per_kommune(grid) == {Area.objects.get(level=_kommune_level(), code=r["1_variable_attribute_code"]).pk:
                                      int(r["value"]) for r in dueren_rows}
    assert summary.by_method["sample"] == 15
    assert grid.cell_size_m == 500  # ~940 km² at 250 m would be > 10,000 points
    assert "gleichmäßig in der Fläche verteilt (Punkte im Abstand von 500 m)" in grid.need_label
    # Even: within a Kommune the counts differ by at most one person; every point lies in its Kommune.
    for area in Area.objects.with_geometry().filter(level=_kommune_level()):
        values = [c.counts["insgesamt"] for c in grid.cells.filter(kommune_id=area.pk)]
        assert max(values) - min(values) <= 1
        poly = shapely.geometry.shape(area.geometry)
        sample = grid.cells.filter(kommune_id=area.pk)[:20]
        assert all(poly.buffer(1e-4).contains(shapely.Point(c.lon, c.lat)) for c in sample)


def test_unterbezirke_without_grid_population_fall_back_to_points(dortmund_grid: Any) -> None:
    """SYNTHETIC counts (not real data): every Dortmund Unterbezirk gets 100 + its number; the real 1 km grid has
    too few cell centres for the small Unterbezirke, which then get lattice or surface points."""
    level = AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk")
    areas = list(Area.objects.filter(level=level))
    rows = [{"unbeznr": a.code, "ab65": str(100 + i)} for i, a in enumerate(areas)]
    summary = area_table_import(region=level.region, level=level, name="Test (synthetisch)", data_year=2024,
                                source="Test", rows=rows, weight_grid=dortmund_grid)
    assert summary.by_method["grid"] > 0
    assert summary.by_method["sample"] + summary.by_method["point"] > 0
    assert "Gebiete ohne Einwohner im Raster gleichmäßig in der Fläche verteilt" in summary.grid.need_label
    tree = {a.pk: a for a in areas}
    sums: dict[int, int] = defaultdict(int)
    from begegnungsatlas.gaps.selectors import area_tree
    from begegnungsatlas.gaps.services.analysis import _level_area

    t = area_tree(level.region)
    for cell in summary.grid.cells.all():
        owner = _level_area(t, cell.area_id, level.pk)
        assert owner in tree, cell.cell_id
        sums[owner] += cell.counts["ab65"]
    assert sums == {a.pk: 100 + i for i, a in enumerate(areas)}


def _inputs(grid: Any, **kw: Any) -> GapInputs:
    defaults: dict[str, Any] = {"grid": grid, "group": "insgesamt", "method": "coverage", "radius": 2000.0,
                                "level": _kommune_level(), "place_groups": ("senioren",)}
    return GapInputs(**{**defaults, **kw})


@pytest.mark.parametrize("method", ["nearest", "coverage", "2sfca", "e2sfca"])
def test_every_method_runs_on_the_table_and_equals_the_core(dueren_grid: Any, dueren_places: list[Any],
                                                            dueren_rows: list[dict[str, str]], method: str) -> None:
    grid = _import(dueren_rows, weight_grid=dueren_grid).grid
    existing = [p for p in dueren_places if p.status == "existing"]
    out = run_gap_analysis(_inputs(grid, method=method))
    xy, demand, supply, capacity = core_inputs(grid, existing, "insgesamt")
    expected = core_cell_values(method, xy, demand, supply, capacity, 2000.0)
    np.testing.assert_allclose([c["value"] for c in out["cells"]], np.round(expected, 3), atol=1e-9)
    assert out["totals"]["demand"] == DUEREN_TOTAL
    assert sum(a["demand"] for a in out["areas"]) == DUEREN_TOTAL  # every Kommune's table value, exactly
    assert out["data_year"] == 2022
    assert out["need_label"].startswith("Bedarf aus Gebietstabelle (Kommunen, 2022)")


def test_siting_methods_run_on_the_table_and_equal_the_core(dueren_grid: Any, dueren_places: list[Any],
                                                            dueren_rows: list[dict[str, str]]) -> None:
    grid = _import(dueren_rows, weight_grid=dueren_grid).grid
    existing = [p for p in dueren_places if p.status == "existing"]
    candidates = [p for p in dueren_places if p.status != "existing"]
    xy, demand, supply, _cap = core_inputs(grid, existing, "insgesamt")
    sites = np.vstack([supply, metric_xy([(p.lon, p.lat) for p in candidates])])
    fixed = np.arange(len(existing))
    names = [p.name for p in candidates]

    mclp_out = run_siting(_inputs(grid), p=1)
    direct = mclp_from_xy(xy, sites, radius=2000.0, p=1, weights=demand, fixed=fixed)
    assert [c["name"] for c in mclp_out["chosen"]] == [names[j - len(existing)] for j in direct.selected]
    assert mclp_out["covered_after"] == round(direct.objective)
    assert mclp_out["need_label"] == grid.need_label

    med = run_siting(_inputs(grid), p=1, method="pmedian")
    direct = p_median_from_xy(xy, sites, p=1, weights=demand, fixed=fixed)
    assert [c["name"] for c in med["chosen"]] == [names[j - len(existing)] for j in direct.selected]
    assert med["mean_after"] == round(direct.objective / demand.sum())

    cover = run_siting(_inputs(grid, radius=5000.0), p=None, method="lscp")
    rows = demand > 0
    direct_l = lscp(coverage_from_xy(xy[rows], sites, radius=5000.0), fixed=fixed, uncoverable="ignore")
    assert cover["needed"] == direct_l.selected.size
    assert cover["total"] == DUEREN_TOTAL


def _row(code: str, value: str) -> dict[str, str]:
    return {"ars": code, "einwohner": value}


@pytest.mark.parametrize(
    ("rows", "columns", "message"),
    [
        # SYNTHETIC values: the checks refuse them before anything is computed.
        ([_row("053580004004", "10"), _row("099999999999", "5"), _row("Atlantis", "3")], "",
         r"Zeile 3: „099999999999“ ist kein Gebiet der Ebene „Kommune“; Zeile 4: „Atlantis“"),
        ([_row("053580004004", "-4")], "", r"Zeile 2, Spalte „einwohner“: -4 ist negativ"),
        ([_row("053580004004", "viele"), _row("053580012012", "12,5")], "",
         r"Zeile 2, Spalte „einwohner“: „viele“ ist keine Zahl; Zeile 3, Spalte „einwohner“: 12,5 ist keine ganze"),
        ([_row("053580004004", "10"), _row("05358004", "11")], "", r"Zeile 3: „Aldenhoven“ steht schon in Zeile 2"),
        ([{"ars": "053580004004", "flaeche": "12"}], "", r"Keine Spalte der Tabelle passt zu einer Zielgruppe"),
        ([_row("053580004004", "10")], "fehlt=ab65", r"Diese Spalten gibt es in der Tabelle nicht: fehlt"),
        ([{"wert": "10"}], "", r"Keine Spalte mit dem Gebietsschlüssel"),
        ([], "", r"keine Zeilen"),
    ],
)
def test_bad_tables_list_the_rows_and_store_nothing(db: Any, rows: list[dict[str, str]], columns: str,
                                                    message: str) -> None:
    before = (PopulationGrid.objects.count(), PopulationGrid.objects.filter(kind=GridKind.AREA_TABLE).count())
    with pytest.raises(GapsError, match=message):
        _import(rows, columns=columns)
    assert (PopulationGrid.objects.count(), PopulationGrid.objects.filter(kind=GridKind.AREA_TABLE).count()) == before


def test_codes_names_and_thousands_separators_are_understood(db: Any) -> None:
    """SYNTHETIC counts; keys as planners write them: 8-digit AGS, 12-digit ARS, a name with ", Stadt"."""
    rows = [{"gemeinde": "Düren, Stadt", "Einwohner": "1.234"}, {"gemeinde": "05358004", "Einwohner": "7"},
            {"gemeinde": "053580024024", "Einwohner": "2 000"}]
    grid = _import(rows, columns="").grid
    sums = _sum_per_kommune(grid)
    by_code = {a.code: a.pk for a in Area.objects.filter(level=_kommune_level())}
    assert sums == {by_code["053580008008"]: 1234, by_code["053580004004"]: 7, by_code["053580024024"]: 2000}
    assert len(grid.derivation["missing_areas"]) == 12


def test_weight_grid_of_another_region_and_wrong_level_are_refused(dortmund_grid: Any,
                                                                   dueren_rows: list[dict[str, str]]) -> None:
    with pytest.raises(GapsError, match="derselben Region"):
        _import(dueren_rows, weight_grid=dortmund_grid)
    with pytest.raises(GapsError, match="Gebietsebene"):
        _import(dueren_rows, level=AreaLevel.objects.get(region__slug="dortmund", slug="unterbezirk"))
    assert not PopulationGrid.objects.filter(kind=GridKind.AREA_TABLE).exists()


def test_the_national_zensus_2022_table_is_cut_to_the_region(dueren_grid: Any,
                                                            dueren_rows: list[dict[str, str]]) -> None:
    from begegnungsatlas.gaps.services.area_tables import ZENSUS2022_FILE, zensus2022_table_import

    rows = read_rows(ZENSUS2022_FILE.name, ZENSUS2022_FILE.read_bytes())
    with pytest.raises(GapsError, match=r"ist kein Gebiet der Ebene „Kommune“.*\(und \d+ weitere\)"):
        _import(rows, key_column="1_variable_attribute_code", weight_grid=dueren_grid)
    assert not PopulationGrid.objects.filter(kind=GridKind.AREA_TABLE).exists()
    national = zensus2022_table_import(region=Region.objects.get(slug="kreis-dueren"), weight_grid=dueren_grid)
    assert national.areas == 15
    assert national.skipped_rows == len(rows) - 15  # 10,771 other Gemeinden and the Germany row
    assert national.grid.licence == "Zensus 2022, Statistische Ämter des Bundes und der Länder, dl-de/by-2-0"
    cut = _import(dueren_rows, weight_grid=dueren_grid).grid
    assert (sorted((c.cell_id, c.counts["insgesamt"]) for c in national.grid.cells.all())
            == sorted((c.cell_id, c.counts["insgesamt"]) for c in cut.cells.all()))
    assert sum(c.counts["insgesamt"] for c in national.grid.cells.all()) == DUEREN_TOTAL


def test_demo_loader_adds_the_zensus_2022_table_for_kreis_dueren(db: Any, monkeypatch: Any) -> None:
    from begegnungsatlas.gaps import demo

    monkeypatch.setattr(demo, "load_networks", lambda **kw: None)
    lines: list[str] = []
    demo.load(out=lines.append)
    demo.load(out=lines.append)  # idempotent: replaced, not doubled
    table = PopulationGrid.objects.get(kind=GridKind.AREA_TABLE)
    assert table.region.slug == "kreis-dueren"
    assert table.need_label.startswith("Bedarf aus Gebietstabelle (Kommunen, 2022), auf Rasterzellen verteilt")
    assert sum(c.counts["insgesamt"] for c in table.cells.all()) == DUEREN_TOTAL
    assert sum("15 Kommunen" in line for line in lines) == 2
