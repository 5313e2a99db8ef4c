"""Atlas import (web and CLI) recognises files by content and refuses zip bombs and deeply nested GeoJSON."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorValue
from begegnungsatlas.core import filetypes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ARS", "Wert"])
    ws.append(["053580008008", 5])
    ws.append(["053580024024", "1.000,5"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_named_csv_imports_through_the_web_dialog(client, planner) -> None:
    Indicator.objects.create(slug="t-x", title="X")
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile("Export.csv", _xlsx())})
    assert r.status_code == 302
    ok = client.post(r["Location"], {"ebene": level.id, "layout": "wide", "gebietsspalte": "ARS", "zuordnung": "code",
                                     "dezimal": "de", "zeitpunkt": "2024", "spalte_1": "t-x"})
    assert ok.status_code == 200, ok.content.decode()[:2000]
    assert IndicatorValue.objects.get(indicator__slug="t-x", area__code="053580024024").value == 1000.5


def test_geojson_uploaded_as_values_gets_a_clear_message(client, planner) -> None:
    client.force_login(planner)
    body = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile("w.csv", body)})
    assert r.status_code == 400
    assert "diese Datei ist GeoJSON" in r.content.decode()


def test_deeply_nested_boundaries_are_refused_not_500(client, planner) -> None:
    client.force_login(planner)
    body = b'{"type": "FeatureCollection", "features": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    r = client.post(reverse("atlas:import"), {"art": "grenzen", "datei": SimpleUploadedFile("g.geojson", body)})
    assert r.status_code == 400
    assert "zu tief verschachtelt" in r.content.decode()


def test_xlsx_bomb_is_refused_through_the_web_dialog(client, planner, settings) -> None:
    # A member that claims 2 MB but packs to a few KB: ratio far above the limit.
    buf = io.BytesIO()
    real = zipfile.ZipFile(io.BytesIO(_xlsx()))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in real.infolist():
            data = real.read(info)
            if info.filename == "xl/styles.xml":
                data = data + b" " * (2 * 1024 * 1024)
            out.writestr(info.filename, data)
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    assert r.status_code == 400
    assert "ZIP-Bombe" in r.content.decode()


def test_cli_values_and_boundaries_from_files_without_suffix(tmp_path: Path) -> None:
    Indicator.objects.create(slug="t-cli", title="CLI")
    path = tmp_path / "werte"
    path.write_bytes(_xlsx())
    out = io.StringIO()
    call_command("atlas_import", "values", str(path), "--level", "kreis-dueren/kommune", "--area-column", "ARS",
                 "--column", "Wert=t-cli", "--period", "2023", stdout=out)
    assert "2 Werte gespeichert (xlsx)" in out.getvalue()
    assert IndicatorValue.objects.get(indicator__slug="t-cli", area__code="053580008008").value == 5
    nested = tmp_path / "grenzen"
    nested.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CommandError, match="zu tief verschachtelt"):
        call_command("atlas_import", "boundaries", str(nested), "--level", "kreis-dueren/kommune")


def test_sniffing_by_content() -> None:
    assert filetypes.sniff_bytes(_xlsx()) == "xlsx"
    shp = io.BytesIO()
    with zipfile.ZipFile(shp, "w") as zf:
        zf.writestr("Gemeinden.SHP", b"x")
    assert filetypes.sniff_bytes(shp.getvalue()) == "shapefile_zip"
    assert filetypes.sniff_bytes(b"SQLite format 3\x00rest") == "gpkg"
    assert filetypes.sniff_bytes(b'<?xml version="1.0"?><osm version="0.6">') == "osm_xml"
    with pytest.raises(filetypes.FileTypeError, match="alte Excel-Format"):
        filetypes.sniff_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", b"x")
    with pytest.raises(filetypes.FileTypeError, match="weder eine Excel-Arbeitsmappe"):
        filetypes.sniff_bytes(other.getvalue())
    assert filetypes.json_depth(b'{"a": "[[[[", "b": [[1]]}') == 3


def test_cli_full_replacement_lists_then_needs_the_token(tmp_path: Path) -> None:
    Indicator.objects.create(slug="t-cli2", title="CLI 2")
    args = ["--level", "kreis-dueren/kommune", "--area-column", "ARS", "--column", "Wert=t-cli2", "--period", "2023"]
    first = tmp_path / "a.csv"
    first.write_bytes(b"ARS;Wert\n053580008008;1\n053580024024;2\n")
    call_command("atlas_import", "values", str(first), *args, stdout=io.StringIO())
    second = tmp_path / "b.csv"
    second.write_bytes(b"ARS;Wert\n053580008008;9\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="--confirm ") as exc:
        call_command("atlas_import", "values", str(second), *args, "--replace-all", stdout=io.StringIO(), stderr=err)
    assert "053580024024" in err.getvalue()
    token = str(exc.value).rsplit(" ", 1)[1]
    assert IndicatorValue.objects.filter(indicator__slug="t-cli2").count() == 2
    out = io.StringIO()
    call_command("atlas_import", "values", str(second), *args, "--replace-all", "--confirm", token, stdout=out)
    assert "1 gelöscht" in out.getvalue()
    assert list(IndicatorValue.objects.filter(indicator__slug="t-cli2").values_list("value", flat=True)) == [9]
