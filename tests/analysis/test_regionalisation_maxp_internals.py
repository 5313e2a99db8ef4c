"""max-p internals that the speed work touched: the greedy construction, the batched tree cut, a fixed case.

Each test checks a result against an independent computation (a tuple-keyed reference construction, brute
force over the cuts of a minimum spanning tree) or against a figure measured with the earlier algorithm, so a
faster but wrong implementation fails here.
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from shapely.geometry import box

from begegnungsatlas.analysis.regionalisation import (
    contiguity_from_polygons,
    interactive_maxp_settings,
    max_p_regions,
    regions_are_contiguous,
    within_region_ssd,
)
from begegnungsatlas.analysis.regionalisation._recombine import split_batch
from begegnungsatlas.analysis.regionalisation.maxp import _construct


def lattice(side: int) -> list[object]:
    """Unit squares, row by row (as in test_regionalisation)."""
    return [box(c, r, c + 1, r + 1) for r in range(side) for c in range(side)]


def smooth_data(side: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Two spatially smooth attributes plus noise, and a population of 50..150 per cell (as in test_regionalisation)."""
    rng = np.random.default_rng(seed)
    r, c = np.divmod(np.arange(side * side), side)
    attrs = np.c_[np.sin(c / 3.0), np.cos(r / 2.5)] + 0.3 * rng.normal(size=(side * side, 2))
    return attrs, rng.uniform(50, 150, side * side)


def _reference_construct(
    nbrs: list[list[int]], pop: list[float], floor: float, rng: np.random.Generator
) -> tuple[list[int], int]:
    """The construction written plainly: tuple keys ``(free degree, noise, area)`` in the heap."""
    n = len(pop)
    labels = [-1] * n
    free_deg = [len(nb) for nb in nbrs]
    noise: list[float] = rng.random(n).tolist()
    p = 0

    def take(i: int, label: int, heap: list[tuple[int, float, int]]) -> None:
        labels[i] = label
        for v in nbrs[i]:
            free_deg[v] -= 1
            if labels[v] == -1:
                heapq.heappush(heap, (free_deg[v], noise[v], v))

    heap: list[tuple[int, float, int]] = []
    for i in range(n):
        if pop[i] >= floor:
            take(i, p, heap)
            p += 1
    heap = [(free_deg[i], noise[i], i) for i in range(n) if labels[i] == -1]
    heapq.heapify(heap)
    while heap:
        deg, _, seed = heapq.heappop(heap)
        if labels[seed] != -1 or deg != free_deg[seed]:
            continue
        members = [seed]
        take(seed, p, heap)
        total = pop[seed]
        links: dict[int, int] = {}
        for v in nbrs[seed]:
            if labels[v] == -1:
                links[v] = links.get(v, 0) + 1
        while total < floor and links:
            need = floor - total
            completing = [v for v in links if pop[v] >= need]
            if completing:
                nxt = min(completing, key=lambda v: (pop[v], -links[v], noise[v]))
            else:
                nxt = max(links, key=lambda v: (links[v], -free_deg[v], noise[v]))
            del links[nxt]
            members.append(nxt)
            take(nxt, p, heap)
            total += pop[nxt]
            for v in nbrs[nxt]:
                if labels[v] == -1:
                    links[v] = links.get(v, 0) + 1
        if total >= floor:
            p += 1
        else:
            for m in members:
                labels[m] = -2
    return labels, p


def _neighbours(adj: sp.csr_array) -> list[list[int]]:
    return [adj.indices[adj.indptr[i] : adj.indptr[i + 1]].tolist() for i in range(adj.shape[0])]


@pytest.mark.parametrize(("side", "floor", "seed"), [(9, 400.0, 0), (13, 1000.0, 1), (13, 1000.0, 2), (17, 650.0, 3)])
def test_construct_matches_the_tuple_keyed_reference(side: int, floor: float, seed: int) -> None:
    adj = contiguity_from_polygons(lattice(side), kind="queen" if seed == 2 else "rook")
    _, pop = smooth_data(side, seed=seed)
    pop[seed] = 2 * floor  # one area reaches the floor alone
    nbrs = _neighbours(adj)
    for draw in range(3):
        got = _construct(nbrs, pop.tolist(), floor, np.random.default_rng([seed, draw]))
        want = _reference_construct(nbrs, pop.tolist(), floor, np.random.default_rng([seed, draw]))
        assert got == want


def _tree_cut_brute_force(
    nodes: np.ndarray, adj: sp.csr_array, z: np.ndarray, pop: np.ndarray, floor: float
) -> float:
    """Smallest SSD over all cuts of the minimum spanning tree of one group that leave both parts >= floor."""
    sub = adj[nodes][:, nodes].tocoo()
    d = ((z[nodes[sub.row]] - z[nodes[sub.col]]) ** 2).sum(axis=1)
    tree = minimum_spanning_tree(sp.csr_array((d, (sub.row, sub.col)), shape=(nodes.size, nodes.size))).tocoo()
    best = np.inf
    for e in range(tree.nnz):
        keep = np.arange(tree.nnz) != e
        rest = sp.csr_array((np.ones(int(keep.sum())), (tree.row[keep], tree.col[keep])), shape=sub.shape)
        _, part = connected_components(rest, directed=False)
        if min(pop[nodes[part == 0]].sum(), pop[nodes[part == 1]].sum()) >= floor:
            best = min(best, within_region_ssd(z[nodes], part))
    return best


