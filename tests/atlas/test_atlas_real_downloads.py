"""The files planners really download, through the web import dialog: Regionalstatistik/GENESIS table exports
(title block, header over two rows, footnotes; CSV and XLSX), Zensus tables, long files with other indicators,
periods like 15.05.2022, keys with and without leading zeros (ARS, AGS), coverage report, bare GeoJSON geometry.
Real values (see tests/atlas/data/README.md)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, IndicatorKind, IndicatorValue
from begegnungsatlas.atlas.services.areas import region_get_or_create
from begegnungsatlas.atlas.services.tables import read_table
from begegnungsatlas.data import DATA_DIR

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def nrw_kreise() -> AreaLevel:
    """The 53 NRW Kreise as areas (names from the bundled Kreis list; geometry is not needed for values)."""
    region = region_get_or_create(slug="nrw-test", name="NRW (Test)", ars="05", levels=[
        ("kreis", "Kreis/kreisfreie Stadt", "Kreise und kreisfreie Städte", False)])
    level = AreaLevel.objects.get(region=region, slug="kreis")
    with (DATA_DIR / "boundaries" / "kreise_namen_2022.csv").open(encoding="utf-8") as fh:
        Area.objects.bulk_create([Area(region=region, level=level, code=r["kreis_ars"], name=r["kreis_name"])
                                  for r in csv.DictReader(fh) if r["kreis_ars"].startswith("05")])
    return level


@pytest.fixture
def zensus() -> Indicator:
    # The demo catalogue may already hold it (same slug as the file's code); values on the test level are new.
    ind, _new = Indicator.objects.get_or_create(slug="einwohner_zensus2022", defaults={
        "title": "Einwohner (Zensus 2022)", "kind": IndicatorKind.COUNT})
    return ind


def _upload(client, data: bytes, name: str) -> str:
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile(name, data)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return r["Location"]


def _value(ind: Indicator, code: str, period: str) -> float | None:
    row = IndicatorValue.objects.filter(indicator=ind, area__code=code, period=period).first()
    return None if row is None else row.value


def test_regionalstatistik_table_csv(client, planner, nrw_kreise, zensus) -> None:
    client.force_login(planner)
    url = _upload(client, (DATA / "zensus2022_kreise_nrw_tabelle.csv").read_bytes(), "tabelle.csv")
    preview = client.get(url).content.decode()
    assert "Titelzeilen übersprungen: 1000A-0000" in preview
    assert "Fußnoten übersprungen" in preview
    assert "<th scope=\"col\">Bevölkerung – insgesamt</th>" in preview
    post = {"ebene": nrw_kreise.id, "layout": "long", "gebietsspalte": "Schlüssel", "zuordnung": "code",
            "dezimal": "de", "zeitspalte": "Stichtag", "wertspalte": "Bevölkerung – insgesamt",
            "indikator": "einwohner_zensus2022"}
    bad = client.post(url, {**post, "wertspalte": "Kreis"})
    assert bad.status_code == 400
    assert '<option selected>Stichtag</option>' in bad.content.decode()  # the mapping is kept after a rejection
    ok = client.post(url, post)
    html = ok.content.decode()
    assert ok.status_code == 200, html[:3000]
    assert "Abdeckung: 53 von 53 Kreise und kreisfreie Städte" in html
    assert _value(zensus, "05358", "2022-05-15") == 275_392  # Kreis Düren
    assert _value(zensus, "05913", "2022-05-15") == 598_246  # Dortmund


def test_regionalstatistik_table_xlsx(client, planner, nrw_kreise, zensus) -> None:
    text = (DATA / "zensus2022_kreise_nrw_tabelle.csv").read_bytes().decode("cp1252")
    wb = Workbook()
    ws = wb.active
    for line in text.splitlines():
        cells = line.split(";")
        ws.append([int(c) if c.isdigit() and len(c) > 5 else (c or None) for c in cells])
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(planner)
    url = _upload(client, buf.getvalue(), "tabelle")
    ok = client.post(url, {"ebene": nrw_kreise.id, "layout": "long", "gebietsspalte": "Schlüssel",
                           "zeitspalte": "Stichtag", "wertspalte": "Bevölkerung – insgesamt", "indikator": "einwohner_zensus2022"})
    assert "Abdeckung: 53 von 53" in ok.content.decode()
    assert _value(zensus, "05358", "2022-05-15") == 275_392


def test_long_file_with_other_indicators_and_keys_without_leading_zero(client, planner, nrw_kreise, zensus) -> None:
    client.force_login(planner)
    data = (DATA / "kreise_nrw_lang_mehrere_merkmale.csv").read_bytes()
    url = _upload(client, data, "lang.csv")
    post = {"ebene": nrw_kreise.id, "layout": "long", "gebietsspalte": "kreis", "zuordnung": "code",
            "zeitspalte": "stichtag", "wertspalte": "wert", "indikatorspalte": "merkmal"}
    refused = client.post(url, post)  # other indicators are not in the catalogue: refused, named
    assert refused.status_code == 400
    assert "Indikator unbekannt" in refused.content.decode()
    ok = client.post(url, {**post, "andere_ignorieren": "1"})
    html = ok.content.decode()
    assert "Abdeckung: 53 von 53" in html
    assert "&gt;74 years, bevoelkerung_fortschreibung" in html
    assert _value(zensus, "05358", "2022-05-15") == 275_392  # "5358" found "05358"
    other = Indicator.objects.create(slug="t-alt", title="75+")
    url = _upload(client, data, "lang.csv")
    client.post(url, {**post, "indikatorwert": ">74 years", "indikator": "t-alt"})
    assert _value(other, "05358", "2022/23 (?)") == 28_911


def test_zensus_gemeinden_table_by_ags_without_leading_zero(client, planner, zensus) -> None:
    rows = list(csv.reader(io.StringIO((DATA / "zensus2022_gemeinden_kreis_dueren.csv").read_text(encoding="utf-8"))))
    # The same table with the 8-digit AGS as spreadsheets show it (leading zero lost): 053580008008 → 5358008.
    ags = [["AGS", *rows[0]]] + [[str(int(r[1][:5] + r[1][9:])), *r] for r in rows[1:]]
    buf = io.StringIO()
    csv.writer(buf).writerows(ags)
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    client.force_login(planner)
    url = _upload(client, buf.getvalue().encode(), "zensus.csv")
    ok = client.post(url, {"ebene": level.id, "layout": "wide", "gebietsspalte": "AGS", "dezimal": "en",
                           "zeitpunkt": "15.05.2022", "spalte_4": "einwohner_zensus2022", "ueberspringen": "1"})
    html = ok.content.decode()
    assert "Abdeckung: 15 von 15 Kommunen" in html
    assert "3 Gebiete der Datei gehören nicht zur Ebene" in html
    assert _value(zensus, "053580008008", "2022-05-15") == 94_149  # Düren, Stadt; period 15.05.2022 as a date
    assert sum(IndicatorValue.objects.filter(indicator=zensus, area__level=level, period="2022-05-15")
               .values_list("value", flat=True)) == 275_392


def test_destatis_signs_in_a_table_export() -> None:
    # Layout test (numbers made up for the signs, not real data).
    body = ("Tabelle 1: Test;;\n;;Merkmal\nSchlüssel;Gebiet;Wert\n05358;A;-\n05913;B;.\n05111;C;x\n05112;D;/\n"
            "05113;E;1.234,5\n__________\n- nichts vorhanden\n").encode()
    table = read_table(body)
    assert table.header == ["Schlüssel", "Gebiet", "Merkmal – Wert"]
    assert [r[2] for r in table.rows] == ["-", ".", "x", "/", "1.234,5"]


def test_bare_geojson_geometry_as_boundary(client, planner) -> None:
    region = region_get_or_create(slug="bare-test", name="Einzelgebiet (Test)", levels=[("gebiet", "Gebiet", "Gebiete", False)])
    level = AreaLevel.objects.get(region=region, slug="gebiet")
    doc = json.loads((DATA_DIR / "boundaries" / "kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8"))
    geometry = doc["features"][0]["geometry"]  # a real Gemeinde outline, without its Feature wrapper
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "grenzen", "datei": SimpleUploadedFile(
        "g.json", json.dumps(geometry).encode())})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "eine einzelne Geometrie ohne Attribute" in page
    ok = client.post(r["Location"], {"ebene": level.id, "schluessel_wert": "X1", "name_wert": "Testgebiet"})
    assert ok.status_code == 200, ok.content.decode()[:2000]
    area = Area.objects.get(level=level, code="X1")
    assert area.name == "Testgebiet"
    assert area.area_km2 > 1


def _shapefile_zip(*, cpg: bool) -> bytes:
    """The 15 real Kreis Düren Kommunen as a Shapefile in Gauss-Krüger zone 2 (EPSG:31466, as older NRW data),
    a .prj without EPSG code, attributes in Windows-1252 (holes are left out)."""
    import shapefile
    import shapely
    from pyproj import CRS
    from shapely.geometry import shape
    from shapely.geometry.polygon import orient

    from begegnungsatlas.core.geo import transformer

    doc = json.loads((DATA_DIR / "boundaries" / "kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8"))
    t = transformer("EPSG:4326", "EPSG:31466")
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="cp1252")
    w.field("ARS", "C", 12)
    w.field("GEN", "C", 60)
    for f in doc["features"]:
        g = shapely.transform(shape(f["geometry"]), lambda xy: __import__("numpy").column_stack(
            t.transform(xy[:, 0], xy[:, 1])))
        polys = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
        w.poly([list(orient(p, sign=-1.0).exterior.coords) for p in polys])  # shapefile outer rings are clockwise
        w.record(f["properties"]["ARS"], f["properties"]["name"])
    w.close()
    wkt = CRS.from_epsg(31466).to_wkt("WKT1_ESRI").replace('AUTHORITY["EPSG","31466"]', "")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("gemeinden.shp", shp.getvalue())
        zf.writestr("gemeinden.shx", shx.getvalue())
        zf.writestr("gemeinden.dbf", dbf.getvalue())
        zf.writestr("gemeinden.prj", wkt)
        if cpg:
            zf.writestr("gemeinden.cpg", "1252")
    return buf.getvalue()


@pytest.mark.parametrize("cpg", [True, False])
def test_shapefile_in_gauss_krueger_with_windows_1252_attributes(client, planner, cpg: bool) -> None:
    region = region_get_or_create(slug=f"shp-test-{cpg}", name="Shapefile (Test)",
                                  levels=[("gemeinde", "Gemeinde", "Gemeinden", False)])
    level = AreaLevel.objects.get(region=region, slug="gemeinde")
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "grenzen", "datei": SimpleUploadedFile(
        "gemeinden.zip", _shapefile_zip(cpg=cpg))})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(r["Location"]).content.decode()
    assert "Zeichenkodierung der Attribute: cp1252" in page
    assert "Koordinaten von EPSG:31466 nach EPSG:4326 umgerechnet" in page  # found from the .prj WKT alone
    ok = client.post(r["Location"], {"ebene": level.id, "schluessel": "ARS", "name": "GEN",
                                     "kodierung": "auto"})
    assert ok.status_code == 200, ok.content.decode()[:3000]
    assert Area.objects.filter(level=level).count() == 15
    noervenich = Area.objects.get(level=level, code="053580052052")
    assert noervenich.name == "Nörvenich"
    ref = Area.objects.get(level__region__slug="kreis-dueren", level__slug="kommune", code="053580052052")
    assert noervenich.area_km2 == pytest.approx(ref.area_km2, rel=0.01)
    assert noervenich.centroid_lon == pytest.approx(ref.centroid_lon, abs=0.01)


def test_genesis_flat_file_through_the_dialog(client, planner, zensus) -> None:
    """The real Zensus 2022 GENESIS flat export (all 10,786 Gemeinden) into the 15 Kommunen of Kreis Düren."""
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    client.force_login(planner)
    url = _upload(client, (DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv").read_bytes(), "flat.csv")
    assert "erkannter Aufbau: genesis" in client.get(url).content.decode()
    ok = client.post(url, {"ebene": level.id, "layout": "genesis", "indikator": zensus.slug, "ueberspringen": "1"})
    html = ok.content.decode()
    assert "Abdeckung: 15 von 15 Kommunen" in html
    assert _value(zensus, "053580008008", "2022-05-15") == 94_149
