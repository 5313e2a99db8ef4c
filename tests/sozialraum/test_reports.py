"""Sozialraumbericht and Datencheck: rendered to PDF, text extracted with pypdf and checked; a page as PNG."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from begegnungsatlas.sozialraum.errors import SozialraumError
from begegnungsatlas.sozialraum.models import Report
from begegnungsatlas.sozialraum.reports import report_create, sozialraumbericht_data


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _options(sr: Any, dueren: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"sozialraum": sr.pk, "title": "Sozialraumbericht Kreis Düren 2022",
            "indicators": [dueren["population"].pk, dueren["density"].pk],
            "period_from": "2022-05-15", "period_to": "2022-05-15", **kw}


def test_sozialraumbericht_has_overview_key_figures_and_one_chapter_per_sozialraum(draft, dueren, planner):
    from begegnungsatlas.places.services.places import place_create

    place_create(actor=planner, data={"name": "Seniorentreff Düren Mitte", "lon": 6.4830, "lat": 50.8035,
                                      "is_published": True})
    report = report_create(kind="sozialraumbericht", options=_options(draft, dueren), actor=planner)
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Sozialraumbericht Kreis Düren 2022" in text
    assert "Übersicht" in text
    assert "Kennzahlen" in text
    areas = list(draft.level.areas.order_by("code"))
    for area in areas:
        assert f"{area.name} ({area.code})" in text
    assert text.count("Profil im Vergleich mit Kreis Düren") == len(areas)
    assert "Orte der Begegnung" in text
    assert "Datenquellen und Lizenzen" in text
    assert "dl-de/by-2-0" in text
    # the Kreis figure in the key table is the Zensus 2022 total of the Kreis
    assert "Kreis Düren" in text
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2 + len(areas)


def test_places_of_encounter_are_listed_in_their_sozialraum(draft, dueren, planner):
    from begegnungsatlas.places.services.places import place_create

    place_create(actor=planner, data={"name": "Begegnungscafé Jülich", "lon": 6.3610, "lat": 50.9220,
                                      "is_published": True})
    data = sozialraumbericht_data(draft, _options(draft, dueren), lambda _p, _m: None)
    holders = [c["name"] for c in data["chapters"] if "Begegnungscafé Jülich" in c["places"]]
    assert len(holders) == 1


def _pdfua(pdf: bytes) -> dict[str, Any]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata
    return {"struct_tree": "/StructTreeRoot" in root, "lang": str(root.get("/Lang", "")),
            "marked": bool(root["/MarkInfo"].get_object().get("/Marked")) if "/MarkInfo" in root else False,
            "pdfua": xmp is not None and b"<pdfuaid:part>1</pdfuaid:part>" in xmp.stream.get_data(),
            "title": str((reader.metadata or {}).get("/Title", ""))}


def _figure_alts(pdf: bytes) -> list[str]:
    """The /Alt texts of the tagged figures (what a screen reader reads for the maps and charts)."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            out.append(str(node["/Alt"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_datencheck_lists_the_kreis_and_its_15_kommunen(draft, dueren, planner):
    report = report_create(kind="datencheck", options=_options(draft, dueren, title="Datencheck 2022"),
                           actor=planner)
    text = _text(bytes(report.pdf))
    assert "Datencheck 2022" in text
    for name in ("Kreis Düren", "Jülich", "Nideggen", "Langerwehe", "Aldenhoven"):
        assert name in text
    assert text.count("Altersstruktur") == 16
    # no grid imported: said once, no invented age figures
    assert "kein Bevölkerungsraster mit Altersklassen eingespielt" in text
    assert "Personen 2011" not in text


def test_datencheck_age_structure_from_the_zensus_2011_grid_with_coverage(draft, dueren, planner, zensus2011):
    report = report_create(kind="datencheck", options=_options(draft, dueren, title="Datencheck 2022"),
                           actor=planner)
    text = " ".join(_text(bytes(report.pdf)).split())
    assert text.count("Altersstruktur") == 16
    assert text.count("Personen 2011") == 16
    assert "65 Jahre und älter" in text
    # the Kreis: 247,702 persons in the grid = 90 % of 275,392; the Fortschreibung shares, but no change
    assert "247.702" in text
    assert "Das Raster summiert sich auf 90 % der Einwohner:innen (275.392" in text
    assert "Anteil 2022/23 (?)" in text
    assert "Keine Veränderung ausgewiesen" in text
    # Titz: the extract ends south of most of it
    assert "Das Raster erfasst nur 49 % der Einwohner:innen" in text
    assert "Zensus 2011, Gitterzellen 1 km" in text  # source and licence listed
    assert "Statistisches Bundesamt" in text


@pytest.mark.parametrize("kind", ["sozialraumbericht", "datencheck"])
def test_reports_are_tagged_pdf_ua(draft, dueren, planner, kind):
    report = report_create(kind=kind, options=_options(draft, dueren, title="Bericht Kreis Düren"), actor=planner)
    marks = _pdfua(bytes(report.pdf))
    assert marks == {"struct_tree": True, "lang": "de-DE", "marked": True, "pdfua": True,
                     "title": "Bericht Kreis Düren"}


def test_sozialraumbericht_maps_carry_alt_text_naming_the_sozialraeume(draft, dueren, planner):
    report = report_create(kind="sozialraumbericht", options=_options(draft, dueren), actor=planner)
    alts = _figure_alts(bytes(report.pdf))
    areas = list(draft.level.areas.order_by("code"))
    assert len(alts) == 1 + len(areas)  # overview + one locator per Sozialraum (one period: no time series)
    assert all(f"{a.code} {a.name}" in alts[0] for a in areas)
    for area in areas:
        assert any(f"Lage von {area.name}" in alt for alt in alts[1:])


def test_report_without_values_in_the_period_is_refused_in_german(draft, dueren, planner):
    with pytest.raises(SozialraumError, match="keine Werte"):
        report_create(kind="sozialraumbericht", options=_options(draft, dueren, period_from="1990",
                                                                 period_to="1991"), actor=planner)
    assert not Report.objects.exists()


def test_first_page_renders_to_png(draft, dueren, tmp_path):
    """Typst renders the same document to PNG; the image is written for a person to look at."""
    from begegnungsatlas.reports import render_png

    data = sozialraumbericht_data(draft, _options(draft, dueren), lambda _p, _m: None)
    first = render_png("sozialraumbericht", data, ppi=60)[0]
    assert first.startswith(b"\x89PNG")
    (tmp_path / "seite1.png").write_bytes(first)
    assert len(first) > 10_000  # a page with a coloured map, not an empty sheet


def test_datencheck_age_table_renders_to_png(draft, dueren, zensus2011, tmp_path):
    from begegnungsatlas.reports import render_png
    from begegnungsatlas.sozialraum.reports import datencheck_data

    data = datencheck_data(draft, _options(draft, dueren), lambda _p, _m: None)
    pages = render_png("datencheck", data, ppi=60)
    for i, page in enumerate(pages[:2]):
        assert page.startswith(b"\x89PNG")
        (tmp_path / f"datencheck{i + 1}.png").write_bytes(page)
    assert len(pages) >= 4  # 16 areas with an indicator table and an age table each
