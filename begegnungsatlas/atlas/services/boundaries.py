"""Boundary import: GeoJSON, GeoPackage and zipped Shapefile in EPSG:4326 or EPSG:25832 (detected, converted),
invalid geometries repaired and reported, parents checked, web geometry simplified along shared borders."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping as to_mapping
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from begegnungsatlas.core import filetypes
from begegnungsatlas.core.geo import area_km2, to_web
from begegnungsatlas.core.services import audit_record

from ..errors import AtlasError, ImportRejected
from ..models import Area, AreaLevel

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


SUPPORTED = {4326: "EPSG:4326", 25832: "EPSG:25832"}
MIN_SHARE_INSIDE_PARENT = 0.95
GEOMETRY_TYPES = {"Polygon", "MultiPolygon", "GeometryCollection", "Point", "MultiPoint", "LineString",
                  "MultiLineString"}


@dataclass
class BoundaryFile:
    format: str
    crs: str
    features: list[tuple[dict[str, Any], BaseGeometry | None]]
    notes: list[str] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        keys: dict[str, None] = {}
        for props, _g in self.features[:50]:
            keys.update(dict.fromkeys(props))
        return list(keys)


def _crs_from_epsg(code: int | None, where: str) -> str:
    """Any coordinate reference system with an EPSG code that PROJ knows (converted to EPSG:4326 after reading)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if code in SUPPORTED:
        return SUPPORTED[code]
    try:
        CRS.from_epsg(int(code or 0))
    except (CRSError, ValueError) as exc:
        raise AtlasError(
            _("Koordinatensystem %(c)s (%(w)s) ist unbekannt.")
            % {"c": f"EPSG:{code}" if code else _("unbekannt"), "w": where}
        ) from exc
    return f"EPSG:{code}"


def _crs_label(crs: str) -> str:
    if crs.startswith("EPSG:"):
        return crs
    from pyproj import CRS

    return str(CRS.from_user_input(crs).name)


def _crs_from_bounds(geoms: list[BaseGeometry | None]) -> str:
    present = [g for g in geoms if g is not None and not g.is_empty]
    if not present:
        raise AtlasError(_("Die Datei enthält keine Geometrien."))
    minx, miny, maxx, maxy = shapely.total_bounds(present)
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        return "EPSG:4326"
    if minx >= 100_000 and maxx <= 1_000_000 and miny >= 5_000_000 and maxy <= 6_200_000:
        return "EPSG:25832"
    raise AtlasError(_("Koordinatensystem nicht erkannt (Koordinaten passen weder zu EPSG:4326 noch zu EPSG:25832)."))


def _read_geojson(data: bytes) -> BoundaryFile:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AtlasError(_("Die GeoJSON-Datei ist kein gültiges JSON: %(e)s") % {"e": str(exc)[:120]}) from exc
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Feature":
        feats: Any = [doc]
    elif kind in GEOMETRY_TYPES:
        # A bare geometry (as some portals export a single boundary): one area without attributes.
        feats = [{"type": "Feature", "properties": {}, "geometry": doc}]
    else:
        feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise AtlasError(_("Die GeoJSON-Datei ist keine FeatureCollection."))
    out = []
    for i, f in enumerate(feats, start=1):
        if not isinstance(f, dict):
            raise AtlasError(_("Objekt %(n)s der GeoJSON-Datei ist kein Feature.") % {"n": i})
        geom = f.get("geometry")
        try:
            out.append((dict(f.get("properties") or {}), shape(geom) if geom else None))
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise AtlasError(_("Objekt %(n)s: Geometrie ist ungültig (%(e)s).") % {"n": i, "e": str(exc)[:80]}) from exc
    crs_doc = doc.get("crs") if isinstance(doc, dict) else None
    name = str(((crs_doc if isinstance(crs_doc, dict) else {}).get("properties") or {}).get("name", ""))
    if name:
        match = re.search(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)\Z", name, re.IGNORECASE)
        if "CRS84" in name.upper():
            crs = "EPSG:4326"
        elif match:
            crs = _crs_from_epsg(int(match.group(1)), "GeoJSON crs")
        else:
            raise AtlasError(_("Koordinatensystem „%(c)s“ wird nicht unterstützt.") % {"c": name})
    else:
        crs = _crs_from_bounds([g for _p, g in out])
    return BoundaryFile("GeoJSON", crs, out)


