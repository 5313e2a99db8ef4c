"""Walking networks in the gap analysis: import and build, network distances equal the analysis core called
directly, cells and places outside the network are reported, siting on walking distances, deleting removes files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from begegnungsatlas.analysis.accessibility import coverage, enhanced_two_step_fca, nearest, two_step_fca
from begegnungsatlas.analysis.location import lscp, mclp, p_median
from begegnungsatlas.analysis.network import (
    network_cost_matrix,
    network_costs,
    network_coverage,
    outside_network,
    walking_network_from_osm,
)
from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.gaps.errors import GapsError
from begegnungsatlas.gaps.models import NetworkStatus, WalkingNetwork
from begegnungsatlas.gaps.services.analysis import (
    GapInputs,
    demand_of,
    metric_xy,
    run_gap_analysis,
    run_siting,
)
from begegnungsatlas.gaps.services.networks import (
    network_build,
    network_delete,
    network_graph,
    network_import,
)

from .conftest import APLERBECK


def _inputs(grid: Any, network: Any, **kw: Any) -> GapInputs:
    if "level" not in kw:
        kw["level"] = AreaLevel.objects.get(region=grid.region, slug="statistischer-bezirk")
    defaults: dict[str, Any] = {"grid": grid, "group": "ab65", "method": "coverage", "radius": 300.0,
                                "place_groups": ("senioren",), "network": network}
    return GapInputs(**{**defaults, **kw})


def _core(grid: Any, places: list[Any], network: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                                  np.ndarray, np.ndarray]:
    """The same inputs prepared by hand: the graph built straight from the bundled file, not the stored one."""
    graph = walking_network_from_osm(APLERBECK)
    cells = list(grid.cells.order_by("id"))
    xy = np.array([[c.x, c.y] for c in cells])
    demand = np.array([demand_of(c, "ab65") for c in cells])
    supply = metric_xy([(p.lon, p.lat) for p in places])
    cells_out = outside_network(graph, xy)
    places_out = outside_network(graph, supply)
    return graph, xy, demand, supply, cells_out, places_out, np.ones(len(places))


def test_the_stored_graph_is_the_graph_of_the_file(aplerbeck_network: Any) -> None:
    assert aplerbeck_network.status == NetworkStatus.READY
    stored = network_graph(aplerbeck_network)
    direct = walking_network_from_osm(APLERBECK)
    assert stored.n_nodes == direct.n_nodes == aplerbeck_network.nodes
    assert np.array_equal(stored.node_id, direct.node_id)
    assert (stored.graph != direct.graph).nnz == 0
    lon0, lat0, lon1, lat1 = aplerbeck_network.extent
    assert 7.52 < lon0 < lon1 < 7.58
    assert 51.48 < lat0 < lat1 < 51.51
    assert aplerbeck_network.licence.startswith("© OpenStreetMap")


@pytest.mark.parametrize("method", ["nearest", "coverage", "2sfca", "e2sfca"])
def test_walking_values_equal_the_core(aplerbeck_grid: Any, aplerbeck_network: Any, aplerbeck_places: list[Any],
                                       method: str) -> None:
    existing = aplerbeck_places[:3]
    res = run_gap_analysis(_inputs(aplerbeck_grid, aplerbeck_network, method=method))
    graph, xy, demand, supply, cells_out, places_out, cap = _core(aplerbeck_grid, existing, aplerbeck_network)
    assert 0 < cells_out.sum() < len(xy)  # some synthetic cells lie beyond the extract
    assert places_out.tolist() == [False, False, True]  # the city-centre place is outside
    inside = ~cells_out
    pairs = network_costs(graph, xy[inside], supply[~places_out], cutoff=20_000)
    near = nearest(xy[inside], supply[~places_out], costs=pairs)
    if method == "nearest":
        expected = near.distance
    elif method == "coverage":
        expected = coverage(xy[inside], supply[~places_out], 300, weights=demand[inside], costs=pairs).covered
    elif method == "2sfca":
        expected = 1000 * two_step_fca(xy[inside], demand[inside], supply[~places_out], cap[:2], 300, costs=pairs)
    else:
        expected = 1000 * enhanced_two_step_fca(xy[inside], demand[inside], supply[~places_out], cap[:2], 300,
                                                costs=pairs)
    got = [c["value"] for c in res["cells"] if not c["outside"]]
    assert np.allclose(got, np.round(np.asarray(expected, dtype=float), 3), atol=1e-3)
    assert [c["served"] for c in res["cells"] if not c["outside"]] == (near.distance <= 300).tolist()
    # Outside cells: no value, not served, reported in the totals, counted in no area.
    outside = [c for c in res["cells"] if c["outside"]]
    assert all(c["value"] is None and not c["served"] for c in outside)
    assert res["totals"]["outside_cells"] == int(cells_out.sum())
    assert res["totals"]["outside_demand"] == round(float(demand[cells_out].sum()))
    assert res["totals"]["outside_places"] == 1
    assert res["totals"]["demand"] == round(float(demand[inside].sum()))
    assert sum(a["demand"] for a in res["areas"]) <= res["totals"]["demand"]
    assert res["distance"]["mode"] == "network"
    assert "ODbL" in res["distance"]["licence"]


def test_walking_distance_is_longer_than_the_straight_line(aplerbeck_grid: Any, aplerbeck_network: Any,
                                                           aplerbeck_places: list[Any]) -> None:
    walk = run_gap_analysis(_inputs(aplerbeck_grid, aplerbeck_network, method="nearest"))
    line = run_gap_analysis(_inputs(aplerbeck_grid, None, method="nearest"))
    pairs = [(w["value"], s["value"]) for w, s in zip(walk["cells"], line["cells"], strict=True) if not w["outside"]]
    assert pairs
    assert all(w >= s - 1e-6 for w, s in pairs)
    assert any(w > s * 1.1 for w, s in pairs)
    assert line["totals"]["outside_cells"] == 0
    assert line["distance"]["mode"] == "line"


@pytest.mark.parametrize("method", ["mclp", "pmedian", "lscp"])
def test_siting_on_walking_distances_equals_the_core(aplerbeck_grid: Any, aplerbeck_network: Any,
                                                      aplerbeck_places: list[Any], method: str) -> None:
    existing, candidates = aplerbeck_places[:3], aplerbeck_places[3:]
    res = run_siting(_inputs(aplerbeck_grid, aplerbeck_network), p=1, method=method)
    graph, xy, demand, supply, cells_out, places_out, _cap = _core(aplerbeck_grid, existing, aplerbeck_network)
    cand_xy = metric_xy([(p.lon, p.lat) for p in candidates])
    cand_out = outside_network(graph, cand_xy)
    assert cand_out.tolist() == [False, False, True]
    assert res["outside_candidates"] == ["Potenzialraum Hörde"]
    assert res["outside_cells"] == int(cells_out.sum())
    assert res["outside_existing"] == 1
    sites = np.vstack([supply[~places_out], cand_xy[~cand_out]])
    fixed = [0, 1]
    inside = ~cells_out
    names = [candidates[i].name for i in np.flatnonzero(~cand_out)]
    if method == "pmedian":
        cost = network_cost_matrix(graph, xy[inside], sites, cutoff=20_000)
        core = p_median(cost, p=1, weights=demand[inside], fixed=fixed)
        w = demand[inside]
        after = (cost[:, np.union1d(fixed, core.selected)].min(axis=1) * w).sum() / w.sum()
        before = (cost[:, fixed].min(axis=1) * w).sum() / w.sum()
        assert res["mean_after"] == round(after)
        assert res["mean_before"] == round(before)
        assert res["mean_after"] <= res["mean_before"]
    elif method == "mclp":
        core = mclp(network_coverage(graph, xy[inside], sites, 300), p=1, weights=demand[inside], fixed=fixed)
        assert res["covered_after"] == round(core.objective)
    else:
        rows = np.flatnonzero(demand[inside] > 0)
        core = lscp(network_coverage(graph, xy[inside][rows], sites, 300), fixed=fixed, uncoverable="ignore")
        assert res["needed"] == core.selected.size
    assert [c["name"] for c in res["chosen"]] == [names[int(j) - 2] for j in core.selected]


def test_real_zensus_grid_reports_the_cells_outside_the_network(dortmund_grid: Any, aplerbeck_network: Any,
                                                                aplerbeck_places: list[Any]) -> None:
    """The bundled 1 km grid of Dortmund: one cell centre lies inside the small Aplerbeck extract, all others are
    reported as outside – none is silently given distance 0 or dropped."""
    res = run_gap_analysis(_inputs(dortmund_grid, aplerbeck_network, method="nearest"))
    inside = [c for c in res["cells"] if not c["outside"]]
    assert [c["cell_id"] for c in inside] == ["1kmN3156E4151"]
    assert res["totals"]["outside_cells"] == len(res["cells"]) - 1 > 200
    assert inside[0]["value"] is not None
    assert inside[0]["value"] > 0
    assert res["totals"]["outside_demand"] > 0


def test_bad_network_input_is_refused_with_a_german_message(aplerbeck_grid: Any, aplerbeck_network: Any,
                                                             aplerbeck_places: list[Any], dueren_grid: Any,
                                                             planner: Any) -> None:
    with pytest.raises(GapsError, match="gehört nicht zur Region"):
        run_gap_analysis(_inputs(dueren_grid, aplerbeck_network, level=AreaLevel.objects.get(
            region=dueren_grid.region, slug="kommune")))
    aplerbeck_network.status = NetworkStatus.PENDING
    aplerbeck_network.save()
    with pytest.raises(GapsError, match="noch nicht aufgebaut"):
        run_gap_analysis(_inputs(aplerbeck_grid, aplerbeck_network))
    # Only places outside the network: nothing can be computed; said so.
    for place in aplerbeck_places[:2]:
        place.delete()
    aplerbeck_network.status = NetworkStatus.READY
    aplerbeck_network.save()
    with pytest.raises(GapsError, match="Kein Ort liegt im Wegenetz"):
        run_gap_analysis(_inputs(aplerbeck_grid, aplerbeck_network))


def test_import_refuses_non_osm_files_and_stores_nothing(media: Path, regions: Any, planner: Any) -> None:
    from begegnungsatlas.atlas.models import Region

    region = Region.objects.get(slug="dortmund")
    for content, message in ((b"name;lon;lat\nA;7.5;51.5\n", "kein OpenStreetMap"), (b"", "leer"),
                             (b"%PDF-1.4 x", "PDF")):
        with pytest.raises(GapsError, match=message):
            network_import(region=region, name="X", source="Y", content=content, actor=planner)
    assert not WalkingNetwork.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_file_without_walkable_ways_fails_with_a_message(media: Path, regions: Any, planner: Any) -> None:
    from begegnungsatlas.atlas.models import Region

    osm = (b'<?xml version="1.0"?><osm version="0.6"><node id="1" lat="51.49" lon="7.55"/>'
           b'<node id="2" lat="51.49" lon="7.56"/><way id="3"><nd ref="1"/><nd ref="2"/>'
           b'<tag k="highway" v="motorway"/></way></osm>')
    network = network_import(region=Region.objects.get(slug="dortmund"), name="Autobahn", source="Test",
                             content=osm, actor=planner)
    assert network.kind == "osm_xml"
    assert network.file.name.endswith(".osm")
    with pytest.raises(GapsError, match="keine begehbaren Wege"):
        network_build(network)
    network.refresh_from_db()
    assert network.status == NetworkStatus.FAILED
    assert "begehbaren" in network.message


def test_deleting_a_network_deletes_its_files(aplerbeck_network: Any, media: Path, planner: Any,
                                              django_capture_on_commit_callbacks: Any) -> None:
    files = [media / aplerbeck_network.file.name, media / aplerbeck_network.graph_file.name]
    assert all(f.is_file() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        network_delete(network=aplerbeck_network, actor=planner)
    assert not WalkingNetwork.objects.exists()
    assert not any(f.exists() for f in files)


def test_demo_loader_imports_the_bundled_extract_once(media: Path, regions: Any) -> None:
    from begegnungsatlas.gaps import demo

    lines: list[str] = []
    demo.load_networks(out=lines.append)
    demo.load_networks(out=lines.append)
    network = WalkingNetwork.objects.get()
    assert network.status == NetworkStatus.READY
    assert network.region.slug == "dortmund"
    assert "OpenStreetMap" in network.licence
    assert "ODbL" in network.licence
    assert len(lines) == 1
    assert "Aplerbeck" in lines[0]
