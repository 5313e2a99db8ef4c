"""Regionalisation: contiguity graphs, max-p and SKATER-like regions."""

from __future__ import annotations

import csv
import itertools
import json

import numpy as np
import pytest
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from shapely.geometry import box

from begegnungsatlas.analysis.errors import AnalysisError, EmptyInputError, InfeasibleError
from begegnungsatlas.analysis.regionalisation import (
    connect_components,
    contiguity_from_polygons,
    drop_cross_group_links,
    max_p_regions,
    regions_are_contiguous,
    skater_regions,
    within_region_ssd,
)
from begegnungsatlas.data import DATA_DIR

DATA = DATA_DIR  # bundled copies of the real data (docs/DATA.md)


def lattice(side: int, *, offset: float = 0.0) -> list[shapely.Polygon]:
    """Unit squares, row by row; cell (row r, column c) has index r * side + c."""
    return [box(offset + c, r, offset + c + 1, r + 1) for r in range(side) for c in range(side)]


def smooth_data(side: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Two spatially smooth attributes plus noise, and a population of 50..150 per cell."""
    rng = np.random.default_rng(seed)
    r, c = np.divmod(np.arange(side * side), side)
    attrs = np.c_[np.sin(c / 3.0), np.cos(r / 2.5)] + 0.3 * rng.normal(size=(side * side, 2))
    return attrs, rng.uniform(50, 150, side * side)


# --- contiguity --------------------------------------------------------------------------


def test_rook_and_queen_counts_on_3x3_lattice() -> None:
    # Rook: 3 rows x 2 horizontal links + 3 columns x 2 vertical links = 12.
    # Queen adds the diagonals: 2 x 2 cells-blocks x 2 diagonals = 8, so 20.
    rook = contiguity_from_polygons(lattice(3), kind="rook")
    queen = contiguity_from_polygons(lattice(3), kind="queen")
    assert rook.nnz // 2 == 12
    assert queen.nnz // 2 == 20
    # the centre touches every other cell under queen, only the 4 edge-neighbours under rook
    assert sorted(rook[[4]].indices.tolist()) == [1, 3, 5, 7]
    assert sorted(queen[[4]].indices.tolist()) == [0, 1, 2, 3, 5, 6, 7, 8]
    assert sorted(rook[[0]].indices.tolist()) == [1, 3]
    assert (rook != rook.T).nnz == 0
    assert rook.diagonal().sum() == 0


def test_tolerance_bridges_digitising_gaps() -> None:
    cells = [box(0, 0, 1, 1), box(1.001, 0, 2, 1)]
    with pytest.raises(AnalysisError, match="not all connected"):
        contiguity_from_polygons(cells)
    adj = contiguity_from_polygons(cells, tolerance=0.01)
    assert adj.nnz == 2


def test_real_dortmund_unterbezirke_with_invalid_polygons() -> None:
    features = json.loads((DATA / "dortmund/unterbezirke_do_data2024.geojson").read_text(encoding="utf-8"))[
        "features"
    ]
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    assert (~shapely.is_valid(geoms)).sum() == 60
    rook = contiguity_from_polygons(geoms, kind="rook")
    queen = contiguity_from_polygons(geoms, kind="queen")
    assert rook.shape == (170, 170)
    assert connected_components(rook)[0] == 1
    assert 0 < rook.nnz < queen.nnz
    # rook links are a subset of queen links
    assert (rook.multiply(queen) != rook).nnz == 0
    assert np.diff(rook.indptr).min() >= 1


def test_real_kreis_dueren_gemeinden_are_one_connected_kreis() -> None:
    features = json.loads(
        (DATA / "boundaries/kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8")
    )["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    adj = contiguity_from_polygons(geoms, kind="rook", islands="raise")
    assert adj.shape == (15, 15)
    assert connected_components(adj)[0] == 1


def test_islands_raise_connect_keep() -> None:
    cells = lattice(2) + [box(10, 10, 11, 11)]  # a far-away island, index 4
    with pytest.raises(AnalysisError, match=r"not all connected: area 4 belongs to a part of 1 areas"):
        contiguity_from_polygons(cells, islands="raise")
    kept = contiguity_from_polygons(cells, islands="keep")
    assert connected_components(kept)[0] == 2
    joined = contiguity_from_polygons(cells, islands="connect")
    assert connected_components(joined)[0] == 1
    # the island is linked to the nearest cell (index 3, the square at (1, 1))
    assert joined[[4]].indices.tolist() == [3]


def test_connect_components_joins_nearest_pairs() -> None:
    adj = sp.csr_array((4, 4), dtype=np.int8)
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [10.5, 0.0]])
    out, links = connect_components(adj, xy)
    assert connected_components(out)[0] == 1
    assert sorted(map(sorted, links.tolist())) == [[0, 1], [1, 2], [2, 3]]


def test_groups_drop_cross_border_links_and_connect_within_groups() -> None:
    cells = lattice(2) + [box(10, 0, 11, 1)]
    groups = ["A", "B", "A", "B", "A"]  # left column + island in A, right column in B
    adj = contiguity_from_polygons(cells, groups=groups, islands="connect")
    g = np.asarray(groups)
    rows, cols = adj.nonzero()
    assert (g[rows] == g[cols]).all()
    assert connected_components(adj)[0] == 2
    with pytest.raises(AnalysisError, match="within group 'A'"):
        contiguity_from_polygons(cells, groups=groups, islands="raise")


def test_contiguity_bad_input() -> None:
    with pytest.raises(EmptyInputError, match="no polygons given"):
        contiguity_from_polygons([])
    with pytest.raises(AnalysisError, match="geometry 1 is a Point, not a polygon"):
        contiguity_from_polygons([box(0, 0, 1, 1), shapely.Point(0, 0)])
    with pytest.raises(AnalysisError, match="kind: expected 'rook' or 'queen'"):
        contiguity_from_polygons(lattice(2), kind="bishop")  # type: ignore[arg-type]
    with pytest.raises(AnalysisError, match="groups: expected 4 keys"):
        contiguity_from_polygons(lattice(2), groups=["A"])


# --- objective helpers --------------------------------------------------------------------


def test_within_region_ssd_matches_naive_sum() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(30, 3))
    labels = rng.integers(0, 4, 30)
    naive = sum(((z[labels == r] - z[labels == r].mean(0)) ** 2).sum() for r in range(4))
    assert within_region_ssd(z, labels) == pytest.approx(naive)


# --- max-p ----------------------------------------------------------------------------------


def test_max_p_regions_are_contiguous_and_reach_the_floor() -> None:
    side = 12
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side)
    res = max_p_regions(attrs, adj, pop, 1000.0, seed=5)
    assert res.labels.shape == (side * side,)
    assert set(res.labels.tolist()) == set(range(res.n_regions))
    assert regions_are_contiguous(adj, res.labels)
    assert res.population is not None
    assert res.population.min() >= 1000.0
    assert res.population.sum() == pytest.approx(pop.sum())
    # total population ~14,400 → at most 14 regions; a decent heuristic gets close
    assert 12 <= res.n_regions <= int(pop.sum() // 1000)
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    assert res.ssd == pytest.approx(within_region_ssd(z, res.labels))
    assert res.method == "max-p"
    assert res.seed == 5
    assert res.iterations > 0


def test_max_p_is_reproducible_with_a_seed() -> None:
    adj = contiguity_from_polygons(lattice(10))
    attrs, pop = smooth_data(10)
    first = max_p_regions(attrs, adj, pop, 800.0, seed=11)
    again = max_p_regions(attrs, adj, pop, 800.0, seed=11)
    assert np.array_equal(first.labels, again.labels)
    assert first.ssd == again.ssd


def test_max_p_local_search_improves_on_construction() -> None:
    adj = contiguity_from_polygons(lattice(10))
    attrs, pop = smooth_data(10)
    plain = max_p_regions(
        attrs, adj, pop, 800.0, seed=2, n_improve=1, max_passes=0, recombine_rounds=0, sweeps=0
    )
    full = max_p_regions(attrs, adj, pop, 800.0, seed=2)
    assert full.n_regions >= plain.n_regions
    assert full.ssd < plain.ssd


def test_max_p_merge_and_resplit_lowers_the_ssd_of_tight_regions() -> None:
    # floor close to the mean region size: boundary moves alone are mostly blocked
    side = 16
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side)
    moves_only = max_p_regions(attrs, adj, pop, 1000.0, seed=0, recombine_rounds=0)
    both = max_p_regions(attrs, adj, pop, 1000.0, seed=0)
    assert both.n_regions == moves_only.n_regions
    assert both.ssd < moves_only.ssd
    assert regions_are_contiguous(adj, both.labels)
    assert both.population is not None
    assert both.population.min() >= 1000.0


def test_recombine_keeps_p_contiguity_and_floor_and_never_raises_the_ssd() -> None:
    from begegnungsatlas.analysis.regionalisation._recombine import recombine, split_batch

    side = 12
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side, seed=8)
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    start = max_p_regions(
        z, adj, pop, 900.0, seed=3, standardise=False, n_improve=1, max_passes=0, recombine_rounds=0
    )
    indptr, indices = adj.indptr.astype(np.int64), adj.indices.astype(np.int64)
    labels, changes = recombine(z, indptr, indices, start.labels, pop, 900.0, rng=np.random.default_rng(1))
    assert changes > 0
    assert labels.max() + 1 == start.n_regions
    assert regions_are_contiguous(adj, labels)
    assert np.bincount(labels, weights=pop).min() >= 900.0
    assert within_region_ssd(z, labels) < start.ssd
    again, _ = recombine(z, indptr, indices, start.labels, pop, 900.0, rng=np.random.default_rng(1))
    assert again.tolist() == labels.tolist()  # seeded: same result
    # a batch of disjoint region pairs: every split is two connected parts above the floor,
    # scored exactly, and no better split exists among those trees' cuts than the plain MST's
    n = side * side
    src = np.repeat(np.arange(n), np.diff(indptr))
    once = src < indices
    src, dst = src[once], indices[once]
    dist = ((z[src] - z[dst]) ** 2).sum(1)
    used: set[int] = set()
    groups = []
    for u, v in zip(labels[src].tolist(), labels[dst].tolist(), strict=True):
        if u != v and u not in used and v not in used:
            used |= {u, v}
            groups.append(np.flatnonzero((labels == u) | (labels == v)))
    assert len(groups) >= 2
    factors = np.exp(np.random.default_rng(0).normal(size=(src.size, 5)))
    plain = split_batch(groups, z, pop, src, dst, dist, 900.0, np.ones((src.size, 1)))
    results = split_batch(groups, z, pop, src, dst, dist, 900.0, factors, [True] * len(groups))
    found = 0
    for pair, (val0, _), (val, part) in zip(groups, plain, results, strict=True):
        assert val <= val0  # tree 0 is the plain MST
        if not part.size:
            continue
        found += 1
        rest = np.setdiff1d(pair, part)
        assert pop[part].sum() >= 900.0
        assert pop[rest].sum() >= 900.0
        two = np.zeros(n, dtype=np.int64)
        two[rest] = 1
        assert regions_are_contiguous(adj[pair][:, pair], two[pair])
        assert val == pytest.approx(within_region_ssd(z[pair], two[pair]))
    assert found > 0


def test_max_p_time_limit_bounds_the_work_and_still_gives_valid_regions() -> None:
    side = 15
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side)
    res = max_p_regions(attrs, adj, pop, 1000.0, seed=0, time_limit=0.0)
    assert res.iterations == 1  # one construction always completes; no pass or sweep starts
    assert regions_are_contiguous(adj, res.labels)
    assert res.population is not None
    assert res.population.min() >= 1000.0


def test_max_p_area_above_floor_alone_is_its_own_region() -> None:
    path = sp.diags([1, 1], [-1, 1], shape=(5, 5))
    res = max_p_regions([0, 1, 2, 3, 4], path, [1, 1, 10, 1, 1], floor=2, seed=0)
    assert res.n_regions == 3
    assert res.labels[2] not in (res.labels[1], res.labels[3])


def test_max_p_respecting_borders_never_crosses_them() -> None:
    side = 10
    cells = lattice(side)
    groups = np.where(np.arange(side * side) % side < 4, "Kommune A", "Kommune B")
    adj = contiguity_from_polygons(cells, groups=groups)
    attrs, pop = smooth_data(side)
    res = max_p_regions(attrs, adj, pop, 900.0, seed=1)
    for r in range(res.n_regions):
        assert len(set(groups[res.labels == r])) == 1
    ignoring = max_p_regions(attrs, contiguity_from_polygons(cells), pop, 900.0, seed=1)
    crossing = [len(set(groups[ignoring.labels == r])) for r in range(ignoring.n_regions)]
    assert max(crossing) == 2  # without the groups some region does cross


def test_real_dortmund_regions_respect_stadtbezirk_borders() -> None:
    features = json.loads((DATA / "dortmund/unterbezirke_do_data2024.geojson").read_text(encoding="utf-8"))[
        "features"
    ]
    with (DATA / "dortmund/raumgliederung_unterbezirk_statbezirk_stadtbezirk.csv").open(
        encoding="utf-8"
    ) as fh:
        stadtbezirk = {row["unbeznr"]: row["stadtbeznr"] for row in csv.DictReader(fh)}
    groups = np.array([stadtbezirk[f["properties"]["unbeznr"]] for f in features])
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    attrs = [
        [f["properties"]["children_under_15_SGB_II_pct"], f["properties"]["over_65_SGB_XII_pct"]]
        for f in features
    ]
    adj = contiguity_from_polygons(geoms, groups=groups)
    assert connected_components(adj)[0] == 12  # one part per Stadtbezirk
    maxp = max_p_regions(attrs, adj, np.ones(170), 4.0, seed=0)
    skater = skater_regions(attrs, adj, 20)
    for res in (maxp, skater):
        assert regions_are_contiguous(adj, res.labels)
        for r in range(res.n_regions):
            assert len(set(groups[res.labels == r])) == 1
    assert maxp.population is not None
    assert maxp.population.min() >= 4.0


def test_real_kreis_dueren_max_p_with_census_population() -> None:
    features = json.loads(
        (DATA / "boundaries/kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8")
    )["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    pop = np.array([f["properties"]["einwohner_zensus2022"] for f in features], dtype=float)
    density = pop / shapely.area(np.array(geoms))
    adj = contiguity_from_polygons(geoms)
    res = max_p_regions(np.log(density), adj, pop, 30_000.0, seed=0)
    assert regions_are_contiguous(adj, res.labels)
    assert res.population is not None
    assert res.population.min() >= 30_000.0
    assert res.n_regions <= int(pop.sum() // 30_000)
    # the largest Gemeinde (Düren, 94,149) fills one region; the rest share what is left
    assert res.n_regions <= 1 + int((pop.sum() - pop.max()) // 30_000)


def test_max_p_disconnected_parts_are_regionalised_separately() -> None:
    cells = lattice(3) + lattice(3, offset=20)
    adj = contiguity_from_polygons(cells, islands="keep")
    res = max_p_regions(np.arange(18.0), adj, np.ones(18), 3.0, seed=0)
    assert regions_are_contiguous(adj, res.labels)
    assert res.n_regions == 6
    assert not set(res.labels[:9]) & set(res.labels[9:])


def test_max_p_bad_input_messages() -> None:
    adj = contiguity_from_polygons(lattice(2))
    with pytest.raises(EmptyInputError, match="attributes: no areas given"):
        max_p_regions(np.zeros((0, 2)), sp.csr_array((0, 0)), [], 1.0)
    with pytest.raises(AnalysisError, match="attributes: row 2 contains NaN"):
        max_p_regions([1.0, 2.0, np.nan, 3.0], adj, [1] * 4, 1.0)
    with pytest.raises(AnalysisError, match="floor: must be a positive number, got 0"):
        max_p_regions([1, 2, 3, 4], adj, [1] * 4, 0)
    with pytest.raises(InfeasibleError, match="all areas together have only 4; lower the floor"):
        max_p_regions([1, 2, 3, 4], adj, [1] * 4, 5)
    with pytest.raises(AnalysisError, match="floor_variable: expected 4 values"):
        max_p_regions([1, 2, 3, 4], adj, [1] * 3, 1)
    with pytest.raises(AnalysisError, match="adjacency: expected shape \\(3, 3\\)"):
        max_p_regions([1, 2, 3], adj, [1] * 3, 1)
    asym = sp.csr_array(np.array([[0, 1], [0, 0]]))
    with pytest.raises(AnalysisError, match="not symmetric"):
        max_p_regions([1, 2], asym, [1, 1], 1)
    island = contiguity_from_polygons(lattice(2) + [box(9, 9, 10, 10)], islands="keep")
    with pytest.raises(InfeasibleError, match="connected part containing area 4 \\(1 areas\\) has only 1"):
        max_p_regions([1, 2, 3, 4, 5], island, [1] * 5, 2)


# --- SKATER ---------------------------------------------------------------------------------


def test_skater_gives_n_contiguous_regions_and_refinement_helps() -> None:
    side = 12
    adj = contiguity_from_polygons(lattice(side))
    attrs, _ = smooth_data(side)
    plain = skater_regions(attrs, adj, 6, refine=False)
    refined = skater_regions(attrs, adj, 6)
    for res in (plain, refined):
        assert res.n_regions == 6
        assert set(res.labels.tolist()) == set(range(6))
        assert regions_are_contiguous(adj, res.labels)
        assert res.population is None
        assert res.seed is None
    assert refined.ssd <= plain.ssd


def test_skater_first_cut_is_the_best_single_cut_of_the_mst() -> None:
    # brute force: cut every MST edge, recompute the SSD from scratch, take the best
    side = 5
    adj = contiguity_from_polygons(lattice(side))
    attrs, _ = smooth_data(side, seed=8)
    z = (attrs - attrs.mean(0)) / attrs.std(0)
    upper = sp.triu(adj, k=1).tocoo()
    dist = np.sqrt(((z[upper.row] - z[upper.col]) ** 2).sum(1)) + 1.0
    mst = minimum_spanning_tree(sp.csr_array((dist, (upper.row, upper.col)), shape=adj.shape)).tocoo()
    best = np.inf
    for k in range(mst.nnz):
        keep = np.arange(mst.nnz) != k
        forest = sp.csr_array((np.ones(keep.sum()), (mst.row[keep], mst.col[keep])), shape=adj.shape)
        _, parts = connected_components(forest, directed=False)
        best = min(best, within_region_ssd(z, parts))
    res = skater_regions(attrs, adj, 2, refine=False)
    assert res.ssd == pytest.approx(best)


def test_skater_with_floor_respects_it() -> None:
    side = 10
    adj = contiguity_from_polygons(lattice(side))
    attrs, pop = smooth_data(side)
    res = skater_regions(attrs, adj, 5, floor_variable=pop, floor=1500.0)
    assert res.population is not None
    assert res.population.min() >= 1500.0
    assert regions_are_contiguous(adj, res.labels)
    with pytest.raises(
        InfeasibleError, match=r"only \d+ regions can be formed with every region at or above"
    ):
        skater_regions(attrs, adj, 9, floor_variable=pop, floor=pop.sum() / 8)


def test_skater_bad_input_messages() -> None:
    adj = contiguity_from_polygons(lattice(2))
    with pytest.raises(AnalysisError, match="5 regions requested but there are only 4 areas"):
        skater_regions([1, 2, 3, 4], adj, 5)
    with pytest.raises(AnalysisError, match="n_regions: must be a positive integer, got 0"):
        skater_regions([1, 2, 3, 4], adj, 0)
    with pytest.raises(AnalysisError, match="floor_variable and floor must be given together"):
        skater_regions([1, 2, 3, 4], adj, 2, floor=3.0)
    with pytest.raises(AnalysisError, match="attributes: row 0 contains NaN"):
        skater_regions([[np.inf, 1]] + [[1, 1]] * 3, adj, 2)
    cells = lattice(2) + lattice(2, offset=10) + lattice(2, offset=20)
    parts = contiguity_from_polygons(cells, islands="keep")
    with pytest.raises(
        InfeasibleError, match="has 3 separate parts, so at least 3 regions are needed, got 2"
    ):
        skater_regions(np.arange(12.0), parts, 2)
    res = skater_regions(np.arange(12.0), parts, 4)
    assert regions_are_contiguous(parts, res.labels)


@pytest.mark.parametrize(("method", "kwargs"), [("maxp", {"floor": 3.0}), ("skater", {"n_regions": 3})])
def test_constant_attributes_still_give_valid_regions(method: str, kwargs: dict[str, float]) -> None:
    adj = contiguity_from_polygons(lattice(3))
    attrs = np.ones((9, 2))
    if method == "maxp":
        res = max_p_regions(attrs, adj, np.ones(9), kwargs["floor"], seed=0)
    else:
        res = skater_regions(attrs, adj, int(kwargs["n_regions"]))
    assert res.n_regions == 3
    assert res.ssd == 0.0
    assert regions_are_contiguous(adj, res.labels)


def test_drop_cross_group_links_checks_length() -> None:
    with pytest.raises(AnalysisError, match="groups: expected 2 keys"):
        drop_cross_group_links(sp.csr_array((2, 2)), ["A", "B", "C"])


def test_regions_are_contiguous_detects_split_region() -> None:
    adj = contiguity_from_polygons(lattice(3))
    labels = np.zeros(9, dtype=np.int64)
    labels[[1, 4, 7]] = 1  # middle column splits region 0 into left and right columns
    assert not regions_are_contiguous(adj, labels)
    labels[[2, 5, 8]] = 2
    assert regions_are_contiguous(adj, labels)


def test_every_partition_of_a_tiny_path_is_no_better_than_max_p() -> None:
    # exhaustive check on 7 areas in a row: max-p finds the true maximum p
    n = 7
    path = sp.diags([1, 1], [-1, 1], shape=(n, n))
    pop = np.array([3, 1, 1, 2, 2, 1, 3], dtype=float)
    best_p = 0
    for cuts in itertools.product([0, 1], repeat=n - 1):
        bounds = [0] + [i + 1 for i, c in enumerate(cuts) if c] + [n]
        sums = [pop[a:b].sum() for a, b in itertools.pairwise(bounds)]
        if min(sums) >= 3:
            best_p = max(best_p, len(sums))
    res = max_p_regions(np.arange(n, dtype=float), path, pop, 3.0, seed=0)
    assert res.n_regions == best_p == 4


def test_contiguity_keeps_the_polygons_of_a_geometry_collection() -> None:
    """A repaired boundary stored as a GeometryCollection (polygon + stray line), as 39 of Dortmund's
    Unterbezirke come out of ``make_valid``: its polygon counts; a collection without polygons is refused."""
    from shapely.geometry import GeometryCollection, LineString

    mixed = GeometryCollection([box(1, 0, 2, 1), LineString([(2, 0), (3, 0)])])
    adj = contiguity_from_polygons([box(0, 0, 1, 1), mixed, box(2, 0, 3, 1)], kind="rook")
    assert adj.toarray().tolist() == [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    lines_only = GeometryCollection([LineString([(0, 0), (1, 1)])])
    with pytest.raises(AnalysisError, match="geometry 1 is a GeometryCollection without polygons"):
        contiguity_from_polygons([box(0, 0, 1, 1), lines_only])