def gpkg_geometry(blob: bytes) -> BaseGeometry | None:
    """Decode a GeoPackage binary geometry (OGC 12-128r18, §2.1.3): ``GP`` header, optional envelope, WKB."""
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise AtlasError(_("GeoPackage: Geometrie ohne GP-Kopf."))
    flags = blob[3]
    if flags & 0b0010_0000:
        raise AtlasError(_("GeoPackage: erweiterte Geometrietypen werden nicht unterstützt."))
    envelope = (flags >> 1) & 0b111
    env_len = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(envelope)
    if env_len is None:
        raise AtlasError(_("GeoPackage: ungültiger Hüllrechteck-Typ %(t)s.") % {"t": envelope})
    if flags & 0b0001_0000:
        return None  # empty geometry
    return shapely.from_wkb(bytes(blob[8 + env_len :]))


def _read_gpkg(data: bytes) -> BoundaryFile:
    with tempfile.NamedTemporaryFile(suffix=".gpkg") as tmp:
        tmp.write(data)
        tmp.flush()
        con = sqlite3.connect(f"file:{tmp.name}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
                "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features'"
            ).fetchall()
            if not rows:
                raise AtlasError(_("Das GeoPackage enthält keine Objektebene (features)."))
            table, column, srs_id = rows[0]
            srs = con.execute(
                "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)
            ).fetchone()
            code = int(srs[1]) if srs and str(srs[0]).upper() == "EPSG" else srs_id
            crs = _crs_from_epsg(code, "gpkg_spatial_ref_sys")
            cur = con.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table name from gpkg_contents
            names = [d[0] for d in cur.description]
            gi = names.index(column)
            out = []
            for rec in cur:
                props = {n: v for n, v in zip(names, rec, strict=True) if n != column and not isinstance(v, bytes)}
                out.append((props, gpkg_geometry(rec[gi])))
        except sqlite3.DatabaseError as exc:
            raise AtlasError(_("Die Datei ist kein gültiges GeoPackage: %(e)s") % {"e": str(exc)[:120]}) from exc
        finally:
            con.close()
    notes = [_("Ebene „%(t)s“ gelesen.") % {"t": table}] if len(rows) == 1 else [
        _("Das GeoPackage hat %(n)s Ebenen; die erste („%(t)s“) wurde gelesen.") % {"n": len(rows), "t": table}
    ]
    return BoundaryFile("GeoPackage", crs, out, notes)


def _read_shapefile_zip(data: bytes, encoding: str = "auto") -> BoundaryFile:
    import shapefile  # pyshp
    from pyproj import CRS

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        shp = next((n for n in names if n.lower().endswith(".shp")), None)
        if shp is None:
            raise AtlasError(_("Die ZIP-Datei enthält keine Shapefile (.shp)."))
        stem = shp[:-4]
        parts = {ext: zf.read(n) for n in names for ext in (".dbf", ".shx", ".prj", ".cpg")
                 if n.lower() == (stem + ext).lower()}
        if ".dbf" not in parts:
            raise AtlasError(_("Zur Shapefile fehlt die Attributdatei (.dbf)."))
        shp_bytes = zf.read(shp)
    crs = None
    notes: list[str] = []
    if ".prj" in parts:
        try:
            prj = CRS.from_wkt(parts[".prj"].decode("latin-1"))
        except Exception as exc:  # noqa: BLE001 - pyproj raises several types for bad WKT
            raise AtlasError(_("Die .prj-Datei der Shapefile ist unlesbar.")) from exc
        epsg = prj.to_epsg(min_confidence=70)
        # Without a matching EPSG code the WKT itself is the CRS (PROJ transforms from it all the same).
        crs = _crs_from_epsg(epsg, ".prj") if epsg else prj.to_wkt()
    used = _dbf_encoding(parts[".dbf"], parts.get(".cpg", b""), encoding)
    notes.append(_("Zeichenkodierung der Attribute: %(e)s") % {"e": used})
    reader = shapefile.Reader(
        shp=io.BytesIO(shp_bytes), dbf=io.BytesIO(parts[".dbf"]),
        shx=io.BytesIO(parts[".shx"]) if ".shx" in parts else None, encoding=used, encodingErrors="replace",
    )
    fields = [f[0] for f in reader.fields[1:]]
    out = []
    for sr in reader.iterShapeRecords():
        gi = sr.shape.__geo_interface__
        geom = shape(gi) if gi.get("coordinates") else None
        out.append((dict(zip(fields, list(sr.record), strict=True)), geom))
    if crs is None:
        crs = _crs_from_bounds([g for _p, g in out])
    return BoundaryFile("Shapefile (ZIP)", crs, out, notes)


