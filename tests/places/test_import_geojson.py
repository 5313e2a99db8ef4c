"""GeoJSON import: WGS 84 points and polygons, EPSG:25832 via the crs member, context layers, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from begegnungsatlas.places.models import ContextFeature, Place
from begegnungsatlas.places.services.imports import ImportFileError, import_file, read_source

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def test_points_and_polygon_centroid_are_imported() -> None:
    result = import_file(DATA / "orte.geojson", actor=None, source="Test-GeoJSON")
    assert (result.created, result.skipped) == (3, 1)
    assert result.row_label == "Objekt"
    skipped = result.skipped_rows[0]
    assert skipped.row == 4
    assert "Keine Koordinaten" in skipped.reason
    duren = Place.objects.get(name="Begegnungshaus Düren")
    assert duren.street == "Markt 1"
    assert duren.opening_hours == "Mo-Fr 09:00-17:00; PH off"
    assert duren.kommune.name == "Düren, Stadt"
    assert sorted(duren.target_groups.values_list("slug", flat=True)) == ["jugendliche", "kinder"]
    julich = Place.objects.get(name="Jugendheim Jülich (Fläche)")
    assert julich.lon == pytest.approx(6.3595)
    assert julich.lat == pytest.approx(50.9223)
    assert julich.kommune.code == "053580024024"
    aplerbeck = Place.objects.get(name="Stadtteiltreff Aplerbeck")
    assert aplerbeck.kommune.code == "059130000000"
    assert aplerbeck.area.level.slug == "unterbezirk"


def test_epsg_25832_is_reprojected() -> None:
    table = read_source(DATA / "orte_25832.geojson")
    assert table.crs == "EPSG:25832"
    assert table.rows[0].lon == pytest.approx(7.37256, abs=1e-4)
    assert table.rows[0].lat == pytest.approx(51.48691, abs=1e-4)
    result = import_file(DATA / "orte_25832.geojson", actor=None)
    assert result.created == 1
    place = Place.objects.get(name="Treff am Dorney")
    assert place.area.code == "720"
    assert any("EPSG:25832" in n for n in result.notes)


def test_broken_json_names_line_and_writes_nothing() -> None:
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match=r"beschädigt: kein gültiges JSON \(Zeile \d+, Spalte \d+\)"):
        import_file(DATA / "kaputt.geojson", actor=None)
    assert Place.objects.count() == before


def test_json_that_is_not_geojson(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"type": "Topology", "objects": {}}))
    with pytest.raises(ImportFileError, match="kein GeoJSON"):
        import_file(path, actor=None)


def test_unknown_crs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "Gauß"}},
                                "features": []}))
    with pytest.raises(ImportFileError, match="Koordinatensystem „Gauß“"):
        import_file(path, actor=None)


def test_context_layer_import_and_replace() -> None:
    result = import_file(DATA / "orte.geojson", actor=None, layer="Test Ebene", layer_name="Testebene",
                         mapping={"name": "name", "street": "strasse", "housenumber": "hausnummer"})
    assert (result.created, result.skipped) == (3, 1)
    feats = ContextFeature.objects.filter(layer="test-ebene")
    assert feats.count() == 3
    feat = feats.get(name="Begegnungshaus Düren")
    assert feat.layer_name == "Testebene"
    assert feat.street == "Markt 1"
    assert feat.area.name == "Düren, Stadt"
    assert feat.properties["ort"] == "Düren"
    assert Place.objects.filter(name="Begegnungshaus Düren").count() == 0
    import_file(DATA / "orte.geojson", actor=None, layer="test-ebene", replace=True)
    assert ContextFeature.objects.filter(layer="test-ebene").count() == 3
