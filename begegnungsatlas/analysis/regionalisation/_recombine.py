"""Merge-and-resplit local search for max-p: recombine two neighbouring regions.

When regions sit just above the floor, moving single boundary areas is mostly blocked
(the donor would drop below the floor). This search instead takes two adjacent regions
``A`` and ``B``, merges them, builds a spanning tree of the merged area and cuts it into
two parts at the edge that gives the smallest SSD among the cuts leaving both parts at
or above the floor (the SKATER cut, restricted to one pair). The new pair replaces the
old one if it lowers the SSD. The number of regions never changes, both parts are
connected (they are subtrees) and reach the floor.

The tree is a minimum spanning tree of the squared attribute distances between
neighbours. The first visit of a pair uses the plain MST; if that does not improve the
pair, the next visit tries up to ``tries`` trees whose distances are multiplied by random
factors ``exp(jitter * N(0, 1))`` and takes the first improving cut. A pair that failed
both is skipped until one of its two regions changes. With regions tight around the
floor only a few tree edges leave both sides above it, which is why several trees are
needed. Each cut of a tree is scored in O(k) from subtree sums (``SSD = Q - |S|^2 / n``),
so one tree costs O(m log m + m k) for m areas in the pair.

The search sweeps over all adjacent region pairs in random order, at most ``rounds``
times, until no pair is left to try, or until ``deadline`` (``time.perf_counter`` value).
"""

from __future__ import annotations

import math
import time

import numpy as np

from ._common import FloatArray, IntArray

