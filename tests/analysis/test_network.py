"""Walking network from OSM and network costs for the accessibility functions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer
from scipy.spatial import cKDTree

from begegnungsatlas.analysis.accessibility import nearest, two_step_fca
from begegnungsatlas.analysis.errors import AnalysisError, EmptyInputError
from begegnungsatlas.analysis.network import WalkingNetwork, network_costs, walking_network_from_osm

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny_walk.osm"
APLERBECK = DATA / "dortmund_aplerbeck_osr_testdata.osm.pbf"
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def utm(lon: float, lat: float) -> np.ndarray:
    return np.array(TO_UTM.transform(lon, lat))


def test_tiny_network_keeps_only_walkable_ways_and_the_main_component() -> None:
    net = walking_network_from_osm(TINY)
    # Motorway and foot=no left out; the E-F street is a separate, smaller component.
    assert net.node_id.tolist() == [1, 2, 3, 4]
    assert net.graph.nnz == 6  # three undirected edges
    assert net.node_xy[0] == pytest.approx(utm(7.55, 51.49))
    whole = walking_network_from_osm(TINY, largest_component=False)
    assert whole.node_id.tolist() == [1, 2, 3, 4, 5, 6]


def test_network_distance_follows_the_streets() -> None:
    net = walking_network_from_osm(TINY)
    a, b, c, d = (utm(*p) for p in [(7.55, 51.49), (7.56, 51.49), (7.56, 51.495), (7.565, 51.495)])
    along = np.hypot(*(b - a)) + np.hypot(*(c - b)) + np.hypot(*(d - c))
    place = d + np.array([0.0, 20.0])  # 20 m off node D
    pairs = network_costs(net, np.array([a, c]), place[None, :], cutoff=5000.0)
    assert pairs.origin.tolist() == [0, 1]
    assert pairs.cost == pytest.approx([along + 20.0, np.hypot(*(d - c)) + 20.0])
    # The straight line is shorter than the walk: the motorway was not used.
    assert along > np.hypot(*(d - a)) * 1.3
    # A cutoff below the walk leaves the far pair out.
    assert network_costs(net, np.array([a, c]), place[None, :], cutoff=1000.0).origin.tolist() == [1]


def test_accessibility_functions_accept_network_costs() -> None:
    net = WalkingNetwork.from_edges([[1000, 0], [1300, 0], [1300, 300], [1000, 300]], [0, 1, 2], [1, 2, 3])
    demand = np.array([[1000.0, 0.0], [1000.0, 300.0]])
    supply = np.array([[1300.0, 0.0]])
    costs = network_costs(net, demand, supply, cutoff=1000.0)
    # Straight-line both are 300 / 424 m away; on the network 300 and 600 m.
    assert nearest(demand, supply, costs=costs).distance.tolist() == [300.0, 600.0]
    a = two_step_fca(demand, [10, 30], supply, [8], 400.0, costs=costs)
    assert a.tolist() == [0.8, 0.0]
    a = two_step_fca(demand, [10, 30], supply, [8], 700.0, costs=costs)
    assert a.tolist() == [0.2, 0.2]


def test_aplerbeck_extract_network_costs_are_consistent() -> None:
    net = walking_network_from_osm(APLERBECK)
    assert net.n_nodes > 300
    lo, hi = utm(7.527, 51.487), utm(7.574, 51.509)
    assert (net.node_xy >= lo - 50).all()
    assert (net.node_xy <= hi + 50).all()
    rng = np.random.default_rng(2)
    nodes = net.node_xy[rng.choice(net.n_nodes, 60, replace=False)]
    pairs = network_costs(net, nodes[:50], nodes[50:], cutoff=800.0)
    assert pairs.cost.size > 0
    assert (pairs.cost <= 800.0).all()
    # A walk is never shorter than the straight line between the same nodes.
    straight = np.hypot(*(nodes[:50][pairs.origin] - nodes[50:][pairs.dest]).T)
    assert (pairs.cost >= straight - 1e-6).all()
    # Every node pair closer than 800 m on the network is in the result: compare with a
    # full Dijkstra for one source.
    from scipy.sparse.csgraph import dijkstra

    node_of = cKDTree(net.node_xy).query(nodes)[1]
    full = dijkstra(net.graph, directed=False, indices=node_of[50])
    expected = np.flatnonzero(full[node_of[:50]] <= 800.0)
    got = np.sort(pairs.origin[pairs.dest == 0])
    assert got.tolist() == expected.tolist()


def test_network_bad_input() -> None:
    net = WalkingNetwork.from_edges([[1000, 0], [1300, 0]], [0], [1])
    with pytest.raises(AnalysisError, match="cutoff must be a positive"):
        network_costs(net, [[1000, 0], [1300, 0]], [[1300, 0], [1000, 0]], cutoff=0)
    with pytest.raises(EmptyInputError, match="supply: no points given"):
        network_costs(net, [[1000, 0], [1300, 0]], np.zeros((0, 2)), cutoff=100)
    with pytest.raises(AnalysisError, match="OSM file not found"):
        walking_network_from_osm(DATA / "missing.osm")
    with pytest.raises(AnalysisError, match="refers to a node that does not exist"):
        WalkingNetwork.from_edges([[1000, 0], [1300, 0]], [0], [2])


def test_osm_without_walkable_ways_is_refused(tmp_path: Path) -> None:
    osm = tmp_path / "none.osm"
    osm.write_text(
        '<osm version="0.6"><node id="1" lat="51.49" lon="7.55"/><node id="2" lat="51.5" lon="7.55"/>'
        '<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way></osm>'
    )
    with pytest.raises(EmptyInputError, match="no walkable ways found"):
        walking_network_from_osm(osm)
