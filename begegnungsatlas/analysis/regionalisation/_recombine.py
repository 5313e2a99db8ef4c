"""Merge-and-resplit local search for max-p: recombine two neighbouring regions.

When regions sit just above the floor, moving single boundary areas is mostly blocked
(the donor would drop below the floor). This search instead takes two adjacent regions
``A`` and ``B``, merges them, builds spanning trees of the merged area and cuts each into
two parts at the edge that gives the smallest SSD among the cuts leaving both parts at
or above the floor (the SKATER cut, restricted to one pair). The best cut over all trees
replaces the old pair if it lowers the SSD. The number of regions never changes, both
parts are connected (they are subtrees) and reach the floor.

Trees: tree 0 of a pair is the minimum spanning tree of the squared attribute distances
between neighbours; the other ``trees - 1`` multiply those distances by random factors
``exp(jitter * N(0, 1))``. With regions tight around the floor only a few tree edges
leave both sides above it, which is why many trees are needed. A pair that failed
``attempts`` times (fresh random trees each time) is skipped until one of its two regions
changes.

Everything is vectorised with numpy over a *batch*: a set of pairwise disjoint region
pairs (a greedy matching, so their results are independent and can be applied
together) times ``trees`` trees each, padded to the largest pair. Prim's algorithm runs
on all of them at once (one numpy step per added area); the order in which Prim adds
areas lists every parent before its children, so one reverse pass gives the subtree sums
of population, area count, attribute sums and sums of squares, and the SSD of both parts
for every cut edge is then one array formula (``SSD = Q - |S|^2 / n``), as is the floor
mask. One batch costs O(m) numpy steps on arrays of ``pairs * trees * m`` entries for
pairs of up to m areas (the dense distance matrices hold ``pairs * trees * m^2``; batches
are chunked to bound them).

A round visits every candidate pair once (in successive matchings, pairs with the
largest SSD first). The search stops after ``rounds`` rounds, when no pair is left to
try, or at ``deadline`` (``time.perf_counter`` value).
"""

from __future__ import annotations

import time

import numpy as np

from .._compiled import compiled
from ._common import BoolArray, FloatArray, IntArray

_TOL = 1e-10


