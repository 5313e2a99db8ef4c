"""Local search shared by max-p and SKATER: move boundary areas between regions.

A move takes area ``u`` out of its region ``A`` into a neighbouring region ``B``. It is
allowed only if ``A`` keeps at least two areas' worth of structure (never empties), still
reaches the floor without ``u``, and stays connected without ``u``. The SSD change of a
move is exact and O(k) from per-region sums (see ``_common``)::

    delta = |S_A|^2/n_A - |S_A - x|^2/(n_A - 1) + |S_B|^2/n_B - |S_B + x|^2/(n_B + 1)

Each pass evaluates the change of every boundary (area, region) pair at once with numpy,
then applies the improving moves best first, re-checking each against the current state
(earlier moves in the pass change the sums). Connectivity of ``A`` without ``u`` is a
breadth-first search inside ``A`` from one neighbour of ``u`` that stops as soon as all
of ``u``'s neighbours in ``A`` are reached — usually a handful of steps around ``u``.

The search is a steepest-descent AZP variant (Openshaw 1977) and stops at a local
optimum, after ``max_passes`` passes, or at ``deadline`` (``time.perf_counter`` value).
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np

from ._common import FloatArray, IntArray

_TOL = 1e-10
_CHECK_EVERY = 255  # look at the clock every 256 candidate moves


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() > deadline


def stays_connected(u: int, region: int, labels: list[int], indptr: list[int], indices: list[int]) -> bool:
    """True if ``region`` minus area ``u`` is still connected (``region`` was connected).

    >>> # path 0-1-2, all in region 0: removing the middle splits it
    >>> stays_connected(1, 0, [0, 0, 0], [0, 1, 3, 4], [1, 0, 2, 1])
    False
    >>> stays_connected(0, 0, [0, 0, 0], [0, 1, 3, 4], [1, 0, 2, 1])
    True
    """
    targets = [v for v in indices[indptr[u] : indptr[u + 1]] if labels[v] == region]
    if len(targets) <= 1:
        return len(targets) == 1
    wanted = set(targets)
    start = targets[0]
    wanted.discard(start)
    seen = {u, start}
    queue = deque([start])
    while queue:
        w = queue.popleft()
        for v in indices[indptr[w] : indptr[w + 1]]:
            if v not in seen and labels[v] == region:
                if v in wanted:
                    wanted.discard(v)
                    if not wanted:
                        return True
                seen.add(v)
                queue.append(v)
    return False


def improve_by_moves(
    z: FloatArray,
    indptr: IntArray,
    indices: IntArray,
    labels: IntArray,
    pop: FloatArray,
    floor: float,
    *,
    max_passes: int = 50,
    deadline: float | None = None,
) -> tuple[IntArray, int]:
    """Descend to a local SSD optimum by moving boundary areas; return (labels, moves).

    ``labels`` must be a partition into connected regions ``0..p-1`` each reaching
    ``floor`` in ``pop``; the result has the same number of regions and keeps both
    properties.

    >>> import numpy as np
    >>> z = np.array([[0.0], [0.0], [5.0], [5.0]])
    >>> indptr, indices = np.array([0, 1, 3, 5, 6]), np.array([1, 0, 2, 1, 3, 2])
    >>> lab, moves = improve_by_moves(z, indptr, indices, np.array([0, 0, 0, 1]), np.ones(4), 1.0)
    >>> lab.tolist(), moves
    ([0, 0, 1, 1], 1)
    """
    lab = labels.astype(np.int64).copy()
    n = lab.size
    p = int(lab.max()) + 1
    counts = np.bincount(lab, minlength=p).astype(np.float64)
    sums = np.zeros((p, z.shape[1]))
    np.add.at(sums, lab, z)
    region_pop = np.bincount(lab, weights=pop, minlength=p)
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    dst = indices.astype(np.int64)
    indptr_l: list[int] = indptr.tolist()
    indices_l: list[int] = indices.tolist()
    moves = 0
    for _ in range(max_passes):
        if _past(deadline):
            break
        cross = lab[src] != lab[dst]
        if not cross.any():
            break
        key = np.unique(src[cross] * p + lab[dst[cross]])
        cu, cb = key // p, key % p
        ca = lab[cu]
        na, nb = counts[ca], counts[cb]
        sa, sb, x = sums[ca], sums[cb], z[cu]
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = (
                (sa * sa).sum(1) / na
                - ((sa - x) ** 2).sum(1) / (na - 1)
                + (sb * sb).sum(1) / nb
                - ((sb + x) ** 2).sum(1) / (nb + 1)
            )
        ok = (na > 1) & (region_pop[ca] - pop[cu] >= floor) & (delta < -_TOL)
        if not ok.any():
            break
        order = np.flatnonzero(ok)[np.argsort(delta[ok], kind="stable")]
        lab_l: list[int] = lab.tolist()
        moved_this_pass = 0
        for step, (u, b) in enumerate(zip(cu[order].tolist(), cb[order].tolist(), strict=True)):
            if step & _CHECK_EVERY == 0 and _past(deadline):
                break
            a = lab_l[u]
            if a == b or counts[a] <= 1 or region_pop[a] - pop[u] < floor:
                continue
            xu = z[u]
            s_a, s_b = sums[a], sums[b]
            d = (
                float(s_a @ s_a) / counts[a]
                - float((s_a - xu) @ (s_a - xu)) / (counts[a] - 1)
                + float(s_b @ s_b) / counts[b]
                - float((s_b + xu) @ (s_b + xu)) / (counts[b] + 1)
            )
            if d >= -_TOL:
                continue
            if not any(lab_l[v] == b for v in indices_l[indptr_l[u] : indptr_l[u + 1]]):
                continue
            if not stays_connected(u, a, lab_l, indptr_l, indices_l):
                continue
            lab_l[u] = b
            lab[u] = b
            counts[a] -= 1
            counts[b] += 1
            sums[a] -= xu
            sums[b] += xu
            region_pop[a] -= pop[u]
            region_pop[b] += pop[u]
            moved_this_pass += 1
        moves += moved_this_pass
        if moved_this_pass == 0:
            break
    return lab, moves


def anneal(
    z: FloatArray,
    indptr: IntArray,
    indices: IntArray,
    labels: IntArray,
    pop: FloatArray,
    floor: float,
    *,
    rng: np.random.Generator,
    sweeps: int = 30,
    deadline: float | None = None,
) -> tuple[IntArray, int]:
    """Simulated annealing over boundary moves, then a final descent; return (labels, moves).

    Each sweep visits every boundary (area, neighbouring region) pair once in random
    order; a feasible move (same rules as :func:`improve_by_moves`) is accepted if it
    lowers the SSD, or with probability ``exp(-delta / T)`` otherwise. ``T`` starts so
    that a median uphill move is accepted with probability 0.3 and falls geometrically
    to a thousandth of that over ``sweeps`` sweeps. The best partition seen is kept.

    >>> import numpy as np
    >>> z = np.array([[0.0], [0.0], [5.0], [5.0]])
    >>> indptr, indices = np.array([0, 1, 3, 5, 6]), np.array([1, 0, 2, 1, 3, 2])
    >>> lab, _ = anneal(z, indptr, indices, np.array([0, 0, 0, 1]), np.ones(4), 1.0,
    ...                 rng=np.random.default_rng(0), sweeps=5)
    >>> lab.tolist()
    [0, 0, 1, 1]
    """
    lab = labels.astype(np.int64).copy()
    n = lab.size
    p = int(lab.max()) + 1
    counts: list[float] = np.bincount(lab, minlength=p).astype(np.float64).tolist()
    sums = np.zeros((p, z.shape[1]))
    np.add.at(sums, lab, z)
    region_pop: list[float] = np.bincount(lab, weights=pop, minlength=p).tolist()
    pop_l: list[float] = pop.tolist()
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    dst = indices.astype(np.int64)
    indptr_l: list[int] = indptr.tolist()
    indices_l: list[int] = indices.tolist()
    lab_l: list[int] = lab.tolist()
    sq: list[float] = (sums * sums).sum(axis=1).tolist()  # |S_r|^2 per region
    current = 0.0  # SSD relative to the start
    best, best_lab = 0.0, lab.copy()
    moves = 0
    temperature = -1.0
    cooling = 1e-3 ** (1.0 / max(sweeps - 1, 1))
    for _ in range(sweeps):
        if _past(deadline):
            break
        lab_now = np.array(lab_l, dtype=np.int64)
        cross = lab_now[src] != lab_now[dst]
        if not cross.any():
            break
        key = np.unique(src[cross] * p + lab_now[dst[cross]])
        cu, cb = key // p, key % p
        if temperature < 0:
            ca = lab_now[cu]
            na, nb = np.asarray(counts)[ca], np.asarray(counts)[cb]
            sa, sb, x = sums[ca], sums[cb], z[cu]
            with np.errstate(divide="ignore", invalid="ignore"):
                delta = (
                    (sa * sa).sum(1) / na
                    - ((sa - x) ** 2).sum(1) / (na - 1)
                    + (sb * sb).sum(1) / nb
                    - ((sb + x) ** 2).sum(1) / (nb + 1)
                )
            uphill = delta[np.isfinite(delta) & (delta > 0)]
            if uphill.size == 0:
                break
            temperature = float(np.median(uphill)) / np.log(1.0 / 0.3)
        perm = rng.permutation(cu.size)
        draws: list[float] = rng.random(cu.size).tolist()
        for step, idx in enumerate(perm.tolist()):
            if step & _CHECK_EVERY == 0 and _past(deadline):
                break
            u, b = int(cu[idx]), int(cb[idx])
            a = lab_l[u]
            if a == b or counts[a] <= 1 or region_pop[a] - pop_l[u] < floor:
                continue
            xu = z[u]
            s_a, s_b = sums[a], sums[b]
            xs_a, xs_b, xx = float(xu @ s_a), float(xu @ s_b), float(xu @ xu)
            new_sq_a = sq[a] - 2.0 * xs_a + xx
            new_sq_b = sq[b] + 2.0 * xs_b + xx
            d = (
                sq[a] / counts[a]
                - new_sq_a / (counts[a] - 1)
                + sq[b] / counts[b]
                - new_sq_b / (counts[b] + 1)
            )
            if d > 0 and draws[step] >= np.exp(-d / temperature):
                continue
            if not any(lab_l[v] == b for v in indices_l[indptr_l[u] : indptr_l[u + 1]]):
                continue
            if not stays_connected(u, a, lab_l, indptr_l, indices_l):
                continue
            lab_l[u] = b
            counts[a] -= 1.0
            counts[b] += 1.0
            s_a -= xu
            s_b += xu
            sq[a], sq[b] = new_sq_a, new_sq_b
            region_pop[a] -= pop_l[u]
            region_pop[b] += pop_l[u]
            current += d
            moves += 1
        if current < best - _TOL:
            best, best_lab = current, np.array(lab_l, dtype=np.int64)
        temperature *= cooling
    final, more = improve_by_moves(z, indptr, indices, best_lab, pop, floor, deadline=deadline)
    return final, moves + more
