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


def test_datencheck_lists_the_kreis_and_its_15_kommunen(draft, dueren, planner):
    report = report_create(kind="datencheck", options=_options(draft, dueren, title="Datencheck 2022"),
                           actor=planner)
    text = _text(bytes(report.pdf))
    assert "Datencheck 2022" in text
    for name in ("Kreis Düren", "Jülich", "Nideggen", "Langerwehe", "Aldenhoven"):
        assert name in text
    assert text.count("Altersstruktur") == 16


def test_report_without_values_in_the_period_is_refused_in_german(draft, dueren, planner):
    with pytest.raises(SozialraumError, match="keine Werte"):
        report_create(kind="sozialraumbericht", options=_options(draft, dueren, period_from="1990",
                                                                 period_to="1991"), actor=planner)
    assert not Report.objects.exists()


def test_first_page_renders_to_png(draft, dueren, tmp_path):
    """Typst renders the same document to PNG; the image is written for a person to look at."""
    import json

    import typst

    from begegnungsatlas.reports.pdf import TEMPLATE_DIR

    data = sozialraumbericht_data(draft, _options(draft, dueren), lambda _p, _m: None)
    pngs = typst.compile(str(TEMPLATE_DIR / "sozialraumbericht.typ"), root=str(TEMPLATE_DIR), format="png",
                         ppi=60, ignore_system_fonts=True,
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    first = pngs[0] if isinstance(pngs, list) else pngs
    assert first.startswith(b"\x89PNG")
    (tmp_path / "seite1.png").write_bytes(first)
    assert len(first) > 10_000  # a page with a coloured map, not an empty sheet
