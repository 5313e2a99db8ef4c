"""Import of indicator values from a :class:`~.tables.Table` with a column mapping: all or nothing.

Every rejected cell is reported with its line number (line 1 = header), column and reason. Nothing is written
unless every cell is acceptable. Writing uses PostgreSQL ``COPY`` (psycopg 3) or chunked ``executemany`` on
SQLite, inside one transaction.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.services import audit_record

from ..errors import AtlasError, ImportRejected
from ..models import Area, AreaLevel, Indicator, IndicatorValue
from .tables import DE_NUMBER, EN_NUMBER, Table, normalise_period, parse_number
from .values_history import ValueRow, apply_rows, history_record

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


MAX_REPORTED = 500


@dataclass
class Mapping:
    """How the columns of a table map to areas, indicators, periods and values."""

    level: AreaLevel
    area_column: str
    layout: str = "long"  # "long" (one value per row) or "wide" (one column per indicator)
    match_by: str = "code"  # "code" or "name"
    decimal: str = "de"
    # long layout
    value_column: str = ""
    indicator_column: str = ""
    indicator: Indicator | None = None  # fixed indicator when there is no indicator column
    indicator_codes: dict[str, Indicator] = field(default_factory=dict)  # value in indicator column → indicator
    flag_column: str = ""
    # wide layout
    value_columns: dict[str, Indicator] = field(default_factory=dict)
    # both
    period_column: str = ""
    period: str = ""
    skip_unmatched: bool = False  # areas not on the level are reported but do not block the import
    # long layout with other indicators in the file: take only this value of the indicator column (for the fixed
    # indicator), or leave out rows of indicators that are not in the catalogue
    indicator_value: str = ""
    ignore_other_indicators: bool = False


@dataclass
class ImportResult:
    written: int
    indicators: list[str]
    periods: list[str]
    unmatched: list[str]
    missing_or_suppressed: int
    created: int = 0  # keys that had no value before
    updated: int = 0  # keys whose value was replaced
    deleted: int = 0  # values not in the file, deleted by a confirmed full replacement
    kept: int = 0  # values of the same indicators and periods on the level that the file does not contain
    history_id: int | None = field(default=None, compare=False)  # the ValueImport record (for undo)
    areas_matched: int = 0  # areas of the level with at least one value in the file
    areas_total: int = 0  # current areas of the level
    ignored_indicators: list[str] = field(default_factory=list)  # other indicators of a long file, left out

    @property
    def coverage_complete(self) -> bool:
        return self.areas_matched >= self.areas_total


def genesis_mapping(table: Table, *, level: AreaLevel, indicator: Indicator | None = None,
                    skip_unmatched: bool = True) -> Mapping:
    """Default mapping of a GENESIS flat file: area = the GEO attribute code, period = ``time``."""
    low = [h.lower() for h in table.header]
    area_col = ""
    for i, h in enumerate(low):
        if h.endswith("_variable_code"):
            prefix = h[: -len("_variable_code")]
            col = table.column(table.header[i])
            first = next((r[col] for r in table.rows if len(r) > col), "")
            if str(first).upper().startswith("GEO"):
                area_col = table.header[low.index(prefix + "_variable_attribute_code")]
                break
    if not area_col:
        raise AtlasError(_("In der GENESIS-Datei wurde keine Gebietsspalte (Merkmal GEO…) gefunden."))
    return Mapping(
        level=level, area_column=area_col, layout="long", match_by="code", decimal="de",
        value_column=table.header[low.index("value")], indicator_column="" if indicator else "value_variable_code",
        indicator=indicator, flag_column="value_q" if "value_q" in low else "",
        period_column=table.header[low.index("time")], skip_unmatched=skip_unmatched,
    )


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []
        self.count = 0

    def add(self, line: int, column: str, value: Any, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED:
            self.items.append({"line": str(line), "column": column, "value": str(value)[:60], "reason": reason})


def _area_lookup(mapping: Mapping) -> Callable[[str], int | None]:
    areas = list(Area.objects.filter(level=mapping.level, valid_to__isnull=True).values_list("id", "code", "name"))
    if mapping.match_by == "name":
        by_name: dict[str, int | None] = {}
        for area_id, _code, name in areas:
            key = name.strip().casefold()
            by_name[key] = None if key in by_name else area_id  # None marks an ambiguous name
        return lambda s: by_name.get(s.strip().casefold(), -1)
    by_code = {code: area_id for area_id, code, _name in areas}
    # Gemeinde keys: the 8-digit AGS (05358008) finds the 12-digit ARS (053580008008) = ARS[0:5] + ARS[9:12].
    ags: dict[str, int | None] = {}
    for area_id, code, _name in areas:
        if len(code) == 12 and code.isdigit():
            key = code[:5] + code[9:]
            ags[key] = None if key in ags else area_id
    for key, ags_area in ags.items():
        if ags_area is not None and key not in by_code:
            by_code[key] = ags_area

    def lookup(s: str) -> int | None:
        s = s.strip()
        hit = by_code.get(s)
        if hit is None and s.isdigit():
            # Keys exported by spreadsheets lose leading zeros (05358 → 5358).
            for width in (3, 5, 8, 12):
                hit = by_code.get(s.zfill(width))
                if hit is not None:
                    break
        return hit if hit is not None else -1

    lookup.by_code = by_code  # type: ignore[attr-defined]
    return lookup


def _check_columns(table: Table, mapping: Mapping) -> None:
    need = [mapping.area_column]
    if mapping.layout == "long":
        need += [mapping.value_column]
        if mapping.indicator_column:
            need.append(mapping.indicator_column)
        elif mapping.indicator is None:
            raise AtlasError(_("Bitte eine Indikatorspalte oder einen festen Indikator wählen."))
        if mapping.indicator_value and mapping.indicator is None:
            raise AtlasError(_("Bitte den Indikator wählen, in den die Zeilen „%(v)s“ eingespielt werden.")
                             % {"v": mapping.indicator_value})
    else:
        if not mapping.value_columns:
            raise AtlasError(_("Bitte mindestens einer Spalte einen Indikator zuordnen."))
        need += list(mapping.value_columns)
    if mapping.period_column:
        need.append(mapping.period_column)
    elif not mapping.period.strip():
        raise AtlasError(_("Bitte eine Zeitpunkt-Spalte wählen oder einen Zeitpunkt (z. B. 2024) angeben."))
    for col in need:
        table.column(col)
    for ind in [mapping.indicator, *mapping.indicator_codes.values(), *mapping.value_columns.values()]:
        if ind is not None and ind.is_derived:
            raise AtlasError(
                _("„%(t)s“ wird berechnet und kann nicht importiert werden.") % {"t": ind.title}
            )


def level_area_count(level: AreaLevel) -> int:
    return Area.objects.filter(level=level, valid_to__isnull=True).count()


def parse_values(table: Table, mapping: Mapping, ignored: dict[str, int] | None = None,
                 ) -> tuple[list[tuple[int, int, str, Any, str, str]], list[str], _Problems]:
    """Turn the table into value rows ``(indicator_id, area_id, period, value, status, flag)``.

    Rows of other indicators that the mapping leaves out are counted in ``ignored`` (code → rows).
    """
    ignored = {} if ignored is None else ignored
    _check_columns(table, mapping)
    problems = _Problems()
    lookup = _area_lookup(mapping)
    by_code = getattr(lookup, "by_code", None)
    ai = table.column(mapping.area_column)
    pi = table.column(mapping.period_column) if mapping.period_column else -1
    fixed_period = normalise_period(mapping.period) if mapping.period.strip() else ""
    if mapping.layout == "long":
        vi = table.column(mapping.value_column)
        ii = table.column(mapping.indicator_column) if mapping.indicator_column else -1
        fi = table.column(mapping.flag_column) if mapping.flag_column else -1
        codes = {k.strip(): v for k, v in mapping.indicator_codes.items()}
        if ii >= 0 and not codes:
            codes = {i.external_code: i for i in Indicator.objects.exclude(external_code="")}
            codes.update({i.slug: i for i in Indicator.objects.all()})
        cols: list[tuple[int, Indicator | None, str]] = [(vi, mapping.indicator, mapping.value_column)]
    else:
        fi = -1
        ii = -1
        codes = {}
        cols = [(table.column(c), ind, c) for c, ind in mapping.value_columns.items()]
    out: list[tuple[int, int, str, Any, str, str]] = []
    seen: dict[tuple[int, str, int], int] = {}
    unmatched: dict[str, int] = {}
    width = len(table.header)
    area_name = mapping.area_column
    decimal = mapping.decimal
    own = (DE_NUMBER if decimal == "de" else EN_NUMBER).match
    for n, row in enumerate(table.rows, start=2):
        if len(row) < width:
            if not any(str(c).strip() for c in row):
                continue
            problems.add(n, "", "", _("Zeile hat %(a)s statt %(b)s Spalten") % {"a": len(row), "b": width})
            continue
        key = row[ai].strip() if type(row[ai]) is str else str(row[ai])
        area_id = by_code.get(key) if by_code is not None else None
        if area_id is None:
            area_id = lookup(key)
        if area_id is None:
            problems.add(n, area_name, key, _("Gebietsname ist nicht eindeutig"))
            continue
        if area_id == -1:
            unmatched[key] = unmatched.get(key, n)
            if not mapping.skip_unmatched:
                problems.add(n, area_name, key, _("Gebiet auf der Ebene „%(l)s“ unbekannt") % {"l": mapping.level.name})
            continue
        period = normalise_period(row[pi]) if pi >= 0 else fixed_period
        if not period:
            problems.add(n, mapping.period_column, "", _("Zeitpunkt fehlt"))
            continue
        for ci, indicator, col_name in cols:
            if ii >= 0:
                code = row[ii].strip() if type(row[ii]) is str else str(row[ii])
                if mapping.indicator_value:
                    if code != mapping.indicator_value:
                        ignored[code] = ignored.get(code, 0) + 1
                        continue
                    indicator = mapping.indicator
                else:
                    indicator = codes.get(code)
                if indicator is None:
                    if mapping.ignore_other_indicators:
                        ignored[code] = ignored.get(code, 0) + 1
                        continue
                    problems.add(n, mapping.indicator_column, code, _("Indikator unbekannt"))
                    continue
            raw = row[ci]
            # Fast path (C-speed regex + float) for the common case of a plain number in the file's convention.
            if type(raw) is str and own(raw):
                value: Any = float(raw.replace(".", "").replace(",", ".") if decimal == "de" else raw.replace(",", ""))
                status, flag = "ok", ""
            else:
                parsed = parse_number(raw, decimal)
                if parsed.error:
                    problems.add(n, col_name, raw, parsed.error)
                    continue
                value, status, flag = parsed.value, parsed.status, parsed.flag
            dup_key = (indicator.pk, period, area_id)  # type: ignore[union-attr]
            if dup_key in seen:
                problems.add(n, col_name, raw, _("doppelt: Gebiet %(a)s, %(i)s, %(p)s steht schon in Zeile %(l)s")
                             % {"a": key, "i": indicator.slug, "p": period, "l": seen[dup_key]})  # type: ignore[union-attr]
                continue
            seen[dup_key] = n
            if fi >= 0 and not flag:
                flag = str(row[fi]).strip()[:4]
            out.append((dup_key[0], area_id, period, value, status, flag))
    return out, sorted(unmatched), problems


def _insert(rows: Sequence[ValueRow]) -> None:
    table = IndicatorValue._meta.db_table
    cols = "indicator_id, area_id, period, value, status, flag"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buf = io.StringIO()
            w = buf.write
            null = "\\N"
            for ind, area, period, value, status, flag in rows:
                v = null if value is None else repr(value)
                w(f"{ind}\t{area}\t{_esc(period)}\t{v}\t{status}\t{_esc(flag)}\n")
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # noqa: S608 - fixed identifiers
                copy.write(buf.getvalue())
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
            for i in range(0, len(rows), 50_000):
                cur.executemany(sql, rows[i : i + 50_000])


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def values_import(*, table: Table, mapping: Mapping, actor: Actor = None, replace_all: bool = False,
                  confirm: str = "", file_name: str = "") -> ImportResult:
    """Validate every cell, then write all values in one transaction; raise :class:`ImportRejected` otherwise.

    Only the matched values are replaced; ``replace_all`` also deletes the level's other values of the same
    indicators and periods, and needs ``confirm`` = the token of :func:`~.values_history.replace_plan`
    (else :class:`~.values_history.ReplaceNotConfirmed`, nothing changed).
    """
    ignored: dict[str, int] = {}
    rows, unmatched, problems = parse_values(table, mapping, ignored)
    if problems.count:
        raise ImportRejected(
            _("Import abgelehnt: %(n)s Zellen sind fehlerhaft. Es wurde nichts gespeichert.") % {"n": problems.count},
            problems.items,
        )
    if not rows:
        raise ImportRejected(_("Die Datei enthält keine Werte für Gebiete der Ebene „%(l)s“.") % {"l": mapping.level.name})
    with transaction.atomic():
        previous, deleted, kept = apply_rows(level=mapping.level, rows=rows, replace_all=replace_all, confirm=confirm,
                                             insert=_insert)
        record = history_record(actor=actor, level=mapping.level, file_name=file_name,
                                keys=((r[0], r[1], r[2]) for r in rows), previous=previous, deleted=deleted,
                                kept=kept, replace_all=replace_all)
        indicators = sorted({r[0] for r in rows})
        periods = sorted({r[2] for r in rows})
        if actor is not None:
            audit_record(
                actor=actor, action="atlas.values_import", obj=mapping.level,
                changes={"values": len(rows), "indicators": indicators, "periods": periods, "import": record.pk,
                         "updated": len(previous), "deleted": len(deleted), "kept": kept},
                note=_("%(n)s Werte importiert") % {"n": len(rows)},
            )
    slugs = list(Indicator.objects.filter(pk__in=indicators).values_list("slug", flat=True))
    return ImportResult(len(rows), slugs, periods, unmatched, sum(1 for r in rows if r[4] != "ok"),
                        created=len(rows) - len(previous), updated=len(previous), deleted=len(deleted), kept=kept,
                        history_id=record.pk, areas_matched=len({r[1] for r in rows}),
                        areas_total=level_area_count(mapping.level), ignored_indicators=sorted(ignored))