_CPG = {"1252": "cp1252", "ansi 1252": "cp1252", "utf8": "utf-8", "utf-8": "utf-8", "88591": "latin-1",
        "iso 88591": "latin-1", "iso-8859-1": "latin-1", "65001": "utf-8"}


def _dbf_encoding(dbf: bytes, cpg: bytes, chosen: str) -> str:
    """The planner's choice, else the .cpg file, else UTF-8 if the attributes decode as UTF-8, else Windows-1252."""
    import codecs

    for candidate in (chosen, cpg.decode("ascii", "ignore").strip()):
        if candidate and candidate != "auto":
            enc = _CPG.get(candidate.lower(), candidate)
            try:
                codecs.lookup(enc)
            except LookupError as exc:
                raise AtlasError(_("Die Zeichenkodierung „%(e)s“ ist unbekannt.") % {"e": candidate}) from exc
            return enc
    try:
        dbf.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def boundary_file_named(bf: BoundaryFile, *, code: str, name: str) -> BoundaryFile:
    """A file with one feature and no attributes (a bare geometry) gets the key and name the planner typed."""
    if len(bf.features) != 1 or bf.fields:
        raise AtlasError(_("Schlüssel und Name können nur für eine einzelne Geometrie ohne Attribute angegeben werden."))
    if not code.strip():
        raise AtlasError(_("Bitte einen Schlüssel für das Gebiet angeben."))
    props = {"Schlüssel": code.strip(), "Name": name.strip() or code.strip()}
    return BoundaryFile(bf.format, bf.crs, [(props, bf.features[0][1])], bf.notes)


def read_boundaries(data: bytes, *, encoding: str = "auto") -> BoundaryFile:
    """Read a boundary file by its magic bytes and return its features in EPSG:4326."""
    try:
        kind = filetypes.sniff_bytes(data)
        if kind == "shapefile_zip":
            filetypes.check_zip_safe(data)
        elif kind == "geojson":
            filetypes.check_json_depth(data)
    except filetypes.FileTypeError as exc:
        raise AtlasError(str(exc)) from exc
    if kind == "gpkg":
        bf = _read_gpkg(data)
    elif kind == "shapefile_zip":
        bf = _read_shapefile_zip(data, encoding)
    elif kind == "geojson":
        bf = _read_geojson(data)
    else:
        raise AtlasError(_("Unbekanntes Dateiformat: bitte GeoJSON, GeoPackage oder eine gezippte Shapefile hochladen."))
    if bf.crs != "EPSG:4326":
        bf.features = [(p, to_web(g, src=bf.crs) if g is not None else None) for p, g in bf.features]
        bf.notes.append(_("Koordinaten von %(c)s nach EPSG:4326 umgerechnet.") % {"c": _crs_label(bf.crs)})
    return bf


def polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """Keep only the polygon parts (make_valid may return a collection with lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if polys:
            return shapely.union_all(polys)
    return None


def repair(geom: BaseGeometry) -> tuple[BaseGeometry | None, str]:
    """Return a valid polygonal geometry and a note on what was repaired (empty if nothing)."""
    if geom.is_valid:
        return polygonal(geom), ""
    reason = shapely.is_valid_reason(geom)
    fixed = polygonal(shapely.make_valid(geom, method="structure"))
    return fixed, reason


def web_tolerance(geoms: list[BaseGeometry]) -> float:
    """Simplification tolerance in degrees: 1/2500 of the diagonal of the whole level."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return float(((maxx - minx) ** 2 + (maxy - miny) ** 2) ** 0.5 / 2500)


