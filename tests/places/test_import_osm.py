"""OpenStreetMap import (pyosmium): nodes, ways as areas (centroid), tag mapping, invalid opening hours kept out."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from begegnungsatlas.data import DATA_DIR
from begegnungsatlas.places.models import Place
from begegnungsatlas.places.services.imports import ImportFileError, import_file, read_source

DATA = Path(__file__).parent / "data"
PBF = DATA_DIR / "osm" / "dortmund_aplerbeck_osr_testdata.osm.pbf"
pytestmark = pytest.mark.django_db


def test_bundled_aplerbeck_extract() -> None:
    table = read_source(PBF)
    kinds = sorted(r.values["osm_art"] for r in table.rows)
    assert kinds == ["community_centre", "place_of_worship", "place_of_worship", "social_facility"]
    refs = {r.values["name"]: r.ref for r in table.rows}
    assert refs["Gemeindehaus St. Ewaldi"] == "way/977923490"  # a building: imported once, as its area
    result = import_file(PBF, actor=None, source="OSM")
    assert result.created == 4
    church = Place.objects.get(name="Große Kirche")
    assert church.street == "Märtmannstraße 13"
    assert church.postcode == "44287"
    assert church.city == "Dortmund"
    assert church.wheelchair == "yes"
    assert church.website == "https://www.georgsgemeinde.de/"
    assert church.source_id == "way/44136171"
    assert church.kommune.code == "059130000000"
    assert church.area.level.slug == "unterbezirk"
    assert 7.527 < church.lon < 7.574
    assert 51.487 < church.lat < 51.509
    care = Place.objects.get(name="CMS Pflegewohnstift Rodenbergtor")
    assert list(care.target_groups.values_list("slug", flat=True)) == ["senioren"]
    assert care.place_actors.get().organisation.name == "Alloheim Senioren-Residenzen"


def test_second_import_of_the_same_extract_finds_the_duplicates() -> None:
    import_file(PBF, actor=None, source="OSM")
    again = import_file(PBF, actor=None, source="OSM", dry_run=True)
    assert (again.created, again.skipped) == (0, 4)
    assert all("gleiche Quell-ID" in r.reason for r in again.skipped_rows)


def test_small_xml_extract_with_invalid_opening_hours_and_missing_name() -> None:
    result = import_file(DATA / "kleiner_auszug.osm", actor=None)
    assert (result.created, result.skipped) == (3, 1)
    assert result.skipped_rows[0].row == 3
    assert "Name fehlt" in result.skipped_rows[0].reason
    node = Place.objects.get(name="Bürgerhaus Test")
    assert node.opening_hours == "Mo-Fr 10:00-18:00; PH off"
    assert node.kommune.name == "Düren, Stadt"
    broken = Place.objects.get(name="Seniorentreff mit kaputten Zeiten")
    assert broken.opening_hours == ""
    warnings = dict(result.warnings)
    assert "Öffnungszeiten nicht übernommen" in warnings[2]
    youth = Place.objects.get(name="Jugendzentrum Test")
    assert youth.source_id == "way/10"
    assert youth.lon == pytest.approx(6.3595, abs=1e-4)
    assert youth.lat == pytest.approx(50.9223, abs=1e-4)
    assert list(youth.target_groups.values_list("slug", flat=True)) == ["jugendliche"]


def test_gzipped_xml_extract(tmp_path: Path) -> None:
    path = tmp_path / "auszug.osm.gz"
    with (DATA / "kleiner_auszug.osm").open("rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert read_source(path).format == "osm"
    assert len(read_source(path).rows) == 4


def test_truncated_pbf_is_a_german_message(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.osm.pbf"
    path.write_bytes(PBF.read_bytes()[:3000])
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match="OpenStreetMap-Auszug ist beschädigt"):
        import_file(path, actor=None)
    assert Place.objects.count() == before
