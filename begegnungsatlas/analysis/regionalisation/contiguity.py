"""Contiguity (neighbourhood) graphs from polygons, with explicit handling of islands.

Two areas are *queen* neighbours if their polygons share at least one point, and *rook*
neighbours if they share a piece of boundary of positive length. Candidate pairs come
from a shapely 2 ``STRtree`` query; the rook test is one vectorised intersection of
boundaries. Invalid polygons (self-intersections, common in official boundary files) are
repaired with ``shapely.make_valid`` and reduced to their polygonal parts first.

Islands — areas without neighbours, or groups of areas not linked to the rest — are never
left to chance: ``islands="raise"`` refuses them, ``islands="connect"`` links every
component to its nearest component by centroid distance (nearest pair of area centroids),
``islands="keep"`` returns the disconnected graph (the algorithms then regionalise each
connected part on its own, so regions stay contiguous).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..errors import AnalysisError, EmptyInputError
from ._common import IntArray

Kind = Literal["rook", "queen"]
Islands = Literal["raise", "connect", "keep"]


def _polygonal(geoms: Any) -> Any:
    """Repair invalid geometries and keep only their polygonal parts."""
    arr = np.asarray(geoms, dtype=object)
    if arr.ndim != 1:
        raise AnalysisError(f"geometries: expected a 1-D sequence, got {arr.ndim} dimensions")
    if arr.size == 0:
        raise EmptyInputError("geometries: no polygons given")
    missing = np.flatnonzero(shapely.is_missing(arr) | shapely.is_empty(arr))
    if missing.size:
        raise AnalysisError(f"geometries: geometry {int(missing[0])} is missing or empty")
    type_ids = shapely.get_type_id(arr)
    polygonal = {int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)}
    collections = np.flatnonzero(type_ids == int(shapely.GeometryType.GEOMETRYCOLLECTION))
    if collections.size:
        # A repaired boundary is often a collection of its polygon(s) and stray lines or points: keep the polygons.
        arr = arr.copy()
        for k in collections.tolist():
            kept = shapely.get_parts(arr[k])
            kept = kept[np.isin(shapely.get_type_id(kept), list(polygonal))]
            if kept.size == 0:
                raise AnalysisError(f"geometries: geometry {k} is a GeometryCollection without polygons")
            arr[k] = shapely.union_all(kept)
        type_ids = shapely.get_type_id(arr)
    if not np.isin(type_ids, list(polygonal)).all():
        bad = int(np.flatnonzero(~np.isin(type_ids, list(polygonal)))[0])
        raise AnalysisError(f"geometries: geometry {bad} is a {arr[bad].geom_type}, not a polygon")
    invalid = np.flatnonzero(~shapely.is_valid(arr))
    if invalid.size == 0:
        return arr
    out = arr.copy()
    for i in invalid:
        fixed = shapely.make_valid(arr[i])
        parts = shapely.get_parts(fixed)
        parts = parts[np.isin(shapely.get_type_id(parts), list(polygonal))]
        out[i] = shapely.union_all(parts) if parts.size else fixed
        if shapely.is_empty(out[i]) or shapely.area(out[i]) == 0:
            raise AnalysisError(f"geometries: geometry {int(i)} has no area after repair")
    return out


def contiguity_from_polygons(
    geometries: Any,
    *,
    kind: Kind = "rook",
    groups: Any = None,
    islands: Islands = "raise",
    tolerance: float = 0.0,
) -> sp.csr_array:
    """Contiguity matrix of polygons as a symmetric 0/1 CSR array.

    Parameters
    ----------
    geometries : sequence of shapely (Multi)Polygons
        The areas, in any single CRS (the test is topological; only ``tolerance``
        is in CRS units).
    kind : {"rook", "queen"}
        ``"rook"``: shared boundary of positive length; ``"queen"``: any shared point.
    groups : sequence, optional
        One key per area (e.g. the Kommune). Links between areas of different groups are
        dropped, so regions built on the graph never cross a group border.
    islands : {"raise", "connect", "keep"}
        What to do if the graph (within each group, when ``groups`` is given) is not
        connected: raise ``AnalysisError``; link each component to its nearest component
        by centroid distance; or return the graph as it is.
    tolerance : float
        Areas closer than this count as touching (for digitising gaps). For rook, the
        shared boundary within the tolerance must be longer than ``4 * tolerance``.

    Returns
    -------
    scipy.sparse.csr_array
        ``A[i, j] == 1`` if areas ``i`` and ``j`` are neighbours.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = [box(x, y, x + 1, y + 1) for y in range(2) for x in range(2)]
    >>> int(contiguity_from_polygons(cells, kind="rook").nnz // 2)
    4
    >>> int(contiguity_from_polygons(cells, kind="queen").nnz // 2)
    6
    """
    if kind not in ("rook", "queen"):
        raise AnalysisError(f"kind: expected 'rook' or 'queen', got {kind!r}")
    if islands not in ("raise", "connect", "keep"):
        raise AnalysisError(f"islands: expected 'raise', 'connect' or 'keep', got {islands!r}")
    if not np.isfinite(tolerance) or tolerance < 0:
        raise AnalysisError(f"tolerance: must be a finite number >= 0, got {tolerance}")
    geoms = _polygonal(geometries)
    n = geoms.size
    tree = shapely.STRtree(geoms)
    if tolerance > 0:
        left, right = tree.query(geoms, predicate="dwithin", distance=tolerance)
    else:
        left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if kind == "rook" and left.size:
        # buffer and take boundaries once per area, not once per candidate pair
        grown = shapely.buffer(geoms, tolerance) if tolerance > 0 else geoms
        shared = shapely.length(shapely.intersection(shapely.boundary(geoms)[left], grown[right]))
        rook = shared > 4.0 * tolerance
        left, right = left[rook], right[rook]
    adj = _symmetric(left, right, n)
    if groups is not None:
        adj = drop_cross_group_links(adj, groups)
    if islands == "keep":
        return adj
    centroids = shapely.get_coordinates(shapely.point_on_surface(geoms))
    if islands == "raise":
        _raise_if_disconnected(adj, groups)
        return adj
    connected, _ = connect_components(adj, centroids, groups=groups)
    return connected


def _symmetric(left: IntArray, right: IntArray, n: int) -> sp.csr_array:
    rows = np.concatenate([left, right])
    cols = np.concatenate([right, left])
    adj = sp.csr_array((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1
    adj.sort_indices()
    return adj


def _group_codes(groups: Any, n: int) -> IntArray:
    arr = np.asarray(groups)
    if arr.shape != (n,):
        raise AnalysisError(f"groups: expected {n} keys (one per area), got shape {arr.shape}")
    _, codes = np.unique(arr.astype(str), return_inverse=True)
    return codes.astype(np.int64)


def drop_cross_group_links(adjacency: Any, groups: Any) -> sp.csr_array:
    """Remove links between areas of different groups (e.g. across municipal borders).

    >>> adj = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> drop_cross_group_links(adj, ["A", "A", "B"]).toarray().tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    adj = sp.coo_array(adjacency)
    codes = _group_codes(groups, adj.shape[0])
    same = codes[adj.row] == codes[adj.col]
    out = sp.csr_array(
        (np.ones(int(same.sum()), dtype=np.int8), (adj.row[same], adj.col[same])), shape=adj.shape
    )
    out.sort_indices()
    return out


def _raise_if_disconnected(adj: sp.csr_array, groups: Any) -> None:
    n_comp, comp = connected_components(adj, directed=False)
    codes = np.zeros(adj.shape[0], dtype=np.int64) if groups is None else _group_codes(groups, adj.shape[0])
    n_groups = int(codes.max()) + 1
    if n_comp == n_groups:
        return
    # Components per group: the second component seen in a group is the offending one.
    seen: dict[int, int] = {}
    for i, (c, g) in enumerate(zip(comp.tolist(), codes.tolist(), strict=True)):
        if g in seen and seen[g] != c:
            size = int((comp == c).sum())
            where = "" if groups is None else f" within group {str(np.asarray(groups)[i])!r}"
            raise AnalysisError(
                f"contiguity: the areas are not all connected{where}: area {i} belongs to a part of "
                f"{size} areas with no neighbour outside it ({n_comp} parts in total); use "
                "islands='connect' to link each part to its nearest one, or islands='keep'"
            )
        seen.setdefault(g, c)


def connect_components(
    adjacency: Any, centroids: Any, *, groups: Any = None
) -> tuple[sp.csr_array, IntArray]:
    """Link every connected component to its nearest component until the graph is connected.

    The link joins the closest pair of centroids (Euclidean) between the component and
    all areas outside it; the smallest component is handled first. With ``groups``, each
    group is connected on its own and no link crosses a group border.

    Parameters
    ----------
    adjacency : sparse matrix (n, n)
    centroids : array (n, 2)
        Representative points, in a metric CRS for meaningful distances.
    groups : sequence, optional

    Returns
    -------
    (csr_array, ndarray of shape (m, 2))
        The connected adjacency and the added links ``(i, j)``.

    Examples
    --------
    >>> adj = sp.csr_array((3, 3), dtype=np.int8)
    >>> _, links = connect_components(adj, np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0]]))
    >>> sorted(map(sorted, links.tolist()))
    [[0, 1], [1, 2]]
    """
    adj = sp.csr_array(adjacency, dtype=np.int8)
    n = adj.shape[0]
    xy = np.asarray(centroids, dtype=np.float64)
    if xy.shape != (n, 2) or not np.isfinite(xy).all():
        raise AnalysisError(f"centroids: expected {n} finite points of shape (n, 2), got {xy.shape}")
    codes = np.zeros(n, dtype=np.int64) if groups is None else _group_codes(groups, n)
    added: list[tuple[int, int]] = []
    for g in range(int(codes.max()) + 1):
        members = np.flatnonzero(codes == g)
        sub = adj[members][:, members]
        while True:
            n_comp, comp = connected_components(sub, directed=False)
            if n_comp <= 1:
                break
            sizes = np.bincount(comp)
            smallest = int(np.argmin(sizes))
            inside = comp == smallest
            tree = cKDTree(xy[members[~inside]])
            dist, idx = tree.query(xy[members[inside]])
            k = int(np.argmin(dist))
            a = int(np.flatnonzero(inside)[k])
            b = int(np.flatnonzero(~inside)[int(idx[k])])
            added.append((int(members[a]), int(members[b])))
            extra = sp.csr_array((np.ones(2, dtype=np.int8), ([a, b], [b, a])), shape=sub.shape)
            sub = sp.csr_array(sub + extra)
    if not added:
        return adj, np.zeros((0, 2), dtype=np.int64)
    links = np.array(added, dtype=np.int64)
    extra_all = _symmetric(links[:, 0], links[:, 1], n)
    out = sp.csr_array(adj + extra_all)
    out.data[:] = 1
    out.sort_indices()
    return out, links
