"""Compiled kernels: numba's ``njit`` with an on-disk cache where one can be written.

numba compiles a kernel on its first call (about a second) and keeps the machine code in ``__pycache__`` beside the
module (or in ``NUMBA_CACHE_DIR``), so later processes only load it. Where no cache location is writable (a
read-only installation without a home directory), numba refuses ``cache=True`` at import time; the kernel is then
compiled once per process instead. ``NUMBA_DISABLE_JIT=1`` runs the plain Python source (for debugging).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import numba

P = ParamSpec("P")
R = TypeVar("R")


def compiled(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` compiled by numba in nopython mode (its Python source is kept as ``func.py_func``)."""
    try:
        kernel: Callable[P, R] = numba.njit(cache=True, nogil=True)(func)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        kernel = numba.njit(nogil=True)(func)
    return kernel
