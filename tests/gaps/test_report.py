"""The PDF report of a scenario says what was computed, with which parameters, data year and sources."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.gaps.report import scenario_report_pdf
from begegnungsatlas.gaps.services.analysis import GapInputs
from begegnungsatlas.gaps.services.scenarios import scenario_save


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # Typst may break lines anywhere; compare on single-spaced text.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def _scenario(grid: Any, planner: Any, **kw: Any) -> Any:
    level = AreaLevel.objects.get(region=grid.region, slug="kommune")
    inputs = GapInputs(grid=grid, group="ab65", method="coverage", radius=2000.0, level=level,
                       place_groups=("senioren",))
    return scenario_save(name="Ältere Kreis Düren 2 km", inputs=inputs, actor=planner, **kw)


def test_report_text_has_title_method_parameters_year_and_sources(dueren_grid: Any, dueren_places: list[Any],
                                                                  planner: Any) -> None:
    scenario = _scenario(dueren_grid, planner, siting_p=1)
    pdf = scenario_report_pdf(scenario)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Versorgung: Ältere Kreis Düren 2 km" in text
    assert "Kreis Düren" in text
    # Parameters
    assert "2000 m" in text
    assert "Anteil der Zielgruppe im Umkreis" in text
    assert "Kommune" in text
    # Method text
    assert "Eine Rasterzelle gilt als versorgt, wenn ein Ort in der gewählten Entfernung" in text
    # Data year and sources / licences
    assert "Datenstand" in text
    assert "2011 (Zensus 2011, 1 km)" in text
    results = scenario.results["gaps"]
    assert results["source"][:40] in text
    assert results["licence"][:30] in text
    assert "Register des Begegnungsatlas" in text
    # Ranked areas and the siting section with the chosen site
    assert results["areas"][0]["name"] in text
    assert "Wohin sollen neue Orte?" in text
    assert "(MCLP)" in text
    assert scenario.results["siting"]["chosen"][0]["name"] in text
    # Numbers with the German thousands separator.
    totals = results["totals"]
    assert f"{totals['unserved']:,} / {totals['demand']:,}".replace(",", ".") in text


def test_map_fits_on_the_first_page_inside_its_frame(dueren_grid: Any, dueren_places: list[Any],
                                                     planner: Any) -> None:
    from begegnungsatlas.gaps.report import _map

    scenario = _scenario(dueren_grid, planner)
    first_page = PdfReader(io.BytesIO(scenario_report_pdf(scenario))).pages[0].extract_text()
    assert "Karte" in first_page
    assert "Quadrate: Rasterzellen" in re.sub(r"\s+", " ", first_page)
    data = _map(scenario.results["gaps"])
    # Both coordinates are shares of the map width: x within [0, 1], y within [0, aspect].
    assert all(0 <= c[0] <= 1 and 0 <= c[1] <= data["aspect"] for c in data["cells"])
    assert 0 < data["cell"] < 0.1  # a 1 km cell against the Kreis' ~40 km width


def test_report_describes_lscp_siting(dueren_grid: Any, dueren_places: list[Any], planner: Any) -> None:
    scenario = _scenario(dueren_grid, planner, siting_method="lscp")
    text = _text(scenario_report_pdf(scenario))
    siting = scenario.results["siting"]
    assert "(LSCP)" in text
    assert f"Mindestens {siting['needed']} neue Orte" in text
