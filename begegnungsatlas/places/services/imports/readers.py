"""Readers for the files planners really get: GeoJSON, CSV (German conventions), XLSX, OpenStreetMap extracts.

Each reader turns a file into a :class:`SourceTable` or raises :class:`ImportFileError` with a German message.
The format is recognised from the content (magic bytes), never from the file name.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from begegnungsatlas.core import filetypes

from .errors import ImportFileError
from .table import RawRow, SourceTable

FORMATS = ("geojson", "csv", "xlsx", "osm")
FORMAT_LABELS = {"geojson": "GeoJSON", "csv": "CSV", "xlsx": "Excel (XLSX)", "osm": "OpenStreetMap"}

# OSM objects that are places of encounter (key -> accepted values; None = any value).
OSM_SELECTION: dict[str, set[str] | None] = {
    "amenity": {
        "community_centre", "social_facility", "library", "place_of_worship", "social_centre", "youth_centre",
    },
    "leisure": {"social_club"},
    "club": None,
}
OSM_TARGET_GROUPS = {
    "senior": "senioren", "juvenile": "jugendliche", "child": "kinder", "family": "familien",
    "disabled": "menschen-mit-behinderung", "migrant": "neuzugewanderte", "refugee": "neuzugewanderte",
}


def max_bytes() -> int:
    return int(getattr(settings, "BEGEGNUNGSATLAS_MAX_IMPORT_BYTES", 50 * 1024 * 1024))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise ImportFileError(
            _("Die Datei ist zu groß (%(size)s MB). Erlaubt sind höchstens %(limit)s MB. "
              "Bitte teilen Sie die Datei auf.") % {"size": _mb(size), "limit": _mb(limit)}
        )
    if size == 0:
        raise ImportFileError(_("Die Datei ist leer."))


_KIND_TO_FORMAT = {"xlsx": "xlsx", "csv": "csv", "geojson": "geojson", "osm_xml": "osm", "osm_gz": "osm",
                   "osm_pbf": "osm"}


def _format_of(kind: str) -> str:
    fmt = _KIND_TO_FORMAT.get(kind)
    if fmt is None:
        raise ImportFileError(
            _("Dieses Dateiformat kann hier nicht importiert werden. Unterstützt werden GeoJSON, CSV, XLSX und "
              "OpenStreetMap (.osm, .osm.pbf, .osm.gz).")
        )
    return fmt


def detect_format(head: bytes) -> str:
    """Recognise the format from the first bytes of the file (not from its name); see :mod:`core.filetypes`.

    A zip is only told apart by its member list, so this answers "xlsx" for any zip; :func:`read_source` then
    checks the members.
    """
    if head.startswith(filetypes.ZIP_MAGIC):
        return "xlsx"
    try:
        return _format_of(filetypes.sniff_bytes(head))
    except filetypes.FileTypeError as exc:
        raise ImportFileError(str(exc)) from exc


def read_source(
    path: Path | str,
    *,
    format: str | None = None,  # noqa: A002 - the natural name
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    osm_selection: dict[str, set[str] | None] | None = None,
) -> SourceTable:
    """Read a file of any supported format."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(_("Die Datei „%(name)s“ wurde nicht gefunden.") % {"name": path.name}) from exc
    check_size(size)
    try:
        kind = filetypes.sniff_path(path)
    except filetypes.FileTypeError as exc:
        raise ImportFileError(str(exc)) from exc
    detected = _format_of(kind)
    fmt = (format or detected).lower()
    if fmt not in FORMATS:
        raise ImportFileError(_("Unbekanntes Format „%(fmt)s“.") % {"fmt": fmt})
    if format and fmt != detected and not (fmt == "csv" and detected == "csv"):
        raise ImportFileError(
            _("Die Datei ist laut Inhalt %(detected)s, nicht %(wanted)s.")
            % {"detected": FORMAT_LABELS[detected], "wanted": FORMAT_LABELS[fmt]}
        )
    if fmt == "geojson":
        return read_geojson(path.read_bytes())
    if fmt == "csv":
        return read_csv(path.read_bytes(), delimiter=delimiter, encoding=encoding)
    if fmt == "xlsx":
        return read_xlsx(path, sheet=sheet)
    return read_osm(path, selection=osm_selection, kind=kind)


# --------------------------------------------------------------------------------------------------- GeoJSON


def _crs_name(doc: dict[str, Any]) -> str:
    crs = doc.get("crs")
    if not isinstance(crs, dict):
        return "EPSG:4326"
    name = str((crs.get("properties") or {}).get("name") or "")
    if not name or "CRS84" in name.upper():
        return "EPSG:4326"
    match = re.search(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)", name, re.IGNORECASE)
    if match:
        return f"EPSG:{match.group(1)}"
    raise ImportFileError(_("Das Koordinatensystem „%(crs)s“ der GeoJSON-Datei ist unbekannt.") % {"crs": name})


