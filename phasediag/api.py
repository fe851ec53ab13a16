"""Python API mirroring the CLI: keyword arguments in, result records out.

>>> from phasediag import thresholds, state_evolution
>>> r = thresholds(problem="pr", prior="linear", rho=2.0, depth=1)
>>> round(r.alpha_alg.mid, 3), r.alpha_c_analytic
(1.056, 0.3333333333333333)

Every argument is checked by `Model` (defaults included: a separable prior has depth 0);
bad input raises a `phasediag.errors.PhasediagError` naming the argument.
"""

from __future__ import annotations

from collections.abc import Sequence

from phasediag.model import Model
from phasediag.se import SEOptions, SEResult, solve_se
from phasediag.thresholds import ThresholdResult, compute_thresholds


def _model(problem: str, prior: str, rho: float, depth: int | None, betas: Sequence[float],
           noise: float, activations: Sequence[str] | None) -> Model:
    return Model(problem, prior, rho=rho, depth=depth, betas=betas, noise=noise,
                 activations=activations)


def thresholds(problem: str, prior: str, rho: float = 1.0, depth: int | None = None,
               betas: Sequence[float] = (), noise: float = 0.0, tol: float = 1e-4,
               activations: Sequence[str] | None = None,
               options: SEOptions | None = None) -> ThresholdResult:
    """αc, αIT, αalg (brackets to `tol`) for one model; see `Model` for the arguments."""
    model = _model(problem, prior, rho, depth, betas, noise, activations)
    return compute_thresholds(model, tol=tol, opts=options)


def state_evolution(problem: str, prior: str, alpha: float, rho: float = 1.0,
                    depth: int | None = None, betas: Sequence[float] = (),
                    init: str = "uninformed", noise: float = 0.0,
                    activations: Sequence[str] | None = None,
                    options: SEOptions | None = None) -> SEResult:
    """SE fixed point at sample ratio α from the uninformed or informed start."""
    model = _model(problem, prior, rho, depth, betas, noise, activations)
    return solve_se(model, alpha, init=init, opts=options)
