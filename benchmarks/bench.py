"""Speed benchmarks (`make bench`): writes a Markdown table with the machine described.

Each case reports the median wall time over repeats after a JIT warm-up, and its target
from the issues. Run: python benchmarks/bench.py --out benchmarks/results.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import phasediag
from phasediag.model import Model
from phasediag.se import solve_se
from phasediag.thresholds import compute_thresholds


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of fn() over `repeats` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def cli_second_call() -> float:
    """Wall time of a `phasediag thresholds` CLI call once the numba cache is on disk."""
    exe = shutil.which("phasediag") or str(Path(sys.executable).with_name("phasediag"))
    cmd = [exe, "thresholds", "--problem", "pr", "--prior", "linear", "--rho", "2",
           "--depth", "3", "--json"]
    subprocess.run(cmd, check=True, capture_output=True)  # first call fills the cache
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def cases() -> list[tuple[str, str, Callable[[], float]]]:
    """(name, target, measure) triples; measure returns seconds."""
    lin3 = Model("pr", "linear", rho=2.0, depth=3)
    out = [
        ("SE fixed point, PR linear L=3 ρ=2, α=0.9 (weak recovery)", "< 5 ms",
         lambda: timed(lambda: solve_se(lin3, 0.9), 20)),
        ("SE fixed point, PR linear L=3 ρ=2, α=1.2 (perfect)", "< 5 ms",
         lambda: timed(lambda: solve_se(lin3, 1.2), 20)),
        ("threshold triple αc, αIT, αalg, PR linear L=3 ρ=2, tol 1e-4", "< 1 s",
         lambda: timed(lambda: compute_thresholds(lin3, tol=1e-4), 5)),
        ("CLI `phasediag thresholds` (PR linear L=3), second call", "< 2 s", cli_second_call),
    ]
    out.extend(extra_cases())
    return out


def extra_cases() -> list[tuple[str, str, Callable[[], float]]]:
    """Benchmarks of later features (relu, sweeps, AMP), present when they are."""
    out = []
    relu = Model("pr", "relu", rho=0.25, depth=3, betas=(3.0, 3.0))
    out.append(("SE fixed point, PR relu L=3 β=3 ρ=0.25, α=0.5", "< 20 ms",
                lambda: timed(lambda: solve_se(relu, 0.5), 10)))
    out.append(("threshold pair αIT, αalg, PR relu L=3 β=3 ρ=0.25, tol 1e-4", "< 3 s",
                lambda: timed(lambda: compute_thresholds(relu, tol=1e-4), 3)))
    from phasediag.se import SEOptions
    from phasediag.spectra import EnsembleSpec

    vamp = SEOptions(engine="vamp")
    values = tuple(np.random.default_rng(0).uniform(0.5, 2.0, 10_000))
    for label, ens in (("gaussian", "gaussian"), ("orthogonal", "orthogonal"),
                       ("geometric κ=10", EnsembleSpec("geometric", kappa=10.0)),
                       ("empirical, 10⁴ values", EnsembleSpec("empirical", values=values))):
        m = Model("pr", "relu", rho=2.0, depth=3, ensembles=("gaussian",) * 3 + (ens,))
        out.append((f"ML-VAMP SE fixed point, PR relu L=3 ρ=2, α=0.45, A {label}",
                    "< 5 ms" if "empirical" not in label else "< 50 ms",
                    lambda m=m: timed(lambda: solve_se(m, 0.45, opts=vamp), 10)))
        out.append((f"ML-VAMP threshold triple, PR relu L=3 ρ=2, tol 1e-4, A {label}",
                    "< 1 s" if "empirical" not in label else "< 10 s",
                    lambda m=m: timed(lambda: compute_thresholds(m, tol=1e-4, opts=vamp), 3)))
    from phasediag.se.branches import alpha_alg_fold
    from phasediag.thresholds import alpha_it

    for name, fm in (("PR linear L=3 ρ=2", Model("pr", "linear", rho=2.0, depth=3)),
                     ("PR relu L=3 β=3 ρ=1", Model("pr", "relu", rho=1.0, depth=3,
                                                 betas=(3.0, 3.0)))):
        lo = alpha_it(fm, 1e-8).hi
        out.append((f"αalg located as a fold, {name}, tol 1e-8", "< 10 ms",
                    lambda fm=fm, lo=lo: timed(lambda: alpha_alg_fold(fm, lo, 1e-8), 5)))
    from phasediag.finite.experiments import benchmark_amp
    from phasediag.finite.mlamp import AMPOptions

    for threads in (1, 2):
        opts = AMPOptions(blas_threads=threads)
        out.append((f"ML-AMP run to convergence, PR relu L=3 ρ=2 β=1, d=2000, float32, "
                    f"{threads} BLAS thread{'s' * (threads > 1)}", "< 2 s",
                    lambda o=opts: statistics.median(benchmark_amp(options=o)
                                                     for _ in range(3))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="benchmarks/results.md")
    ap.add_argument("--only", default=None, help="substring filter on case names")
    args = ap.parse_args()
    rows = []
    for name, target, measure in cases():
        if args.only and args.only not in name:
            continue
        sec = measure()
        rows.append((name, sec, target))
        print(f"{name}: {sec * 1e3:.2f} ms (target {target})", flush=True)
    lines = [
        "# phasediag benchmarks",
        "",
        f"phasediag {phasediag.__version__}; machine: {machine()}.",
        f"Generated by `make bench` on {time.strftime('%Y-%m-%d %H:%M')}; median wall time "
        "after a JIT warm-up (numba cache on disk).",
        "",
        "| case | time | target |",
        "|---|---:|---|",
    ]
    for name, sec, target in rows:
        val = f"{sec * 1e3:.2f} ms" if sec < 1 else f"{sec:.2f} s"
        lines.append(f"| {name} | {val} | {target} |")
    lines.extend(sweep_section())
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


def sweep_section() -> list[str]:
    """Points/s of a 200-point thresholds sweep with 1 and 2 workers (issue 4)."""
    from sweep_bench import benchmark_sweep  # beside this file (python puts its folder on sys.path)

    with tempfile.TemporaryDirectory() as tmp:
        stats = benchmark_sweep(Path(tmp))
    return ["", "## Sweep throughput", "", *stats]


if __name__ == "__main__":
    main()