def read_geojson(data: bytes) -> SourceTable:
    import shapely
    from shapely.geometry import shape

    try:
        filetypes.check_json_depth(data)
        doc = json.loads(data.decode("utf-8-sig"))
    except filetypes.FileTypeError as exc:
        raise ImportFileError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Die GeoJSON-Datei ist nicht in UTF-8 kodiert (Byte %(pos)s). GeoJSON muss UTF-8 sein.") % {"pos": exc.start}
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("Die GeoJSON-Datei ist beschädigt: kein gültiges JSON (Zeile %(line)s, Spalte %(col)s).")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") not in {"FeatureCollection", "Feature"}:
        raise ImportFileError(_("Die Datei ist kein GeoJSON: eine „FeatureCollection“ wird erwartet."))
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise ImportFileError(_("Die GeoJSON-Datei hat keine Liste „features“."))
    crs = _crs_name(doc)
    rows: list[RawRow] = []
    columns: dict[str, None] = {}
    xs: list[float] = []
    ys: list[float] = []
    with_point: list[int] = []
    for i, feat in enumerate(features, start=1):
        if not isinstance(feat, dict):
            raise ImportFileError(_("Objekt %(n)s der GeoJSON-Datei ist kein Feature.") % {"n": i})
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        for key in props:
            columns.setdefault(str(key), None)
        row = RawRow(number=i, values={str(k): v for k, v in props.items()}, ref=str(feat.get("id") or ""))
        geom = feat.get("geometry")
        if geom:
            try:
                g = shape(geom)
                pt = g if g.geom_type == "Point" else g.centroid
                if not pt.is_empty:
                    xs.append(float(pt.x))
                    ys.append(float(pt.y))
                    with_point.append(len(rows))
            except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
                row.values["__geometry_error__"] = _("Die Geometrie ist ungültig.")
        rows.append(row)
    notes = []
    if crs != "EPSG:4326" and xs:
        from pyproj.exceptions import CRSError

        from begegnungsatlas.core.geo import transformer

        try:
            lon, lat = transformer(crs, "EPSG:4326").transform(xs, ys)
        except CRSError as exc:
            raise ImportFileError(_("Das Koordinatensystem %(crs)s ist unbekannt.") % {"crs": crs}) from exc
        xs, ys = [float(v) for v in lon], [float(v) for v in lat]
        notes.append(_("Koordinaten von %(crs)s nach WGS 84 (EPSG:4326) umgerechnet.") % {"crs": crs})
    for idx, x, y in zip(with_point, xs, ys, strict=True):
        rows[idx].lon, rows[idx].lat = x, y
    return SourceTable(format="geojson", columns=list(columns), rows=rows, crs=crs, notes=notes)


# --------------------------------------------------------------------------------------------------- CSV

_MOJIBAKE = re.compile("Ã[\u0080-\u00bf¤¶¼Ÿ„–œ]")


