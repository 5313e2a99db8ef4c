"""Grid cells as an area level (INSPIRE grid, EPSG:3035)."""

from __future__ import annotations

import pytest
import shapely
from django.core.management import call_command

from begegnungsatlas.atlas.errors import AtlasError
from begegnungsatlas.atlas.models import Area, Region
from begegnungsatlas.atlas.selectors.areas import area_assignment
from begegnungsatlas.atlas.services.grid import grid_level_create, inspire_code


def test_kreis_dueren_gets_a_2km_grid_of_whole_cells_with_inspire_codes(db):
    region = Region.objects.get(slug="kreis-dueren")
    level = grid_level_create(region=region, size_m=2000)
    cells = list(Area.objects.filter(level=level))
    # 940 km² of Kreis: at least 235 cells of 4 km²; border cells add some, far fewer than the bounding box's.
    assert 235 < len(cells) < 400
    assert level.grid_size_m == 2000
    assert level.rank == 2
    for cell in cells[:50]:
        assert cell.code.startswith("CRS3035RES2000mN")
        n, e = cell.code.split("mN")[1].split("E")
        assert int(n) % 2000 == 0
        assert int(e) % 2000 == 0
        assert cell.area_km2 == pytest.approx(4.0)
    kreis = shapely.geometry.shape(Area.objects.get(region=region, level__rank=0).geometry)
    assert all(kreis.intersects(shapely.geometry.shape(c.geometry)) for c in cells)
    # Most cells hang under a Kommune (the one containing their centre).
    # (At 2 km a fifth of the cells are border cells whose centre lies outside the Kreis.)
    assert sum(1 for c in cells if c.parent and c.parent.level.is_municipality) > 0.7 * len(cells)


def test_grid_cells_take_no_part_in_assigning_places(db):
    grid_level_create(region=Region.objects.get(slug="kreis-dueren"), size_m=5000)
    kommune, area = area_assignment(lon=6.4836, lat=50.8048)
    assert kommune.name == "Düren, Stadt"
    assert area.level.grid_size_m is None


def test_replacing_a_grid_keeps_one_set_of_cells(db):
    region = Region.objects.get(slug="kreis-dueren")
    first = grid_level_create(region=region, size_m=5000)
    n = Area.objects.filter(level=first).count()
    again = grid_level_create(region=region, size_m=5000)
    assert again.pk == first.pk
    assert Area.objects.filter(level=again).count() == n


def test_bad_sizes_are_refused_in_german(db, monkeypatch):
    from begegnungsatlas.atlas.services import grid

    region = Region.objects.get(slug="kreis-dueren")
    with pytest.raises(AtlasError, match="Vielfaches von 100 m"):
        grid_level_create(region=region, size_m=150)
    monkeypatch.setattr(grid, "MAX_CELLS", 100)
    with pytest.raises(AtlasError, match="zu groß"):
        grid_level_create(region=region, size_m=1000)
    assert not Area.objects.filter(level__grid_size_m=1000).exists()


def test_inspire_code_uses_the_lower_left_corner():
    assert inspire_code(4_100_000.0, 3_100_000.0, 1000) == "CRS3035RES1000mN3100000E4100000"


def test_command_creates_the_grid(db, capsys):
    call_command("atlas_grid", "--region", "kreis-dueren", "--size", "5000")
    assert "Rasterzellen" in capsys.readouterr().out
