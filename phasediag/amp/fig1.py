"""Data of the paper's Fig. 1: PR, mse vs α from the SE against finite-size ML-AMP.

Setting (SPEC §5): real phase retrieval, linear and relu generative priors, ρ = 2, every
β_l = 1 (so β_L = 1/2), L = 1, 2, 3 weight matrices. Two kinds of rows:

- kind = se:  the SE fixed point from the uninformed start on a fine α grid;
- kind = amp: ML-AMP on finite instances (d = 2000, 10 samples by default) at a few α,
  mean and standard error over the samples (`phasediag.amp.experiments`).

Columns of results/fig1.csv, one row per (prior, depth, kind, α):

    prior        linear | relu
    depth        L, the number of weight matrices (the paper's curve label + 1)
    alpha        α = n/d (exact decimal)
    kind         se | amp
    mse          se: ρ_x − m_x at the fixed point (0 when perfect);
                 amp: mean over samples of ‖x̂ − x*‖²/d (min over ±x̂ for the linear prior)
    mse_stderr   amp: standard error of that mean (sample std / √samples); se: empty
    alpha_it     counting αIT of the curve (the dashed line of the figure; 1 linear, 1/2 relu)
    status       se: converged | perfect | uninformative | max_iter | nan (SEResult.status);
                 amp: counts of the per-sample statuses, e.g. "converged=7;max_iter=3"
    rho_x        E x² (1 linear; 2^−L relu): divide mse by it for the normalised mse
    mse_median   amp: median over samples (robust to a sample stuck or diverged); se: empty
    samples      amp: number of samples; se: 0
    d            amp: signal dimension; se: empty
    n_iter       se: SE iterations; amp: mean AMP iterations

The provenance file results/fig1.csv.meta.json holds the version, seed, d, samples, AMP
options, grid, git commit and the run time. Plotting is not done here.

Run: python -m phasediag.amp.fig1 --out results/fig1.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import numpy as np

from phasediag.amp.experiments import amp_points
from phasediag.amp.mlamp import AMPOptions
from phasediag.closed_forms import alpha_it_analytic
from phasediag.model import Model
from phasediag.records import environment, fmt, meta_path, write_meta, write_table
from phasediag.se import solve_se

COLUMNS = ("prior", "depth", "alpha", "kind", "mse", "mse_stderr", "alpha_it", "status",
           "rho_x", "mse_median", "samples", "d", "n_iter")
PRIORS = ("linear", "relu")
DEPTHS = (1, 2, 3)
RHO = 2.0
SE_GRID = ("0.01", "1.5", "0.01")  # start, stop, step (exact decimals)
# AMP points per prior, around the features of the curves: linear αc = 1/3, 1/4, 1/5 and
# αalg ≈ 1.056, 1.026, 1.011; relu αIT = 1/2 and αalg ≈ 0.656, 0.588, 0.555 (L = 1, 2, 3)
AMP_ALPHAS = {
    "linear": ("0.2", "0.4", "0.55", "0.7", "0.85", "0.95", "1.1", "1.25"),
    "relu": ("0.1", "0.25", "0.4", "0.5", "0.6", "0.7", "0.85", "1.0"),
}
FIG1_OPTIONS = AMPOptions(max_iter=150, tol_perfect=1e-8, plateau_window=10, plateau_tol=5e-3)


def decimal_grid(start: str, stop: str, step: str) -> list[str]:
    """start, start + step, …, ≤ stop as exact decimal strings."""
    a, b, s = Decimal(start), Decimal(stop), Decimal(step)
    out = []
    while a <= b:
        out.append(str(a))
        a += s
    return out


def fig1_model(prior: str, depth: int) -> Model:
    return Model("pr", prior, rho=RHO, depth=depth)


def se_rows(priors=PRIORS, depths=DEPTHS, grid: list[str] | None = None) -> list[dict]:
    """The SE curves (uninformed start) on the fine grid."""
    grid = grid or decimal_grid(*SE_GRID)
    rows = []
    for prior in priors:
        for L in depths:
            m = fig1_model(prior, L)
            for a in grid:
                r = solve_se(m, float(a))
                rows.append(_row(m, prior, L, a, "se", r.mse, None, r.status, None, 0, None,
                                 r.n_iter))
    return rows


def amp_rows(priors=PRIORS, depths=DEPTHS, alphas=AMP_ALPHAS, d: int = 2000,
             samples: int = 10, seed: int = 0, options: AMPOptions = FIG1_OPTIONS,
             dtype: type = np.float32, workers: int = 1, progress=None) -> list[dict]:
    """AMP points: per depth, one batch per sample runs both priors at all their α on shared
    weights and sensing matrix (seeds: SeedSequence([seed, L]))."""
    rows = []
    for L in depths:
        models = [fig1_model(p, L) for p in priors]
        t0 = time.perf_counter()
        pts = amp_points(models, [[float(a) for a in alphas[p]] for p in priors], d, samples,
                         np.random.SeedSequence([seed, L]), options, dtype, with_se=False,
                         workers=workers)
        if progress:
            progress(f"AMP depth {L}: {time.perf_counter() - t0:.1f} s")
        for prior, row in zip(priors, pts, strict=True):
            for a, p in zip(alphas[prior], row, strict=True):
                counts = ";".join(f"{k}={v}" for k, v in sorted(p.statuses.items()))
                rows.append(_row(p.model, prior, L, a, "amp", p.mse_mean, p.mse_stderr, counts,
                                 float(np.median([r.mse for r in p.runs])), samples, d,
                                 float(np.mean([r.n_iter for r in p.runs]))))
    return rows


def _row(m: Model, prior, L, a, kind, mse, err, status, median, samples, d, n_iter) -> dict:
    return {
        "prior": prior, "depth": fmt(L), "alpha": a, "kind": kind, "mse": fmt(mse),
        "mse_stderr": fmt(err), "alpha_it": fmt(alpha_it_analytic(m)), "status": status,
        "rho_x": fmt(m.rho_x), "mse_median": fmt(median), "samples": fmt(samples),
        "d": fmt(d), "n_iter": fmt(n_iter),
    }


def write_fig1(out: str | Path = "results/fig1.csv", d: int = 2000, samples: int = 10,
               seed: int = 0, options: AMPOptions = FIG1_OPTIONS, dtype: type = np.float32,
               workers: int = 1, progress=None) -> dict:
    """Compute the SE curves and the AMP points and write `out` and its .meta.json;
    returns the provenance dict (with the run time in seconds)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows = se_rows()
    t_se = time.perf_counter() - t0
    if progress:
        progress(f"SE curves: {len(rows)} points, {t_se:.1f} s")
    rows += amp_rows(d=d, samples=samples, seed=seed, options=options, dtype=dtype,
                     workers=workers, progress=progress)
    seconds = time.perf_counter() - t0
    write_table(out, COLUMNS, rows)
    meta = {
        "what": "Fig. 1: PR, mse vs alpha, SE (uninformed) vs finite-size ML-AMP",
        "columns": list(COLUMNS), "problem": "pr", "priors": list(PRIORS),
        "depths": list(DEPTHS), "rho": RHO, "betas": "1 (beta_L = 1/(rho prod beta) = 0.5)",
        "se_grid": {"start": SE_GRID[0], "stop": SE_GRID[1], "step": SE_GRID[2]},
        "amp_alphas": {k: list(v) for k, v in AMP_ALPHAS.items()}, "seed": seed,
        "seeding": "SeedSequence([seed, L]), sample s = its s-th child",
        "d": d, "samples": samples, "matrix_dtype": np.dtype(dtype).name,
        "amp_options": asdict(options), "workers": workers, "seconds": round(seconds, 1),
        "seconds_se": round(t_se, 1), **environment(),
    }
    write_meta(meta_path(out), meta)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m phasediag.amp.fig1", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="results/fig1.csv")
    ap.add_argument("--d", type=int, default=2000)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-iter", type=int, default=FIG1_OPTIONS.max_iter)
    ap.add_argument("--float64", action="store_true", help="matrices in float64 (slower)")
    ap.add_argument("--workers", type=int, default=2, help="processes for the AMP samples")
    a = ap.parse_args(argv)
    if a.d < 1 or a.samples < 1 or a.workers < 1:
        ap.error("--d, --samples and --workers must be ≥ 1")
    opts = AMPOptions(**{**asdict(FIG1_OPTIONS), "max_iter": a.max_iter})
    meta = write_fig1(a.out, a.d, a.samples, a.seed, opts,
                      np.float64 if a.float64 else np.float32, a.workers,
                      progress=lambda s: print(s, file=sys.stderr, flush=True))
    print(f"wrote {a.out} ({meta['seconds']} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
