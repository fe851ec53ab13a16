"""compute: amp — finite-size ML-AMP (mean ± standard error over seeded instances) per α,
beside the SE prediction.

Points that share an architecture's shape (problem, noise, ρ, β, L; models may differ in
their activations) form one batch and one task: every sample draws one instance (weights,
z, sensing matrix) for all of them, and each (model, α) uses the first round(α d) rows of
the sensing matrix (`phasediag.finite.experiments`). The batch of depth L is seeded with
SeedSequence([seed, L]); sample s uses its s-th child.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np
from pydantic import Field

from phasediag.closed_forms import alpha_it_analytic
from phasediag.computes.base import ComputeKind, Row, fmt, interrupted
from phasediag.errors import ConfigError, PhasediagError
from phasediag.grid import Point
from phasediag.model import Model
from phasediag.schema import Finite, Int, Strict, limited
from phasediag.se import SEOptions, solve_se

SECONDS_PER_ENTRY = 1e-10  # rough cost of one matrix entry in one product (float32)


class AmpSpec(Strict):
    """The `amp:` section of a config: instances, and overrides of AMPOptions."""

    d: limited("d") = 2000
    samples: limited("samples") = 10
    seed: limited("seed") = 0
    matrix_dtype: Literal["float64", "float32"] = "float64"
    max_iter: limited("amp_max_iter") | None = None
    tol: Finite | None = Field(None, gt=0)
    tol_perfect: Finite | None = Field(None, gt=0)
    tol_perfect_step: Finite | None = Field(None, gt=0)
    plateau_window: Int | None = Field(None, ge=0, le=1_000_000)
    plateau_tol: Finite | None = Field(None, gt=0)
    damping: limited("damping") | None = None
    init_scale: Finite | None = Field(None, gt=0)
    init_overlap: limited("init_overlap") | None = None
    blowup: Finite | None = Field(None, gt=0)
    max_restarts: Int | None = Field(None, ge=0, le=1000)


@dataclass(frozen=True)
class AmpSettings:
    d: int
    samples: int
    seed: int
    matrix_dtype: str
    options: object  # phasediag.finite.mlamp.AMPOptions
    se: SEOptions


class Amp(ComputeKind):
    name = "amp"
    doc = "finite-size ML-AMP mse (mean ± stderr over seeded instances) per α, beside the SE"
    alpha = "required"
    plots = ("mse",)
    config_fields = {"amp": (AmpSpec, AmpSpec())}
    types = {"d": "int", "samples": "int", "seed": "int", "statuses": "str",
             "n_converged": "int", "se_status": "str", "converged": "bool", "error": "str"}
    columns = (
        "alpha", "d", "samples", "seed", "mse", "mse_stderr", "mse_median", "rho_x",
        "statuses", "n_converged", "mse_converged", "mse_unconverged", "iterations",
        "mse_se", "se_status", "alpha_it_analytic", "converged", "seconds", "error",
    )

    def settings(self, spec, se: SEOptions) -> AmpSettings:
        from phasediag.finite.mlamp import AMPOptions

        a = spec.amp
        given = {f.name: getattr(a, f.name) for f in fields(AMPOptions)
                 if f.name in AmpSpec.model_fields and getattr(a, f.name) is not None}
        try:
            opts = AMPOptions(**given)
            opts.validate()
        except PhasediagError as e:
            raise ConfigError(f"amp.{e.field}", e.message) from None
        return AmpSettings(d=a.d, samples=a.samples, seed=a.seed, matrix_dtype=a.matrix_dtype,
                           options=opts, se=se)

    def batch_key(self, p: Point, s: AmpSettings) -> tuple:
        m = p.model()
        key = (m.problem, m.noise, m.L, m.dims, m.prior if m.separable else None,
               m.matrix_ensembles)
        if getattr(m.matrix_ensembles[-1], "name", m.matrix_ensembles[-1]) != "gaussian":
            key += (p.alpha,)  # the first n rows of a rotated A are not one of n rows
        return key

    def run(self, points: Sequence[Point], s: AmpSettings) -> list[Row]:
        """One batch (points of one batch key): every model at its α on shared instances."""
        import time

        from phasediag.finite.experiments import amp_points

        t0 = time.perf_counter()
        models: dict[Model, list[Point]] = {}
        try:
            for p in points:
                models.setdefault(p.model(), []).append(p)
            ms = list(models)
            res = amp_points(ms, [[float(p.alpha) for p in models[m]] for m in ms], s.d,
                             s.samples, np.random.SeedSequence([s.seed, ms[0].L]), s.options,
                             np.float32 if s.matrix_dtype == "float32" else np.float64,
                             with_se=False)
        except Exception as e:  # noqa: BLE001 — a failed batch is a row per point
            if interrupted(e):
                raise KeyboardInterrupt from e
            err = f"{type(e).__name__}: {e}"
            rows = [self.failed_row(p, None, s, err) for p in points]
        else:
            by_point = {id(p): self.row(p, m, (r, solve_se(m, float(p.alpha), opts=s.se)), s)
                        for m, row in zip(ms, res, strict=True)
                        for p, r in zip(models[m], row, strict=True)}
            rows = [by_point[id(p)] for p in points]
        per = (time.perf_counter() - t0) / max(len(points), 1)
        for r in rows:
            r["seconds"] = f"{per:.4f}"
        return rows

    def row(self, p: Point, model: Model | None, res, s: AmpSettings) -> Row:
        """Row from (AMPPoint, SEResult at the same point)."""
        row = self.empty_row(p, model)
        row.update(alpha=p.alpha or "", d=fmt(s.d), samples=fmt(s.samples), seed=fmt(s.seed))
        if res is not None:
            res, se = res
            (n_ok, m_ok), (n_bad, m_bad) = res.split_by_convergence()
            row.update(
                mse=fmt(res.mse_mean), mse_stderr=fmt(res.mse_stderr),
                mse_median=fmt(float(np.median([r.mse for r in res.runs]))),
                rho_x=fmt(model.rho_x),
                statuses=";".join(f"{k}={v}" for k, v in sorted(res.statuses.items())),
                n_converged=fmt(n_ok), mse_converged=fmt(m_ok if n_ok else None),
                mse_unconverged=fmt(m_bad if n_bad else None),
                iterations=fmt(float(np.mean([r.n_iter for r in res.runs]))),
                mse_se=fmt(se.mse), se_status=se.status,
                alpha_it_analytic=fmt(alpha_it_analytic(model)),
                converged=fmt(n_bad == 0),
            )
        return row

    def check_points(self, points: Sequence[Point], s: AmpSettings) -> None:
        """Every batch's instance fits in memory and has measurements at every α
        (`finite.instances.check_size`), before anything is written."""
        from phasediag.finite.instances import check_size

        batches: dict[tuple, tuple[Model, list[float]]] = {}
        for p in points:
            m = p.model()
            batches.setdefault(self.batch_key(p, s), (m, []))[1].append(float(p.alpha))
        dtype = np.float32 if s.matrix_dtype == "float32" else np.float64
        for m, alphas in batches.values():
            try:
                check_size([m], [alphas], s.d, s.samples, dtype)
            except PhasediagError as e:
                raise ConfigError(f"amp.{e.field}" if e.field in ("d", "samples") else
                                  f"grid.{e.field}", e.message) from None

    def cost(self, p: Point, s: AmpSettings) -> float:
        """samples × iterations × the entries of every matrix (two products each)."""
        from phasediag.finite.instances import dimensions, n_measurements

        ks = dimensions(p.model(), s.d)
        entries = sum(a * b for a, b in zip(ks[:-1], ks[1:], strict=False))
        entries += n_measurements(float(p.alpha), s.d) * s.d
        factor = 1.0 if s.matrix_dtype == "float32" else 2.0
        iters = s.options.max_iter
        return s.samples * iters * 2 * entries * SECONDS_PER_ENTRY * factor + 1e-3


