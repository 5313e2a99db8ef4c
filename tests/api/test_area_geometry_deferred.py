"""Area polygons (megabytes of GeoJSON) are deferred by default, also through ``place.kommune``."""

from __future__ import annotations

from typing import Any

from begegnungsatlas.atlas.models import Area, related_geometry
from begegnungsatlas.places.models import Place


def test_area_geometry_is_deferred_by_default(db: Any) -> None:
    area = Area.objects.get(level__is_municipality=True, code="053580008008")
    assert {"geometry", "geometry_web"} <= area.get_deferred_fields()
    loaded = Area.objects.with_geometry().get(pk=area.pk)
    assert not loaded.get_deferred_fields()
    assert loaded.geometry["type"] in {"Polygon", "MultiPolygon"}
    # a deferred field still loads on access (one query), so nothing breaks that reads it
    assert area.geometry == loaded.geometry


def test_related_kommune_is_loaded_without_polygons(db: Any) -> None:
    kommune = Area.objects.get(level__is_municipality=True, code="053580008008")
    place = Place.objects.create(name="Ort mit Kommune", lon=6.48, lat=50.80, kommune=kommune)
    fresh = Place.objects.get(pk=place.pk)
    assert {"geometry", "geometry_web"} <= fresh.kommune.get_deferred_fields()  # related access: base manager
    joined = Place.objects.select_related("kommune").defer(*related_geometry("kommune")).get(pk=place.pk)
    assert {"geometry", "geometry_web"} <= joined.kommune.get_deferred_fields()
    assert joined.kommune.name == kommune.name
