"""Table import: German conventions, layouts, GENESIS, and bad input (German message naming row and column,
nothing imported)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from begegnungsatlas.atlas.errors import AtlasError, ImportRejected
from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorKind, IndicatorValue
from begegnungsatlas.atlas.services.tables import parse_number, read_table
from begegnungsatlas.atlas.services.values_import import Mapping, genesis_mapping, values_import
from begegnungsatlas.data import DATA_DIR


@pytest.fixture
def setup(db):
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    a = Indicator.objects.create(slug="t-a", title="A", kind=IndicatorKind.COUNT)
    b = Indicator.objects.create(slug="t-b", title="B")
    return level, a, b


def test_parse_number_german_and_destatis_signs():
    assert parse_number("1.234,5").value == 1234.5
    assert parse_number("-0,25").value == -0.25
    assert parse_number("1,234.5", "en").value == 1234.5
    assert parse_number(".").status == "suppressed"
    assert parse_number("/").status == "suppressed"
    assert parse_number("x").status == "missing"
    assert (parse_number("-").value, parse_number("-").flag) == (0.0, "-")  # Destatis: nichts vorhanden
    assert "gemischte Dezimalschreibweise" in parse_number("12.5").error
    assert "Text in einer Zahlenspalte" in parse_number("zwölf").error


def test_wide_csv_windows_1252_with_decimal_comma(setup):
    level, a, b = setup
    csv = "Gemeinde;Schlüssel;A;B\r\nDüren;053580008008;94.149;12,5\r\nJülich;053580024024;.;3,0\r\n".encode("cp1252")
    table = read_table(csv)
    assert table.encoding == "Windows-1252"
    assert table.delimiter == ";"
    assert table.header[1] == "Schlüssel"
    r = values_import(table=table, mapping=Mapping(level=level, area_column="Schlüssel", layout="wide",
                                                   period="2024", value_columns={"A": a, "B": b}))
    assert r.written == 4
    assert r.missing_or_suppressed == 1
    assert IndicatorValue.objects.get(indicator=a, area__code="053580008008").value == 94149
    assert IndicatorValue.objects.get(indicator=a, area__code="053580024024").status == "suppressed"
    assert IndicatorValue.objects.get(indicator=b, area__code="053580008008").value == 12.5


def test_long_csv_utf8_bom_matched_by_name(setup):
    level, a, b = setup
    csv = "\ufeffName;Indikator;Jahr;Wert\nDüren, Stadt;t-a;2023;10\nJülich, Stadt;t-b;2023;2,5\n".encode()
    table = read_table(csv)
    assert table.layout == "long"
    assert table.header[0] == "Name"
    r = values_import(table=table, mapping=Mapping(level=level, area_column="Name", match_by="name",
                                                   value_column="Wert", indicator_column="Indikator",
                                                   period_column="Jahr"))
    assert r.written == 2
    assert r.periods == ["2023"]


def test_xlsx_wide(setup):
    level, a, _b = setup
    wb = Workbook()
    ws = wb.active
    ws.append(["ARS", "A"])
    ws.append(["053580008008", 5])
    ws.append(["053580024024", "1.000,5"])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue())
    assert table.kind == "xlsx"
    values_import(table=table, mapping=Mapping(level=level, area_column="ARS", layout="wide", period="2024",
                                               value_columns={"A": a}))
    assert IndicatorValue.objects.get(indicator=a, area__code="053580024024").value == 1000.5


def test_genesis_flat_file_real(setup):
    level, a, _b = setup
    table = read_table((DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv").read_bytes())
    assert table.layout == "genesis"
    assert table.encoding == "UTF-8"
    r = values_import(table=table, mapping=genesis_mapping(table, level=level, indicator=a))
    assert r.written == 15
    assert len(r.unmatched) == 10_787 - 15
    assert sum(IndicatorValue.objects.filter(indicator=a).values_list("value", flat=True)) == 275_392


@pytest.mark.parametrize(("body", "line", "column", "reason"), [
    ("ARS;A\n053580008008;1\n099999999999;2\n", "3", "ARS", "unbekannt"),
    ("ARS;A\n053580008008;1\n053580008008;2\n", "3", "A", "doppelt"),
    ("ARS;A\n053580008008;1\n053580024024;viel\n", "3", "A", "Text in einer Zahlenspalte"),
    ("ARS;A\n053580008008;1,5\n053580024024;2.5\n", "3", "A", "gemischte Dezimalschreibweise"),
])
def test_bad_cells_reject_everything_with_row_and_column(setup, body, line, column, reason):
    level, a, _b = setup
    table = read_table(body.encode())
    with pytest.raises(ImportRejected) as exc:
        values_import(table=table, mapping=Mapping(level=level, area_column="ARS", layout="wide", period="2024",
                                                   value_columns={"A": a}))
    assert "nichts gespeichert" in str(exc.value)
    (p,) = exc.value.problems
    assert (p["line"], p["column"]) == (line, column)
    assert reason in p["reason"]
    assert not IndicatorValue.objects.filter(indicator=a).exists()


def test_wrong_encoding_is_named():
    with pytest.raises(AtlasError, match="UTF-16"):
        read_table("ARS;A\n1;2\n".encode("utf-16"))
    with pytest.raises(AtlasError, match="Zeile 2"):
        read_table(b"ARS;A\n\x81\x8d;1\n")
    with pytest.raises(AtlasError, match=r"nicht UTF-8-kodiert \(Zeile 2"):
        read_table("ARS;A\nDüren;1\n".encode("cp1252"), encoding="utf-8")


def test_derived_indicators_cannot_be_imported(setup):
    level, a, b = setup
    share = Indicator.objects.create(slug="t-s", title="Quote", derivation="share", numerator=a, denominator=b)
    with pytest.raises(AtlasError, match="wird berechnet"):
        values_import(table=read_table(b"ARS;S\n053580008008;1\n"),
                      mapping=Mapping(level=level, area_column="ARS", layout="wide", period="1",
                                      value_columns={"S": share}))
