"""Finite-size algorithms on seeded instances, beside the state evolution (SPEC §2.4).

>>> from phasediag import Model
>>> from phasediag.finite import amp_vs_se
>>> p = amp_vs_se(Model("pr", "relu", rho=2.0, depth=1), 0.9, d=300, samples=2)
>>> p.se_mse, p.mse_mean < 1e-6
(0.0, True)

Modules:

    ensembles.py    matrix ensembles: name or EnsembleSpec → sampler draw(rows, cols, rng, dtype)
    instances.py    seeded draws (W_1 … W_L, z, A, noise), Instance, Batch (a solver's input)
    denoisers.py    numba scalar denoisers (the blocks' closed forms, by vocabulary code)
                    and their loops over (k, C) columns
    runs.py         Run, the record of one run (any solver); statuses; sign-invariant mse
    mlamp.py        ML-AMP: AMPOptions, AMPResult, run_batch, ml_amp
    solvers.py      solver registry SOLVERS (name → options class, run_batch); solve
    experiments.py  samples × (model, α) on shared instances, workers, SE beside each point
    blas.py         BLAS thread limit during a run

Data flow: SeedSequence(seed) → sample s → (instance stream, start stream);
instances.draw (instance stream) → instances.make_batch (models × α columns) → Batch →
SOLVERS[solver].run_batch(batch, start stream, options) (denoisers inside) → one Run per
column → experiments.Point per (model, α): mean ± standard error over samples, with the
`phasediag.se.solve_se` prediction.
"""

from phasediag.finite.experiments import (
    AMPPoint,
    Point,
    amp_points,
    amp_vs_se,
    benchmark_amp,
    run_points,
    run_vs_se,
)
from phasediag.finite.instances import Batch, Instance, make_instance
from phasediag.finite.mlamp import AMPOptions, AMPResult, ml_amp
from phasediag.finite.runs import STATUS_NAMES, Run
from phasediag.finite.solvers import SOLVER_NAMES, SOLVERS, Solver, solve

__all__ = [
    "AMPOptions", "AMPPoint", "AMPResult", "Batch", "Instance", "Point", "Run",
    "SOLVERS", "SOLVER_NAMES", "STATUS_NAMES", "Solver", "amp_points", "amp_vs_se",
    "benchmark_amp", "make_instance", "ml_amp", "run_points", "run_vs_se", "solve",
]
