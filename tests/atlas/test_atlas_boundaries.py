"""Boundary import: formats, CRS detection and conversion, repairs, parents, shared borders."""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile
from pathlib import Path

import pytest
import shapefile
import shapely
from shapely.geometry import Polygon, box, mapping

from begegnungsatlas.atlas.errors import AtlasError, ImportRejected
from begegnungsatlas.atlas.models import Area, AreaLevel
from begegnungsatlas.atlas.services.areas import region_get_or_create
from begegnungsatlas.atlas.services.boundaries import boundaries_import, read_boundaries, simplify_coverage
from begegnungsatlas.core.geo import to_metric

# Two neighbouring squares inside Kreis Düren (near Düren town), in EPSG:4326
LEFT = box(6.45, 50.79, 6.47, 50.81)
RIGHT = box(6.47, 50.79, 6.49, 50.81)


def fc(geoms, crs=None, props=None):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": (props or [{"code": f"A{i}", "name": f"Gebiet {i}"} for i in range(len(geoms))])[i],
         "geometry": mapping(g)} for i, g in enumerate(geoms)]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc).encode()


@pytest.fixture
def ortsteil(db):
    region = region_get_or_create(slug="kreis-dueren", name="Kreis Düren", levels=[
        ("kreis", "Kreis", "Kreis", False), ("kommune", "Kommune", "Kommunen", True), ("ortsteil", "Ortsteil", "Ortsteile", False)])
    return AreaLevel.objects.get(region=region, slug="ortsteil")


def test_geojson_in_25832_is_detected_and_converted(ortsteil):
    metric = [to_metric(LEFT), to_metric(RIGHT)]
    bf = read_boundaries(fc(metric))  # no crs member: detected from the coordinate range
    assert bf.crs == "EPSG:25832"
    assert bf.features[0][1].bounds == pytest.approx(LEFT.bounds, abs=1e-6)
    bf2 = read_boundaries(fc(metric, crs="urn:ogc:def:crs:EPSG::25832"))
    assert bf2.crs == "EPSG:25832"
    report = boundaries_import(level=ortsteil, boundary_file=bf, code_field="code", name_field="name")
    assert report.created == 2
    assert report.shared_borders
    left = Area.objects.get(level=ortsteil, code="A0")
    assert left.parent.code == "053580008008"  # Düren, Stadt: found by overlap


def _gpkg_blob(geom, srs_id=25832):
    # GP header: magic, version 0, flags (little endian, envelope type 1 = 32 bytes), srs id, envelope, WKB
    flags = 0b0000_0011
    env = struct.pack("<4d", geom.bounds[0], geom.bounds[2], geom.bounds[1], geom.bounds[3])
    return b"GP" + bytes([0, flags]) + struct.pack("<i", srs_id) + env + shapely.to_wkb(geom)


