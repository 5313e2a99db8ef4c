"""Per-process geometry caches see a boundary re-import that rewrites polygons in place — from any process.

"Another process" is simulated by changing only the database: the caches of this process (the point-in-polygon
index, the map payloads) are never cleared or told; they must notice on their own.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from shapely.geometry import box, mapping

from begegnungsatlas.atlas.models import Area, AreaLevel
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.atlas.selectors.payload import geometry_payload
from begegnungsatlas.atlas.services.areas import region_get_or_create
from begegnungsatlas.atlas.services.boundaries import boundaries_import, read_boundaries
from begegnungsatlas.places.selectors.maps import area_outlines

WEST = box(6.45, 50.79, 6.47, 50.81)
EAST = box(6.47, 50.79, 6.49, 50.81)
POINT = (6.46, 50.80)  # inside WEST


def _file(geoms: list[Any]) -> Any:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f"T{i}", "name": f"Testgebiet {i}"}, "geometry": mapping(g)}
        for i, g in enumerate(geoms)]}
    return read_boundaries(json.dumps(doc).encode())


@pytest.fixture
def ortsteil(db: Any) -> AreaLevel:
    region = region_get_or_create(slug="kreis-dueren", name="Kreis Düren", levels=[
        ("kreis", "Kreis", "Kreis", False), ("kommune", "Kommune", "Kommunen", True),
        ("ortsteil", "Ortsteil", "Ortsteile", False)])
    return AreaLevel.objects.get(region=region, slug="ortsteil")


def test_point_index_follows_an_in_place_reimport(ortsteil: AreaLevel) -> None:
    boundaries_import(level=ortsteil, boundary_file=_file([WEST, EAST]), code_field="code", name_field="name")
    t0, t1 = Area.objects.get(level=ortsteil, code="T0"), Area.objects.get(level=ortsteil, code="T1")
    assert area_ids_at([POINT[0]], [POINT[1]])[0][1] == t0.pk  # index built and cached in this process
    # The re-import swaps the two polygons: same codes, same ids, same count — only the geometry changes.
    boundaries_import(level=ortsteil, boundary_file=_file([EAST, WEST]), code_field="code", name_field="name")
    assert Area.objects.filter(level=ortsteil).count() == 2
    assert area_ids_at([POINT[0]], [POINT[1]])[0][1] == t1.pk


def test_point_index_follows_a_plain_update_by_another_process(ortsteil: AreaLevel) -> None:
    boundaries_import(level=ortsteil, boundary_file=_file([WEST, EAST]), code_field="code", name_field="name")
    t0 = Area.objects.get(level=ortsteil, code="T0")
    assert area_ids_at([POINT[0]], [POINT[1]])[0][1] == t0.pk
    far = mapping(box(6.30, 50.70, 6.31, 50.71))
    Area.objects.filter(pk=t0.pk).update(geometry=far, geometry_web=far)  # e.g. a shell in another process
    assert area_ids_at([POINT[0]], [POINT[1]])[0][1] != t0.pk


def test_map_payloads_follow_an_in_place_reimport(ortsteil: AreaLevel) -> None:
    boundaries_import(level=ortsteil, boundary_file=_file([WEST, EAST]), code_field="code", name_field="name")
    before = geometry_payload(ortsteil)
    outlines_before = json.dumps(area_outlines())
    assert geometry_payload(ortsteil) is before  # cached
    boundaries_import(level=ortsteil, boundary_file=_file([box(6.45, 50.79, 6.46, 50.80), EAST]),
                      code_field="code", name_field="name")
    after = geometry_payload(ortsteil)
    assert after.etag != before.etag
    assert after.body != before.body
    # the outlines (ranks 0 and 1) change when a Kommune polygon is rewritten in place
    kommune = Area.objects.filter(level__is_municipality=True, level__region=ortsteil.region).first()
    assert kommune is not None
    Area.objects.filter(pk=kommune.pk).update(geometry_web=mapping(box(6.40, 50.70, 6.50, 50.80)))
    assert json.dumps(area_outlines()) != outlines_before


def test_saving_an_area_with_its_polygon_stamps_it(ortsteil: AreaLevel) -> None:
    boundaries_import(level=ortsteil, boundary_file=_file([WEST]), code_field="code", name_field="name")
    stamp = Area.objects.geometry_stamp()
    area = Area.objects.with_geometry().get(level=ortsteil, code="T0")
    area.geometry = mapping(EAST)
    area.save()
    assert Area.objects.geometry_stamp() != stamp
    # a rename with the polygon deferred does not invalidate the caches
    stamp = Area.objects.geometry_stamp()
    renamed = Area.objects.get(pk=area.pk)
    renamed.name = "Umbenannt"
    renamed.save()
    assert Area.objects.geometry_stamp() == stamp
