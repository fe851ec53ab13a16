"""phasediag beside Tree-AMP (sphinxteam/tramp), the field's reference package.

The comparison case: real phase retrieval, linear generative prior, ρ = 2, β_l = 1, with
1, 2 or 3 weight matrices; αalg (the smallest α at which the uninformed state evolution
reaches perfect recovery) and the time to find it. phasediag's side is always measured;
Tree-AMP's only when `import tramp` works (it is not installable from the registry: its
networkx pin needs networkx < 2 and a `fractions.gcd` shim on Python ≥ 3.9).

    python benchmarks/treeamp_compare.py [--tol 1e-4] [--relu-iterations 20]

Tree-AMP is run as its own docs prescribe: a `MultiLayerModel` of a Gaussian prior,
Marchenko–Pastur linear channels and an abs likelihood, and `find_critical_alpha` with the
"perfect" criterion (mse < vtol after 200 SE iterations). That branch has not been run on the
machine this script was written on (no Tree-AMP there); the README quotes the timings of a
run where it was importable.
"""

from __future__ import annotations

import argparse
import time

from phasediag.model import Model
from phasediag.se import SEOptions
from phasediag.se.solve import initial_state, run_se
from phasediag.thresholds import alpha_alg, alpha_it, compute_thresholds

RHO = 2.0
DEPTHS = (1, 2, 3)


def phasediag_side(tol: float) -> list[dict]:
    """αalg bracket and seconds per depth (kernels compiled first, outside the timing)."""
    compute_thresholds(Model("pr", "linear", rho=RHO, depth=1), tol=1e-2)  # JIT warm-up
    rows = []
    for L in DEPTHS:
        model = Model("pr", "linear", rho=RHO, depth=L)
        t0 = time.perf_counter()
        it = alpha_it(model, tol)
        b = alpha_alg(model, it.hi, tol)
        t_alg = time.perf_counter() - t0
        t0 = time.perf_counter()
        compute_thresholds(model, tol=tol)
        t_all = time.perf_counter() - t0
        rows.append({"L": L, "alpha_alg": b, "seconds_alg": t_alg, "seconds_triple": t_all})
    return rows


def relu_iteration_seconds(n: int) -> float:
    """Seconds per SE iteration of a relu chain (L = 3, ρ = 2), from n fixed iterations."""
    model = Model("pr", "relu", rho=RHO, depth=3)
    opts = SEOptions(max_iter=n, tol_fp=1e-300)
    m, v = initial_state(model, "uninformed", opts)
    run_se(model, 0.6, m.copy(), v.copy(), opts, opts.tol_perfect)  # JIT warm-up
    t0 = time.perf_counter()
    _, n_iter, _, _ = run_se(model, 0.6, m, v, opts, opts.tol_perfect)
    return (time.perf_counter() - t0) / max(int(n_iter), 1)


def treeamp_side(tol: float) -> list[dict] | None:
    """Tree-AMP's αalg and seconds per depth, or None when it is not importable."""
    try:
        from tramp.channels import MarchenkoPasturChannel
        from tramp.experiments import find_critical_alpha
        from tramp.likelihoods import AbsLikelihood
        from tramp.models import MultiLayerModel
        from tramp.priors import GaussianPrior
    except Exception:  # noqa: BLE001 — any import failure means "not available"
        return None

    def builder(alpha: float, L: int):
        # dimensions over k: β_l = 1 for l < L and β_L = 1/ρ, then the sensing ratio n/d = α
        ratios = [1.0] * (L - 1) + [1.0 / RHO, alpha]
        layers = [GaussianPrior(size=None)] + [MarchenkoPasturChannel(alpha=r) for r in ratios]
        layers.append(AbsLikelihood(y=None))
        ids = ["z"] + [f"h{l + 2}" for l in range(L - 1)] + ["x", "u", "y"]
        return MultiLayerModel(layers, ids=ids)

    rows = []
    for L in DEPTHS:
        t0 = time.perf_counter()
        a = find_critical_alpha(id="x", a0=0.1, mse_criterion="perfect", alpha_min=0.9,
                                alpha_max=1.5, model_builder=builder, alpha_tol=tol, L=L)
        rows.append({"L": L, "alpha_alg": a, "seconds": time.perf_counter() - t0})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tol", type=float, default=1e-4, help="bracket width / alpha_tol")
    ap.add_argument("--relu-iterations", type=int, default=2000)
    args = ap.parse_args()
    ours = phasediag_side(args.tol)
    print(f"phasediag, PR, linear prior, ρ = {RHO:g}, β = 1, tol = {args.tol:g}")
    print(f"{'L':>2} {'αalg bracket':>26} {'αIT+αalg (s)':>13} {'αc,αIT,αalg (s)':>16}")
    for r in ours:
        b = r["alpha_alg"]
        print(f"{r['L']:>2} [{b.lo:.6f}, {b.hi:.6f}] {b.status:>5} {r['seconds_alg']:>13.3f} "
              f"{r['seconds_triple']:>16.3f}")
    s = relu_iteration_seconds(args.relu_iterations)
    print(f"relu SE iteration (L = 3, ρ = 2): {s * 1e6:.1f} µs")
    theirs = treeamp_side(args.tol)
    if theirs is None:
        print("Tree-AMP: not importable here (skipped)")
        return
    print("Tree-AMP find_critical_alpha")
    for r, o in zip(theirs, ours, strict=True):
        print(f"{r['L']:>2} αalg = {r['alpha_alg']:.6f}   {r['seconds']:.1f} s   "
              f"(phasediag {o['seconds_alg']:.3f} s: ×{r['seconds'] / o['seconds_alg']:.0f})")


if __name__ == "__main__":
    main()
