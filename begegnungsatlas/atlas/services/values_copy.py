"""Import of indicator values straight from a CSV file: on PostgreSQL, large files go through ``COPY`` and SQL.

:func:`values_import_csv` is the entry point for files. It gives exactly the result of
``values_import(table=read_table(data), mapping=mapping)`` — same values, same errors, same report — but for
large, regular CSV files on PostgreSQL it avoids parsing and checking every cell in Python:

1. the decoded file is streamed with ``COPY … FROM STDIN (FORMAT csv)`` into a temporary table of text columns;
2. the *distinct* keys (areas, indicators, periods) are read back with one ``GROUP BY`` and resolved with the very
   same Python lookups as the Python importer (leading zeros, names, ambiguous names, ``strip``), then sent back as
   small temporary tables;
3. one ``INSERT … SELECT`` converts every value in SQL into a temporary table; the rows at the keys it matched are
   saved for the import history, deleted, and the new rows inserted (values of the level the file does not contain
   are kept, see :mod:`.values_history`). Numbers
   matching the file's decimal convention (regex) are converted with ``replace(…)::double precision``, Destatis
   signs come from a table filled by :func:`~.tables.parse_number`. The number of written rows must equal the
   number of cells; duplicates hit the unique constraint. Numbers are first checked on the text with one C-speed
   Python regex; only if some value cell is not a plain number does SQL need a regex per cell and the sign table.
   Loads at least as large as the table (≥ ``REBUILD_MIN_ROWS``) lock the table, drop its indexes and rebuild them
   in bulk inside the same transaction (:func:`_lock_and_drop_indexes`).

This path only ever *accepts*. Whenever anything is irregular — a rejected cell, a duplicate, an unusual cell such
as ``" 12 "`` or ``"…"`` with blanks, malformed quoting, rows of the wrong width, a data or integrity error in the database — the attempt is
rolled back (savepoint) and the file goes through the Python importer, which decides and reports every rejected
cell with row, column and reason exactly as before. Small files, XLSX and SQLite always use the Python importer.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from typing import TYPE_CHECKING, Any

import psycopg
from django.db import DataError, IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.services import audit_record

from ..models import Area, Indicator, IndicatorValue
from .tables import (
    FLAGS,
    XLSX_MAGIC,
    Table,
    decode,
    locate_table,
    normalise_period,
    parse_number,
    read_table,
    sniff_delimiter,
)
from .values_history import history_record
from .values_import import (
    ImportResult,
    Mapping,
    _area_lookup,
    _check_columns,
    level_area_count,
    values_import,
)

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


#: Files with fewer data rows go through the Python importer (the SQL path has a fixed cost of a few queries).
FAST_MIN_ROWS = 20_000
#: Loads of at least this many values, and at least as many as the table already holds, are written with the
#: table's indexes dropped and rebuilt in bulk (see :func:`_lock_and_drop_indexes`).
REBUILD_MIN_ROWS = 200_000

# The file's number conventions as PostgreSQL regexes: ASCII digits only, so a match is always a number that
# ``parse_number`` reads identically (Python's ``\d`` also accepts other digits: those cells take the Python path).
_SQL_NUMBER = {
    "de": r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$",
    "en": r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$",
}
# The common case first (no sign, no thousands separator): a cheaper regex, tried before the full one.
_SQL_PLAIN = {"de": r"^[0-9]+(,[0-9]+)?$", "en": r"^[0-9]+(\.[0-9]+)?$"}
_SQL_CAST = {
    "de": "replace(replace({v}, '.', ''), ',', '.')::double precision",
    "en": "replace({v}, ',', '')::double precision",
}
# What Python's str.strip() removes, for btrim() (PostgreSQL's btrim() strips only blanks by default).
_PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())

_STAGE, _AREAS, _INDS, _PERIODS, _SIGNS = "atlas_imp_stage", "atlas_imp_areas", "atlas_imp_inds", "atlas_imp_periods", \
    "atlas_imp_signs"
_NEW = "atlas_imp_new"


class _Fallback(Exception):
    """The SQL path cannot accept the file as it is: let the Python importer decide and report."""


def values_import_csv(*, data: bytes, mapping: Mapping, encoding: str = "auto", actor: Actor = None,
                      min_rows: int = FAST_MIN_ROWS, rebuild_indexes: bool | None = None, replace_all: bool = False,
                      confirm: str = "", file_name: str = "") -> ImportResult:
    """Import a CSV/XLSX file's values all or nothing (see module doc); raise :class:`ImportRejected` otherwise.

    Only matched values are replaced; a full replacement (``replace_all``, confirmed) always takes the Python path.
    """
    if connection.vendor == "postgresql" and not replace_all and not data.startswith(XLSX_MAGIC) and data.strip():
        prepared = _prepare(data, encoding, mapping, min_rows)
        if prepared is not None:
            try:
                with transaction.atomic():
                    return _import_sql(*prepared, mapping=mapping, actor=actor, rebuild=rebuild_indexes,
                                       file_name=file_name)
            except (_Fallback, DataError, IntegrityError, psycopg.DataError, psycopg.IntegrityError):
                pass  # rolled back to the savepoint; the Python importer gives the exact verdict and report
    return values_import(table=read_table(data, encoding=encoding), mapping=mapping, actor=actor,
                         replace_all=replace_all, confirm=confirm, file_name=file_name)


def _prepare(data: bytes, encoding: str, mapping: Mapping, min_rows: int) -> tuple[list[str], str, str] | None:
    """Header, delimiter and body (text after the header line) if the file suits the SQL path, else None."""
    text, _enc = decode(data, encoding)  # raises the same AtlasError as read_table for bad encodings
    end = text.find("\n")
    if end < 0:
        return None
    first = text[:end]
    body = text[end + 1 :]
    if body.count("\n") < min_rows or '"' in first or mapping.indicator_value or mapping.ignore_other_indicators:
        return None
    delim = sniff_delimiter(first)
    header = [h.strip() for h in next(csv.reader([first.rstrip("\r")], delimiter=delim))]
    head_records = list(csv.reader(io.StringIO("\n".join(text.split("\n", 31)[:31]), newline=""), delimiter=delim))
    if locate_table(head_records)[0] != header:
        return None  # a title block or a header over several rows: the Python reader finds the table
    if '"' in body and '"' in _quoted_field(delim).sub("", body):
        return None  # a quote that is not a well-formed quoted field: Python's csv module is lenient there
    table = Table(header, [], "csv")
    _check_columns(table, mapping)  # missing columns, derived indicators → the same AtlasError as before
    # Trailing empty lines (csv.reader yields them as empty rows, which are skipped); keep the file's line end.
    body = body.rstrip("\r\n") + ("\r\n" if first.endswith("\r") else "\n")
    return header, delim, body


def _quoted_field(delim: str) -> re.Pattern[str]:
    d = re.escape(delim)
    return re.compile(rf'(?:^|(?<={d}))"(?:[^"]|"")*"(?={d}|\r?$)', re.M)


def _import_sql(header: list[str], delim: str, body: str, *, mapping: Mapping, actor: Actor,
                rebuild: bool | None, file_name: str = "") -> ImportResult:
    width = len(header)
    cols = [f"c{i}" for i in range(width)]
    idx: dict[str, int] = {}
    for i, h in enumerate(header):
        idx.setdefault(h, i)  # like list.index: the first column of that name
    ai = idx[mapping.area_column]
    pi = idx[mapping.period_column] if mapping.period_column else -1
    if mapping.layout == "long":
        ii = idx[mapping.indicator_column] if mapping.indicator_column else -1
        fi = idx[mapping.flag_column] if mapping.flag_column else -1
        value_cols: list[tuple[int, Indicator | None]] = [(idx[mapping.value_column], mapping.indicator)]
    else:
        ii = fi = -1
        value_cols = [(idx[c], ind) for c, ind in mapping.value_columns.items()]
    decimal = mapping.decimal if mapping.decimal in _SQL_NUMBER else "de"
    all_plain = _all_plain(body, delim, width, {c for c, _ind in value_cols}, decimal)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '64MB'")  # hash aggregates and joins over the staged rows in memory
        for t in (_STAGE, _AREAS, _INDS, _PERIODS, _SIGNS, _NEW):
            cur.execute(f"DROP TABLE IF EXISTS pg_temp.{t}")
        cur.execute(f"CREATE TEMP TABLE {_STAGE} ({', '.join(c + ' text' for c in cols)}) ON COMMIT DROP")
        delim_sql = "E'\\t'" if delim == "\t" else f"'{delim}'"
        copy_sql = (f"COPY {_STAGE} FROM STDIN (FORMAT csv, DELIMITER {delim_sql}, "  # noqa: S608 - fixed identifiers
                    f"FORCE_NOT_NULL ({', '.join(cols)}))")
        with cur.cursor.copy(copy_sql) as copy:
            for i in range(0, len(body), 1 << 22):
                copy.write(body[i : i + (1 << 22)])

        # Distinct keys with their row counts, resolved in Python with the Python importer's own lookups.
        a, p, i_ = f"c{ai}", (f"c{pi}" if pi >= 0 else "''"), (f"c{ii}" if ii >= 0 else "''")
        # Cells that will be stored as missing/suppressed, counted per area key for the result.
        not_ok_signs = [raw for raw in FLAGS if parse_number(raw, decimal).status != "ok"]
        # (No sign starts with a digit: the byte-order range test skips the array lookup for ordinary numbers.)
        not_ok_sql = "0" if all_plain else " + ".join(
            f"((c{c} COLLATE \"C\" < '0' OR c{c} COLLATE \"C\" >= ':') AND c{c} = ANY(%s::text[]))::int"
            for c, _ind in value_cols
        )
        second = ", ".join(c for c in (i_, p) if c != "''")
        cur.execute(f"SELECT GROUPING({a}), {a}, {i_}, {p}, count(*), sum({not_ok_sql}) FROM {_STAGE} "  # noqa: S608
                    f"GROUP BY GROUPING SETS (({a}), ({second}))", [] if all_plain else [not_ok_signs] * len(value_cols))
        area_counts: dict[str, tuple[int, int]] = {}
        combos: list[tuple[str, str]] = []
        for g, araw, iraw, praw, n, n_not_ok in cur.fetchall():
            if g == 0:
                area_counts[araw] = (n, n_not_ok)
            else:
                combos.append((iraw, praw))
        lookup = _area_lookup(mapping)
        area_ids: dict[str, int] = {}
        unmatched: set[str] = set()
        for raw in area_counts:
            hit = lookup(raw.strip())
            if hit is None:
                raise _Fallback  # ambiguous name
            if hit == -1:
                if not mapping.skip_unmatched:
                    raise _Fallback
                unmatched.add(raw.strip())
            else:
                area_ids[raw] = hit
        if not area_ids:
            raise _Fallback  # "no values" message comes from the Python importer
        _fill(cur, _AREAS, "raw text, id bigint", list(area_ids.items()))
        if unmatched:
            # Pairs and periods of the rows that are actually written (rows of unknown areas are skipped).
            cur.execute(f"SELECT DISTINCT {i_}, {p} FROM {_STAGE} s JOIN {_AREAS} a ON a.raw = s.{a}")  # noqa: S608
            combos = [(r[0], r[1]) for r in cur.fetchall()]

        fixed_period = normalise_period(mapping.period) if mapping.period.strip() else ""
        periods: dict[str, str] = {}
        for _iraw, praw in combos:
            period = normalise_period(praw) if pi >= 0 else fixed_period
            if not period:
                raise _Fallback
            periods[praw] = period
        ind_ids: dict[str, int] = {}
        if ii >= 0:
            codes = {k.strip(): v for k, v in mapping.indicator_codes.items()}
            if not codes:
                codes = {ind.external_code: ind for ind in Indicator.objects.exclude(external_code="")}
                codes.update({ind.slug: ind for ind in Indicator.objects.all()})
            for iraw, _praw in combos:
                ind = codes.get(iraw.strip())
                if ind is None or ind.is_derived:
                    raise _Fallback
                ind_ids[iraw] = ind.pk
            pairs = {(ind_ids[iraw], periods[praw]) for iraw, praw in combos}
        else:
            pairs = {(ind.pk, periods[praw]) for _c, ind in value_cols for _i, praw in combos}  # type: ignore[union-attr]
        _fill(cur, _INDS, "raw text, id bigint", list(ind_ids.items()))
        _fill(cur, _PERIODS, "raw text, period text", list(periods.items()))
        signs = []
        for raw in FLAGS:
            parsed = parse_number(raw, decimal)
            signs.append((raw, parsed.value, parsed.status, parsed.flag))
        _fill(cur, _SIGNS, "raw text, value double precision, status text, flag text", signs)

        if ii >= 0:
            ind_expr, ind_join = "i.id", f"JOIN {_INDS} i ON i.raw = s.c{ii}"
        else:
            ind_expr, ind_join = "v.ind", ""
        if len(value_cols) == 1:
            raw_expr, lateral = f"s.c{value_cols[0][0]}", ""
            if ii < 0:
                ind_expr = str(int(value_cols[0][1].pk))  # type: ignore[union-attr]
        else:
            raw_expr = "v.raw"
            lateral = "CROSS JOIN LATERAL (VALUES " + ", ".join(
                f"({int(ind.pk)}::bigint, s.c{c})" for c, ind in value_cols) + ") AS v(ind, raw)"  # type: ignore[union-attr]
        cast = _SQL_CAST[decimal].format(v=raw_expr)
        period_expr, period_join = ("pp.period", f"JOIN {_PERIODS} pp ON pp.raw = s.c{pi}") if pi >= 0 else \
            ("%(period)s", "")
        if all_plain:
            # Every value cell is a plain number (checked on the text in Python): no signs, no regex in SQL.
            value_expr, status_expr, flag_expr, signs_join, where = cast, "'ok'", "''", "", ""
        else:
            value_expr = f"CASE WHEN g.raw IS NULL THEN {cast} ELSE g.value END"
            status_expr, flag_expr = "coalesce(g.status, 'ok')", "coalesce(g.flag, '')"
            signs_join = f"LEFT JOIN {_SIGNS} g ON g.raw = {raw_expr}"
            where = f"WHERE g.raw IS NOT NULL OR {raw_expr} ~ %(plain)s OR {raw_expr} ~ %(number)s"
        if fi >= 0:
            flag_expr = f"CASE WHEN {flag_expr} <> '' THEN {flag_expr} ELSE left(btrim(s.c{fi}, %(ws)s), 4) END"
        target = IndicatorValue._meta.db_table
        expected = sum(area_counts[raw][0] for raw in area_ids) * len(value_cols)
        # The new rows go to a temporary table first: only the keys they match are replaced in the target.
        cur.execute(f"CREATE TEMP TABLE {_NEW} (indicator_id bigint, area_id bigint, period text, "
                    "value double precision, status text, flag text) ON COMMIT DROP")
        sql = f"""
            INSERT INTO {_NEW} (indicator_id, area_id, period, value, status, flag)
            SELECT {ind_expr}, a.id, {period_expr}, {value_expr}, {status_expr}, {flag_expr}
            FROM {_STAGE} s
            JOIN {_AREAS} a ON a.raw = s.c{ai}
            {ind_join}
            {period_join}
            {lateral}
            {signs_join}
            {where}
        """  # noqa: S608 - identifiers and integers only; values are parameters
        cur.execute(sql, {"period": fixed_period, "ws": _PY_WHITESPACE, "plain": _SQL_PLAIN[decimal],
                          "number": _SQL_NUMBER[decimal]})
        written = cur.rowcount
        if written != expected:
            raise _Fallback  # some cell was neither a number nor a known sign: the Python importer names it
        cur.execute(f"ANALYZE {_NEW}")
        area_table = Area._meta.db_table
        pair_list = sorted(pairs)
        in_slice = (f"t.area_id IN (SELECT id FROM {area_table} WHERE level_id = %s) "  # noqa: S608
                    f"AND (t.indicator_id, t.period) IN (SELECT * FROM unnest(%s::bigint[], %s::text[]))")
        slice_args: list[Any] = [mapping.level.pk, [x[0] for x in pair_list], [x[1] for x in pair_list]]
        matches = "n.indicator_id = t.indicator_id AND n.area_id = t.area_id AND n.period = t.period"
        cur.execute(f"SELECT t.id, t.indicator_id, t.area_id, t.period, t.value, t.status, t.flag FROM {target} t "  # noqa: S608
                    f"JOIN {_NEW} n ON {matches}")
        touched = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM {target} t WHERE {in_slice} "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {_NEW} n WHERE {matches})", slice_args)
        kept = int(cur.fetchone()[0])
        if rebuild is None:
            rebuild = expected >= REBUILD_MIN_ROWS and expected >= _estimated_rows(cur, target)
        dropped = _lock_and_drop_indexes(cur, target) if rebuild else []
        ids = [r[0] for r in touched]
        if ids:
            cur.execute(f"DELETE FROM {target} WHERE id = ANY(%s)", [ids])  # noqa: S608 - fixed identifier
        cur.execute(f"INSERT INTO {target} (indicator_id, area_id, period, value, status, flag) "  # noqa: S608
                    f"SELECT indicator_id, area_id, period, value, status, flag FROM {_NEW}")
        cur.execute(f"SELECT indicator_id, area_id, period FROM {_NEW}")  # noqa: S608
        keys = [(int(r[0]), int(r[1]), str(r[2])) for r in cur.fetchall()]
        if dropped:
            # Rebuild in bulk; the unique constraint is checked again here (a duplicate → IntegrityError → the
            # Python importer reports it).
            cur.execute("SET LOCAL maintenance_work_mem = '128MB'")
            for create in dropped:
                cur.execute(create)
            cur.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
        not_ok = sum(area_counts[raw][1] for raw in area_ids)
        cur.execute("SET LOCAL work_mem TO DEFAULT")
        for t in (_STAGE, _AREAS, _INDS, _PERIODS, _SIGNS, _NEW):
            cur.execute(f"DROP TABLE pg_temp.{t}")
    previous = [tuple(r[1:]) for r in touched]
    record = history_record(actor=actor, level=mapping.level, file_name=file_name, keys=keys,
                            previous=previous, deleted=[], kept=kept, replace_all=False)
    indicators = sorted({x[0] for x in pairs})
    period_list = sorted({x[1] for x in pairs})
    if actor is not None:
        audit_record(
            actor=actor, action="atlas.values_import", obj=mapping.level,
            changes={"values": written, "indicators": indicators, "periods": period_list, "import": record.pk,
                     "updated": len(previous), "deleted": 0, "kept": kept},
            note=_("%(n)s Werte importiert") % {"n": written},
        )
    slugs = list(Indicator.objects.filter(pk__in=indicators).values_list("slug", flat=True))
    return ImportResult(written, slugs, period_list, sorted(unmatched), not_ok, created=written - len(previous),
                        updated=len(previous), kept=kept, history_id=record.pk,
                        areas_matched=len(set(area_ids.values())), areas_total=level_area_count(mapping.level))


def _all_plain(body: str, delim: str, width: int, value_cols: set[int], decimal: str) -> bool:
    """True if every line has ``width`` unquoted cells and every value cell is a plain number (``12`` or ``12,5``).

    One C-speed regex pass over the text; then SQL needs neither the sign table nor a regex per cell.
    """
    if '"' in body:
        return False
    d = re.escape(delim)
    other = f"[^{d}\r\n]*"
    number = "[0-9]+(?:,[0-9]+)?" if decimal == "de" else r"[0-9]+(?:\.[0-9]+)?"
    line = d.join(number if i in value_cols else other for i in range(width))
    pattern = re.compile(rf"^{line}\r?$", re.M)
    lines = body.count("\n")
    return sum(1 for _ in pattern.finditer(body)) == lines


def _estimated_rows(cur: Any, table: str) -> float:
    cur.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    return max(float(cur.fetchone()[0]), 0.0)


def _lock_and_drop_indexes(cur: Any, table: str) -> list[str]:
    """For a load at least as large as the table: lock it, drop its indexes, return the statements to rebuild them.

    ``ACCESS EXCLUSIVE`` is taken before anything is changed and held to the end of the transaction: readers and
    writers wait (nobody ever sees the table without its indexes or constraints, DDL is transactional) and on any
    error the savepoint rollback restores the indexes. If the lock is not granted within a few seconds, or another
    table refers to this one, nothing is dropped and the rows are written into the indexed table.
    """
    try:
        with transaction.atomic():
            cur.execute("SET LOCAL lock_timeout = '3s'")
            cur.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")  # noqa: S608 - fixed identifier
    except OperationalError:
        return []
    finally:
        cur.execute("SET LOCAL lock_timeout TO DEFAULT")
    cur.execute("SELECT 1 FROM pg_constraint WHERE confrelid = %s::regclass", [table])
    if cur.fetchone():
        return []
    cur.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid), c.conindid FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u') ORDER BY c.contype, c.conname", [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indexrelid FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass ORDER BY i.relname", [table],
    )
    by_constraint = {oid for _n, _d, oid in constraints}
    indexes = [(name, definition) for name, definition, oid in cur.fetchall() if oid not in by_constraint]
    creates = []
    for name, definition, _oid in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')  # noqa: S608 - names from the catalog
        creates.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        creates.append(definition)
    return creates


def _fill(cur: Any, name: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    cur.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
    if rows:
        with cur.cursor.copy(f"COPY {name} FROM STDIN") as copy:  # noqa: S608 - fixed identifiers
            for row in rows:
                copy.write_row(row)
    cur.execute(f"ANALYZE {name}")


__all__ = ["FAST_MIN_ROWS", "values_import_csv"]
