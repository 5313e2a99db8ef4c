"""Walking-network distances from an OpenStreetMap extract.

:func:`walking_network_from_osm` reads the walkable ways of an OSM file (``.osm``,
``.osm.gz``, ``.osm.pbf``) with pyosmium, projects the nodes to a metric CRS and builds
an undirected sparse graph with edge lengths in metres. :func:`network_costs` snaps
demand and supply points to their nearest network node (k-d tree) and runs
``scipy.sparse.csgraph.dijkstra`` with ``limit=cutoff`` from the supply nodes, giving a
:class:`~.accessibility.costs.CostPairs` that every accessibility function accepts via
``costs=``. The snapping distance (straight line to the node) is added at both ends.

Limits: one-way streets are ignored (pedestrians walk both ways), turn restrictions,
crossings, slopes and opening hours of paths are not modelled, and the network ends at
the border of the extract.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import osmium
import scipy.sparse as sp
from pyproj import Transformer
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from ._checks import FloatArray, IntArray
from .accessibility.costs import CostPairs, check_radius, metric_xy
from .errors import AnalysisError, EmptyInputError

__all__ = [
    "WALKABLE_HIGHWAYS", "WalkingNetwork", "network_cost_matrix", "network_costs", "network_coverage", "network_from_npz", "network_to_npz", "outside_network",
    "walking_network_from_osm",
]  # fmt: skip

#: ``highway`` values a pedestrian may use (motorways and trunk roads are left out).
WALKABLE_HIGHWAYS = frozenset(
    {
        "footway", "path", "pedestrian", "living_street", "residential", "service", "steps",
        "track", "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link",
        "primary", "primary_link", "cycleway", "road", "bridleway", "corridor",
    }
)  # fmt: skip
_NO_ACCESS = frozenset({"no", "private"})
# csgraph drops explicit zeros in some code paths; two nodes at the same spot still
# need an edge, so zero lengths become this many metres.
_MIN_EDGE_M = 1e-6
# Rows of the dense Dijkstra output per batch (rows × nodes float64 values).
_DIJKSTRA_CELLS = 4_000_000


@dataclass(frozen=True)
class WalkingNetwork:
    """An undirected walking graph.

    Attributes
    ----------
    node_xy : numpy.ndarray (n_nodes, 2)
        Node coordinates in ``crs`` (metres).
    graph : scipy.sparse.csr_matrix (n_nodes, n_nodes)
        Symmetric; entry ``(u, v)`` is the length of the edge in metres.
    node_id : numpy.ndarray (n_nodes,)
        OSM node id of each node.
    crs : str
    """

    node_xy: FloatArray
    graph: sp.csr_matrix
    node_id: IntArray
    crs: str

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_xy.shape[0])

    @classmethod
    def from_edges(cls, node_xy: Any, u: Any, v: Any, *, crs: str = "EPSG:25832") -> WalkingNetwork:
        """Network from node coordinates (metres) and straight edges ``u[i] - v[i]``.

        >>> WalkingNetwork.from_edges([[0, 0], [300, 400]], [0], [1]).graph[0, 1]
        np.float64(500.0)
        """
        xy = np.asarray(node_xy, dtype=np.float64)
        a, b = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] == 0 or a.size == 0 or a.size != b.size:
            raise EmptyInputError("network: need node coordinates (n, 2) and equally many u and v")
        if min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= xy.shape[0]:
            raise AnalysisError("network: an edge refers to a node that does not exist")
        return cls(xy, _graph(xy, a, b), np.arange(xy.shape[0], dtype=np.int64), crs)


def _walkable(tags: Any, highways: Collection[str]) -> bool:
    if tags.get("highway") not in highways:
        return False
    if tags.get("area") == "yes" and tags.get("highway") != "pedestrian":
        return False
    foot = tags.get("foot")
    if foot in _NO_ACCESS:
        return False
    return not (tags.get("access") in _NO_ACCESS and foot not in {"yes", "designated", "permissive"})


def walking_network_from_osm(
    path: str | os.PathLike[str],
    *,
    crs: str = "EPSG:25832",
    highways: Collection[str] = WALKABLE_HIGHWAYS,
    largest_component: bool = True,
) -> WalkingNetwork:
    """Build the walking graph of an OSM extract.

    Parameters
    ----------
    path : path to ``.osm``, ``.osm.gz`` or ``.osm.pbf``
    crs : metric CRS for the node coordinates (default ETRS89 / UTM 32N)
    highways : ``highway`` values that count as walkable
    largest_component : keep only the largest connected part, so that no point snaps
        onto a fragment cut off by the border of the extract

    Examples
    --------
    >>> import pathlib, tempfile
    >>> osm = '''<osm version="0.6">
    ... <node id="1" lat="51.49" lon="7.55"/><node id="2" lat="51.49" lon="7.56"/>
    ... <node id="3" lat="51.50" lon="7.56"/>
    ... <way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
    ... <way id="8"><nd ref="1"/><nd ref="3"/><tag k="highway" v="motorway"/></way>
    ... </osm>'''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "walk.osm")
    ...     _ = path.write_text(osm)
    ...     net = walking_network_from_osm(path)
    >>> net.n_nodes, net.graph.nnz // 2
    (3, 2)
    """
    if not os.path.exists(path):
        raise AnalysisError(f"OSM file not found: {path}")
    refs: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    edges_from: list[int] = []
    processor = (
        osmium.FileProcessor(os.fspath(path)).with_locations().with_filter(osmium.filter.KeyFilter("highway"))
    )
    for obj in processor:
        if not isinstance(obj, osmium.osm.Way) or not _walkable(obj.tags, highways):
            continue
        nodes = [n for n in obj.nodes if n.location.valid()]
        for pos, node in enumerate(nodes):
            if pos > 0:
                edges_from.append(len(refs) - 1)
            refs.append(node.ref)
            lons.append(node.location.lon)
            lats.append(node.location.lat)
    if not edges_from:
        raise EmptyInputError(f"{path}: no walkable ways found")
    ids, inverse = np.unique(np.asarray(refs, dtype=np.int64), return_inverse=True)
    to_metric = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = to_metric.transform(np.asarray(lons), np.asarray(lats))
    xy = np.empty((ids.size, 2))
    xy[inverse, 0] = x
    xy[inverse, 1] = y
    start = np.asarray(edges_from, dtype=np.int64)
    u, v = inverse[start], inverse[start + 1]
    graph = _graph(xy, u, v)
    network = WalkingNetwork(node_xy=xy, graph=graph, node_id=ids, crs=crs)
    return _largest_component(network) if largest_component else network


def _graph(xy: FloatArray, u: IntArray, v: IntArray) -> sp.csr_matrix:
    """Symmetric CSR graph; of parallel edges the shortest is kept (not their sum)."""
    keep = u != v
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    length = np.maximum(np.hypot(*(xy[a] - xy[b]).T), _MIN_EDGE_M)
    order = np.lexsort((length, b, a))
    a, b, length = a[order], b[order], length[order]
    first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    a, b, length = a[first], b[first], length[first]
    n = xy.shape[0]
    rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
    return sp.csr_matrix((np.concatenate([length, length]), (rows, cols)), shape=(n, n))


def _largest_component(network: WalkingNetwork) -> WalkingNetwork:
    _, labels = connected_components(network.graph, directed=False)
    biggest = np.bincount(labels).argmax()
    keep = np.flatnonzero(labels == biggest)
    graph = network.graph[keep][:, keep].tocsr()
    return WalkingNetwork(network.node_xy[keep], graph, network.node_id[keep], network.crs)


def _group_by_node(node: IntArray, n_nodes: int) -> tuple[IntArray, IntArray]:
    """CSR-style grouping: points ``order[indptr[k]:indptr[k+1]]`` sit on node ``k``."""
    order = np.argsort(node, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(node, minlength=n_nodes))))
    return order.astype(np.int64), indptr.astype(np.int64)


def _expand(keys: IntArray, order: IntArray, indptr: IntArray) -> tuple[IntArray, IntArray]:
    """For every entry of ``keys`` (node ids) list the points on that node.

    Returns (position in ``keys``, point index) pairs.
    """
    counts = indptr[keys + 1] - indptr[keys]
    position = np.repeat(np.arange(keys.size), counts)
    offset = np.arange(position.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return position, order[indptr[keys][position] + offset]


def network_costs(network: WalkingNetwork, demand_xy: Any, supply_xy: Any, cutoff: float) -> CostPairs:
    """Walking distance (metres) of every demand-supply pair up to ``cutoff``.

    Points must be in the network's CRS. Cost = snap distance of the demand point +
    shortest path between the two snapped nodes + snap distance of the supply point.

    Examples
    --------
    An L-shaped street 0-1-2 of 2 × 300 m; a place 10 m off node 2:

    >>> net = WalkingNetwork.from_edges([[1000, 0], [1300, 0], [1300, 300]], [0, 1], [1, 2])
    >>> pairs = network_costs(net, [[1000, 0], [1300, 0]], [[1310, 300]], cutoff=1000)
    >>> pairs.origin.tolist(), pairs.cost.tolist()
    ([0, 1], [610.0, 310.0])
    """
    cutoff = check_radius(cutoff, "cutoff")
    demand = metric_xy(demand_xy, name="demand")
    supply = metric_xy(supply_xy, name="supply")
    tree = cKDTree(network.node_xy)
    demand_snap, demand_node = tree.query(demand, workers=-1)
    supply_snap, supply_node = tree.query(supply, workers=-1)
    demand_order, demand_ptr = _group_by_node(demand_node, network.n_nodes)
    supply_order, supply_ptr = _group_by_node(supply_node, network.n_nodes)
    has_demand = demand_ptr[1:] > demand_ptr[:-1]
    sources = np.unique(supply_node[supply_snap <= cutoff])
    batch = max(1, _DIJKSTRA_CELLS // max(network.n_nodes, 1))
    origin_parts: list[IntArray] = []
    dest_parts: list[IntArray] = []
    cost_parts: list[FloatArray] = []
    for b0 in range(0, sources.size, batch):
        chunk = sources[b0 : b0 + batch]
        dist = dijkstra(network.graph, directed=False, indices=chunk, limit=cutoff)
        row, node = np.nonzero(np.isfinite(dist) & has_demand[None, :])
        path = dist[row, node]
        at_node, demand_idx = _expand(node, demand_order, demand_ptr)
        at_source, supply_idx = _expand(chunk[row[at_node]], supply_order, supply_ptr)
        demand_idx = demand_idx[at_source]
        cost = demand_snap[demand_idx] + path[at_node][at_source] + supply_snap[supply_idx]
        keep = cost <= cutoff
        origin_parts.append(demand_idx[keep])
        dest_parts.append(supply_idx[keep])
        cost_parts.append(cost[keep])
    if origin_parts:
        origin, dest, cost = (np.concatenate(p) for p in (origin_parts, dest_parts, cost_parts))
    else:
        origin, dest, cost = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return CostPairs(
        origin.astype(np.int64), dest.astype(np.int64), cost.astype(np.float64),
        demand.shape[0], supply.shape[0], cutoff,
    )  # fmt: skip


def network_to_npz(network: WalkingNetwork, file: Any) -> None:
    """Write the graph to ``file`` (path or binary file object) as a compressed ``.npz``.

    >>> import io
    >>> net = WalkingNetwork.from_edges([[0, 0], [300, 400]], [0], [1])
    >>> buf = io.BytesIO(); network_to_npz(net, buf); _ = buf.seek(0)
    >>> back = network_from_npz(buf)
    >>> back.graph[0, 1], back.crs
    (np.float64(500.0), 'EPSG:25832')
    """
    g = network.graph.tocsr()
    np.savez_compressed(
        file, node_xy=network.node_xy, node_id=network.node_id, data=g.data, indices=g.indices,
        indptr=g.indptr, crs=np.array(network.crs),
    )  # fmt: skip


def network_from_npz(file: Any) -> WalkingNetwork:
    """Read a graph written by :func:`network_to_npz`."""
    try:
        with np.load(file, allow_pickle=False) as z:
            xy = np.asarray(z["node_xy"], dtype=np.float64)
            n = xy.shape[0]
            graph = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=(n, n))
            return WalkingNetwork(xy, graph, np.asarray(z["node_id"], dtype=np.int64), str(z["crs"]))
    except (OSError, KeyError, ValueError) as exc:
        raise AnalysisError(f"not a stored walking network: {exc}") from exc


def outside_network(network: WalkingNetwork, xy: Any, *, max_snap: float | None = None) -> Any:
    """Which points lie outside the network's extent (boolean array).

    A point is outside when it is not inside the convex hull of the network's nodes (the
    extract ends there, so walking distances from it would be wrong), or, with
    ``max_snap``, when its nearest node is farther than ``max_snap`` metres.

    >>> net = WalkingNetwork.from_edges([[0, 0], [1000, 0], [1000, 1000], [0, 1000]], [0, 1, 2], [1, 2, 3])
    >>> outside_network(net, [[500, 500], [1500, 500], [0, 0]]).tolist()
    [False, True, False]
    >>> outside_network(net, [[500, 500]], max_snap=100).tolist()
    [True]
    """
    import shapely

    points = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    if points.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    hull = shapely.convex_hull(shapely.multipoints(network.node_xy))
    # Points on the hull's border (e.g. at a node of the outer ring) count as inside.
    inside = shapely.intersects_xy(hull, points[:, 0], points[:, 1])
    if max_snap is not None:
        snap, _ = cKDTree(network.node_xy).query(points, workers=-1)
        inside &= snap <= max_snap
    return ~np.asarray(inside, dtype=bool)


def network_coverage(network: WalkingNetwork, demand_xy: Any, site_xy: Any, radius: float) -> sp.csr_array:
    """Coverage matrix (demand × sites, 1.0 where the walking distance is <= ``radius``) for
    :mod:`~begegnungsatlas.analysis.location` (MCLP, LSCP), like ``coverage_from_xy`` on the network.

    >>> net = WalkingNetwork.from_edges([[0, 0], [600, 0], [600, 600]], [0, 1], [1, 2])
    >>> network_coverage(net, [[0, 0], [600, 600]], [[600, 0], [0, 0]], radius=700).toarray().tolist()
    [[1.0, 1.0], [1.0, 0.0]]
    """
    pairs = network_costs(network, demand_xy, site_xy, cutoff=radius)
    data = np.ones(pairs.origin.size, dtype=np.float64)
    cov = sp.csr_array((data, (pairs.origin, pairs.dest)), shape=(pairs.n_origin, pairs.n_dest))
    cov.sum_duplicates()
    cov.data[:] = 1.0
    return cov


def network_cost_matrix(network: WalkingNetwork, demand_xy: Any, site_xy: Any, cutoff: float) -> FloatArray:
    """Dense walking distances (demand × sites, metres) for p-median; ``inf`` beyond ``cutoff``.

    >>> net = WalkingNetwork.from_edges([[1000, 0], [1600, 0], [1600, 600]], [0, 1], [1, 2])
    >>> network_cost_matrix(net, [[1000, 0]], [[1600, 600], [1600, 0]], cutoff=1000).tolist()
    [[inf, 600.0]]
    """
    pairs = network_costs(network, demand_xy, site_xy, cutoff=cutoff)
    cost = np.full((pairs.n_origin, pairs.n_dest), np.inf)
    # Pairs are unique per (demand, site); keep the minimum anyway.
    np.minimum.at(cost, (pairs.origin, pairs.dest), pairs.cost)
    return cost
