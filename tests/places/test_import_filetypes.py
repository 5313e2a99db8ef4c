"""Uploads are stored without a file name: XLSX and OSM are recognised by content in the web import and the CLI;
zip bombs and deeply nested GeoJSON get a German message instead of a crash."""

from __future__ import annotations

import gzip
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from begegnungsatlas.data import DATA_DIR
from begegnungsatlas.places.models import Place

DATA = Path(__file__).parent / "data"
PBF = DATA_DIR / "osm" / "dortmund_aplerbeck_osr_testdata.osm.pbf"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "PLZ", "Ort", "Breitengrad", "Längengrad"])
    ws.append(["Seniorentreff Kreuzau", 52372, "Kreuzau", 50.7469, 6.49])
    ws.append(["Jugendcafé Titz", 52445, "Titz", "50,9950", "6,4200"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _web_import(client, data: bytes, name: str) -> str:
    """Upload → mapping (defaults) → confirm; returns the final page."""
    response = client.post(reverse("places_import:upload"), {"file": SimpleUploadedFile(name, data),
                                                                "target": "places"})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview_url = response["Location"].replace("/zuordnung/", "/vorschau/")
    page = client.post(preview_url, {"duplicate_action": "skip"})
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("name", ["orte.xlsx", "Export.csv", "ohne_endung"])
def test_xlsx_via_web_whatever_its_name(client, planner, name: str) -> None:
    client.force_login(planner)
    html = _web_import(client, _xlsx_bytes(), name)
    assert "Import abgeschlossen: 2 Zeilen gelesen – 2 neu angelegt" in html
    assert Place.objects.get(name="Jugendcafé Titz").lat == pytest.approx(50.995)


@pytest.mark.parametrize("packing", ["pbf", "xml", "xml.gz"])
def test_osm_via_web(client, planner, packing: str, tmp_path: Path) -> None:
    if packing == "pbf":
        data = PBF.read_bytes()
    else:
        data = (DATA / "kleiner_auszug.osm").read_bytes()
        if packing == "xml.gz":
            data = gzip.compress(data)
    client.force_login(planner)
    html = _web_import(client, data, "auszug")
    assert "Import abgeschlossen" in html
    assert Place.objects.count() >= 2
    if packing == "pbf":
        assert Place.objects.filter(name="Große Kirche", source_id="way/44136171").exists()


def test_cli_reads_files_without_suffix(tmp_path: Path) -> None:
    xlsx = tmp_path / "liste"
    xlsx.write_bytes(_xlsx_bytes())
    out = io.StringIO()
    call_command("import_places", str(xlsx), stdout=out)
    assert "(xlsx, 2 Einträge)" in out.getvalue()
    pbf = tmp_path / "aplerbeck"
    shutil.copy(PBF, pbf)
    call_command("import_places", str(pbf), stdout=out)
    assert Place.objects.filter(source_id="way/44136171").exists()


def _bomb(size: int = 60 * 1024 * 1024) -> bytes:
    """A well-formed XLSX whose sheet unpacks to ``size`` bytes of blanks (a few dozen KB packed)."""
    real = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in real.infolist():
            data = real.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"<sheetData>", 1)
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head + b"<sheetData>")
                    chunk = b" " * (1024 * 1024)
                    for _ in range(size // len(chunk)):
                        fh.write(chunk)
                    fh.write(tail)
            else:
                out.writestr(info, data)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_opening(client, planner, tmp_path: Path) -> None:
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024
    client.force_login(planner)
    response = client.post(reverse("places_import:upload"), {"file": SimpleUploadedFile("b.xlsx", bomb),
                                                                "target": "places"})
    assert response.status_code == 200
    assert "ZIP-Bombe" in response.content.decode()
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="ZIP-Bombe"):
        call_command("import_places", str(path), "--dry-run")


def test_total_unpacked_size_and_sheet_dimension_limits(client, planner, settings) -> None:
    client.force_login(planner)
    settings.BEGEGNUNGSATLAS_MAX_UNZIPPED_BYTES = 2000
    response = client.post(reverse("places_import:upload"), {"file": SimpleUploadedFile("a.xlsx", _xlsx_bytes()),
                                                                "target": "places"})
    assert "entpackt zu groß" in response.content.decode()
    settings.BEGEGNUNGSATLAS_MAX_UNZIPPED_BYTES = 10**9
    settings.BEGEGNUNGSATLAS_MAX_SHEET_ROWS = 2
    response = client.post(reverse("places_import:upload"), {"file": SimpleUploadedFile("a.xlsx", _xlsx_bytes()),
                                                                "target": "places"})
    assert "Das Tabellenblatt ist zu groß (3 Zeilen, 5 Spalten" in response.content.decode()


def test_deeply_nested_geojson_gets_a_message_not_500(client, planner) -> None:
    nested = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": ' + \
        b"[" * 100_000 + b"]" * 100_000 + b'}, "geometry": null}]}'
    client.force_login(planner)
    response = client.post(reverse("places_import:upload"), {"file": SimpleUploadedFile("x.geojson", nested),
                                                                "target": "places"})
    assert response.status_code == 200
    assert "zu tief verschachtelt" in response.content.decode()