def test_geopackage(ortsteil, tmp_path: Path):
    path = tmp_path / "t.gpkg"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER);
        CREATE TABLE ot (fid INTEGER PRIMARY KEY, geom BLOB, code TEXT, name TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('ETRS89 / UTM 32N', 25832, 'EPSG', 25832, '');
        INSERT INTO gpkg_contents VALUES ('ot', 'features');
        INSERT INTO gpkg_geometry_columns VALUES ('ot', 'geom', 'POLYGON', 25832);
    """)
    for i, g in enumerate([LEFT, RIGHT]):
        con.execute("INSERT INTO ot (geom, code, name) VALUES (?, ?, ?)", (_gpkg_blob(to_metric(g)), f"G{i}", f"Teil {i}"))
    con.commit()
    con.close()
    bf = read_boundaries(path.read_bytes())
    assert (bf.format, bf.crs, len(bf.features)) == ("GeoPackage", "EPSG:25832", 2)
    assert bf.features[1][0]["code"] == "G1"
    assert bf.features[1][1].bounds == pytest.approx(RIGHT.bounds, abs=1e-6)


def test_zipped_shapefile_with_prj():
    from pyproj import CRS

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    w.field("ARS", "C", 12)
    for g, code in [(to_metric(LEFT), "S1"), (to_metric(RIGHT), "S2")]:
        w.poly([list(g.exterior.coords)[::-1]])  # shapefile outer rings are clockwise
        w.record(code)
    w.close()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("gebiete.shp", shp.getvalue())
        zf.writestr("gebiete.shx", shx.getvalue())
        zf.writestr("gebiete.dbf", dbf.getvalue())
        zf.writestr("gebiete.prj", CRS.from_epsg(25832).to_wkt("WKT1_ESRI"))
    bf = read_boundaries(buf.getvalue())
    assert (bf.format, bf.crs) == ("Shapefile (ZIP)", "EPSG:25832")
    assert [p["ARS"] for p, _g in bf.features] == ["S1", "S2"]
    assert bf.features[0][1].area == pytest.approx(LEFT.area, rel=1e-4)


def test_invalid_polygon_is_repaired_and_reported(ortsteil):
    bowtie = Polygon([(6.45, 50.79), (6.47, 50.81), (6.47, 50.79), (6.45, 50.81), (6.45, 50.79)])
    report = boundaries_import(level=ortsteil, boundary_file=read_boundaries(fc([bowtie])), code_field="code",
                               name_field="name")
    assert report.created == 1
    assert "Self-intersection" in report.repaired[0]
    assert shapely.geometry.shape(Area.objects.get(level=ortsteil, code="A0").geometry).is_valid


def test_non_polygon_and_outside_parent_are_rejected_with_nothing_saved(ortsteil):
    point = shapely.Point(6.46, 50.80)
    with pytest.raises(ImportRejected) as exc:
        boundaries_import(level=ortsteil, boundary_file=read_boundaries(fc([LEFT, point])), code_field="code",
                          name_field="name")
    assert exc.value.problems[0]["line"] == "2"
    assert "kein Polygon" in exc.value.problems[0]["reason"]
    # A square in Dortmund claimed to belong to Düren, Stadt
    far = box(7.45, 51.50, 7.46, 51.51)
    bf = read_boundaries(fc([far], props=[{"code": "X", "name": "X", "kom": "053580008008"}]))
    with pytest.raises(ImportRejected) as exc:
        boundaries_import(level=ortsteil, boundary_file=bf, code_field="code", name_field="name", parent_field="kom")
    assert "liegt nur zu 0" in exc.value.problems[0]["reason"]
    assert not Area.objects.filter(level=ortsteil).exists()


def test_unknown_format_and_crs():
    with pytest.raises(AtlasError, match="Unbekanntes Dateiformat"):
        read_boundaries(b"hello")
    with pytest.raises(AtlasError, match="EPSG:999999 .* ist unbekannt"):
        read_boundaries(fc([LEFT], crs="urn:ogc:def:crs:EPSG::999999"))
    with pytest.raises(AtlasError, match="nicht unterstützt"):
        read_boundaries(fc([LEFT], crs="Lokales System"))
    # Any CRS PROJ knows is converted (here Web Mercator metres around Düren).
    from begegnungsatlas.core.geo import transformer
    x, y = transformer("EPSG:4326", "EPSG:3857").transform(6.48, 50.80)
    bf = read_boundaries(fc([box(x - 500, y - 500, x + 500, y + 500)], crs="EPSG:3857"))
    assert bf.features[0][1].centroid.x == pytest.approx(6.48, abs=1e-6)


def test_coverage_simplification_keeps_shared_borders():
    # A wiggly shared border: simplified once, so both neighbours still meet without gaps or overlaps.
    wiggle = [(1.0, y / 10) for y in range(0, 11)]
    wiggle = [(x + (0.001 if i % 2 else 0), y) for i, (x, y) in enumerate(wiggle)]
    left = Polygon([(0, 0), *wiggle, (0, 1)])
    right = Polygon([(2, 0), (2, 1), *wiggle[::-1]])
    (sl, sr), shared = simplify_coverage([left, right], tolerance=0.01)
    assert shared
    assert shapely.get_num_coordinates(sl) < shapely.get_num_coordinates(left)
    assert sl.intersection(sr).area == pytest.approx(0, abs=1e-12)
    assert sl.union(sr).area == pytest.approx(sl.area + sr.area)
    assert sl.intersection(sr).length > 0.99  # still a common edge
