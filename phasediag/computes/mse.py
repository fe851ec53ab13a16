"""compute: mse — the SE fixed point at every (problem, prior, ρ, β, L, init, α)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from phasediag.computes.base import ComputeKind, Row, fmt, kind_of_layers
from phasediag.grid import Point
from phasediag.model import Model
from phasediag.schema import init_axis
from phasediag.se import INITS, SEOptions, solve_se

# Rough seconds per SE fixed point on the dev machine (warm kernels, depth 1), by block family
_SECONDS = {"linear": 2e-3, "gaussian": 1e-3, "gauss-bernoulli": 3e-3, "relu": 3e-3}


@dataclass(frozen=True)
class MseSettings:
    init: tuple[str, ...]  # the starts, an axis of the points
    se: SEOptions


class Mse(ComputeKind):
    name = "mse"
    doc = "state-evolution fixed point (mse, overlaps per layer, status) per α"
    alpha = "required"
    uses_init = True
    plots = ("mse",)
    config_fields = {"init": (init_axis(INITS) | None, Field(None))}
    types = {"init": "str", "overlaps": "str", "layer_mses": "str", "status": "str",
             "converged": "bool", "iterations": "int", "error": "str"}
    columns = (
        "init", "alpha", "mse", "normalized_mse", "mse_last", "overlap", "overlaps",
        "layer_mses", "status", "converged", "iterations", "residual", "seconds", "error",
    )

    def settings(self, spec, se: SEOptions) -> MseSettings:
        raw = spec.init if spec.init is not None else "uninformed"
        inits = tuple(dict.fromkeys(raw if isinstance(raw, list) else [raw]))
        return MseSettings(init=inits, se=se)

    def compute(self, model: Model, p: Point, s: MseSettings):
        return solve_se(model, float(p.alpha), init=p.init, opts=s.se)

    def row(self, p: Point, model: Model | None, res, s: MseSettings) -> Row:
        """Row from an SEResult."""
        row = self.empty_row(p, model)
        row["init"] = p.init or ""
        row["alpha"] = p.alpha or ""
        if res is not None:
            row.update(
                mse=fmt(res.mse), normalized_mse=fmt(res.normalized_mse),
                mse_last=fmt(res.mse_last), overlap=fmt(res.overlaps[-1]),
                overlaps=fmt(list(res.overlaps)), layer_mses=fmt(list(res.mses)),
                status=res.status, converged=fmt(res.converged), iterations=fmt(res.n_iter),
                residual=fmt(res.residual),
            )
        return row

    def cost(self, p: Point, s: MseSettings) -> float:
        kind, layers = kind_of_layers(p)
        return _SECONDS.get(kind, 5e-3) * layers * (2.0 if p.init == "informed" else 1.0)
