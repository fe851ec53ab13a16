"""Finite-size multi-layer AMP that the state evolution describes (paper Fig. 1, issue 6).

>>> from phasediag import Model
>>> from phasediag.amp import amp_vs_se
>>> p = amp_vs_se(Model("pr", "relu", rho=2.0, depth=1), 0.9, d=300, samples=2)
>>> p.se_mse, p.mse_mean < 1e-6
(0.0, True)

Modules: `instances` (seeded problem instances), `kernels` (numba loops over the blocks'
closed-form denoisers), `mlamp` (the algorithm, `ml_amp`, `run_batch`), `experiments`
(samples, SE comparison, `benchmark_amp`), `fig1` (the data of the paper's Fig. 1).
"""

from phasediag.amp.experiments import AMPPoint, amp_points, amp_vs_se, benchmark_amp
from phasediag.amp.instances import Instance, make_instance
from phasediag.amp.mlamp import AMPOptions, AMPResult, ml_amp, run_batch

__all__ = [
    "AMPOptions", "AMPPoint", "AMPResult", "Instance", "amp_points", "amp_vs_se",
    "benchmark_amp", "make_instance", "ml_amp", "run_batch",
]
