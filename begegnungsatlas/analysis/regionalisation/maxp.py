"""max-p regionalisation: as many contiguous regions as possible, each reaching a floor.

Problem (Duque, Anselin & Rey 2012): partition the areas into the largest number ``p`` of
spatially contiguous regions such that every region's sum of a spatially extensive
variable (population) reaches ``floor``; among partitions with that ``p``, minimise the
within-region sum of squared deviations (SSD) of the attributes.

Heuristic (in the spirit of Wei, Rey & Knaap 2021, with our own growth rules):

1. *Construction*, repeated ``n_constructions`` times with different random tie-breaks.
   Areas that reach the floor alone become regions. Then seeds are taken from the rim of
   the unassigned territory (fewest unassigned neighbours first), and each region grows
   by the candidate neighbour with the most links into the region (compact regions leave
   fewer stranded fragments); as soon as a candidate would complete the floor, the
   completing candidate with the smallest population is preferred (least overshoot).
   A region that runs out of candidates before the floor dissolves into *enclaves*,
   which are finally given to the neighbouring region whose SSD grows least.
2. Only constructions with the largest ``p`` are kept; the ``n_improve`` best of them
   (by SSD) are improved, and the best result wins. Improvement: a descent of
   ``_moves`` (boundary moves that keep every region connected and above the floor),
   then ``recombine_rounds`` rounds of ``_recombine`` (merge two adjacent regions and
   re-split them at the best floor-respecting cut of a spanning tree) each followed by
   a descent, then optionally simulated annealing (``sweeps``). Construction packs
   regions just above the floor, where single-area moves are mostly blocked by the
   floor; merge-and-resplit moves many areas at once and is what lowers the SSD.

Limits: a heuristic — the true maximum ``p`` is NP-hard to prove; the local search stops
at a local optimum. Runtime is bounded by ``n_constructions``, ``max_passes``,
``recombine_rounds``, ``sweeps`` and ``time_limit``.
"""

from __future__ import annotations

import heapq
import time
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ._common import (
    FloatArray,
    IntArray,
    RegionalisationResult,
    check_components_reach_floor,
    prepare_adjacency,
    prepare_attributes,
    prepare_floor_variable,
    region_population,
    relabel,
    within_region_ssd,
)
from ._moves import anneal, improve_by_moves
from ._recombine import recombine

_FREE = -1
_ENCLAVE = -2


def _construct(
    nbrs: list[list[int]],
    pop: list[float],
    floor: float,
    rng: np.random.Generator,
) -> tuple[list[int], int]:
    """One randomised greedy construction; returns labels with enclaves (``-2``) and p.

    Random tie-breaks are ranks of one uniform draw per area. The seed queue is a heap of
    plain integers ``free_degree * n + rank`` (lazy: an area whose free degree dropped is
    pushed again, the stale entry is skipped), and the growth choice compares one integer
    per candidate instead of a tuple, in the same order.
    """
    n = len(pop)
    labels = [_FREE] * n
    free_deg = [len(nb) for nb in nbrs]
    by_rank_arr = np.argsort(rng.random(n), kind="stable")
    rank_arr = np.empty(n, dtype=np.int64)
    rank_arr[by_rank_arr] = np.arange(n, dtype=np.int64)
    rank: list[int] = rank_arr.tolist()
    by_rank: list[int] = by_rank_arr.tolist()
    # growth score: most links into the region, then fewest free neighbours, then rank
    links_weight = (max(free_deg, default=0) + 2) * n
    largest = max(pop, default=0.0)  # no single candidate can complete a region needing more
    p = 0
    push = heapq.heappush

    def take(i: int, label: int, heap: list[int]) -> None:
        labels[i] = label
        for v in nbrs[i]:
            free_deg[v] -= 1
            if labels[v] == _FREE:
                push(heap, free_deg[v] * n + rank[v])

    heap: list[int] = []
    for i in range(n):
        if pop[i] >= floor:
            take(i, p, heap)
            p += 1
    heap = [free_deg[i] * n + rank[i] for i in range(n) if labels[i] == _FREE]
    heapq.heapify(heap)
    pop_heap = heapq.heappop
    while heap:
        deg, r = divmod(pop_heap(heap), n)
        seed = by_rank[r]
        if labels[seed] != _FREE or deg != free_deg[seed]:
            continue  # stale heap entry
        members = [seed]
        take(seed, p, heap)
        total = pop[seed]
        links: dict[int, int] = {}
        for v in nbrs[seed]:
            if labels[v] == _FREE:
                links[v] = links.get(v, 0) + 1
        while total < floor and links:
            need = floor - total
            completing = [v for v in links if pop[v] >= need] if need <= largest else None
            if completing:
                nxt = min(completing, key=lambda v: (pop[v], -links[v], rank[v]))
            else:
                nxt = max(links, key=lambda v: links[v] * links_weight - free_deg[v] * n + rank[v])
            del links[nxt]
            members.append(nxt)
            take(nxt, p, heap)
            total += pop[nxt]
            for v in nbrs[nxt]:
                if labels[v] == _FREE:
                    links[v] = links.get(v, 0) + 1
        if total >= floor:
            p += 1
        else:
            for m in members:
                labels[m] = _ENCLAVE
    return labels, p