def simplify_coverage(geoms: list[BaseGeometry], tolerance: float | None = None) -> tuple[list[BaseGeometry], bool]:
    """Simplify all areas of a level together so that neighbours keep sharing their borders.

    Uses ``shapely.coverage_simplify`` (GEOS CoverageSimplifier: every shared edge is simplified once).
    Returns the simplified geometries and whether the input was a clean coverage (no overlaps or
    mismatched edges). Where the simplifier yields an invalid or empty shape, that area falls back to
    per-area topology-preserving simplification.
    """
    if not geoms:
        return [], True
    arr = [polygonal(g) or g for g in geoms]
    tol = web_tolerance(arr) if tolerance is None else tolerance
    try:
        shared = bool(shapely.coverage_is_valid(arr))
        simplified = list(shapely.coverage_simplify(arr, tol, simplify_boundary=True))
    except (shapely.errors.GEOSException, TypeError):
        return [g.simplify(tol, preserve_topology=True) for g in arr], False
    out = [
        s if (s is not None and not s.is_empty and s.is_valid) else g.simplify(tol, preserve_topology=True)
        for s, g in zip(simplified, arr, strict=True)
    ]
    return out, shared


def level_simplify_web(*, level: AreaLevel, tolerance: float | None = None) -> bool:
    """Recompute ``geometry_web`` for all current areas of a level; True if shared borders were kept."""
    areas = list(Area.objects.with_geometry().filter(level=level, valid_to__isnull=True).exclude(geometry=None))
    geoms = [shapely.make_valid(shape(a.geometry)) for a in areas]
    geoms = [polygonal(g) or g for g in geoms]
    simplified, shared = simplify_coverage(geoms, tolerance)
    for a, g in zip(areas, simplified, strict=True):
        a.geometry_web = dict(to_mapping(shapely.set_precision(g, 1e-5)))
    Area.objects.bulk_update(areas, ["geometry_web"], batch_size=1000)
    return shared


@dataclass
class BoundaryReport:
    created: int
    updated: int
    repaired: list[str]
    notes: list[str]
    shared_borders: bool


