"""Finite-size solvers over seeded samples, beside the state evolution (SPEC §2.4).

Seeding contract: sample s of `run_points(..., seed)` uses the s-th child of
`np.random.SeedSequence(seed)` (so sample s does not depend on how many samples are run);
that child spawns two streams, one for the instance (W_1, …, W_L, z, A, noise, in this order,
see `instances`) and one for the solver's random start (ML-AMP: ξ).

Within one sample every model and every α share the weights, the latent z and the sensing
matrix: the instance at α uses the first round(α d) rows of A (rows are i.i.d., so each column
is an exact instance at its α), and models that differ only in their activations (linear /
relu chains of the same shape) push the same z through the same W. All these columns are run
as one batch (`instances.Batch`, the solver's `run_batch`): each matrix is read once per
product for all of them. The samples are independent; points of one curve are positively
correlated (common random numbers), which makes the curves smooth and leaves each point's
standard error valid.

`amp_points`, `amp_vs_se` and `AMPPoint` are the names of `run_points`, `run_vs_se` and
`Point` with the default solver, ML-AMP.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from phasediag.errors import ModelError
from phasediag.finite import instances as I
from phasediag.finite.mlamp import NAME as ML_AMP
from phasediag.finite.mlamp import AMPOptions, ml_amp
from phasediag.finite.runs import Run
from phasediag.finite.solvers import get_solver, solver_options
from phasediag.limits import check
from phasediag.model import Model
from phasediag.se import SEResult, solve_se


@dataclass(frozen=True)
class Point:
    """A solver at one (model, α) over `samples` instances, with the SE prediction."""

    model: Model
    alpha: float
    d: int
    samples: int
    mse_mean: float  # mean over samples of the final ‖x̂ − x*‖²/d
    mse_stderr: float  # standard error of that mean (sample std / √samples; nan if 1 sample)
    runs: tuple[Run, ...] = field(repr=False)
    se: SEResult | None = field(default=None, repr=False)

    @property
    def solver(self) -> str:
        return self.runs[0].solver

    @property
    def se_mse(self) -> float | None:
        return None if self.se is None else self.se.mse

    @property
    def statuses(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.runs:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def split_by_convergence(self) -> tuple[tuple[int, float], tuple[int, float]]:
        """((n, mean mse) of the runs that ended converged/perfect/plateau, (n, mean mse) of
        the others). A diagnostic, not an estimator: in the weak-recovery phase of
        sign-symmetric PR the unconverged runs are the ones stuck far from the SE."""
        def part(rs):
            return len(rs), float(np.mean([r.mse for r in rs])) if rs else math.nan
        return (part([r for r in self.runs if r.converged]),
                part([r for r in self.runs if not r.converged]))

    def to_dict(self) -> dict:
        out = dict(self.model.describe())
        (n_ok, m_ok), (n_bad, m_bad) = self.split_by_convergence()
        out.update(
            alpha=self.alpha, d=self.d, samples=self.samples, mse_amp=self.mse_mean,
            mse_amp_stderr=self.mse_stderr, mse_se=self.se_mse,
            se_status=None if self.se is None else self.se.status,
            amp_status=self.statuses, amp_n_iter=[r.n_iter for r in self.runs],
            amp_mse=[r.mse for r in self.runs], amp_converged=n_ok,
            mse_amp_converged=m_ok if n_ok else None,
            mse_amp_unconverged=m_bad if n_bad else None,
        )
        return out


def _seeds(seed: int | np.random.SeedSequence, samples: int) -> list[np.random.SeedSequence]:
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return ss.spawn(samples)


def _alpha_lists(models: Sequence[Model],
                 alphas: Sequence[float] | Sequence[Sequence[float]]) -> list[list[float]]:
    """One α list per model (a flat list is shared by all); each α finite and > 0."""
    if len(alphas) and all(isinstance(a, (int, float, np.floating, np.integer)) for a in alphas):
        lists = [[float(a) for a in alphas] for _ in models]
    else:
        if len(alphas) != len(models):
            raise ModelError("alphas", f"expected one list per model ({len(models)}), "
                                       f"got {len(alphas)}")
        lists = [[float(a) for a in al] for al in alphas]
    for i, al in enumerate(lists):
        if not al:
            raise ModelError(f"alphas[{i}]", "expected at least one value")
        for a in al:
            check("alpha", a)
    return lists


def run_sample(models: Sequence[Model], alphas: Sequence[Sequence[float]], d: int,
               seed: np.random.SeedSequence, options: Any, dtype: type = np.float64,
               solver: str = ML_AMP) -> list[list[Run]]:
    """One sample: every (model, α) on a shared instance, as one batch; result[i][j] is
    models[i] at alphas[i][j]."""
    inst_ss, start_ss = seed.spawn(2)
    ns = [[I.n_measurements(a, d) for a in al] for al in alphas]
    dr = I.draw(models[0], max(max(n) for n in ns), d, np.random.default_rng(inst_ss), dtype)
    batch = I.make_batch(dr, models, ns)
    res = get_solver(solver).run_batch(batch, np.random.default_rng(start_ss), options)
    out, i = [], 0
    for nm in ns:
        out.append(res[i:i + len(nm)])
        i += len(nm)
    return out


def run_points(models: Sequence[Model], alphas: Sequence[float] | Sequence[Sequence[float]],
               d: int = 2000, samples: int = 10, seed: int | np.random.SeedSequence = 0,
               options: Any = None, dtype: type = np.float64, with_se: bool = True,
               workers: int = 1, *, solver: str = ML_AMP) -> list[list[Point]]:
    """The solver's mse (mean, standard error over samples) at every (model, α), with the SE
    (uninformed start) beside it; result[i][j] is models[i] at its j-th α.

    alphas: one list shared by all models, or one list per model. options: the solver's
    options (None: its defaults). workers > 1 runs the samples in that many processes
    (joblib/loky; BLAS then uses one thread per worker).
    """
    if not models:
        raise ModelError("models", "expected at least one model")
    for name, v in (("samples", samples), ("d", d)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise ModelError(name, f"expected an integer, got {v!r}")
    lists = _alpha_lists(models, alphas)
    I.check_size(models, lists, d, samples, dtype)
    I.check_batchable(models)
    options = solver_options(solver, options)
    seeds = _seeds(seed, samples)
    if workers > 1 and samples > 1:
        from joblib import Parallel, delayed

        per_sample = Parallel(n_jobs=min(workers, samples), backend="loky")(
            delayed(run_sample)(models, lists, d, ss, options, dtype, solver) for ss in seeds)
    else:
        per_sample = [run_sample(models, lists, d, ss, options, dtype, solver) for ss in seeds]
    out = []
    for i, (m, al) in enumerate(zip(models, lists, strict=True)):
        row = []
        for j, a in enumerate(al):
            runs = tuple(ps[i][j] for ps in per_sample)
            mses = np.array([r.mse for r in runs])
            err = float(mses.std(ddof=1) / math.sqrt(samples)) if samples > 1 else math.nan
            se = solve_se(m, a) if with_se else None
            row.append(Point(m, a, int(d), int(samples), float(mses.mean()), err, runs, se))
        out.append(row)
    return out


def run_vs_se(model: Model, alpha: float, d: int = 2000, samples: int = 10,
              seed: int | np.random.SeedSequence = 0, options: Any = None,
              dtype: type = np.float64, workers: int = 1, *, solver: str = ML_AMP) -> Point:
    """Mean and standard error of the solver's final mse over samples, and the SE at the
    same point."""
    return run_points([model], [alpha], d, samples, seed, options, dtype, workers=workers,
                      solver=solver)[0][0]


AMPPoint = Point
amp_points = run_points
amp_vs_se = run_vs_se


def benchmark_amp(d: int = 2000, depth: int = 3, alpha_factor: float = 1.2, seed: int = 0,
                  dtype: type = np.float32, options: AMPOptions | None = None) -> float:
    """Seconds for one ML-AMP run to convergence (instance drawn beforehand, kernels warm):
    PR, relu chain, ρ = 2, β = 1, `depth` weight matrices, α = alpha_factor · αalg (αalg from
    the SE, upper end of its bracket), matrices in `dtype`, `options` (default `AMPOptions`:
    perfect recovery decided at mse estimate 1e-10 ρ_x, 1 BLAS thread). Raises if the run
    does not end perfect. Measured on the quiet 2-core machine: 91 iterations, 1.86 s with
    1 BLAS thread (matrix products 70 %, denoisers 25 %), 1.60 s with 2; 3.1 s float64."""
    from phasediag.thresholds import compute_thresholds

    model = Model("pr", "relu", rho=2.0, depth=depth)
    alpha = alpha_factor * compute_thresholds(model, tol=1e-3).alpha_alg.hi
    inst = I.make_instance(model, alpha, d, seed, dtype=dtype)
    ml_amp(I.make_instance(model, alpha, 50, seed, dtype=dtype), options)  # warm the kernels
    t0 = time.perf_counter()
    res = ml_amp(inst, options, seed=seed)
    elapsed = time.perf_counter() - t0
    if res.status != "perfect":
        raise RuntimeError(f"benchmark run ended {res.status} (mse {res.mse:.3g})")
    return elapsed
