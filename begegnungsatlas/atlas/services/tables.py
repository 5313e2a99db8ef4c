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
    first = text.split("\n", 1)[0]
    delim = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise AtlasError(_("Die Datei ist leer.")) from exc
    rows = list(reader)
    table = Table(header, rows, "csv", enc, delim, guess_layout(header))
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
        it = ws.iter_rows(values_only=True, max_col=max_cols)
        try:
            header = ["" if h is None else str(h).strip() for h in next(it)]
        except StopIteration as exc:
            raise AtlasError(_("Das erste Tabellenblatt ist leer.")) from exc
        rows = []
        for n, row in enumerate(it, start=2):
            if n > max_rows:
                raise AtlasError(
                    _("Das Tabellenblatt hat mehr als %(n)s Zeilen. Bitte teilen Sie die Datei auf.") % {"n": max_rows}
                )
            if any(v not in (None, "") for v in row):
                rows.append(["" if v is None else v for v in row])
    finally:
        wb.close()
    return Table(header, rows, "xlsx", "", "", guess_layout(header))


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
