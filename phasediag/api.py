"""Python API mirroring the CLI: keyword arguments in, result records out.

>>> from phasediag import thresholds, state_evolution
>>> r = thresholds(problem="pr", prior="linear", rho=2.0, depth=1)
>>> round(r.alpha_alg.mid, 3), r.alpha_c_analytic
(1.056, 0.3333333333333333)
>>> [round(fp.mse, 4) for fp in state_evolution("pr", "linear", alpha=[0.5, 1.2], rho=2)]
[0.6109, 0.0]

Sweeps from a notebook: `sweep(config)` (a YAML path or a dict) returns the table as a
typed DataFrame, `read_results(csv)` loads any table the CLI wrote (`phasediag.results`).

Every argument is checked by `Model` (defaults included: a separable prior has depth 0);
bad input raises a `phasediag.errors.PhasediagError` naming the argument.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from phasediag.errors import ModelError
from phasediag.model import Model
from phasediag.se import SEOptions, SEResult, solve_se
from phasediag.thresholds import ThresholdResult, compute_thresholds


def _model(problem: str, prior: str, rho: float, depth: int | None, betas: Sequence[float],
           noise: float, activations: Sequence[str] | None,
           ensembles: Sequence[Any] | None = None) -> Model:
    if ensembles is not None:
        from phasediag.spectra import parse

        ensembles = tuple(parse(e) if isinstance(e, str) else e for e in ensembles)
    return Model(problem, prior, rho=rho, depth=depth, betas=betas, noise=noise,
                 activations=activations, ensembles=ensembles)


def thresholds(problem: str, prior: str, rho: float = 1.0, depth: int | None = None,
               betas: Sequence[float] = (), noise: float = 0.0, tol: float = 1e-4,
               activations: Sequence[str] | None = None,
               options: SEOptions | None = None,
               ensembles: Sequence[Any] | None = None,
               alg_method: str = "bisect") -> ThresholdResult:
    """αc, αIT, αalg (brackets to `tol`) for one model; see `Model` for the arguments.
    ensembles: one per matrix (W_1 … W_L, A), each a text ("orthogonal", "geometric:10",
    "empirical:FILE.npy"), an `EnsembleSpec` or a dict; non-Gaussian → ML-VAMP SE.
    alg_method: "bisect" (default) or "fold" (αalg located as a saddle-node)."""
    model = _model(problem, prior, rho, depth, betas, noise, activations, ensembles)
    return compute_thresholds(model, tol=tol, opts=options, alg_method=alg_method)


def state_evolution(problem: str, prior: str, alpha: float | Sequence[float] | np.ndarray,
                    rho: float = 1.0, depth: int | None = None, betas: Sequence[float] = (),
                    init: str = "uninformed", noise: float = 0.0,
                    activations: Sequence[str] | None = None,
                    options: SEOptions | None = None,
                    ensembles: Sequence[Any] | None = None) -> SEResult | list[SEResult]:
    """SE fixed point at sample ratio α from the uninformed or informed start.

    alpha: one number → one SEResult; a sequence or 1-D array → a list of SEResults in the
    same order, each from the same start (not warm-started from its neighbour, so every
    entry equals the single-α call).
    """
    model = _model(problem, prior, rho, depth, betas, noise, activations, ensembles)
    if np.ndim(alpha) == 0:
        return solve_se(model, alpha, init=init, opts=options)
    alphas = np.asarray(alpha, dtype=object)
    if alphas.ndim != 1:
        raise ModelError("alpha", f"expected a number or a 1-D sequence, got shape "
                                  f"{alphas.shape}")
    return [solve_se(model, a.item() if isinstance(a, np.generic) else a, init=init,
                     opts=options) for a in alphas]


def sweep(config: str | Path | dict[str, Any], out: str | Path | None = None, *,
          workers: int | None = None, resume: bool = False, force: bool = False,
          progress: bool | None = None, scheduler: Any = None) -> pd.DataFrame:
    """Run a sweep (a YAML file or the same content as a dict) and return its table.

    out: the CSV to write (its parent directory is created; `FILE.csv.meta.json` beside
    it), or None for a temporary file removed afterwards. The DataFrame has typed columns
    and the provenance (config, versions, commit, options, times) in `df.attrs`; see
    `phasediag.results.read_results`. Other arguments as `phasediag sweep`.

    >>> df = sweep({"compute": "thresholds", "tol": 1e-3,           # doctest: +SKIP
    ...             "grid": {"problem": "pr", "prior": "linear", "rho": [0.5, 1, 2]}})
    """
    from phasediag.config import config_from_dict, load_config
    from phasediag.results import read_results
    from phasediag.runner import run_sweep

    if isinstance(config, dict):
        cfg, source = config_from_dict(config, "config"), None
    else:
        cfg, source = load_config(config), str(config)
    if out is not None:
        run_sweep(cfg, out, workers=workers, scheduler=scheduler, resume=resume, force=force,
                  progress=progress, config_file=source)
        return read_results(out)
    with tempfile.TemporaryDirectory(prefix="phasediag-") as tmp:
        path = Path(tmp) / "sweep.csv"
        run_sweep(cfg, path, workers=workers, scheduler=scheduler, progress=progress,
                  config_file=source)
        df = read_results(path)
    df.attrs["path"] = None  # the temporary file is gone
    return df
