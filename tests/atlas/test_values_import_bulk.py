"""The file importer (`values_import_csv`): on PostgreSQL the COPY/SQL path must give exactly what the Python
importer gives — same rows, same result, same rejection report — and fall back to it for anything irregular.
On SQLite the same tests check the Python route of the same entry point."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from begegnungsatlas.atlas.errors import AtlasError, ImportRejected
from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorKind, IndicatorValue, ValueImport
from begegnungsatlas.atlas.services import values_copy
from begegnungsatlas.atlas.services.tables import read_table
from begegnungsatlas.atlas.services.values_copy import values_import_csv
from begegnungsatlas.atlas.services.values_history import ReplaceNotConfirmed
from begegnungsatlas.atlas.services.values_import import Mapping, genesis_mapping, values_import
from begegnungsatlas.data import DATA_DIR

DUEREN, JUELICH, LANGERWEHE = "053580008008", "053580024024", "053580036036"


@pytest.fixture
def kommunen(db):
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    a = Indicator.objects.create(slug="bulk-a", title="A", kind=IndicatorKind.COUNT, external_code="XA1")
    b = Indicator.objects.create(slug="bulk-b", title="B")
    return level, a, b


@pytest.fixture
def sql_path_only(monkeypatch):
    """On PostgreSQL: fail if the Python importer is used, i.e. prove that the SQL path accepted the file."""
    if connection.vendor != "postgresql":
        return

    def forbidden(**_kw: Any) -> None:
        raise AssertionError("Python-Pfad benutzt, SQL-Pfad erwartet")

    monkeypatch.setattr(values_copy, "values_import", forbidden)


def _rows(*inds: Indicator) -> list[tuple[Any, ...]]:
    return sorted(IndicatorValue.objects.filter(indicator__in=inds)
                  .values_list("indicator__slug", "area__code", "period", "value", "status", "flag"))


def _both(data: bytes, mapping: Mapping, inds: tuple[Indicator, ...], encoding: str = "auto"):
    """Import with the Python importer, then with the file importer (SQL path forced on PostgreSQL)."""
    ref = values_import(table=read_table(data, encoding=encoding), mapping=mapping)
    ref_rows = _rows(*inds)
    IndicatorValue.objects.filter(indicator__in=inds).delete()
    got = values_import_csv(data=data, mapping=mapping, encoding=encoding, min_rows=0)
    assert _rows(*inds) == ref_rows
    assert got == ref
    return got, ref_rows


def test_long_layout_german_numbers_signs_and_flags(kommunen, sql_path_only):
    level, a, b = kommunen
    body = (
        "\ufeffARS;Merkmal;Jahr;Wert;Q\r\n"
        f"{DUEREN};bulk-a;2023;94.149;e\r\n"
        f"{JUELICH};bulk-a;2023;-;\r\n"          # Destatis "nichts vorhanden" → 0 with flag "-"
        f"{LANGERWEHE};bulk-a;2023;.;p\r\n"      # suppressed
        f"{DUEREN};XA1;2024;-1.234,50;\r\n"     # indicator by external code, sign and thousands
        f"{JUELICH};bulk-b;2024;x;\r\n"         # missing
        f"{LANGERWEHE};bulk-b;2024;;\r\n"       # empty cell → missing
        f"{DUEREN};bulk-b;2024;\"12,5\";  vorl  \r\n"  # quoted field; flag stripped and cut to 4
    ).encode()
    m = Mapping(level=level, area_column="ARS", layout="long", value_column="Wert", indicator_column="Merkmal",
                period_column="Jahr", flag_column="Q")
    got, rows = _both(body, m, (a, b))
    assert got.written == 7
    assert got.missing_or_suppressed == 3
    assert got.periods == ["2023", "2024"]
    assert ("bulk-a", JUELICH, "2023", 0.0, "ok", "-") in rows
    assert ("bulk-a", DUEREN, "2024", -1234.5, "ok", "") in rows
    assert ("bulk-b", DUEREN, "2024", 12.5, "ok", "vorl") in rows


def test_wide_windows_1252_fixed_period_and_keys_without_leading_zero(kommunen, sql_path_only):
    level, a, b = kommunen
    body = ("Gemeinde;Schlüssel;A;B\n"
            f"Düren;{DUEREN.lstrip('0')};1.000;2,5\n"
            f"Jülich;{JUELICH};/;0,125\n").encode("cp1252")
    m = Mapping(level=level, area_column="Schlüssel", layout="wide", period="2024",
                value_columns={"A": a, "B": b})
    got, rows = _both(body, m, (a, b))
    assert got.written == 4
    assert ("bulk-a", DUEREN, "2024", 1000.0, "ok", "") in rows
    assert ("bulk-a", JUELICH, "2024", None, "suppressed", "/") in rows


def test_english_decimals_and_quoted_names(kommunen, sql_path_only):
    level, a, _b = kommunen
    body = "Name,Wert\n\"Düren, Stadt\",\"1,234.5\"\n\"Jülich, Stadt\",7\n".encode()
    m = Mapping(level=level, area_column="Name", match_by="name", layout="long", value_column="Wert",
                indicator=a, period="2020", decimal="en")
    got, rows = _both(body, m, (a,))
    assert rows == [("bulk-a", DUEREN, "2020", 1234.5, "ok", ""), ("bulk-a", JUELICH, "2020", 7.0, "ok", "")]


def test_import_replaces_only_matched_values_and_keeps_other_periods(kommunen, sql_path_only):
    level, a, _b = kommunen
    values_import(table=read_table(f"ARS;A\n{DUEREN};1\n{JUELICH};2\n".encode()),
                  mapping=Mapping(level=level, area_column="ARS", layout="wide", period="2023", value_columns={"A": a}))
    values_import(table=read_table(f"ARS;A\n{DUEREN};5\n".encode()),
                  mapping=Mapping(level=level, area_column="ARS", layout="wide", period="2022", value_columns={"A": a}))
    r = values_import_csv(data=f"ARS;A\n{LANGERWEHE};3\n{JUELICH};4\n".encode(), min_rows=0, mapping=Mapping(
        level=level, area_column="ARS", layout="wide", period="2023", value_columns={"A": a}))
    assert (r.written, r.created, r.updated, r.kept) == (2, 1, 1, 1)
    assert _rows(a) == [("bulk-a", DUEREN, "2022", 5.0, "ok", ""), ("bulk-a", DUEREN, "2023", 1.0, "ok", ""),
                        ("bulk-a", JUELICH, "2023", 4.0, "ok", ""), ("bulk-a", LANGERWEHE, "2023", 3.0, "ok", "")]
    record = ValueImport.objects.get(pk=r.history_id)
    juelich = IndicatorValue.objects.get(indicator=a, area__code=JUELICH, period="2023").area_id
    assert record.previous == [[a.pk, juelich, "2023", 2.0, "ok", ""]]  # what undo restores


def test_confirmed_full_replacement_replaces_the_slice(kommunen):
    level, a, _b = kommunen
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2023", value_columns={"A": a})
    values_import(table=read_table(f"ARS;A\n{DUEREN};1\n{JUELICH};2\n".encode()), mapping=mapping)
    data = f"ARS;A\n{LANGERWEHE};3\n".encode()
    with pytest.raises(ReplaceNotConfirmed) as exc:
        values_import_csv(data=data, min_rows=0, mapping=mapping, replace_all=True)
    assert exc.value.plan.count == 2
    r = values_import_csv(data=data, min_rows=0, mapping=mapping, replace_all=True, confirm=exc.value.plan.token)
    assert (r.written, r.deleted) == (1, 2)
    assert _rows(a) == [("bulk-a", LANGERWEHE, "2023", 3.0, "ok", "")]


def test_genesis_flat_file_with_skipped_areas(kommunen, sql_path_only):
    level, a, _b = kommunen
    data = (DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv").read_bytes()
    mapping = genesis_mapping(read_table(data), level=level, indicator=a)
    r = values_import_csv(data=data, mapping=mapping, min_rows=0)
    assert r.written == 15
    assert len(r.unmatched) == 10_787 - 15
    assert r.periods == ["2022-05-15"]
    assert sum(IndicatorValue.objects.filter(indicator=a).values_list("value", flat=True)) == 275_392


BAD = [
    pytest.param(f"ARS;A\n{DUEREN};1\n099999999999;2\n", id="unknown-area"),
    pytest.param(f"ARS;A\n{DUEREN};1\n{DUEREN};2\n", id="duplicate"),
    pytest.param(f"ARS;A\n{DUEREN};1\n{JUELICH};viel\n", id="text"),
    pytest.param(f"ARS;A\n{DUEREN};1,5\n{JUELICH};2.5\n", id="mixed-decimals"),
    pytest.param(f"ARS;A\n{DUEREN};1\n{JUELICH}\n", id="short-row"),
    pytest.param(f"ARS;A\n{DUEREN};1e5\n{JUELICH};NaN\n", id="float-syntax"),
]


@pytest.mark.parametrize("body", BAD)
def test_rejections_are_reported_exactly_like_the_python_importer(kommunen, body):
    level, a, _b = kommunen
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"A": a})
    try:
        values_import(table=read_table(body.encode()), mapping=mapping)
    except ImportRejected as exc:
        expected: Any = (str(exc), exc.problems)
    else:
        pytest.fail("the Python importer accepted a bad file")
    with pytest.raises(ImportRejected) as got:
        values_import_csv(data=body.encode(), mapping=mapping, min_rows=0)
    assert (str(got.value), got.value.problems) == expected
    assert "nichts gespeichert" in str(got.value)
    assert got.value.problems[0]["line"] in {"2", "3"}
    assert not IndicatorValue.objects.filter(indicator=a).exists()


def test_lenient_cells_fall_back_and_are_accepted_like_before(kommunen):
    """Blanks around numbers, non-ASCII digits and blank lines are not handled in SQL: the Python importer accepts
    them, as before."""
    level, a, _b = kommunen
    body = f"ARS;A\n{DUEREN}; 12 \n\n{JUELICH};\u0663\n {LANGERWEHE} ;1\u00a0000\n\n".encode()
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"A": a})
    r = values_import_csv(data=body, mapping=mapping, min_rows=0)
    assert r.written == 3
    assert _rows(a) == [("bulk-a", DUEREN, "2024", 12.0, "ok", ""), ("bulk-a", JUELICH, "2024", 3.0, "ok", ""),
                        ("bulk-a", LANGERWEHE, "2024", 1000.0, "ok", "")]


@pytest.mark.parametrize("body", [
    f'ARS;A\n{DUEREN};1\n{JUELICH};"2\n',  # quote never closed
    f'ARS;A\n{DUEREN};1\n{JUELICH};2"5"\n',  # quote inside an unquoted field
    f"ARS;A\r\n{DUEREN};1\n{JUELICH};2\r\n",  # mixed line ends
    f"ARS;A\n{DUEREN};1;9\n{JUELICH};2\n",  # a longer row (extra cells are ignored)
])
def test_irregular_csv_gives_the_python_importers_verdict(kommunen, body):
    level, a, _b = kommunen
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"A": a})
    try:
        expected: Any = values_import(table=read_table(body.encode()), mapping=mapping), _rows(a)
    except ImportRejected as exc:
        expected = exc.problems
    IndicatorValue.objects.filter(indicator=a).delete()
    try:
        got: Any = values_import_csv(data=body.encode(), mapping=mapping, min_rows=0), _rows(a)
    except ImportRejected as exc:
        got = exc.problems
    assert got == expected


def test_missing_column_and_xlsx_magic_keep_their_messages(kommunen):
    level, a, _b = kommunen
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"Z": a})
    with pytest.raises(AtlasError, match="Spalte „Z“ gibt es in der Datei nicht"):
        values_import_csv(data=f"ARS;A\n{DUEREN};1\n".encode(), mapping=mapping, min_rows=0)
    with pytest.raises(AtlasError, match="UTF-16"):
        values_import_csv(data="ARS;A\n1;2\n".encode("utf-16"), mapping=mapping, min_rows=0)


@pytest.mark.postgres
def test_the_sql_path_writes_through_copy_in_one_transaction(kommunen, sql_path_only, django_assert_max_num_queries):
    """Many rows, no per-row statements: the query count does not grow with the file."""
    level, a, b = kommunen
    lines = ["ARS;Merkmal;Jahr;Wert"]
    codes = list(level.areas.values_list("code", flat=True))
    for year in range(1900, 2100):
        for code in codes:
            lines.append(f"{code};bulk-{'a' if year % 2 else 'b'};{year};{year % 7}.{year % 1000:03d},5")
    data = ("\n".join(lines) + "\n").encode()
    mapping = Mapping(level=level, area_column="ARS", layout="long", value_column="Wert",
                      indicator_column="Merkmal", period_column="Jahr")
    with django_assert_max_num_queries(40):
        r = values_import_csv(data=data, mapping=mapping, min_rows=1000)
    assert r.written == 200 * len(codes)
    v = IndicatorValue.objects.get(indicator=a, area__code=DUEREN, period="2001")
    assert v.value == 6001.5


def _index_definitions() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'atlas_indicatorvalue' ORDER BY indexname")
        indexes = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'atlas_indicatorvalue'::regclass ORDER BY conname")
        return indexes + [f"{n}: {d}" for n, d in cur.fetchall()]


@pytest.mark.postgres
def test_bulk_load_with_index_rebuild_restores_every_index(kommunen, sql_path_only):
    level, a, b = kommunen
    before = _index_definitions()
    body = f"ARS;A;B\n{DUEREN};1;2\n{JUELICH};3;.\n".encode()
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"A": a, "B": b})
    r = values_import_csv(data=body, mapping=mapping, min_rows=0, rebuild_indexes=True)
    assert r.written == 4
    assert _index_definitions() == before
    assert IndicatorValue.objects.filter(indicator__in=[a, b]).count() == 4


@pytest.mark.postgres
def test_duplicates_found_by_the_rebuilt_unique_index_are_reported(kommunen):
    level, a, _b = kommunen
    before = _index_definitions()
    body = f"ARS;A;A2\n{DUEREN};1;2\n".encode()  # two columns mapped to the same indicator
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"A": a, "A2": a})
    with pytest.raises(ImportRejected) as exc:
        values_import_csv(data=body, mapping=mapping, min_rows=0, rebuild_indexes=True)
    assert "doppelt" in exc.value.problems[0]["reason"]
    assert (exc.value.problems[0]["line"], exc.value.problems[0]["column"]) == ("2", "A2")
    assert _index_definitions() == before
    assert not IndicatorValue.objects.filter(indicator=a).exists()
