"""Reading tabular files the way planners get them: CSV (``;`` or ``,``, decimal comma, UTF-8 with BOM or
Windows-1252), XLSX and GENESIS flat files. Pure parsing, no database access."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from begegnungsatlas.core import filetypes

from ..errors import AtlasError

XLSX_MAGIC = filetypes.ZIP_MAGIC
KIND_LABELS = {"geojson": "GeoJSON", "osm_xml": "OpenStreetMap", "osm_gz": "OpenStreetMap",
               "osm_pbf": "OpenStreetMap", "shapefile_zip": "eine gezippte Shapefile", "gpkg": "ein GeoPackage"}
# Bytes that Windows-1252 leaves undefined: if they occur, the file is neither UTF-8 nor Windows-1252.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")

GENESIS_MARKERS = {"statistics_code", "value", "time"}

#: Destatis/GENESIS "Zeichenerklärung": sign → (status, explanation).
#: "-" means "nichts vorhanden" (exactly zero) in Destatis tables, so it becomes the value 0 with its flag kept.
FLAGS: dict[str, tuple[str, str]] = {
    "-": ("zero", "nichts vorhanden (genau null)"),
    ".": ("suppressed", "Zahlenwert unbekannt oder geheim zu halten"),
    "x": ("missing", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"),
    "/": ("suppressed", "keine Angabe, da Zahlenwert nicht sicher genug"),
    "...": ("missing", "Angabe fällt später an"),
    "…": ("missing", "Angabe fällt später an"),
    "": ("missing", "leere Zelle"),
}

DE_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\Z")
EN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\Z")


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    layout: str = "wide"  # guessed: "genesis", "long" or "wide"
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> int:
        try:
            return self.header.index(name)
        except ValueError as exc:
            raise AtlasError(_("Spalte „%(c)s“ gibt es in der Datei nicht.") % {"c": name}) from exc


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Decode bytes; ``auto`` accepts UTF-8 (with or without BOM) and Windows-1252, nothing else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AtlasError(_("Die Datei ist UTF-16-kodiert. Bitte als UTF-8 oder Windows-1252 (ANSI) speichern."))
    if b"\x00" in data[:4096]:
        raise AtlasError(_("Die Datei enthält Null-Bytes: sie ist keine Textdatei (CSV) oder falsch kodiert."))
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig" if encoding in ("auto", "utf-8") else encoding
    if encoding in ("auto", "utf-8", "utf-8-sig"):
        try:
            return data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError as exc:
            if encoding != "auto":
                line = data[: exc.start].count(b"\n") + 1
                raise AtlasError(
                    _("Die Datei ist nicht UTF-8-kodiert (Zeile %(line)s, Byte %(pos)s). "
                      "Bitte die Kodierung Windows-1252 wählen oder die Datei als UTF-8 speichern.")
                    % {"line": line, "pos": exc.start}
                ) from exc
    bad = _CP1252_UNDEFINED.search(data)
    if bad:
        line = data[: bad.start()].count(b"\n") + 1
        raise AtlasError(
            _("Die Datei ist weder UTF-8 noch Windows-1252 kodiert (Zeile %(line)s enthält ein ungültiges Zeichen).")
            % {"line": line}
        )
    return data.decode("cp1252"), "Windows-1252"


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def guess_layout(header: list[str]) -> str:
    low = {h.strip().lower() for h in header}
    if low >= GENESIS_MARKERS and any(h.endswith("_variable_attribute_code") for h in low):
        return "genesis"
    if low & {"indikator", "indicator", "merkmal"} and low & {"wert", "value"}:
        return "long"
    return "wide"


def read_table(data: bytes, *, encoding: str = "auto") -> Table:
    """Read a CSV or XLSX file (decided by its magic bytes, not its name)."""
    try:
        kind = filetypes.sniff_bytes(data)
    except filetypes.FileTypeError as exc:
        raise AtlasError(str(exc)) from exc
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind != "csv":
        raise AtlasError(
            _("Werte werden aus CSV- oder Excel-Dateien (.xlsx) importiert; diese Datei ist %(kind)s. "
              "Gebietsgrenzen laden Sie bitte als „Gebietsgrenzen“ hoch.") % {"kind": KIND_LABELS.get(kind, kind)}
        )
    text, enc = decode(data, encoding)
    delim = sniff_table_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    if not records:
        raise AtlasError(_("Die Datei ist leer."))
    header, rows, notes = locate_table(records)
    table = Table(header, rows, "csv", enc, delim, guess_layout(header), notes)
    if "Ã" in text[:20000] and enc == "UTF-8":
        table.notes.append(_("Hinweis: Umlaute sehen doppelt kodiert aus (z. B. „Ã¼“). Bitte die Namen prüfen."))
    return table


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise AtlasError(_("Die ZIP-Datei ist keine Excel-Arbeitsmappe (XLSX)."))
        filetypes.check_zip_safe(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except filetypes.FileTypeError as exc:
        raise AtlasError(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise AtlasError(_("Die Excel-Datei ist beschädigt und kann nicht gelesen werden.")) from exc
    max_rows, max_cols = filetypes.limit("MAX_SHEET_ROWS"), filetypes.limit("MAX_SHEET_COLUMNS")
    try:
        ws = wb.worksheets[0]
        records: list[list[Any]] = []
        for n, row in enumerate(ws.iter_rows(values_only=True, max_col=max_cols), start=1):
            if n > max_rows:
                raise AtlasError(
                    _("Das Tabellenblatt hat mehr als %(n)s Zeilen. Bitte teilen Sie die Datei auf.") % {"n": max_rows}
                )
            records.append(["" if v is None else v for v in row])
    finally:
        wb.close()
    if not any(_filled(r) for r in records):
        raise AtlasError(_("Das erste Tabellenblatt ist leer."))
    header, rows, notes = locate_table(records)
    rows = [r for r in rows if _filled(r)]
    return Table(header, rows, "xlsx", "", "", guess_layout(header), notes)


# ------------------------------------------------------------------------------- statistical table exports
# Regionalstatistik/GENESIS "Tabelle" exports (and many hand-made sheets) put a title block above the table, a header
# over several rows ("Altersgruppen" over "unter 3 Jahre", …) with empty cells above the key columns, and footnotes
# below ("__________", "Datenlizenz …", "Stand: …"). locate_table finds the table inside.

_DATE_DE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")
_KEY = re.compile(r"\d{2,12}\Z")
MAX_HEADER_ROWS = 4


def _cell_text(c: Any) -> str:
    return "" if c is None else str(c).strip()


def _filled(row: list[Any]) -> int:
    return sum(1 for c in row if _cell_text(c))


def _numeric(c: Any) -> bool:
    if isinstance(c, bool):
        return False
    if isinstance(c, int | float):
        return True
    t = _cell_text(c).replace("\u00a0", "").replace(" ", "")
    return bool(t) and (t in FLAGS or bool(DE_NUMBER.match(t)) or bool(EN_NUMBER.match(t)))


def _years_row(row: list[Any]) -> bool:
    nums = [c for c in row if _numeric(c) and _cell_text(c)]
    try:
        years = [int(float(str(c).replace(",", "."))) for c in nums]
    except ValueError:
        return False
    return len(years) >= 2 and all(1900 <= y <= 2100 for y in years) and years == sorted(set(years))


def _data_like(row: list[Any]) -> bool:
    """A data row: key cell filled, at least two cells, and a number or statistical sign after the first cell."""
    if not row or not _cell_text(row[0]) or _filled(row) < 2:
        return False
    return any(_numeric(c) for c in row[1:]) and not _years_row(row[1:])


def _footnote(row: list[Any]) -> bool:
    """A line under the table: one filled cell that is not an area key ("Datenlizenz …", "__________", "Stand: …")."""
    cells = [_cell_text(c) for c in row if _cell_text(c)]
    if len(cells) != 1:
        return False
    return cells[0].startswith("_") or (not _KEY.match(cells[0]) and not _numeric(cells[0])
                                        and _cell_text(row[0]) == cells[0])


def locate_table(records: list[list[Any]]) -> tuple[list[str], list[list[Any]], list[str]]:
    """Header names, data rows and notes (title, footnotes) of a table that may sit inside a title/footnote block."""
    records = [r for r in records]
    n = len(records)
    first_data = next((i for i in range(1, n) if _data_like(records[i]) and (i + 1 >= n or _data_like(records[i + 1])
                                                                              or not _filled(records[i + 1]))), None)
    if first_data is None:
        first_data = 1
    # Header rows: the row above the data, and above it rows with an empty key cell (spanning labels).
    top = first_data - 1
    while top > 0 and first_data - top < MAX_HEADER_ROWS and not _cell_text(records[top - 1][0] if records[top - 1]
                                                                              else "") and _filled(records[top - 1]) >= 1:
        top -= 1
    while top < first_data - 1 and _filled(records[top]) <= 1 and (
            not records[top] or _cell_text(records[top][0]) or not _filled(records[top])):
        top += 1  # a single filled cell at the left is a title line, not a header (a label further right spans)
    notes: list[str] = []
    title = [_cell_text(c) for r in records[:top] for c in r if _cell_text(c)]
    if title:
        notes.append(_("Titelzeilen übersprungen: %(t)s") % {"t": " · ".join(title)[:300]})
    header_rows = records[top:first_data]
    width = max([len(r) for r in records[first_data:]] + [len(r) for r in header_rows] + [1])
    data: list[list[Any]] = []
    footer: list[str] = []
    # Footnotes only after the last data row (a data row with one filled cell inside the table stays data).
    last_data = max((i for i in range(first_data, n) if _data_like(records[i])), default=first_data)
    for i in range(first_data, n):
        row = records[i]
        if footer or (i > last_data and _footnote(row)):
            footer += [_cell_text(c) for c in row if _cell_text(c)]
            continue
        data.append(row)
    if footer:
        notes.append(_("Fußnoten übersprungen: %(t)s") % {"t": " · ".join(footer)[:300]})
    header = _combine_header(header_rows, width, data)
    if len(header_rows) > 1:
        notes.append(_("Kopfzeilen zusammengefasst: %(n)s Zeilen") % {"n": len(header_rows)})
    while len(header) > 1 and not header[-1] and all(len(r) < len(header) or not _cell_text(r[len(header) - 1])
                                                     for r in data):
        header.pop()
    return _unique(header, data), data, notes


def _combine_header(rows: list[list[Any]], width: int, data: list[list[Any]]) -> list[str]:
    parts: list[list[str]] = [[] for _ in range(width)]
    for depth, row in enumerate(rows):
        last = depth == len(rows) - 1
        carry = ""
        for i in range(width):
            text = _cell_text(row[i]) if i < len(row) else ""
            if text:
                carry = text
            elif not last and carry and i > 0:
                text = carry  # an upper label spans the empty cells to its right
            if text and (not parts[i] or parts[i][-1] != text):
                parts[i].append(text)
    return [" – ".join(p) for p in parts]


def _unique(header: list[str], data: list[list[Any]]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(header):
        name = h
        if not name:
            sample = next((_cell_text(r[i]) for r in data[:20] if i < len(r) and _cell_text(r[i])), "")
            if _DATE_DE.match(sample) or re.match(r"\d{4}(-\d{2}-\d{2})?\Z", sample) and i == 0:
                name = _("Zeitpunkt")
            elif _KEY.match(sample):
                name = _("Schlüssel")
            elif sample and not _numeric(sample):
                name = _("Gebiet")
            else:
                name = _("Spalte %(n)s") % {"n": i + 1}
        base, k = name, 2
        while name in out:
            name = f"{base} ({k})"
            k += 1
        out.append(name)
    return out


def sniff_table_delimiter(text: str) -> str:
    """The delimiter of the table: the first line decides unless it is a title line, then the next 30 lines."""
    lines = [ln for ln in text.split("\n", 31)[:31] if ln.strip()]
    first = sniff_delimiter(lines[0]) if lines else ";"
    if len(lines) < 3 or lines[0].count(first) >= 1 and lines[0].count(first) == lines[1].count(first):
        return first
    best, best_count = first, 0
    for d in (";", "\t", ","):
        counts = [ln.count(d) for ln in lines[1:]]
        common = max(set(counts), key=counts.count)
        if common > best_count:
            best, best_count = d, common
    return best


def normalise_period(raw: Any) -> str:
    """A period label as stored: ``2019``, ``2019-12-31`` (from ``31.12.2019``, dates and Excel dates).

    >>> normalise_period("31.12.2019"), normalise_period(2019), normalise_period("2022-05-15")
    ('2019-12-31', '2019', '2022-05-15')
    """
    import datetime as dt

    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    m = _DATE_DE.match(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return text
    if re.match(r"\d{4}-\d{2}-\d{2} 00:00:00\Z", text):
        return text[:10]
    return text


@dataclass(frozen=True)
class Parsed:
    value: float | None
    status: str  # ok / missing / suppressed
    flag: str = ""
    error: str = ""


def parse_number(raw: Any, decimal: str = "de") -> Parsed:
    """One cell as a number or a Destatis sign; ``error`` says in German why a cell is rejected."""
    if isinstance(raw, bool):
        return Parsed(None, "", error=_("Wahrheitswert statt Zahl"))
    if isinstance(raw, int | float):
        return Parsed(float(raw), "ok")
    s = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if s in FLAGS:
        status, _text = FLAGS[s]
        if status == "zero":
            return Parsed(0.0, "ok", s)
        return Parsed(None, status, s)
    own, other = (DE_NUMBER, EN_NUMBER) if decimal == "de" else (EN_NUMBER, DE_NUMBER)
    if own.match(s):
        if decimal == "de":
            return Parsed(float(s.replace(".", "").replace(",", ".")), "ok")
        return Parsed(float(s.replace(",", "")), "ok")
    if other.match(s):
        expected = "1.234,5" if decimal == "de" else "1,234.5"
        return Parsed(None, "", error=_("gemischte Dezimalschreibweise: „%(v)s“ passt nicht zur Schreibweise der Datei "
                                        "(erwartet z. B. %(e)s)") % {"v": s, "e": expected})
    return Parsed(None, "", error=_("Text in einer Zahlenspalte: „%(v)s“") % {"v": s[:40]})
