"""Context layers (Kitas, Schulen …) appear on the public map as optional layers, never as places."""

from __future__ import annotations

import pytest

from begegnungsatlas.places.models import ContextFeature, Place
from begegnungsatlas.places.selectors.context import context_layers, context_points


@pytest.fixture
def kitas(db):
    for i, (lon, lat) in enumerate([(7.46, 51.51), (7.47, 51.52), (7.48, 51.50)]):
        ContextFeature.objects.create(layer="kitas", layer_name="Kitas", name=f"Kita <b>{i}</b>", kind="Kindergarten",
                                      street=f"Weg {i}", lon=lon, lat=lat, source="Open Data Dortmund")
    ContextFeature.objects.create(layer="schulen", layer_name="Schulen", name="Grundschule", lon=7.4, lat=51.5)


def test_layers_are_listed_with_counts(kitas):
    assert context_layers() == [{"slug": "kitas", "name": "Kitas", "count": 3},
                                {"slug": "schulen", "name": "Schulen", "count": 1}]


def test_a_layer_is_served_as_geojson(client, kitas):
    data = client.get("/orte/kontext/kitas.geojson").json()
    assert len(data["features"]) == 3
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [7.46, 51.51]}
    assert first["properties"]["layer"] == "Kitas"
    assert context_points(layer="unbekannt")["features"] == []


def test_the_public_map_offers_the_layers_and_escapes_nothing_into_html(client, kitas):
    page = client.get("/orte/").content.decode()
    assert 'data-context-layer="kitas"' in page
    assert "Kitas (3)" in page
    assert "Schulen (1)" in page
    assert "<b>0</b>" not in page  # names only travel as JSON and are inserted as text by the script
    assert Place.objects.count() == 0  # context features are never places
