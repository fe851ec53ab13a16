"""Sweep throughput: points/s of a 200-point thresholds sweep on 1 and 2 workers.

Used by `bench.py` (make bench); runnable alone: python benchmarks/sweep_bench.py
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path

from phasediag.config import config_from_dict
from phasediag.runner import run_sweep

BENCH_CONFIG = {
    "compute": "thresholds",
    "name": "bench",
    "grid": {"problem": "pr", "prior": "linear", "depth": 1,
             "rho": {"start": 0.05, "stop": 2.0, "num": 200, "spacing": "log"}},
    "tol": 1e-4,
}


def benchmark_sweep(tmp: Path, workers: Sequence[int] = (1, 2), repeats: int = 3) -> list[str]:
    """Points/s of the 200-point thresholds sweep (PR, linear, depth 1, ρ ∈ [0.05, 2] log,
    tol 1e-4) with 1 and 2 workers; Markdown lines for benchmarks/results.md.

    Like the other benchmarks, timed after a warm-up: the kernels are loaded in this process
    and the pool's worker processes are started (loky keeps them between sweeps); the median
    of `repeats` runs is reported. Beside it the cold time, as in a fresh `phasediag sweep`:
    the first pool run of this process, which starts the worker process.
    """
    cfg = config_from_dict(BENCH_CONFIG)
    tmp = Path(tmp)
    warm = config_from_dict({**BENCH_CONFIG, "grid": {**BENCH_CONFIG["grid"],
                                                      "rho": [0.5, 1, 1.5, 2]}})

    def timed(w: int) -> float:
        st = run_sweep(cfg, tmp / f"bench_{w}.csv", workers=w, force=True, progress=False)
        if not st.complete or st.n_failed:
            raise RuntimeError(f"benchmark sweep: {st.n_failed} failed points, see {st.out}")
        return st.seconds

    run_sweep(warm, tmp / "warm.csv", workers=1, force=True, progress=False)  # kernels here
    cold = {w: timed(w) for w in workers if w > 1}  # a fresh worker process to start
    lines = ["200 threshold points (PR, linear prior, depth 1, 200 log-spaced ρ in [0.05, 2], "
             f"tol 1e-4); median of {repeats} runs after a warm-up (kernels loaded, pool "
             "started); *cold*: the first run, which starts the worker process.", "",
             "| workers | wall | points/s | speed-up | cold wall | cold speed-up |",
             "|---:|---:|---:|---:|---:|---:|"]
    base = None
    for w in workers:
        sec = statistics.median(timed(w) for _ in range(repeats))
        base = base or sec
        c = cold.get(w)
        cold_cols = f"{c:.2f} s | {base / c:.2f}×" if c else "– | –"
        lines.append(f"| {w} | {sec:.2f} s | {200 / sec:.1f} | {base / sec:.2f}× | {cold_cols} |")
    return lines




if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(benchmark_sweep(Path(tmp))))
