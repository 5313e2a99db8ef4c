"""Age structure for the Datencheck, checked against the bundled files read here directly.

The expected figures are computed in the test from ``zensus2011_grid_1km/alter_5klassen_1km.csv`` (cell centres
transformed with pyproj and tested with shapely against the Kommune outlines) and from the NRW Fortschreibung
CSV, not by the code under test.
"""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core.geo import to_shape
from begegnungsatlas.data import DATA_DIR
from begegnungsatlas.sozialraum.services.age import (
    AGE_CLASSES,
    AgeCounts,
    AreaAge,
    age_note,
    age_structure_for_region,
)

KEYS = [k for k, _label in AGE_CLASSES]


def _grid_by_kommune(kommunen: list[Area]) -> dict[str, np.ndarray]:
    with (DATA_DIR / "zensus2011_grid_1km" / "alter_5klassen_1km.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["region"] == "dueren"]
    x = np.array([float(r["x_3035"]) + 500 for r in rows])
    y = np.array([float(r["y_3035"]) + 500 for r in rows])
    lon, lat = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True).transform(x, y)
    points = shapely.points(lon, lat)
    counts = np.array([[float(r[k]) for k in KEYS] for r in rows])
    out = {}
    for k in kommunen:
        inside = shapely.contains(shapely.make_valid(to_shape(k.geometry)), points)
        out[k.name] = counts[inside].sum(axis=0)
    return out


@pytest.fixture
def ages(draft: Any, zensus2011: Any) -> Any:
    return age_structure_for_region(region=draft.level.region, population_indicator=draft.population_indicator,
                                    population_period=draft.population_period)


def test_kommune_age_classes_are_the_sums_of_the_cells_whose_centre_lies_inside(ages, dueren):
    kommunen = list(Area.objects.filter(level=dueren["kommune"], valid_to__isnull=True))
    expected = _grid_by_kommune(kommunen)
    assert len(ages.kommunen) == 15
    for row in ages.kommunen:
        assert row.grid is not None, row.name
        assert row.grid.period == "2011"
        assert list(row.grid.counts) == pytest.approx(list(expected[row.name])), row.name
    # the Kreis is the sum of its Kommunen; the README of the grid gives 247,702 persons inside Kreis Düren
    assert ages.kreis.grid.total == pytest.approx(sum(e.sum() for e in expected.values()))
    assert ages.kreis.grid.total == 247_702


def test_coverage_is_the_grid_sum_over_the_zensus_2022_population(ages):
    by_name = {r.name: r for r in ages.kommunen}
    # Zensus 2022 (zensus2022/README.md): Titz 8,795, Vettweiß 9,827; Kreis Düren 275,392
    assert by_name["Titz"].population == 8795
    assert by_name["Titz"].coverage == pytest.approx(by_name["Titz"].grid.total / 8795)
    assert by_name["Titz"].coverage < 0.5  # the extract's box ends at 51.00 N, Titz lies further north
    assert by_name["Vettweiß"].coverage == pytest.approx(by_name["Vettweiß"].grid.total / 9827)
    assert ages.kreis.coverage == pytest.approx(247_702 / 275_392)
    assert "49 %" in age_note(by_name["Titz"])
    assert age_note(by_name["Vettweiß"]) == ""


def test_kreis_has_the_later_fortschreibung_but_no_change_because_the_grid_misses_the_north(ages):
    with (DATA_DIR / "kreise_nrw" / "nrw_kreise_bevoelkerung_altersgruppen.csv").open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["kreis_ars"] == "05358")
    groups = {"unter18": ["<3 years", "3-5 years", "6-14 years", "15-17 years"],
              "a18_29": ["18-24 years", "25-29 years"], "a30_49": ["30-39 years", "40-49 years"],
              "a50_64": ["50-64 years"], "ab65": ["65-74 years", ">74 years"]}
    later = ages.kreis.later
    assert later is not None
    assert list(later.counts) == [sum(float(row[c]) for c in groups[k]) for k in KEYS]
    assert later.total == float(row["bevoelkerung_fortschreibung"])
    assert ages.kreis.change_points is None
    note = age_note(ages.kreis)
    assert "Keine Veränderung ausgewiesen" in note
    assert "90 %" in note
    assert "Titz" in note
    # Kommunen have no later count by age (only Kreis-level data exist)
    assert all(r.later is None for r in ages.kommunen)


def test_change_in_points_is_given_only_inside_the_coverage_band():
    grid = AgeCounts("2011", (20.0, 10.0, 30.0, 20.0, 20.0))
    later = AgeCounts("2023", (18.0, 12.0, 25.0, 20.0, 25.0))
    full = AreaAge(1, "A", grid, population=105.0, later=later)
    assert full.change_points == pytest.approx((-2.0, 2.0, -5.0, 0.0, 5.0))
    assert AreaAge(1, "A", grid, population=125.0, later=later).change_points is None  # 80 %
    assert AreaAge(1, "A", grid, population=None, later=later).change_points is None
    assert AreaAge(1, "A", grid, population=100.0, later=later, parts_uncovered=("B",)).change_points is None
    assert "B" in age_note(AreaAge(1, "A", grid, population=100.0, later=later, parts_uncovered=("B",)))


def test_without_an_age_grid_there_is_no_age_structure(draft):
    ages = age_structure_for_region(region=draft.level.region, population_indicator=draft.population_indicator,
                                    population_period=draft.population_period)
    assert ages.grid is None
    assert ages.kreis.grid is None
    assert all(r.grid is None for r in ages.kommunen)
