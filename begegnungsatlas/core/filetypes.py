"""What kind of file is this? One answer for every importer, from the content, never from the file name.

Uploads are stored under a random name without extension, and planners rename files ("Export.csv" that is really
an XLSX), so every reader asks :func:`sniff_path` / :func:`sniff_bytes` instead of looking at a suffix. The same
module guards the formats that can explode when opened:

- XLSX is a zip of XML: :func:`check_zip_safe` checks the total uncompressed size, each member's compression ratio
  and the sheets' declared dimension *before* openpyxl (or pyshp) sees the file.
- JSON/GeoJSON can nest deeper than Python's parser recursion: :func:`check_json_depth` scans the bytes first.

All errors are :class:`FileTypeError` (a ``ValueError``) with a German message; callers wrap them into their own
domain error.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

#: The kinds :func:`sniff_bytes` can return.
KINDS = ("xlsx", "csv", "geojson", "osm_xml", "osm_gz", "osm_pbf", "shapefile_zip", "gpkg")

HEAD_BYTES = 4096
ZIP_MAGIC = b"PK\x03\x04"
SQLITE_MAGIC = b"SQLite format 3\x00"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old Excel (.xls), Word …

# Limits; each can be changed with a setting of the same name prefixed by BEGEGNUNGSATLAS_.
DEFAULTS = {
    "MAX_UNZIPPED_BYTES": 200 * 1024 * 1024,  # all members of an XLSX / zipped Shapefile together
    "MAX_ZIP_RATIO": 150,  # uncompressed / compressed size of one member (typical XLSX sheets: 5-30)
    "MAX_ZIP_MEMBERS": 10_000,
    "MAX_SHEET_ROWS": 1_100_000,  # Excel's own limit is 1,048,576
    "MAX_SHEET_COLUMNS": 1_000,
    "MAX_JSON_DEPTH": 64,  # GeoJSON MultiPolygons need 8; properties rarely more than a few
}


class FileTypeError(ValueError):
    """The file is of an unsupported kind or unsafe to open; the message is German and meant for the user."""


def limit(name: str) -> int:
    return int(getattr(settings, f"BEGEGNUNGSATLAS_{name}", DEFAULTS[name]))


# --------------------------------------------------------------------------------------------------- sniffing


def _zip_kind(zf: zipfile.ZipFile) -> str:
    names = zf.namelist()
    lower = [n.lower() for n in names]
    if "[content_types].xml" in lower and any(n.startswith("xl/") for n in lower):
        return "xlsx"
    if any(n.endswith(".shp") for n in lower):
        return "shapefile_zip"
    if "[content_types].xml" in lower:
        raise FileTypeError(_("Die Datei ist ein Office-Dokument, aber keine Excel-Arbeitsmappe (.xlsx)."))
    raise FileTypeError(
        _("Die ZIP-Datei ist weder eine Excel-Arbeitsmappe (.xlsx) noch eine gezippte Shapefile (.shp, .dbf, .shx).")
    )


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text; the CSV reader decides whether it accepts it
    if text.startswith((b"<?xml", b"<osm")):
        if b"<osm" in head:
            return "osm_xml"
        raise FileTypeError(_("Die XML-Datei ist kein OpenStreetMap-Auszug (<osm> fehlt)."))
    if text.startswith((b"{", b"[")):
        return "geojson"
    if b"\x00" in head:
        raise FileTypeError(
            _("Das Dateiformat wurde nicht erkannt. Unterstützt werden CSV, Excel (.xlsx), GeoJSON, "
              "OpenStreetMap (.osm, .osm.pbf, .osm.gz), gezippte Shapefiles und GeoPackage.")
        )
    return "csv"


def _sniff(head: bytes, zip_source: str | Path | IO[bytes] | None) -> str:
    if head.startswith(ZIP_MAGIC):
        if zip_source is None:
            raise FileTypeError(_("Die ZIP-Datei ist unvollständig."))
        try:
            with zipfile.ZipFile(zip_source) as zf:
                return _zip_kind(zf)
        except zipfile.BadZipFile as exc:
            raise FileTypeError(_("Die ZIP-Datei ist beschädigt.")) from exc
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(head)).read(HEAD_BYTES)
        except (OSError, EOFError):
            inner = b""
        if b"<osm" in inner:
            return "osm_gz"
        raise FileTypeError(_("Gepackte Dateien (.gz) werden nur für OpenStreetMap-Auszüge (.osm.gz) unterstützt."))
    # An OSM PBF file starts with a 4-byte length and the blob header of type "OSMHeader".
    if b"OSMHeader" in head[:32]:
        return "osm_pbf"
    if head.startswith(SQLITE_MAGIC):
        return "gpkg"
    if head.startswith(OLE_MAGIC):
        raise FileTypeError(
            _("Das alte Excel-Format (.xls) wird nicht unterstützt. Bitte speichern Sie die Datei als .xlsx oder CSV.")
        )
    if head.startswith(b"%PDF"):
        raise FileTypeError(_("PDF-Dateien können nicht importiert werden. Bitte laden Sie CSV, XLSX oder GeoJSON hoch."))
    return _text_kind(head)


def sniff_bytes(data: bytes) -> str:
    """The kind of a file held in memory (one of :data:`KINDS`); raises :class:`FileTypeError` otherwise.

    >>> sniff_bytes(b"Gemeinde;Wert\\n05358008;12,5\\n")
    'csv'
    >>> sniff_bytes(b'{"type": "FeatureCollection", "features": []}')
    'geojson'
    """
    if not data.strip():
        raise FileTypeError(_("Die Datei ist leer."))
    return _sniff(data[:HEAD_BYTES], io.BytesIO(data))


def sniff_path(path: str | Path) -> str:
    """The kind of a file on disk (reads its first bytes and, for zips, the member list)."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head.strip():
        raise FileTypeError(_("Die Datei ist leer."))
    return _sniff(head, path)