_TOL = 1e-10


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def best_split(
    nodes: list[int],
    nbrs: list[list[int]],
    zl: list[list[float]],
    ql: list[float],
    pop: list[float],
    floor: float,
    noises: list[list[float] | None],
    target: float = -math.inf,
) -> tuple[float, list[int]]:
    """Best floor-respecting tree cut of ``nodes``: (SSD of both parts, one part).

    One spanning tree per entry of ``noises``: ``None`` is the plain minimum spanning
    tree of the squared attribute distances, a list of factors (one per edge, cycled)
    perturbs them. Trees are tried in turn and the search stops early at the first cut
    with an SSD below ``target``. Returns ``(inf, [])`` if no cut leaves both parts at or
    above ``floor``.

    >>> # path 0-1-2-3 with values 0, 0, 5, 5 and unit population, floor 2
    >>> nbrs = [[1], [0, 2], [1, 3], [2]]
    >>> zl = [[0.0], [0.0], [5.0], [5.0]]
    >>> best_split([0, 1, 2, 3], nbrs, zl, [v[0] ** 2 for v in zl], [1.0] * 4, 2.0, [None])
    (0.0, [2, 3])
    """
    m = len(nodes)
    local = {v: j for j, v in enumerate(nodes)}
    base: list[tuple[float, int, int]] = []
    for j, v in enumerate(nodes):
        zv = zl[v]
        for w in nbrs[v]:
            jw = local.get(w)
            if jw is not None and jw > j:
                d = 0.0
                for a, b in zip(zv, zl[w], strict=True):
                    d += (a - b) * (a - b)
                base.append((d, j, jw))
    k = len(zl[nodes[0]])
    node_s = [zl[v] for v in nodes]
    node_q = [ql[v] for v in nodes]
    node_p = [pop[v] for v in nodes]
    tot_p = sum(node_p)
    tot_q = sum(node_q)
    tot_s = [sum(col) for col in zip(*node_s, strict=True)]
    best, best_part = math.inf, []
    for noise in noises:
        if noise is None:
            edges = sorted(base)
        else:
            nz = len(noise)
            edges = sorted([(d * noise[e % nz], j, jw) for e, (d, j, jw) in enumerate(base)])
        uf = list(range(m))
        tree: list[list[int]] = [[] for _ in range(m)]
        joined = 0
        for _, j, jw in edges:
            rj, rw = _find(uf, j), _find(uf, jw)
            if rj != rw:
                uf[rj] = rw
                tree[j].append(jw)
                tree[jw].append(j)
                joined += 1
                if joined == m - 1:
                    break
        parent = [-1] * m
        parent[0] = 0
        order = [0]
        for j in order:
            for w in tree[j]:
                if parent[w] < 0:
                    parent[w] = j
                    order.append(w)
        sub_s = [list(x) for x in node_s]
        sub_q = list(node_q)
        sub_p = list(node_p)
        sub_n = [1] * m
        for j in reversed(order[1:]):
            pj = parent[j]
            sp_, sj = sub_s[pj], sub_s[j]
            for c in range(k):
                sp_[c] += sj[c]
            sub_q[pj] += sub_q[j]
            sub_p[pj] += sub_p[j]
            sub_n[pj] += sub_n[j]
        best_j = -1
        for j in order[1:]:
            pop_j = sub_p[j]
            if pop_j < floor or tot_p - pop_j < floor:
                continue
            sj = sub_s[j]
            nj = sub_n[j]
            ss = 0.0
            rs = 0.0
            for c in range(k):
                ss += sj[c] * sj[c]
                r = tot_s[c] - sj[c]
                rs += r * r
            val = sub_q[j] - ss / nj + (tot_q - sub_q[j]) - rs / (m - nj)
            if val < best:
                best, best_j = val, j
        if best_j >= 0:
            part = [best_j]
            for j in part:
                part.extend(w for w in tree[j] if parent[w] == j and w != 0)
            best_part = [nodes[j] for j in part]
            if best < target:
                break
    return best, best_part


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
    jitter: float = 2.0,
    tries: int = 10,
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
    lab: list[int] = labels.astype(np.int64).tolist()
    n = len(lab)
    p = max(lab) + 1
    indptr_l: list[int] = indptr.tolist()
    indices_l: list[int] = indices.tolist()
    nbrs = [indices_l[indptr_l[i] : indptr_l[i + 1]] for i in range(n)]
    zl: list[list[float]] = z.tolist()
    ql: list[float] = (z * z).sum(axis=1).tolist()
    pop_l: list[float] = pop.tolist()
    members: list[set[int]] = [set() for _ in range(p)]
    for i, r in enumerate(lab):
        members[r].add(i)
    k = z.shape[1]

    def region_ssd(r: int) -> float:
        s = [0.0] * k
        q = 0.0
        for i in members[r]:
            q += ql[i]
            for c, v in enumerate(zl[i]):
                s[c] += v
        return q - sum(v * v for v in s) / len(members[r])

    ssd = [region_ssd(r) for r in range(p)]
    version = [0] * p
    tried: dict[tuple[int, int], tuple[int, int, int]] = {}
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    dst = indices.astype(np.int64)
    changes = 0
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        lab_a = np.array(lab, dtype=np.int64)
        la, lb = lab_a[src], lab_a[dst]
        keep = la < lb
        pairs = np.unique(la[keep] * p + lb[keep])
        pairs = pairs[rng.permutation(pairs.size)]
        improved = attempted = 0
        for step, key in enumerate(pairs.tolist()):
            if step & 63 == 0 and deadline is not None and time.perf_counter() > deadline:
                break
            a, b = divmod(key, p)
            state = tried.get((a, b))
            attempt = 0
            if state is not None and state[0] == version[a] and state[1] == version[b]:
                attempt = state[2]
                if attempt >= 2:
                    continue
            # the pair may no longer be adjacent after earlier changes in this round
            mem_a, mem_b = members[a], members[b]
            if not any(lab[w] == b for v in mem_a for w in nbrs[v]):
                continue
            attempted += 1
            nodes = sorted(mem_a | mem_b)
            current = ssd[a] + ssd[b]
            if attempt == 0:
                noises: list[list[float] | None] = [None]
            else:
                noises = list(np.exp(jitter * rng.normal(size=(tries, 2 * len(nodes)))).tolist())
            val, part = best_split(nodes, nbrs, zl, ql, pop_l, floor, noises, current - _TOL)
            if val < current - _TOL:
                part_set = set(part)
                # keep the label that overlaps more with the new part, to keep numbering stable
                if len(part_set & mem_a) >= len(part_set & mem_b):
                    new_a, new_b = part_set, set(nodes) - part_set
                else:
                    new_a, new_b = set(nodes) - part_set, part_set
                for v in new_a:
                    lab[v] = a
                for v in new_b:
                    lab[v] = b
                members[a], members[b] = new_a, new_b
                ssd[a], ssd[b] = region_ssd(a), region_ssd(b)
                version[a] += 1
                version[b] += 1
                tried.pop((a, b), None)
                improved += 1
            else:
                tried[(a, b)] = (version[a], version[b], attempt + 1)

        changes += improved
        if attempted == 0:
            break
    return np.array(lab, dtype=np.int64), changes