def _split_trees(
    starts: IntArray,
    sizes: IntArray,
    arc_ptr: IntArray,
    arc_dst: IntArray,
    arc_edge: IntArray,
    weights: FloatArray,
    plain_d: FloatArray,
    plain: BoolArray,
    pop: FloatArray,
    z: FloatArray,
    floor: float,
    limit: FloatArray,
    part: BoolArray,
) -> FloatArray:
    """Compiled kernel of :func:`split_batch` (numba; plain Python when ``NUMBA_DISABLE_JIT=1``).

    Node positions ``starts[g] .. starts[g] + sizes[g]`` belong to group ``g``; ``arc_ptr``/``arc_dst``/
    ``arc_edge`` list each position's neighbours (positions) and the edge row of ``weights`` (one column per
    tree; tree 0 of a group with ``plain[g]`` uses ``plain_d``). For every group and tree: Prim's minimum
    spanning tree from the group's first node (O(m^2) scans, m is small), subtree sums in reverse Prim
    order (parents come before children), and every cut checked against the floor with
    ``SSD = Q - |S|^2 / n`` for both parts. Returns the best value per group (inf if no cut meets the
    floor or the group is not connected) and marks in ``part`` the positions of the cut-off subtree of
    every group whose best value is below ``limit[g]``.
    """
    n_groups = starts.shape[0]
    n_trees = weights.shape[1]
    k = z.shape[1]
    best_out = np.full(n_groups, np.inf)
    big_m = 1
    for g in range(n_groups):
        big_m = max(big_m, sizes[g])
    key = np.empty(big_m)
    done = np.zeros(big_m, dtype=np.bool_)
    parent = np.zeros(big_m, dtype=np.int64)
    order = np.zeros(big_m, dtype=np.int64)
    best_parent = np.zeros(big_m, dtype=np.int64)
    best_order = np.zeros(big_m, dtype=np.int64)
    sub_p = np.empty(big_m)
    sub_n = np.empty(big_m)
    sub_s = np.empty((big_m, k))
    tot_s = np.empty(k)
    in_part = np.zeros(big_m, dtype=np.bool_)
    for g in range(n_groups):
        s0 = starts[g]
        m = sizes[g]
        if m < 2:
            continue
        tot_p = 0.0
        q = 0.0
        for j in range(k):
            tot_s[j] = 0.0
        for i in range(m):
            tot_p += pop[s0 + i]
            for j in range(k):
                tot_s[j] += z[s0 + i, j]
                q += z[s0 + i, j] * z[s0 + i, j]
        best = np.inf
        best_v = -1
        for t in range(n_trees):
            use_plain = t == 0 and plain[g]
            for i in range(m):
                key[i] = np.inf
                done[i] = False
                parent[i] = -1
            key[0] = 0.0
            reached = 0
            for _step in range(m):
                u = -1
                low = np.inf
                for i in range(m):
                    if not done[i] and key[i] < low:
                        low = key[i]
                        u = i
                if u < 0:
                    break
                done[u] = True
                order[reached] = u
                reached += 1
                for a in range(arc_ptr[s0 + u], arc_ptr[s0 + u + 1]):
                    v = arc_dst[a] - s0
                    if done[v]:
                        continue
                    w = plain_d[arc_edge[a]] if use_plain else weights[arc_edge[a], t]
                    if w < key[v]:
                        key[v] = w
                        parent[v] = u
            if reached < m:
                break  # not connected: no tree of this group spans it
            for i in range(m):
                sub_p[i] = pop[s0 + i]
                sub_n[i] = 1.0
                for j in range(k):
                    sub_s[i, j] = z[s0 + i, j]
            for r in range(m - 1, 0, -1):
                v = order[r]
                u = parent[v]
                sub_p[u] += sub_p[v]
                sub_n[u] += sub_n[v]
                for j in range(k):
                    sub_s[u, j] += sub_s[v, j]
            found = False
            for v in range(1, m):
                if sub_p[v] < floor or tot_p - sub_p[v] < floor:
                    continue
                a2 = 0.0
                b2 = 0.0
                for j in range(k):
                    a2 += sub_s[v, j] * sub_s[v, j]
                    rest = tot_s[j] - sub_s[v, j]
                    b2 += rest * rest
                val = q - a2 / sub_n[v] - b2 / (m - sub_n[v])
                if val < best:
                    best = val
                    best_v = v
                    found = True
            if found:
                for i in range(m):
                    best_parent[i] = parent[i]
                    best_order[i] = order[i]
        best_out[g] = best
        if best_v >= 0 and best < limit[g]:
            for i in range(m):
                in_part[i] = False
            in_part[best_v] = True
            for r in range(1, m):
                v = best_order[r]
                if v != best_v and in_part[best_parent[v]]:
                    in_part[v] = True
            for i in range(m):
                part[s0 + i] = in_part[i]
    return best_out


_split_trees_compiled = compiled(_split_trees)