def osmium_format(kind: str) -> str:
    """The format string pyosmium needs when the file name carries no suffix."""
    return {"osm_xml": "osm", "osm_gz": "osm.gz", "osm_pbf": "pbf"}[kind]


# --------------------------------------------------------------------------------------------------- guards

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_zip_safe(source: str | Path | IO[bytes] | bytes) -> None:
    """Refuse zip bombs before a library unpacks the file: total size, per-member ratio, sheet dimensions.

    The sizes in the zip directory are what the archive *claims*; Python's ``zipfile`` (used by openpyxl and by us
    for Shapefiles) never returns more bytes than a member claims, so a lying directory cannot unpack more. The sheet
    dimension is read from the first bytes of each sheet only (no full decompression); the row/column limits are
    enforced again while reading, for sheets without a dimension.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
            _check_members(infos)
            for info in infos:
                if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                    with zf.open(info) as member:
                        _check_dimension(member.read(HEAD_BYTES), info.filename)
    except zipfile.BadZipFile as exc:
        raise FileTypeError(_("Die ZIP-Datei ist beschädigt.")) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unsupported compression, encrypted members
        raise FileTypeError(_("Die ZIP-Datei ist verschlüsselt oder verwendet ein nicht unterstütztes Verfahren.")) from exc


def _check_members(infos: Iterable[zipfile.ZipInfo]) -> None:
    infos = list(infos)
    if len(infos) > limit("MAX_ZIP_MEMBERS"):
        raise FileTypeError(_("Die ZIP-Datei enthält zu viele Einträge (%(n)s).") % {"n": len(infos)})
    total = sum(i.file_size for i in infos)
    max_total = limit("MAX_UNZIPPED_BYTES")
    if total > max_total:
        raise FileTypeError(
            _("Die Datei ist entpackt zu groß (%(size)s MB, erlaubt sind %(limit)s MB). Bitte teilen Sie sie auf.")
            % {"size": total // (1024 * 1024), "limit": max_total // (1024 * 1024)}
        )
    ratio = limit("MAX_ZIP_RATIO")
    for info in infos:
        # Tiny members (a few KB of repeated XML) may compress very well without any harm.
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
            raise FileTypeError(
                _("Die Datei sieht wie eine ZIP-Bombe aus: „%(name)s“ ist %(ratio)s-fach gepackt. "
                  "Sie wird aus Sicherheitsgründen nicht geöffnet.")
                % {"name": info.filename[:80], "ratio": info.file_size // max(info.compress_size, 1)}
            )


def _check_dimension(head: bytes, name: str) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    col = match.group(3) or match.group(1) or "A"
    row = match.group(4) or match.group(2) or b"1"
    rows, cols = int(row), _column_number(col.decode() if isinstance(col, bytes) else col)
    if rows > limit("MAX_SHEET_ROWS") or cols > limit("MAX_SHEET_COLUMNS"):
        raise FileTypeError(
            _("Das Tabellenblatt ist zu groß (%(rows)s Zeilen, %(cols)s Spalten; erlaubt sind %(max_rows)s Zeilen "
              "und %(max_cols)s Spalten).")
            % {"rows": rows, "cols": cols, "max_rows": limit("MAX_SHEET_ROWS"), "max_cols": limit("MAX_SHEET_COLUMNS")}
        )


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(data: bytes) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text, without parsing it (strings are ignored).

    >>> json_depth(b'{"a": [1, {"b": "[[["}]}')
    3
    """
    import numpy as np

    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int64)
    return int(np.cumsum(steps).max())


def check_json_depth(data: bytes) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (Python's parser would fail with a RecursionError)."""
    max_depth = limit("MAX_JSON_DEPTH")
    # Cheap exit: a file with fewer opening brackets than the limit cannot nest deeper.
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return
    depth = json_depth(data)
    if depth > max_depth:
        raise FileTypeError(
            _("Die JSON-Datei ist zu tief verschachtelt (%(depth)s Ebenen, erlaubt sind %(limit)s). "
              "GeoJSON braucht höchstens etwa 10.") % {"depth": depth, "limit": max_depth}
        )
