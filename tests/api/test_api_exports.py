"""CSV/XLSX/GeoJSON exports of the filtered public list."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import load_workbook

from begegnungsatlas.places.models import Place


def test_csv_export_filters_and_escapes(client: Any, register: Any) -> None:
    Place.objects.create(name="=HYPERLINK(\"http://evil\")", lon=6.5, lat=50.8)
    r = client.get("/api/places.csv", {"kommune": "053580008008"})
    assert r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("ID;Name;Art;Status")
    assert len(lines) == 2
    assert "Begegnungscafé Test Düren" in lines[1]
    assert "erika@cafe.example" in lines[1]
    assert "senioren" in lines[1]
    everything = client.get("/api/places.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in everything
    assert "Unveröffentlichter" not in everything
    assert "privat@example.org" not in everything


def test_xlsx_export(client: Any, register: Any) -> None:
    r = client.get("/api/places.xlsx", {"zielgruppe": "kinder"})
    assert r.content[:2] == b"PK"
    ws = load_workbook(io.BytesIO(r.content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "Name"
    assert [row[1] for row in rows[1:]] == ["Nachbarschaftstreff Test Dortmund"]
    assert rows[1][10] == 7.465  # numbers stay numbers


def test_geojson_export_and_open_now(client: Any, register: Any) -> None:
    doc = json.loads(client.get("/api/places.geojson").content)
    assert {f["properties"]["name"] for f in doc["features"]} == {
        "Begegnungscafé Test Düren", "Nachbarschaftstreff Test Dortmund", "Digitaler Stammtisch Test"}
    virtual = next(f for f in doc["features"] if f["properties"]["kind"] == "virtual")
    assert virtual["geometry"] is None
    open_now = json.loads(client.get("/api/places.geojson", {"jetzt_offen": "1"}).content)
    names = {f["properties"]["name"] for f in open_now["features"]}
    assert "Nachbarschaftstreff Test Dortmund" in names
    assert "Digitaler Stammtisch Test" not in names
    # the JSON list and the export agree on "open now"
    listed = {p["name"] for p in client.get("/api/places", {"jetzt_offen": "1"}).json()["results"]}
    assert listed == names
