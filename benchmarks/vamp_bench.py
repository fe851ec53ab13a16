"""ML-VAMP SE timings (issue 14): one fixed point (relu, L = 3) and one threshold triple
(tol 1e-4) per matrix ensemble, median over repeats after a JIT warm-up.

Run: python benchmarks/vamp_bench.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from phasediag.model import Model
from phasediag.se import SEOptions, solve_se
from phasediag.spectra import EnsembleSpec
from phasediag.thresholds import compute_thresholds

VAMP = SEOptions(engine="vamp")
ENSEMBLES = {
    "gaussian": "gaussian",
    "orthogonal": "orthogonal",
    "geometric(κ=10)": EnsembleSpec("geometric", kappa=10.0),
    "empirical(500)": EnsembleSpec("empirical",
                                   values=tuple(np.random.default_rng(0).uniform(0.5, 2, 500))),
}


def median_time(fn, repeats: int) -> float:
    fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    print("| ensemble | fixed point, pr relu L=3 ρ=2 α=0.45 | iterations | "
          "thresholds pr relu L=3 ρ=2 tol 1e-4 | αIT, αalg |")
    print("|---|---|---|---|---|")
    for name, ens in ENSEMBLES.items():
        m = Model("pr", "relu", rho=2.0, depth=3, ensembles=(ens,) * 4)
        fp = median_time(lambda m=m: solve_se(m, 0.45, opts=VAMP), args.repeats)
        r = solve_se(m, 0.45, opts=VAMP)
        th = median_time(lambda m=m: compute_thresholds(m, 1e-4, opts=VAMP), args.repeats)
        t = compute_thresholds(m, 1e-4, opts=VAMP)
        print(f"| {name} | {fp * 1e3:.2f} ms ({r.status}) | {r.n_iter} | {th:.3f} s | "
              f"{t.alpha_it.mid:.4f}, {t.alpha_alg.mid:.4f} |")


if __name__ == "__main__":
    main()