def test_split_batch_finds_the_best_floor_cut_of_the_minimum_spanning_tree() -> None:
    side = 12
    adj = contiguity_from_polygons(lattice(side))
    rng = np.random.default_rng(5)
    z = rng.normal(size=(side * side, 2))  # continuous: the minimum spanning tree is unique
    pop = rng.uniform(50, 150, side * side)
    # disjoint connected groups of different sizes in one batch (padding of the smaller ones)
    r, c = np.divmod(np.arange(side * side), side)
    groups = [
        np.flatnonzero((r < 3) & (c < 8)),
        np.flatnonzero((r >= 4) & (r < 6) & (c < 5)),
        np.flatnonzero((r >= 7) & (c >= 2) & (c < 6)),
        np.flatnonzero((r >= 4) & (c >= 9)),
    ]
    src = np.repeat(np.arange(side * side), np.diff(adj.indptr))
    dst = adj.indices.astype(np.int64)
    once = src < dst
    src, dst = src[once], dst[once]
    dist = ((z[src] - z[dst]) ** 2).sum(axis=1)
    floor = 300.0
    results = split_batch(groups, z, pop, src, dst, dist, floor, np.ones((src.size, 1)))
    for nodes, (val, part) in zip(groups, results, strict=True):
        want = _tree_cut_brute_force(nodes, adj, z, pop, floor)
        assert np.isfinite(want)
        assert val == pytest.approx(want)
        two = np.isin(nodes, part).astype(np.int64)
        assert val == pytest.approx(within_region_ssd(z[nodes], two))
        assert regions_are_contiguous(adj[nodes][:, nodes], two)
        assert min(pop[part].sum(), pop[nodes[two == 0]].sum()) >= floor
    # a floor no cut can meet
    assert all(v == np.inf and p.size == 0 for v, p in split_batch(
        groups, z, pop, src, dst, dist, 1e9, np.ones((src.size, 1))))


def test_split_batch_limit_traces_only_the_parts_that_are_wanted() -> None:
    side = 10
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side, seed=6)
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    groups = [np.arange(0, 30), np.arange(40, 70)]
    src = np.repeat(np.arange(side * side), np.diff(adj.indptr))
    dst = adj.indices.astype(np.int64)
    once = src < dst
    src, dst = src[once], dst[once]
    dist = ((z[src] - z[dst]) ** 2).sum(axis=1)
    factors = np.exp(np.random.default_rng(2).normal(size=(src.size, 4)))
    full = split_batch(groups, z, pop, src, dst, dist, 1000.0, factors)
    assert all(np.isfinite(v) and p.size for v, p in full)
    limit = np.array([full[0][0] + 1.0, full[1][0]])  # the second value is not below its limit
    limited = split_batch(groups, z, pop, src, dst, dist, 1000.0, factors, limit=limit)
    assert limited[0][0] == full[0][0]
    assert limited[0][1].tolist() == full[0][1].tolist()
    assert limited[1][0] == full[1][0]
    assert limited[1][1].size == 0


def test_max_p_fixed_case_is_valid_deterministic_and_no_worse_than_the_earlier_algorithm() -> None:
    # 14 x 14 rook lattice, floor 1,000, interactive settings, seed 0. The algorithm before the
    # speed work (main at 6ffe4e2) gave 19 regions with SSD 76.505 here.
    side = 14
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side, seed=4)
    kwargs = {"seed": 0, "time_limit": None, **interactive_maxp_settings(side * side)}
    res = max_p_regions(attrs, adj, pop, 1000.0, **kwargs)
    again = max_p_regions(attrs, adj, pop, 1000.0, **kwargs)
    assert res.labels.tolist() == again.labels.tolist()
    assert res.ssd == again.ssd
    assert regions_are_contiguous(adj, res.labels)
    assert np.bincount(res.labels, weights=pop).min() >= 1000.0
    assert res.n_regions >= 19
    assert res.ssd <= 76.505


def test_recombine_trees_is_passed_on_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from begegnungsatlas.analysis.errors import AnalysisError
    from begegnungsatlas.analysis.regionalisation import maxp

    seen: list[int] = []
    real = maxp.recombine

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(int(kwargs["trees"]))  # type: ignore[call-overload]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(maxp, "recombine", spy)
    adj = contiguity_from_polygons(lattice(8))
    attrs, pop = smooth_data(8)
    res = max_p_regions(attrs, adj, pop, 500.0, seed=0, n_improve=1, recombine_trees=3)
    assert seen
    assert set(seen) == {3}
    assert regions_are_contiguous(adj, res.labels)
    seen.clear()
    max_p_regions(attrs, adj, pop, 500.0, seed=0, n_improve=1)
    assert set(seen) == {24}  # the default
    with pytest.raises(AnalysisError, match="recombine_trees must be >= 1"):
        max_p_regions(attrs, adj, pop, 500.0, recombine_trees=0)
