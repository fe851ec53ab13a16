"""Limit the BLAS thread pool while AMP runs (its products are memory-bound gemv/gemm).

Measured on the 2-core machines: with OpenBLAS's default 2 threads, a d = 500 AMP run took
10× longer than with 1 thread when other processes kept the cores busy (threads spin waiting
for a busy core), and a 4000×4000 float32 gemv took 2.6 ms with 1 thread vs 7.8 ms with 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


@contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """Run the body with at most n BLAS threads (None: leave the pool as it is)."""
    if n is None:
        yield
        return
    with threadpool_limits(limits=n, user_api="blas"):
        yield
