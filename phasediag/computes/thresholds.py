"""compute: thresholds — αc, αIT, αalg of every (problem, prior, ρ, β, L) as brackets."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import Field

from phasediag.computes.base import ComputeKind, Row, fmt, kind_of_layers
from phasediag.grid import Point
from phasediag.model import Model
from phasediag.schema import limited
from phasediag.se import SEOptions

DEFAULT_TOL = 1e-4

# Rough seconds per threshold triple at tol = 1e-4 on the dev machine (warm kernels, depth 1)
_SECONDS = {
    ("pr", "linear"): 0.06, ("cs", "linear"): 0.22, ("pr", "gaussian"): 0.02,
    ("cs", "gaussian"): 0.18, ("pr", "gauss-bernoulli"): 0.1, ("cs", "gauss-bernoulli"): 0.03,
    ("pr", "relu"): 0.2, ("cs", "relu"): 0.2,
}


@dataclass(frozen=True)
class ThresholdSettings:
    tol: float  # bracket width of every threshold
    se: SEOptions


class Thresholds(ComputeKind):
    name = "thresholds"
    doc = "αc, αIT, αalg (brackets, statuses) per (problem, prior, ρ, β, L)"
    alpha = "forbidden"
    plots = ("phase-diagram", "gap", "kappa")
    config_fields = {"tol": (limited("tol") | None, Field(None))}
    types = {"alpha_c_status": "str", "alpha_it_status": "str", "alpha_alg_status": "str",
             "hard_phase": "bool", "n_evals": "int", "notes": "str", "converged": "bool",
             "error": "str"}
    columns = (
        "tol",
        "alpha_c", "alpha_c_lo", "alpha_c_hi", "alpha_c_status",
        "alpha_it", "alpha_it_lo", "alpha_it_hi", "alpha_it_status",
        "alpha_alg", "alpha_alg_lo", "alpha_alg_hi", "alpha_alg_status",
        "alpha_c_analytic", "alpha_it_analytic", "delta_alg", "hard_phase", "mse_below_alg",
        "n_evals", "notes", "converged", "seconds", "error",
    )

    def settings(self, spec, se: SEOptions) -> ThresholdSettings:
        return ThresholdSettings(tol=spec.tol if spec.tol is not None else DEFAULT_TOL, se=se)

    def compute(self, model: Model, p: Point, s: ThresholdSettings):
        from phasediag.thresholds import compute_thresholds

        return compute_thresholds(model, tol=s.tol, opts=s.se)

    def row(self, p: Point, model: Model | None, res, s: ThresholdSettings) -> Row:
        """Row from a ThresholdResult."""
        row = self.empty_row(p, model)
        row["tol"] = fmt(s.tol)
        if res is not None:
            n_evals = 0
            for name, b in (("alpha_c", res.alpha_c), ("alpha_it", res.alpha_it),
                            ("alpha_alg", res.alpha_alg)):
                if b is None:
                    row[f"{name}_status"] = "none"
                    continue
                n_evals += b.n_evals
                row[name] = fmt(b.mid)
                row[f"{name}_lo"] = fmt(b.lo)
                row[f"{name}_hi"] = fmt(b.hi)
                row[f"{name}_status"] = b.status
            delta = None
            if res.alpha_it is not None and res.alpha_alg is not None:
                delta = res.alpha_alg.mid - res.alpha_it.mid
            row.update(
                alpha_c_analytic=fmt(res.alpha_c_analytic),
                alpha_it_analytic=fmt(res.alpha_it_analytic),
                delta_alg=fmt(delta), hard_phase=fmt(res.hard_phase),
                mse_below_alg=fmt(res.mse_below_alg), n_evals=fmt(n_evals),
                notes=" | ".join(res.notes), converged=fmt(res.converged),
            )
        return row

    def cost(self, p: Point, s: ThresholdSettings) -> float:
        kind, layers = kind_of_layers(p)
        digits = math.log2(1.0 / s.tol)  # bisection steps per threshold
        return _SECONDS.get((p.problem, kind), 1.0) * layers * (6.6 + digits) / 20.0
