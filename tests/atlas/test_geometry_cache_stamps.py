"""Per-process caches keyed on data that changes with the geometries (and the levels that decide their use).

"Another process" is simulated by changing only the database: the caches of this process are never cleared or
told; they must notice on their next use, without a restart.
"""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import box, mapping, shape

from begegnungsatlas.atlas.models import Area, AreaLevel
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.atlas.services.areas import region_get_or_create
from begegnungsatlas.atlas.services.boundaries import boundaries_import
from begegnungsatlas.sozialraum.services.layout import base_units
from tests.api.test_geometry_caches import EAST, POINT, WEST, _file

FAR = box(6.30, 50.70, 6.31, 50.71)


@pytest.fixture
def ortsteil(db: Any) -> AreaLevel:
    """A test Ortsteil level with the two areas WEST (T0) and EAST (T1) of tests/api/test_geometry_caches.py."""
    region = region_get_or_create(slug="kreis-dueren", name="Kreis Düren", levels=[
        ("kreis", "Kreis", "Kreis", False), ("kommune", "Kommune", "Kommunen", True),
        ("ortsteil", "Ortsteil", "Ortsteile", False)])
    level = AreaLevel.objects.get(region=region, slug="ortsteil")
    boundaries_import(level=level, boundary_file=_file([WEST, EAST]), code_field="code", name_field="name")
    return level


def test_point_index_follows_a_level_edit_in_another_process(ortsteil: AreaLevel) -> None:
    t0 = Area.objects.get(level=ortsteil, code="T0")
    ((kommune, smallest),) = area_ids_at([POINT[0]], [POINT[1]])  # index built and cached in this process
    assert smallest == t0.pk
    # e.g. the admin in another process turns the level into a grid: no polygon changes, but grid levels take
    # no part in assigning places, so the Ortsteil is no longer the smallest area of the point
    AreaLevel.objects.filter(pk=ortsteil.pk).update(grid_size_m=1000)
    assert area_ids_at([POINT[0]], [POINT[1]]) == [(kommune, kommune)]


def test_sozialraum_units_follow_a_polygon_rewritten_in_place(ortsteil: AreaLevel) -> None:
    t0 = Area.objects.get(level=ortsteil, code="T0")
    units = base_units(ortsteil)
    assert base_units(ortsteil) is units  # cached
    assert units.geoms_web[units.index[t0.pk]].equals(WEST)
    # same ids, same count: only the polygon changes (a boundary re-import, a shell in another process)
    Area.objects.filter(pk=t0.pk).update(geometry=mapping(FAR), geometry_web=mapping(FAR))
    fresh = base_units(ortsteil)
    assert fresh is not units
    assert fresh.geoms_web[fresh.index[t0.pk]].equals(shape(mapping(FAR)))