def split_batch(
    groups: list[IntArray],
    z: FloatArray,
    pop: FloatArray,
    edge_src: IntArray,
    edge_dst: IntArray,
    edge_d: FloatArray,
    floor: float,
    factors: FloatArray,
    plain: list[bool] | None = None,
    limit: FloatArray | None = None,
) -> list[tuple[float, IntArray]]:
    """Best floor-respecting tree cut of each node group: (SSD of both parts, one part).

    ``groups`` are disjoint arrays of area indices, each connected through the undirected
    edges ``edge_src[e] - edge_dst[e]`` with squared attribute distance ``edge_d[e]``
    (edges with an end outside a group are ignored). Each group gets one spanning tree
    per column of ``factors`` (shape ``(n_edges, trees)``), the minimum spanning tree of
    ``edge_d[e] * factors[e, t]``; for groups with ``plain[g]`` true, tree 0 uses the
    plain distances. Returns ``(inf, [])`` for a group where no cut leaves both parts at
    or above ``floor`` (or that is not connected), and ``(value, [])`` where the best
    value is not below ``limit[g]`` (the part is only traced where it is wanted).

    >>> # path 0-1-2-3 with values 0, 0, 5, 5 and unit population, floor 2
    >>> z = np.array([[0.0], [0.0], [5.0], [5.0]])
    >>> src, dst = np.array([0, 1, 2]), np.array([1, 2, 3])
    >>> d = ((z[src] - z[dst]) ** 2).sum(1)
    >>> [(v, p.tolist()) for v, p in split_batch([np.arange(4)], z, np.ones(4), src, dst, d, 2.0,
    ...                                          np.ones((3, 1)))]
    [(0.0, [2, 3])]
    """
    n = z.shape[0]
    empty = np.zeros(0, dtype=np.int64)
    out: list[tuple[float, IntArray]] = [(np.inf, empty) for _ in groups]
    if not groups:
        return out
    sizes = np.array([nodes.size for nodes in groups], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    all_nodes = np.concatenate(groups).astype(np.int64)
    slot = np.full(n, -1, dtype=np.int64)
    slot[all_nodes] = np.repeat(np.arange(len(groups)), sizes)
    position = np.full(n, -1, dtype=np.int64)
    position[all_nodes] = np.arange(all_nodes.size)
    gs = slot[edge_src]
    inside = np.flatnonzero((gs >= 0) & (gs == slot[edge_dst]))
    a, b = position[edge_src[inside]], position[edge_dst[inside]]
    arc_src = np.concatenate([a, b])
    by_src = np.argsort(arc_src, kind="stable")
    arc_dst = np.concatenate([b, a])[by_src]
    arc_edge = np.concatenate([np.arange(inside.size), np.arange(inside.size)])[by_src].astype(np.int64)
    arc_ptr = np.zeros(all_nodes.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(arc_src, minlength=all_nodes.size), out=arc_ptr[1:])
    plain_d = np.ascontiguousarray(edge_d[inside], dtype=np.float64)
    weights = np.ascontiguousarray(plain_d[:, None] * factors[inside], dtype=np.float64)
    plain_arr = np.zeros(len(groups), dtype=np.bool_) if plain is None else np.asarray(plain, dtype=np.bool_)
    lim = np.full(len(groups), np.inf) if limit is None else np.asarray(limit, dtype=np.float64)
    part = np.zeros(all_nodes.size, dtype=np.bool_)
    best = _split_trees_compiled(
        starts, sizes, arc_ptr, arc_dst, arc_edge, weights, plain_d, plain_arr,
        np.ascontiguousarray(pop[all_nodes], dtype=np.float64),
        np.ascontiguousarray(z[all_nodes], dtype=np.float64), float(floor), lim, part,
    )
    for g in np.flatnonzero(np.isfinite(best)).tolist():
        lo, hi = int(starts[g]), int(starts[g] + sizes[g])
        out[g] = (float(best[g]), all_nodes[lo:hi][part[lo:hi]] if best[g] < lim[g] else empty)
    return out


def _matching_batches(a: IntArray, b: IntArray, p: int) -> IntArray:
    """Batch number of each pair ``(a[i], b[i])``, in order: batch 0 is the greedy matching of the pairs in
    their order (a pair joins if neither region is taken yet), batch 1 the greedy matching of the pairs left,
    and so on; pairs in one batch share no region (compiled with numba)."""
    m = a.shape[0]
    batch = np.full(m, -1, dtype=np.int64)
    taken = np.full(p, -1, dtype=np.int64)  # the last batch that took each region
    left = m
    j = 0
    while left > 0:
        for i in range(m):
            if batch[i] < 0 and taken[a[i]] != j and taken[b[i]] != j:
                batch[i] = j
                taken[a[i]] = j
                taken[b[i]] = j
                left -= 1
        j += 1
    return batch


_matching_batches_compiled = compiled(_matching_batches)


def recombine(
    z: FloatArray,
    indptr: IntArray,
    indices: IntArray,
    labels: IntArray,
    pop: FloatArray,
    floor: float,
    *,
    rng: np.random.Generator,
    rounds: int = 10,
    jitter: float = 4.0,
    trees: int = 16,
    attempts: int = 2,
    deadline: float | None = None,
) -> tuple[IntArray, int]:
    """Improve a partition by merging and re-splitting adjacent region pairs; return (labels, changes).

    ``labels`` must be connected regions ``0..p-1`` each reaching ``floor``; the result
    keeps ``p``, contiguity and the floor, and its SSD is never higher.

    >>> import numpy as np
    >>> z = np.array([[0.0], [0.0], [5.0], [5.0], [5.0], [9.0]])
    >>> indptr = np.array([0, 1, 3, 5, 7, 9, 10])
    >>> indices = np.array([1, 0, 2, 1, 3, 2, 4, 3, 5, 4])
    >>> lab, changes = recombine(z, indptr, indices, np.array([0, 0, 0, 1, 1, 1]), np.ones(6), 2.0,
    ...                          rng=np.random.default_rng(0))
    >>> lab.tolist(), changes
    ([0, 0, 1, 1, 1, 1], 1)
    """
    lab = labels.astype(np.int64).copy()
    n = lab.size
    p = int(lab.max()) + 1
    src_all = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    dst_all = indices.astype(np.int64)
    once = src_all < dst_all
    src, dst = src_all[once], dst_all[once]
    diff = z[src] - z[dst]
    dist = (diff * diff).sum(axis=1)
    q = (z * z).sum(axis=1)
    order = np.argsort(lab, kind="stable")
    bounds = np.searchsorted(lab[order], np.arange(p + 1))
    members: list[IntArray] = [order[bounds[r] : bounds[r + 1]] for r in range(p)]

    def region_ssd(nodes: IntArray) -> float:
        s = z[nodes].sum(axis=0)
        return float(q[nodes].sum() - (s @ s) / nodes.size)

    ssd = np.array([region_ssd(members[r]) for r in range(p)])
    version = np.zeros(p, dtype=np.int64)
    tried: dict[int, tuple[int, int, int]] = {}
    changes = 0
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        la, lb = lab[src], lab[dst]
        cross = la != lb
        lo = np.minimum(la[cross], lb[cross])
        hi = np.maximum(la[cross], lb[cross])
        keys = np.unique(lo * p + hi)
        todo: list[int] = []
        for key in keys.tolist():
            a, b = divmod(key, p)
            state = tried.get(key)
            if state is not None and state[0] == version[a] and state[1] == version[b] and state[2] >= attempts:
                continue
            todo.append(key)
        if not todo:
            break
        # largest combined SSD first; random tie-break keeps runs seeded but varied
        arr = np.array(todo, dtype=np.int64)
        a_arr, b_arr = np.divmod(arr, p)
        prio = ssd[a_arr] + ssd[b_arr]
        arr = arr[np.lexsort((rng.random(arr.size), -prio))]
        a_arr, b_arr = np.divmod(arr, p)
        batch_of = _matching_batches_compiled(a_arr, b_arr, p)
        by_batch = np.argsort(batch_of, kind="stable")
        cuts = np.searchsorted(batch_of[by_batch], np.arange(int(batch_of.max()) + 2))
        improved = 0
        for j in range(cuts.size - 1):
            if deadline is not None and time.perf_counter() > deadline:
                break
            in_batch = by_batch[cuts[j] : cuts[j + 1]]
            batch = list(zip(a_arr[in_batch].tolist(), b_arr[in_batch].tolist(), strict=True))
            groups = [np.concatenate([members[a], members[b]]) for a, b in batch]
            fresh = [
                (st := tried.get(a * p + b)) is None or st[0] != version[a] or st[1] != version[b]
                for a, b in batch
            ]
            # random factors only for the edges inside the batch's pairs
            pair_of = np.full(p, -1, dtype=np.int64)
            batch_arr = np.array(batch, dtype=np.int64)
            pair_of[batch_arr[:, 0]] = np.arange(len(batch))
            pair_of[batch_arr[:, 1]] = np.arange(len(batch))
            ps = pair_of[lab[src]]
            sel = np.flatnonzero((ps >= 0) & (ps == pair_of[lab[dst]]))
            factors = np.exp(jitter * rng.normal(size=(sel.size, trees)))
            limits = ssd[batch_arr[:, 0]] + ssd[batch_arr[:, 1]] - _TOL
            results = split_batch(
                groups, z, pop, src[sel], dst[sel], dist[sel], floor, factors, fresh, limits
            )
            for (a, b), nodes, new, (val, part) in zip(batch, groups, fresh, results, strict=True):
                key = a * p + b
                current = ssd[a] + ssd[b]
                ok = val < current - _TOL and part.size > 0
                if ok:
                    rest = nodes[~np.isin(nodes, part)]
                    ok = rest.size > 0 and pop[part].sum() >= floor and pop[rest].sum() >= floor
                if not ok:
                    state = tried.get(key)
                    tried[key] = (int(version[a]), int(version[b]), 1 if new or state is None else state[2] + 1)
                    continue
                # keep the label that overlaps more with the new part, to keep numbering stable
                if int((lab[part] == a).sum()) >= int((lab[part] == b).sum()):
                    new_a, new_b = np.sort(part), rest
                else:
                    new_a, new_b = rest, np.sort(part)
                lab[new_a] = a
                lab[new_b] = b
                members[a], members[b] = new_a, new_b
                ssd[a], ssd[b] = region_ssd(new_a), region_ssd(new_b)
                version[a] += 1
                version[b] += 1
                tried.pop(key, None)
                improved += 1
        changes += improved
    return lab, changes