def decode_text(data: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252.

    Strict UTF-8 is tried first: a Windows-1252 file with umlauts is (almost) never valid UTF-8, while every byte
    string is "valid" Windows-1252 — so the order matters.
    """
    if encoding:
        enc = encoding.lower().replace("_", "-")
        enc = {"utf8": "utf-8", "latin1": "latin-1", "windows1252": "cp1252", "windows-1252": "cp1252"}.get(enc, enc)
        try:
            text = data.decode("utf-8-sig" if enc == "utf-8" else enc)
        except LookupError as exc:
            raise ImportFileError(_("Die Zeichenkodierung „%(enc)s“ ist unbekannt.") % {"enc": encoding}) from exc
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFileError(
                _("Die Datei ist nicht in %(enc)s kodiert (Zeile %(line)s). Bitte wählen Sie die richtige "
                  "Zeichenkodierung, z. B. UTF-8 oder Windows-1252.") % {"enc": encoding, "line": line}
            ) from exc
        return text, enc
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (mit BOM)"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFileError(
                _("Die Datei beginnt mit einer UTF-8-Kennung, enthält aber in Zeile %(line)s Zeichen in einer "
                  "anderen Kodierung. Bitte speichern Sie sie erneut als „CSV UTF-8“.") % {"line": line}
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Die UTF-16-Datei ist beschädigt.")) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _("Die Zeichenkodierung der Datei wurde nicht erkannt (Zeile %(line)s ist weder UTF-8 noch Windows-1252). "
              "Bitte speichern Sie die Datei als „CSV UTF-8“.") % {"line": line}
        ) from exc


def sniff_delimiter(text: str) -> str:
    """Pick ``;``, ``,``, tab or ``|`` by counting them outside quotes in the first lines."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        return ";"
    best, best_score = ";", -1.0
    for cand in (";", ",", "\t", "|"):
        counts = []
        for ln in lines:
            try:
                counts.append(len(next(csv.reader([ln], delimiter=cand))) - 1)
            except (csv.Error, StopIteration):
                counts.append(0)
        header = counts[0]
        if header == 0:
            continue
        # Consistent counts across lines count more than a high count in the header alone.
        consistent = sum(1 for c in counts if c == header) / len(counts)
        score = header * consistent + (0.5 if cand == ";" else 0)
        if score > best_score:
            best, best_score = cand, score
    return best


def read_csv(data: bytes, *, delimiter: str | None = None, encoding: str | None = None) -> SourceTable:
    text, used = decode_text(data, encoding=encoding)
    notes = [_("Zeichenkodierung: %(enc)s") % {"enc": used}]
    if _MOJIBAKE.search(text[:200_000]):
        notes.append(
            _("Achtung: Die Datei enthält Zeichenfolgen wie „Ã¤“ – vermutlich wurde sie schon einmal falsch "
              "umkodiert. Bitte prüfen Sie Umlaute in der Vorschau.")
        )
    if delimiter in ("\\t", "tab", "TAB"):
        delimiter = "\t"
    delim = delimiter or sniff_delimiter(text)
    if len(delim) != 1:
        raise ImportFileError(_("Das Trennzeichen muss genau ein Zeichen sein."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        detail = str(exc)
        if "end of data" in detail or "EOF" in detail:
            detail = _("ein Anführungszeichen wird nicht geschlossen")
        elif "expected" in detail:
            detail = _("nach einem schließenden Anführungszeichen folgt kein Trennzeichen")
        raise ImportFileError(
            _("Die CSV-Datei ist beschädigt (Zeile %(line)s): %(err)s.") % {"line": reader.line_num, "err": detail}
        ) from exc
    # Line numbers as a spreadsheet shows them: header = line 1. Quoted line breaks are rare in these files;
    # csv.reader's own line_num would count them, but we keep it simple and count records.
    start = next((i for i, rec in enumerate(records) if any(c.strip() for c in rec)), None)
    if start is None:
        raise ImportFileError(_("Die CSV-Datei enthält keine Daten."))
    header = [h.strip() for h in records[start]]
    if len(header) < 2:
        raise ImportFileError(
            _("Die CSV-Datei hat nur eine Spalte (Trennzeichen „%(d)s“). Bitte prüfen Sie das Trennzeichen "
              "(Semikolon oder Komma).") % {"d": "Tab" if delim == "\t" else delim}
        )
    header = _unique_headers(header)
    rows: list[RawRow] = []
    for offset, rec in enumerate(records[start + 1:], start=start + 2):
        if not any(c.strip() for c in rec):
            continue
        values: dict[str, Any] = {h: (rec[i].strip() if i < len(rec) else "") for i, h in enumerate(header)}
        if len(rec) > len(header) and any(c.strip() for c in rec[len(header):]):
            values["__extra_cells__"] = len(rec) - len(header)
        rows.append(RawRow(number=offset, values=values))
    notes.append(_("Trennzeichen: „%(d)s“") % {"d": "Tab" if delim == "\t" else delim})
    return SourceTable(format="csv", columns=header, rows=rows, encoding=used, delimiter=delim, notes=notes)


def _unique_headers(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header, start=1):
        name = h or _("Spalte %(n)s") % {"n": i}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


# --------------------------------------------------------------------------------------------------- XLSX


def read_xlsx(path: Path, *, sheet: str | None = None) -> SourceTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise ImportFileError(_("Die ZIP-Datei ist keine Excel-Arbeitsmappe (.xlsx)."))
        filetypes.check_zip_safe(path)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("Die Excel-Datei ist beschädigt.")) from exc
    except filetypes.FileTypeError as exc:
        raise ImportFileError(str(exc)) from exc
    max_rows, max_cols = filetypes.limit("MAX_SHEET_ROWS"), filetypes.limit("MAX_SHEET_COLUMNS")
    # A file object, not the path: openpyxl refuses paths without an .xlsx suffix, and uploads have none.
    fh = path.open("rb")
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        fh.close()
        raise ImportFileError(_("Die Excel-Datei ist beschädigt oder kann nicht gelesen werden.")) from exc
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise ImportFileError(
                    _("Das Tabellenblatt „%(s)s“ fehlt. Vorhanden: %(all)s")
                    % {"s": sheet, "all": ", ".join(wb.sheetnames)}
                )
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        header: list[str] | None = None
        rows: list[RawRow] = []
        for number, rec in enumerate(ws.iter_rows(values_only=True, max_col=max_cols), start=1):
            if number > max_rows:
                raise ImportFileError(
                    _("Das Tabellenblatt hat mehr als %(n)s Zeilen. Bitte teilen Sie die Datei auf.") % {"n": max_rows}
                )
            cells = list(rec)
            if not any(c not in (None, "") for c in cells):
                continue
            if header is None:
                # Title lines above the table ("Liste der …") have a single filled cell: skip them.
                if sum(1 for c in cells if c not in (None, "")) < 2:
                    continue
                names = [("" if c is None else str(c)).strip() for c in cells]
                while names and not names[-1]:
                    names.pop()
                header = _unique_headers(names)
                continue
            values = {h: _cell(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)}
            rows.append(RawRow(number=number, values=values))
    finally:
        wb.close()
        fh.close()
    if header is None:
        raise ImportFileError(_("Das Tabellenblatt „%(s)s“ ist leer.") % {"s": ws.title})
    return SourceTable(format="xlsx", columns=header, rows=rows,
                       notes=[_("Tabellenblatt: %(s)s") % {"s": ws.title}])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return value


# --------------------------------------------------------------------------------------------------- OSM


def _osm_selected(tags: dict[str, str], selection: dict[str, set[str] | None]) -> bool:
    for key, accepted in selection.items():
        value = tags.get(key)
        if value is not None and (accepted is None or value in accepted):
            return True
    return False


def _osm_values(tags: dict[str, str], ref: str) -> dict[str, Any]:
    values: dict[str, Any] = dict(tags)
    values["osm_id"] = ref
    values["website"] = tags.get("website") or tags.get("contact:website") or tags.get("url") or ""
    values["phone"] = tags.get("phone") or tags.get("contact:phone") or ""
    values["email"] = tags.get("email") or tags.get("contact:email") or ""
    groups = []
    for code in re.split(r"[;,]", tags.get("social_facility:for", "")):
        slug = OSM_TARGET_GROUPS.get(code.strip())
        if slug and slug not in groups:
            groups.append(slug)
    if tags.get("amenity") == "youth_centre" and "jugendliche" not in groups:
        groups.append("jugendliche")
    values["zielgruppen"] = ", ".join(groups)
    kind = tags.get("amenity") or tags.get("leisure") or ("club" if "club" in tags else "")
    values["osm_art"] = kind
    return values


def read_osm(path: Path, *, selection: dict[str, set[str] | None] | None = None, kind: str = "") -> SourceTable:
    """Nodes, open ways and areas (closed ways, multipolygons) with the selected tags; a way's point is its centroid."""
    import osmium
    import shapely

    selection = selection or OSM_SELECTION
    wkb = osmium.geom.WKBFactory()
    rows: list[RawRow] = []
    columns: dict[str, None] = {}
    n = 0
    try:
        # The format is given explicitly: libosmium guesses it from the suffix, and uploads have none.
        source = osmium.io.File(str(path), filetypes.osmium_format(kind or filetypes.sniff_path(path)))
        processor = osmium.FileProcessor(source).with_locations().with_areas()
        for obj in processor:
            tags = dict(obj.tags)
            if not tags or not _osm_selected(tags, selection):
                continue
            lon = lat = None
            if isinstance(obj, osmium.osm.Node):  # = obj.is_node(), but narrows the type
                if not obj.location.valid():
                    continue
                ref = f"node/{obj.id}"
                lon, lat = obj.location.lon, obj.location.lat
            elif isinstance(obj, osmium.osm.Way):
                if obj.is_closed():
                    continue  # comes again as an area
                ref = f"way/{obj.id}"
                try:
                    geom = shapely.from_wkb(wkb.create_linestring(obj))
                except (RuntimeError, osmium.InvalidLocationError):
                    continue
                c = geom.centroid
                lon, lat = c.x, c.y
            elif isinstance(obj, osmium.osm.Area):
                ref = f"{'way' if obj.from_way() else 'relation'}/{obj.orig_id()}"
                try:
                    geom = shapely.from_wkb(wkb.create_multipolygon(obj))
                except (RuntimeError, osmium.InvalidLocationError):
                    continue
                c = geom.centroid
                lon, lat = c.x, c.y
            else:
                continue
            n += 1
            values = _osm_values(tags, ref)
            for key in values:
                columns.setdefault(key, None)
            rows.append(RawRow(number=n, values=values, lon=float(lon), lat=float(lat), ref=ref))
    except RuntimeError as exc:
        raise ImportFileError(
            _("Der OpenStreetMap-Auszug ist beschädigt oder kann nicht gelesen werden (%(err)s).") % {"err": str(exc)[:200]}
        ) from exc
    return SourceTable(format="osm", columns=list(columns), rows=rows,
                       notes=[_("%(n)s passende OpenStreetMap-Objekte gefunden.") % {"n": n}])