def _assign_enclaves(labels: list[int], nbrs: list[list[int]], z: FloatArray, p: int) -> IntArray:
    """Give every enclave to the neighbouring region whose SSD grows least."""
    lab = np.array(labels, dtype=np.int64)
    enclaves = [i for i, v in enumerate(labels) if v < 0]
    if not enclaves:
        return lab
    assigned = lab >= 0
    counts = np.bincount(lab[assigned], minlength=p).astype(np.float64)
    sums = np.zeros((p, z.shape[1]))
    np.add.at(sums, lab[assigned], z[assigned])
    pending = enclaves
    while pending:
        left: list[int] = []
        for u in pending:
            regions = {int(lab[v]) for v in nbrs[u] if lab[v] >= 0}
            if not regions:
                left.append(u)
                continue
            x = z[u]
            # SSD increase of adding x to region r: n/(n+1) * |x - mean_r|^2
            best = min(
                regions,
                key=lambda r: counts[r] / (counts[r] + 1) * float(((x - sums[r] / counts[r]) ** 2).sum()),
            )
            lab[u] = best
            counts[best] += 1
            sums[best] += x
        if len(left) == len(pending):
            raise AnalysisError("max-p: enclaves without any neighbouring region (internal error)")
        pending = left
    return lab


def max_p_regions(
    attributes: Any,
    adjacency: Any,
    floor_variable: Any,
    floor: float,
    *,
    standardise: bool = True,
    seed: int | None = 0,
    n_constructions: int | None = None,
    n_improve: int | None = None,
    max_passes: int = 50,
    recombine_rounds: int | None = None,
    recombine_trees: int | None = None,
    sweeps: int = 0,
    time_limit: float | None = 60.0,
) -> RegionalisationResult:
    """Regionalise into the maximum number of contiguous regions reaching ``floor``.

    Parameters
    ----------
    attributes : array (n, k) or (n,)
        Indicators that regions should be homogeneous in.
    adjacency : sparse or dense matrix (n, n)
        Contiguity, e.g. from :func:`contiguity_from_polygons`. A disconnected graph is
        regionalised per connected part (regions never span parts).
    floor_variable : array (n,)
        Spatially extensive variable (population), non-negative.
    floor : float
        Minimum ``floor_variable`` sum per region; must be > 0.
    standardise : bool
        z-score each attribute column first (population std); the SSD is reported on the
        matrix used.
    seed : int or None
        Seed for the random tie-breaks; the same seed gives the same result.
    n_constructions, n_improve : int, optional
        Randomised constructions to run, and how many of the best ones (largest p, then
        SSD) to improve. Default: ``clip(250_000 // n, 10, 100)`` and
        ``clip(2_500 // n, 1, 10)`` — effort depends only on ``n``, so results are
        reproducible.
    max_passes : int
        Steepest-descent passes per descent.
    recombine_rounds : int
        Rounds of merge-and-resplit of adjacent region pairs (see ``_recombine``), each
        followed by a descent, per improved construction; 0 switches it off. Default: 8
        (on 10,000 grid cells a round costs about as much as 4 constructions).
    recombine_trees : int
        Random spanning trees per region pair in merge-and-resplit (more trees find better
        cuts of pairs tight around the floor, at proportional cost). Default: 24.
    sweeps : int
        Simulated-annealing sweeps per improved construction after those rounds
        (default 0, off: merge-and-resplit does more per second when regions are tight
        around the floor).
    time_limit : float or None
        Seconds after which no new construction, pass, round or sweep starts (at least one
        construction always completes). A run cut short by it is still valid but may
        differ between runs with the same seed.

    Returns
    -------
    RegionalisationResult

    Raises
    ------
    InfeasibleError
        If all areas together, or a connected part of them, cannot reach the floor.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> path = sp.diags([1, 1], [-1, 1], shape=(6, 6))
    >>> res = max_p_regions([0, 0, 1, 1, 9, 9], path, [1] * 6, floor=2, seed=1)
    >>> res.n_regions, res.labels.tolist(), res.ssd
    (3, [0, 0, 1, 1, 2, 2], 0.0)
    >>> res.population.tolist()
    [2.0, 2.0, 2.0]
    """
    started = time.perf_counter()
    deadline = None if time_limit is None else started + float(time_limit)
    z = prepare_attributes(attributes, standardise=standardise)
    n = z.shape[0]
    adj = prepare_adjacency(adjacency, n)
    pop = prepare_floor_variable(floor_variable, n)
    if not np.isfinite(floor) or floor <= 0:
        raise AnalysisError(f"floor: must be a positive number, got {floor}")
    if n_constructions is None:
        n_constructions = min(100, max(10, 250_000 // n))
    if n_improve is None:
        n_improve = min(10, max(1, 2_500 // n))
    if recombine_rounds is None:
        recombine_rounds = 8
    if recombine_trees is None:
        recombine_trees = 24
    if (
        n_constructions < 1
        or n_improve < 1
        or recombine_trees < 1
        or max_passes < 0
        or sweeps < 0
        or recombine_rounds < 0
    ):
        raise AnalysisError(
            "n_constructions, n_improve and recombine_trees must be >= 1, max_passes, recombine_rounds "
            "and sweeps >= 0"
        )
    check_components_reach_floor(adj, pop, float(floor))
    indptr = adj.indptr.astype(np.int64)
    indices = adj.indices.astype(np.int64)
    nbrs: list[list[int]] = [indices[indptr[i] : indptr[i + 1]].tolist() for i in range(n)]
    pop_l: list[float] = pop.tolist()
    rng = np.random.default_rng(seed)

    candidates: list[tuple[float, IntArray]] = []
    best_p = 0
    iterations = 0
    for _ in range(n_constructions):
        if iterations and deadline is not None and time.perf_counter() > deadline:
            break
        raw, p = _construct(nbrs, pop_l, float(floor), rng)
        iterations += 1
        if p < best_p:
            continue
        if p > best_p:
            best_p, candidates = p, []
        lab = _assign_enclaves(raw, nbrs, z, p)
        candidates.append((within_region_ssd(z, lab), lab))
    candidates.sort(key=lambda c: c[0])

    best_lab = candidates[0][1]
    best_ssd = candidates[0][0]
    for _, lab in candidates[:n_improve]:
        improved, moves = improve_by_moves(
            z, indptr, indices, lab, pop, float(floor), max_passes=max_passes, deadline=deadline
        )
        iterations += moves
        for _ in range(recombine_rounds):
            if deadline is not None and time.perf_counter() > deadline:
                break
            improved, changes = recombine(
                z,
                indptr,
                indices,
                improved,
                pop,
                float(floor),
                rng=rng,
                trees=recombine_trees,
                deadline=deadline,
            )
            if changes == 0:
                break
            improved, moves = improve_by_moves(
                z, indptr, indices, improved, pop, float(floor), max_passes=max_passes, deadline=deadline
            )
            iterations += changes + moves
        if sweeps > 0:
            improved, moves = anneal(
                z, indptr, indices, improved, pop, float(floor), rng=rng, sweeps=sweeps, deadline=deadline
            )
            iterations += moves
        ssd = within_region_ssd(z, improved)
        if ssd < best_ssd:
            best_ssd, best_lab = ssd, improved
        if deadline is not None and time.perf_counter() > deadline:
            break
    labels = relabel(best_lab)
    return RegionalisationResult(
        labels=labels,
        n_regions=best_p,
        ssd=best_ssd,
        population=region_population(pop, labels, best_p),
        seed=seed,
        iterations=iterations,
        seconds=time.perf_counter() - started,
        method="max-p",
    )
