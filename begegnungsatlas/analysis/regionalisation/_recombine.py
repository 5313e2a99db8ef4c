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

from ._common import FloatArray, IntArray

_TOL = 1e-10
_MAX_CELLS = 3_000_000  # entries of the dense (batch, m, m) distance array per chunk
_SMALL_CELLS = 250_000  # below this, padding costs less than another chunk's Prim loop


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
    out: list[tuple[float, IntArray]] = [(np.inf, np.zeros(0, dtype=np.int64)) for _ in groups]
    if not groups:
        return out
    n_trees = factors.shape[1]
    sizes = np.array([nodes.size for nodes in groups], dtype=np.int64)
    slot = np.full(n, -1, dtype=np.int64)
    local = np.zeros(n, dtype=np.int64)
    all_nodes = np.concatenate(groups)
    slot[all_nodes] = np.repeat(np.arange(len(groups)), sizes)
    local[all_nodes] = np.arange(all_nodes.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    gs = slot[edge_src]
    inside = np.flatnonzero((gs >= 0) & (gs == slot[edge_dst]))
    weights = (edge_d[inside, None] * factors[inside]).astype(np.float32)
    if plain is not None:
        weights[:, 0] = np.where(np.asarray(plain)[gs[inside]], edge_d[inside], weights[:, 0])
    k = z.shape[1]
    feats_all = np.column_stack([pop, np.ones(n), z])
    q_all = (z * z).sum(axis=1)
    # chunks of groups (largest first) bounding the dense (group, tree, m, m) array
    by_size = np.argsort(-sizes, kind="stable")
    chunks: list[IntArray] = []
    i = 0
    while i < by_size.size:
        m = int(sizes[by_size[i]])
        take = max(1, _MAX_CELLS // (n_trees * m * m))
        # padding to the largest group costs; start a new chunk below 3/4 of its size,
        # unless the chunk is so small that one more Prim loop (m numpy steps) costs more
        if n_trees * m * m * min(take, by_size.size - i) > _SMALL_CELLS:
            take = min(take, int(np.searchsorted(-sizes[by_size[i:]], -0.75 * m, side="right")))
        chunks.append(by_size[i : i + take])
        i += take
    pos = np.zeros(len(groups), dtype=np.int64)
    for chunk in chunks:
        big_m = int(sizes[chunk[0]])
        n_g = chunk.size
        n_b = n_g * n_trees
        pos[chunk] = np.arange(n_g)
        sel = inside[np.isin(gs[inside], chunk)]
        wsel = weights[np.isin(gs[inside], chunk)]
        e_c = pos[gs[sel]]
        e_i, e_j = local[edge_src[sel]], local[edge_dst[sel]]
        w4 = np.full((n_g, n_trees, big_m, big_m), np.inf, dtype=np.float32)
        w4[e_c, :, e_i, e_j] = wsel
        w4[e_c, :, e_j, e_i] = wsel
        w = w4.reshape(n_b, big_m, big_m)
        feats = np.zeros((n_g, big_m, feats_all.shape[1]))
        nodes_c = np.concatenate([groups[g] for g in chunk.tolist()])
        feats[pos[slot[nodes_c]], local[nodes_c]] = feats_all[nodes_c]
        size_b = np.repeat(sizes[chunk], n_trees)
        rows = np.arange(n_b)
        real = np.arange(big_m)[None, :] < size_b[:, None]
        # Prim from local node 0 on every (group, tree) at once. ``w`` is symmetric, so the
        # row of the area just added holds its distances to all others (one contiguous
        # gather); areas already in the tree are masked by ``done`` and keep key inf.
        key = w[:, 0, :].copy()
        key[:, 0] = np.inf
        done = np.zeros((n_b, big_m), dtype=bool)
        done[:, 0] = True
        best_from = np.zeros((n_b, big_m), dtype=np.int64)
        parent = np.zeros((n_b, big_m), dtype=np.int64)
        steps = max(big_m - 1, 0)
        order = np.zeros((n_b, steps), dtype=np.int64)
        valid = np.zeros((n_b, steps), dtype=bool)
        for s in range(steps):
            new = key.argmin(axis=1)
            ok = key[rows, new] < np.inf
            new[~ok] = 0
            order[:, s] = new
            valid[:, s] = ok
            parent[rows, new] = best_from[rows, new]
            done[rows, new] = True
            key[rows, new] = np.inf
            row = w[rows, new]
            closer = row < key
            closer &= ~done
            np.copyto(key, row, where=closer)
            np.copyto(best_from, new[:, None], where=closer)
        reached = valid.sum(axis=1) + 1
        # subtree sums: children were added after their parents. Steps after a tree is
        # complete point at an extra all-zero node ``big_m`` that is its own parent.
        sub = np.zeros((n_b, big_m + 1, feats.shape[2]))
        sub[:, :big_m] = np.repeat(feats, n_trees, axis=0)
        children = np.where(valid, order, big_m)
        parents = np.column_stack([parent, np.full(n_b, big_m, dtype=np.int64)])
        for s in range(steps - 1, -1, -1):
            child = children[:, s]
            sub[rows, parents[rows, child]] += sub[rows, child]
        sub = sub[:, :big_m]
        q_tot = np.repeat(np.bincount(pos[slot[nodes_c]], weights=q_all[nodes_c], minlength=n_g), n_trees)
        tot = sub[:, 0, :]
        p_j, n_j = sub[:, :, 0], sub[:, :, 1]
        s_j = sub[:, :, 2 : 2 + k]
        n_all = tot[:, 1, None]
        ok_cut = (
            real
            & (p_j >= floor)
            & (tot[:, 0, None] - p_j >= floor)
            & (n_j >= 1)
            & (n_j < n_all)
            & (reached == size_b)[:, None]
        )
        ok_cut[:, 0] = False
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = tot[:, None, 2 : 2 + k] - s_j
            val = (
                q_tot[:, None]
                - (s_j * s_j).sum(axis=2) / n_j
                - (rest * rest).sum(axis=2) / (n_all - n_j)
            )
        val = np.where(ok_cut, val, np.inf).reshape(n_g, n_trees * big_m)
        pick = val.argmin(axis=1)
        best_val = val[np.arange(n_g), pick]
        for c in np.flatnonzero(np.isfinite(best_val)).tolist():
            g = int(chunk[c])
            if limit is not None and not best_val[c] < limit[g]:
                out[g] = (float(best_val[c]), out[g][1])
                continue
            b = c * n_trees + int(pick[c]) // big_m
            part = np.zeros(big_m, dtype=bool)
            part[int(pick[c]) % big_m] = True
            par_b = parent[b]
            for v in order[b, : reached[b] - 1].tolist():
                if part[par_b[v]]:
                    part[v] = True
            out[g] = (float(best_val[c]), groups[g][part[: sizes[g]]])
    return out


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
        pending = arr.tolist()
        improved = 0
        while pending:
            if deadline is not None and time.perf_counter() > deadline:
                break
            used: set[int] = set()
            batch: list[tuple[int, int]] = []
            later: list[int] = []
            for key in pending:
                a, b = divmod(key, p)
                if a in used or b in used:
                    later.append(key)
                else:
                    used.add(a)
                    used.add(b)
                    batch.append((a, b))
            pending = later
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
