"""αalg by bisection (today) against the located fold (issue 16), L = 3 first-order cases:
time and bracket per requested tol. The fold's time is the median over repeats after a JIT
warm-up; the bisection runs once per tol (seconds each at tol ≤ 1e-8). Both start from the
same lo = upper end of the αIT (and αc) bracket at tol 1e-10, not timed.

Run: python benchmarks/fold_bench.py [--repeats 7] [--tols 1e-4 1e-6 1e-8 1e-10] [--no-bisect]
"""

from __future__ import annotations

import argparse
import statistics
import time

from phasediag.model import Model
from phasediag.se.branches import alpha_alg_fold
from phasediag.thresholds import alpha_alg, alpha_c, alpha_it

CASES = {
    "pr linear L=3 ρ=2": Model("pr", "linear", rho=2.0, depth=3),
    "pr relu L=3 ρ=2 β=3": Model("pr", "relu", rho=2.0, depth=3, betas=(3.0, 3.0)),
    "cs relu L=3 ρ=2 β=3": Model("cs", "relu", rho=2.0, depth=3, betas=(3.0, 3.0)),
}


def start(model: Model) -> float:
    bc = alpha_c(model, 1e-10)
    lo = alpha_it(model, 1e-10).hi
    return max(lo, bc.hi) if bc is not None else lo


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--tols", type=float, nargs="+", default=[1e-4, 1e-6, 1e-8, 1e-10])
    ap.add_argument("--no-bisect", action="store_true", help="time the fold locator only")
    args = ap.parse_args()
    print("| case | tol | bisect [ms] | bisect bracket (status) | fold [ms] | "
          "fold bracket (status) | width |")
    print("|---|---|---|---|---|---|---|")
    for name, model in CASES.items():
        lo = start(model)
        alpha_alg_fold(model, lo, 1e-8)  # compile / load kernels
        for tol in args.tols:
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                res = alpha_alg_fold(model, lo, tol)
                times.append(time.perf_counter() - t)
            fb = res.bracket
            if args.no_bisect:
                bis = "—", "—"
            else:
                t = time.perf_counter()
                b = alpha_alg(model, lo, tol)
                dt = time.perf_counter() - t
                bis = f"{1e3 * dt:.1f}", f"[{b.lo:.12f}, {b.hi:.12f}] ({b.status})"
            print(f"| {name} | {tol:g} | {bis[0]} | {bis[1]} | "
                  f"{1e3 * statistics.median(times):.2f} | [{fb.lo:.14f}, {fb.hi:.14f}] "
                  f"({fb.status}) | {fb.hi - fb.lo:.1e} |", flush=True)


if __name__ == "__main__":
    main()
