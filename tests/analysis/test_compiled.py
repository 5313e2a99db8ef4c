"""The numba wrapper of the analysis core: a kernel compiles, and it still works where no cache can be written."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pytest

from begegnungsatlas.analysis import _compiled
from begegnungsatlas.analysis.regionalisation import _recombine


def _add(a: Any, b: Any) -> Any:
    return a + b


def test_compiled_kernel_equals_its_python_source() -> None:
    kernel = _compiled.compiled(_add)
    assert kernel(2, 3) == 5
    assert kernel.py_func is _add  # type: ignore[attr-defined]


def test_without_a_writable_cache_the_kernel_is_compiled_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    real = numba.njit
    calls: list[dict[str, Any]] = []

    def njit(**options: Any) -> Any:
        calls.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function '_add': no locator available for file 'x.py'")
        return real(**options)

    monkeypatch.setattr(_compiled.numba, "njit", njit)
    kernel = _compiled.compiled(_add)
    assert [c.get("cache", False) for c in calls] == [True, False]
    assert kernel(2.5, 0.5) == 3.0


def test_split_kernel_compiled_and_plain_python_agree() -> None:
    """The same best cuts from the compiled kernel and from its Python source (what NUMBA_DISABLE_JIT runs)."""
    rng = np.random.default_rng(3)
    side = 6
    idx = np.arange(side * side).reshape(side, side)
    src = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    dst = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    z = rng.normal(size=(side * side, 2))
    pop = rng.uniform(50, 150, side * side)
    d = ((z[src] - z[dst]) ** 2).sum(axis=1)
    groups = [idx[:3].ravel(), idx[3:, :4].ravel()]
    factors = np.exp(rng.normal(size=(src.size, 5)))
    compiled_out = _recombine.split_batch(groups, z, pop, src, dst, d, 400.0, factors, [True, False])
    kernel = _recombine._split_trees_compiled
    try:
        _recombine._split_trees_compiled = kernel.py_func  # type: ignore[attr-defined]
        plain_out = _recombine.split_batch(groups, z, pop, src, dst, d, 400.0, factors, [True, False])
    finally:
        _recombine._split_trees_compiled = kernel
    assert all(np.isfinite(v) for v, _ in compiled_out)
    for (v1, p1), (v2, p2) in zip(compiled_out, plain_out, strict=True):
        assert v1 == pytest.approx(v2)
        assert p1.tolist() == p2.tolist()