def boundaries_import(
    *, level: AreaLevel, boundary_file: BoundaryFile, code_field: str, name_field: str, parent_field: str = "",
    valid_from: dt.date | None = None, source: str = "", actor: Actor = None,
) -> BoundaryReport:
    """Create or update the areas of ``level`` (all or nothing)."""
    problems: list[dict[str, str]] = []
    parent_level = AreaLevel.objects.filter(region=level.region, rank=level.rank - 1).first()
    parents = ({a.code: a for a in Area.objects.with_geometry().filter(level=parent_level, valid_to__isnull=True)}
               if parent_level else {})
    parent_shapes: dict[str, BaseGeometry] = {}
    rows: list[tuple[str, str, BaseGeometry, Area | None]] = []
    repaired: list[str] = []
    seen: dict[str, int] = {}
    fields = boundary_file.fields
    for col in (code_field, name_field, parent_field):
        if col and col not in fields:
            raise AtlasError(_("Das Attribut „%(c)s“ gibt es in der Datei nicht.") % {"c": col})
    for n, (props, geom) in enumerate(boundary_file.features, start=1):
        code = str(props.get(code_field) or "").strip()
        name = str(props.get(name_field) or "").strip() or code

        def bad(reason: str, column: str = "", value: Any = "", n: int = n) -> None:
            problems.append({"line": str(n), "column": column, "value": str(value)[:60], "reason": reason})

        if not code:
            bad(_("Schlüssel fehlt"), code_field)
            continue
        if code in seen:
            bad(_("Schlüssel doppelt (schon Objekt %(n)s)") % {"n": seen[code]}, code_field, code)
            continue
        seen[code] = n
        if geom is None or geom.is_empty:
            bad(_("Geometrie fehlt"), "geometry")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            bad(_("Geometrie ist kein Polygon, sondern %(t)s") % {"t": geom.geom_type}, "geometry", code)
            continue
        fixed, reason = repair(geom)
        if fixed is None or fixed.is_empty:
            bad(_("Geometrie ist ungültig und nicht reparierbar (%(r)s)") % {"r": reason}, "geometry", code)
            continue
        if reason:
            repaired.append(_("%(c)s %(n)s: repariert (%(r)s)") % {"c": code, "n": name, "r": reason})
        parent = None
        if parent_level is not None:
            if parent_field:
                pcode = str(props.get(parent_field) or "").strip()
                parent = parents.get(pcode)
                if parent is None:
                    bad(_("übergeordnetes Gebiet „%(p)s“ unbekannt") % {"p": pcode}, parent_field, pcode)
                    continue
            elif len(parents) == 1:
                parent = next(iter(parents.values()))
            else:
                parent = _parent_by_overlap(fixed, parents, parent_shapes)
                if parent is None:
                    bad(_("kein übergeordnetes Gebiet enthält dieses Gebiet"), "geometry", code)
                    continue
            pshape = parent_shapes.get(parent.code) or _parent_shape(parent, parent_shapes)
            share = fixed.intersection(pshape).area / fixed.area if fixed.area else 0.0
            if share < MIN_SHARE_INSIDE_PARENT:
                bad(_("liegt nur zu %(p)s %% in „%(n)s“ (übergeordnetes Gebiet)") % {"p": round(share * 100, 1), "n": parent.name},
                    parent_field or "geometry", code)
                continue
        rows.append((code, name, fixed, parent))
    if problems:
        raise ImportRejected(
            _("Grenzen abgelehnt: %(n)s Objekte sind fehlerhaft. Es wurde nichts gespeichert.") % {"n": len(problems)},
            problems,
        )
    if not rows:
        raise ImportRejected(_("Die Datei enthält keine Gebiete."))
    web, shared = simplify_coverage([g for _c, _n, g, _p in rows])
    with transaction.atomic():
        existing = {a.code: a for a in Area.objects.filter(level=level, valid_from=valid_from)}
        if valid_from is not None:
            Area.objects.filter(level=level, valid_to__isnull=True).exclude(valid_from=valid_from).update(
                valid_to=valid_from - dt.timedelta(days=1)
            )
        new, changed = [], []
        for (code, name, geom, parent), wgeom in zip(rows, web, strict=True):
            fields_ = _geometry_fields(geom, wgeom)
            area = existing.get(code)
            if area is None:
                new.append(Area(region=level.region, level=level, code=code, name=name, parent=parent,
                                valid_from=valid_from, source=source, **fields_))
            else:
                area.name, area.parent, area.source, area.valid_to = name, parent, source or area.source, None
                for k, v in fields_.items():
                    setattr(area, k, v)
                changed.append(area)
        Area.objects.bulk_create(new, batch_size=1000)
        Area.objects.bulk_update(changed, ["name", "parent", "source", "valid_to", *_GEOM_FIELDS], batch_size=1000)
        if actor is not None:
            audit_record(actor=actor, action="atlas.boundaries_import", obj=level,
                         changes={"created": len(new), "updated": len(changed), "repaired": len(repaired)},
                         note=boundary_file.format)
    return BoundaryReport(len(new), len(changed), repaired, boundary_file.notes, shared)


_GEOM_FIELDS = ["geometry", "geometry_web", "min_lon", "min_lat", "max_lon", "max_lat", "centroid_lon",
                "centroid_lat", "area_km2"]


def _geometry_fields(geom: BaseGeometry, web: BaseGeometry) -> dict[str, Any]:
    minx, miny, maxx, maxy = geom.bounds
    c = geom.centroid if geom.centroid.within(geom) else geom.representative_point()
    return {
        "geometry": dict(to_mapping(shapely.set_precision(geom, 1e-6))),
        "geometry_web": dict(to_mapping(shapely.set_precision(web, 1e-5))),
        "min_lon": minx, "min_lat": miny, "max_lon": maxx, "max_lat": maxy,
        "centroid_lon": float(c.x), "centroid_lat": float(c.y), "area_km2": round(area_km2(geom), 4),
    }


def _parent_shape(parent: Area, cache: dict[str, BaseGeometry]) -> BaseGeometry:
    g = shapely.make_valid(shape(parent.geometry)) if parent.geometry else shapely.Polygon()
    cache[parent.code] = g
    return g


def _parent_by_overlap(geom: BaseGeometry, parents: dict[str, Area], cache: dict[str, BaseGeometry]) -> Area | None:
    best, best_area = None, 0.0
    for p in parents.values():
        ps = cache.get(p.code) or _parent_shape(p, cache)
        if not ps.intersects(geom):
            continue
        a = ps.intersection(geom).area
        if a > best_area:
            best, best_area = p, a
    return best
