"""XLSX import (openpyxl, read-only): numbers as numbers or text with decimal comma, sheet row numbers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from begegnungsatlas.places.models import Place
from begegnungsatlas.places.services.imports import ImportFileError, import_file, read_source

pytestmark = pytest.mark.django_db


def _workbook(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Orte"
    ws.append(["Liste der Begegnungsorte"])  # a title line above the header is common
    ws.append([])
    ws.append(["Name", "PLZ", "Ort", "Breitengrad", "Längengrad", "Zielgruppen", "Rollstuhl"])
    ws.append(["Seniorentreff Kreuzau", 52372, "Kreuzau", 50.7469, 6.49, "Ältere Menschen", "ja"])
    ws.append(["Jugendcafé Titz", 52445, "Titz", "50,9950", "6,4200", "jugendliche", "teilweise"])
    ws.append(["Falsche Zahl", 52445, "Titz", "fünfzig", "6,4200", "", ""])
    path = tmp_path / "orte.xlsx"
    wb.save(path)
    return path


def test_title_line_above_the_header_is_skipped(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    table = read_source(path)
    assert table.columns[:3] == ["Name", "PLZ", "Ort"]
    assert [r.number for r in table.rows] == [4, 5, 6]  # as the spreadsheet numbers them
    result = import_file(path, actor=None, dry_run=True)
    assert (result.created, result.skipped) == (2, 1)
    assert result.skipped_rows[0].row == 6


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hallo.txt", "kein Excel")
    with pytest.raises(ImportFileError, match="weder eine Excel-Arbeitsmappe"):
        import_file(path, actor=None)


def test_xlsx_with_header_in_first_row(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "PLZ", "Ort", "Breitengrad", "Längengrad", "Zielgruppen", "Rollstuhl"])
    ws.append(["Seniorentreff Kreuzau", 52372, "Kreuzau", 50.7469, 6.49, "Ältere Menschen", "ja"])
    ws.append(["Jugendcafé Titz", 52445, "Titz", "50,9950", "6,4200", "jugendliche", "teilweise"])
    ws.append(["Falsche Zahl", 52445, "Titz", "fünfzig", "6,4200", "", ""])
    path = tmp_path / "orte.xlsx"
    wb.save(path)
    table = read_source(path)
    assert table.format == "xlsx"
    assert table.columns[0] == "Name"
    result = import_file(path, actor=None)
    assert (result.created, result.skipped) == (2, 1)
    bad = result.skipped_rows[0]
    assert bad.row == 4
    assert bad.column == "Breitengrad"
    assert "keine Zahl" in bad.reason
    kreuzau = Place.objects.get(name="Seniorentreff Kreuzau")
    assert kreuzau.postcode == "52372"
    assert kreuzau.wheelchair == "yes"
    assert list(kreuzau.target_groups.values_list("slug", flat=True)) == ["senioren"]
    titz = Place.objects.get(name="Jugendcafé Titz")
    assert titz.lat == pytest.approx(50.995)
    assert titz.wheelchair == "limited"
    assert titz.kommune.name == "Titz"
