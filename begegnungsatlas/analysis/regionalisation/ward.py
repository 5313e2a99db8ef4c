"""Ward's agglomerative clustering restricted to contiguous merges, with an optional population floor.

Every area starts as its own region; the two *adjacent* regions whose merge increases the within-region sum of
squared deviations (SSD) least are merged, until ``n_regions`` remain (Ward 1963, *Hierarchical grouping to
optimize an objective function*, JASA 58(301); with a contiguity constraint as in Murtagh 1985, *A survey of
algorithms for contiguity-constrained clustering*, Computer Journal 28(1)). The merge cost of regions A and B is
the Ward distance ``n_A n_B / (n_A + n_B) · |mean_A − mean_B|²``, which is exactly the rise of the SSD.

With a floor, merging goes on past ``n_regions`` (or starts without a target) while any region is below the
floor, then only merges that involve a region below the floor are allowed — so the result has at most
``n_regions`` regions, all reaching the floor.

A lazy heap of candidate pairs gives ``O(m log m)`` for ``m`` contiguity links.
"""

from __future__ import annotations

import heapq
import time
from typing import Any

import numpy as np
from scipy.sparse.csgraph import connected_components

from ..errors import AnalysisError, InfeasibleError
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


def ward_regions(
    attributes: Any,
    adjacency: Any,
    n_regions: int | None = None,
    *,
    floor_variable: Any = None,
    floor: float | None = None,
    standardise: bool = True,
) -> RegionalisationResult:
    """Contiguity-constrained Ward clustering into ``n_regions`` regions (and/or each reaching ``floor``).

    Parameters
    ----------
    attributes : array (n, k) or (n,)
        Indicators that regions should be homogeneous in.
    adjacency : sparse or dense matrix (n, n)
        Contiguity; regions never span connected parts.
    n_regions : int, optional
        Target number of regions. Without it, a ``floor`` is required and merging stops once every region
        reaches it.
    floor_variable, floor : array (n,), float, optional
        Minimum sum of ``floor_variable`` (population) per region.
    standardise : bool
        z-score the attribute columns first (default).

    Examples
    --------
    A path of four areas with two clear groups:

    >>> import numpy as np
    >>> adj = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> ward_regions([[0.0], [0.1], [5.0], [5.2]], adj, 2).labels.tolist()
    [0, 0, 1, 1]

    With a floor of 3 on population ``[1, 1, 1, 1]`` the two groups each reach 2 only, so they merge:

    >>> ward_regions([[0.0], [0.1], [5.0], [5.2]], adj, 2, floor_variable=[1, 1, 1, 1], floor=3).n_regions
    1
    """
    started = time.perf_counter()
    z = prepare_attributes(attributes, standardise=standardise)
    n = z.shape[0]
    adj = prepare_adjacency(adjacency, n)
    if n_regions is None and floor is None:
        raise AnalysisError("ward: give n_regions, a floor, or both")
    pop: FloatArray | None = None
    if floor is not None:
        if floor <= 0:
            raise AnalysisError("floor: must be positive")
        if floor_variable is None:
            raise AnalysisError("floor: a floor_variable is needed")
        pop = prepare_floor_variable(floor_variable, n)
        check_components_reach_floor(adj, pop, float(floor))
    n_parts, _parts = connected_components(adj, directed=False)
    if n_regions is not None:
        if not 1 <= n_regions <= n:
            raise AnalysisError(f"n_regions: must be between 1 and {n}, got {n_regions}")
        if n_regions < n_parts:
            raise InfeasibleError(
                f"n_regions {n_regions} is below the number of connected parts ({n_parts}); "
                "connect the islands or ask for more regions"
            )

    # Region state, indexed by region id (ids 0..n-1 are the areas; merged regions reuse the smaller id).
    count = np.ones(n, dtype=np.float64)
    sums = z.copy()
    popr = pop.copy() if pop is not None else np.zeros(n)
    alive = np.ones(n, dtype=bool)
    version = np.zeros(n, dtype=np.int64)
    neighbours: list[set[int]] = [set(adj.indices[adj.indptr[i]:adj.indptr[i + 1]].tolist()) for i in range(n)]
    parent = np.arange(n, dtype=np.int64)

    def cost(a: int, b: int) -> float:
        d = sums[a] / count[a] - sums[b] / count[b]
        return float(count[a] * count[b] / (count[a] + count[b]) * float(d @ d))

    def below(a: int) -> bool:
        return floor is not None and popr[a] < floor

    heap: list[tuple[float, int, int, int, int]] = []
    for a in range(n):
        for b in neighbours[a]:
            if a < b:
                heap.append((cost(a, b), a, b, 0, 0))
    heapq.heapify(heap)
    p = n
    merges = 0
    n_short = int((popr < floor).sum()) if floor is not None else 0
    while heap:
        target_reached = n_regions is None or p <= n_regions
        if target_reached and n_short == 0:
            break
        _c, a, b, va, vb = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or version[a] != va or version[b] != vb:
            continue
        if target_reached and not (below(a) or below(b)):
            # Past the target only regions below the floor merge; a region never drops below the floor
            # again (populations only grow), so this pair will never be needed.
            continue
        keep, drop = (a, b) if a < b else (b, a)
        n_short -= int(below(keep)) + int(below(drop))
        count[keep] += count[drop]
        sums[keep] += sums[drop]
        popr[keep] += popr[drop]
        n_short += int(below(keep))
        alive[drop] = False
        parent[drop] = keep
        version[keep] += 1
        merged = (neighbours[keep] | neighbours[drop]) - {keep, drop}
        for other in neighbours[drop]:
            neighbours[other].discard(drop)
            neighbours[other].add(keep)
        neighbours[keep] = merged
        neighbours[drop] = set()
        for other in merged:
            heapq.heappush(heap, (cost(keep, other), min(keep, other), max(keep, other),
                                  int(version[min(keep, other)]), int(version[max(keep, other)])))
        p -= 1
        merges += 1

    roots = parent.copy()
    for i in range(n):  # path compression by repeated lookup (merge chains are short)
        r = i
        while parent[r] != r:
            r = int(parent[r])
        roots[i] = r
    labels: IntArray = relabel(roots)
    p_final = int(labels.max()) + 1
    return RegionalisationResult(
        labels=labels, n_regions=p_final, ssd=within_region_ssd(z, labels),
        population=region_population(pop, labels, p_final), seed=None, iterations=merges,
        seconds=time.perf_counter() - started, method="ward",
    )
