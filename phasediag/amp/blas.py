"""Limit the BLAS thread pool while AMP runs (its products are memory-bound gemv/gemm).

Measured on the 2-core machines: with OpenBLAS's default 2 threads, a d = 500 AMP run took
10× longer than with 1 thread when other processes kept the cores busy (threads spin waiting
for a busy core), and a 4000×4000 float32 gemv took 2.6 ms with 1 thread vs 7.8 ms with 2.
`threadpoolctl` is used when installed; otherwise the OpenBLAS entry point
(`*openblas_set_num_threads*`) of the library numpy loaded is called through ctypes (Linux);
otherwise nothing is changed.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
            "openblas_set_num_threads64_", "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
            "openblas_get_num_threads64_", "openblas_get_num_threads")


@functools.cache
def _openblas() -> tuple[Callable, Callable] | None:
    """(get, set) of the OpenBLAS numpy loaded, or None."""
    import numpy  # noqa: F401 — make sure the library is loaded

    try:
        with open("/proc/self/maps") as f:
            libs = sorted({ln.split()[-1] for ln in f
                           if "openblas" in ln.lower() and ".so" in ln.split()[-1]})
    except OSError:
        return None
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for s, g in zip(_SETTERS, _GETTERS, strict=True):
            if hasattr(lib, s) and hasattr(lib, g):
                setter, getter = getattr(lib, s), getattr(lib, g)
                setter.argtypes, setter.restype = [ctypes.c_int], None
                getter.argtypes, getter.restype = [], ctypes.c_int
                return getter, setter
    return None


@contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """Run the body with at most n BLAS threads (None: leave the pool as it is)."""
    if n is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        with threadpool_limits(limits=n, user_api="blas"):
            yield
        return
    ob = _openblas()
    if ob is None:
        yield
        return
    get, set_ = ob
    old = get()
    set_(n)
    try:
        yield
    finally:
        set_(old)
