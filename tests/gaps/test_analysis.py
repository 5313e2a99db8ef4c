"""The gap analysis service equals the analysis core called directly; bad input gives German messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from begegnungsatlas.analysis.accessibility import nearest
from begegnungsatlas.analysis.location import coverage_from_xy, lscp, mclp_from_xy, p_median_from_xy
from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.gaps.errors import GapsError
from begegnungsatlas.gaps.services.analysis import (
    GapInputs,
    metric_xy,
    run_gap_analysis,
    run_siting,
)
from tests.gaps.conftest import core_cell_values, core_inputs


def _inputs(grid: Any, **kw: Any) -> GapInputs:
    level = AreaLevel.objects.get(region=grid.region, slug="kommune")
    defaults: dict[str, Any] = {"grid": grid, "group": "ab65", "method": "coverage", "radius": 2000.0,
                                "level": level, "place_groups": ("senioren",)}
    return GapInputs(**{**defaults, **kw})


@pytest.mark.parametrize("method", ["nearest", "coverage", "2sfca", "e2sfca"])
def test_cell_values_equal_the_core(dueren_grid: Any, dueren_places: list[Any], method: str) -> None:
    existing = [p for p in dueren_places if p.status == "existing"]
    out = run_gap_analysis(_inputs(dueren_grid, method=method))
    xy, demand, supply, capacity = core_inputs(dueren_grid, existing, "ab65")
    expected = core_cell_values(method, xy, demand, supply, capacity, 2000.0)
    got = np.array([c["value"] for c in out["cells"]])
    np.testing.assert_allclose(got, np.round(expected, 3), atol=1e-9)
    served = nearest(xy, supply).distance <= 2000.0
    assert out["totals"]["unserved"] == round(float(demand[~served].sum()))
    assert out["data_year"] == 2011
    assert out["totals"]["capacity_defaulted"] == 2  # two of three places have no capacity


def test_areas_are_ranked_by_persons_without_a_place(dueren_grid: Any, dueren_places: list[Any]) -> None:
    out = run_gap_analysis(_inputs(dueren_grid))
    areas = out["areas"]
    assert [a["rank"] for a in areas] == list(range(1, len(areas) + 1))
    assert [a["unserved"] for a in areas] == sorted((a["unserved"] for a in areas), reverse=True)
    duren = next(a for a in areas if a["name"].startswith("Düren"))
    assert duren["places"] == 2
    # Area figures add up over the cells whose centre lies in an area of the level.
    assert sum(a["demand"] for a in areas) <= out["totals"]["demand"]
    assert sum(a["cells"] for a in areas) == sum(1 for c in dueren_grid.cells.all() if c.kommune_id)


def test_opening_hours_filter_keeps_only_places_open_then(dueren_grid: Any, dueren_places: list[Any]) -> None:
    sunday = datetime(2026, 12, 6, 11, 0)
    with pytest.raises(GapsError, match="Keine Orte"):
        run_gap_analysis(_inputs(dueren_grid, open_at=sunday))
    monday = datetime(2026, 12, 7, 11, 0)
    out = run_gap_analysis(_inputs(dueren_grid, open_at=monday))
    assert [p["name"] for p in out["places"]] == ["Seniorencafé Jülich"]


def test_siting_equals_mclp_with_existing_places_fixed(dueren_grid: Any, dueren_places: list[Any]) -> None:
    existing = [p for p in dueren_places if p.status == "existing"]
    candidates = [p for p in dueren_places if p.status != "existing"]
    extra = [{"name": "Kandidat Linnich", "lon": 6.2690, "lat": 50.9790, "kind": "hochgeladen", "id": None}]
    out = run_siting(_inputs(dueren_grid), p=2, extra_candidates=extra)
    xy, demand, supply, _cap = core_inputs(dueren_grid, existing, "ab65")
    cand_xy = np.vstack([metric_xy([(p.lon, p.lat) for p in candidates]), metric_xy([(6.2690, 50.9790)])])
    direct = mclp_from_xy(xy, np.vstack([supply, cand_xy]), radius=2000.0, p=2, weights=demand,
                          fixed=np.arange(len(existing)))
    names = [p.name for p in candidates] + ["Kandidat Linnich"]
    assert sorted(c["name"] for c in out["chosen"]) == sorted(names[j - len(existing)] for j in direct.selected)
    assert out["covered_after"] == round(direct.objective)
    assert [row["p"] for row in out["curve"]] == [1, 2, 3]  # capped at the three candidates
    assert out["curve"][-1]["covered"] >= out["curve"][0]["covered"] >= out["covered_before"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"group": "nobody"}, "Zielgruppe"),
        ({"method": "magic"}, "Methode"),
        ({"radius": 50.0}, "Entfernung"),
        ({"place_groups": ()}, "Zielgruppe der Orte"),
        ({"place_groups": ("ehrenamtliche",)}, "Keine Orte"),
    ],
)
def test_bad_input_gives_a_german_message(dueren_grid: Any, dueren_places: list[Any], change: dict[str, Any],
                                          message: str) -> None:
    with pytest.raises(GapsError, match=message):
        run_gap_analysis(_inputs(dueren_grid, **change))


def test_no_candidates_and_wrong_level_are_refused(dueren_grid: Any, planner: Any) -> None:
    from begegnungsatlas.places.services.places import place_create

    place_create(actor=planner, data={"name": "Treff", "lon": 6.4830, "lat": 50.8035}, target_groups=["senioren"])
    with pytest.raises(GapsError, match="keine Standortkandidaten"):
        run_siting(_inputs(dueren_grid), p=1)
    other = AreaLevel.objects.filter(region__slug="dortmund").first()
    with pytest.raises(GapsError, match="Gebietsebene"):
        run_gap_analysis(_inputs(dueren_grid, level=other))


def _siting_core(grid: Any, places: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], int]:
    existing = [p for p in places if p.status == "existing"]
    candidates = [p for p in places if p.status != "existing"]
    xy, demand, supply, _cap = core_inputs(grid, existing, "ab65")
    sites = np.vstack([supply, metric_xy([(p.lon, p.lat) for p in candidates])])
    return xy, demand, sites, [p.name for p in candidates], len(existing)


def test_siting_pmedian_equals_the_core_with_existing_places_fixed(dueren_grid: Any,
                                                                   dueren_places: list[Any]) -> None:
    out = run_siting(_inputs(dueren_grid), p=1, method="pmedian")
    xy, demand, sites, names, n_existing = _siting_core(dueren_grid, dueren_places)
    direct = p_median_from_xy(xy, sites, p=1, weights=demand, fixed=np.arange(n_existing))
    assert [c["name"] for c in out["chosen"]] == [names[j - n_existing] for j in direct.selected]
    assert out["mean_after"] == round(direct.objective / demand.sum())
    assert n_existing > 0
    before = nearest(xy, sites[:n_existing]).distance
    assert out["mean_before"] == round(float((before * demand).sum() / demand.sum()))
    assert out["mean_after"] <= out["mean_before"]
    assert out["method"] == "pmedian"
    assert out["curve"][0]["mean_distance"] == out["mean_after"]


def test_siting_lscp_reports_the_minimum_number_of_new_places(dueren_grid: Any, dueren_places: list[Any]) -> None:
    out = run_siting(_inputs(dueren_grid, radius=5000.0), p=None, method="lscp")
    xy, demand, sites, names, n_existing = _siting_core(dueren_grid, dueren_places)
    rows = demand > 0
    cov = coverage_from_xy(xy[rows], sites, radius=5000.0)
    direct = lscp(cov, fixed=np.arange(n_existing), uncoverable="ignore")
    assert out["needed"] == direct.selected.size
    assert sorted(c["name"] for c in out["chosen"]) == sorted(names[j - n_existing] for j in direct.selected)
    lonely = np.diff(cov.tocsr().indptr) == 0
    assert out["uncoverable"] == round(float(demand[rows][lonely].sum()))
    assert out["total"] == round(float(demand.sum()))


def test_siting_method_and_count_are_checked(dueren_grid: Any, dueren_places: list[Any]) -> None:
    with pytest.raises(GapsError, match="Verfahren"):
        run_siting(_inputs(dueren_grid), p=1, method="magic")
    with pytest.raises(GapsError, match="1 bis 3"):
        run_siting(_inputs(dueren_grid), p=None, method="pmedian")
