"""The offline base map shows the planning regions' outlines, never the reference regions (NRW, Germany)."""

from __future__ import annotations

from begegnungsatlas.atlas.models import Area, AreaLevel, Region
from begegnungsatlas.places.selectors import maps


def test_reference_regions_are_not_part_of_the_base_map(db):
    region = Region.objects.create(slug="deutschland-test", name="Deutschland (Test)", is_reference=True)
    level = AreaLevel.objects.create(region=region, slug="gemeinde", name="Gemeinde", rank=0)
    Area.objects.create(
        region=region, level=level, code="999", name="Referenzgemeinde",
        geometry={"type": "Polygon", "coordinates": [[[6.0, 50.0], [6.1, 50.0], [6.1, 50.1], [6.0, 50.0]]]},
    )
    maps._outlines.clear()
    names = {f["properties"]["name"] for f in maps.area_outlines()["features"]}
    assert "Referenzgemeinde" not in names
    assert "Düren, Stadt" in names
    assert "Eving" in names
