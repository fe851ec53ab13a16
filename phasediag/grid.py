"""Sweep config → ordered list of points (no numerics).

Within one grid the axes vary in this order, the last fastest:
problem, prior, depth, beta, activations, noise, rho, init, alpha
(so thresholds run along ρ and mse points along α-lines). Grids given as a list follow one
another. Axes that do not apply collapse instead of multiplying rows: separable priors
(gaussian, gauss-bernoulli) have depth 0 and no β; depth ≤ 1 has no β. Repeated points
are kept once; `index` is the position in the final list and the CSV's sort key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from phasediag.config import ConfigError, GridAxes, SweepConfig
from phasediag.errors import ModelError
from phasediag.model import Model
from phasediag.vocabulary import SEPARABLE_PRIORS as SEPARABLE

MAX_POINTS = 2_000_000


@dataclass(frozen=True)
class Point:
    """One grid point; numbers are the exact decimal strings written to the CSV."""

    index: int
    problem: str
    prior: str
    rho: str
    depth: int
    betas: tuple[str, ...]  # β_1..β_{L−1} (β_L is fixed by ρ)
    activations: tuple[str, ...] | None  # per-layer σ override, None: the prior's σ
    noise: str
    init: str | None = None  # mse only
    alpha: str | None = None  # mse only

    def model(self) -> Model:
        return Model(self.problem, self.prior, rho=float(self.rho), depth=self.depth,
                     betas=tuple(float(b) for b in self.betas), noise=float(self.noise),
                     activations=self.activations)

    def key(self) -> tuple:
        """The inputs without the index (identity of the point)."""
        return (self.problem, self.prior, self.rho, self.depth, self.betas, self.activations,
                self.noise, self.init, self.alpha)


def _betas_for(beta: str | tuple[str, ...] | None, depth: int, path: str) -> tuple[str, ...]:
    """β_1..β_{L−1} of one layout: a common value repeated, or an explicit vector checked."""
    if beta is None:
        return ()
    if isinstance(beta, tuple):
        if len(beta) != max(depth - 1, 0):
            raise ConfigError(path, f"expected depth − 1 = {max(depth - 1, 0)} values for "
                                    f"depth {depth} (β_L is fixed by rho), got {len(beta)}")
        return beta
    return (beta,) * max(depth - 1, 0)


def _model_path(g: GridAxes, field: str) -> str:
    base = field.split("[")[0]
    return f"{g.path}.{'beta' if base.startswith('beta') else base}"


def _grid_points(g: GridAxes, inits: tuple[str, ...] | None) -> list[Point]:
    """Points of one grid, in order, validated by building each Model once."""
    size = (len(g.problem) * len(g.prior) * len(g.depth or (1,)) * len(g.beta or (1,))
            * len(g.activations or (1,)) * len(g.noise) * len(g.rho) * len(inits or (1,))
            * len(g.alpha or (1,)))
    if size > MAX_POINTS:
        raise ConfigError(g.path, f"{size} points: more than {MAX_POINTS}; split the sweep")
    generative = [p for p in g.prior if p not in SEPARABLE]
    if not generative:
        for key in ("beta", "activations"):
            if getattr(g, key) is not None:
                raise ConfigError(f"{g.path}.{key}", f"unused: prior {g.prior[0]} is "
                                                     "separable (i.i.d. on x, no layers)")
    out: list[Point] = []
    for problem, prior in itertools.product(g.problem, g.prior):
        separable = prior in SEPARABLE
        if separable:
            if g.depth is not None and any(d != 0 for d in g.depth):
                d = next(d for d in g.depth if d != 0)
                raise ConfigError(f"{g.path}.depth", f"prior {prior} is separable (i.i.d. on "
                                  f"x): depth must be 0, got {d}; put it in its own grid entry")
            layouts = [(0, (), None)]
        else:
            layouts = []
            for depth in g.depth or (1,):
                for bi, beta in enumerate(g.beta or (None,)):
                    bpath = g.beta_paths[bi] if g.beta_paths else f"{g.path}.beta"
                    betas = _betas_for(beta, depth, bpath)
                    for acts in g.activations or (None,):
                        if acts is not None and len(acts) != depth:
                            raise ConfigError(f"{g.path}.activations", f"expected one σ per "
                                              f"layer: {depth} values for depth {depth}, "
                                              f"got {len(acts)}")
                        layouts.append((depth, betas, acts))
        for (depth, betas, acts), noise, rho in itertools.product(layouts, g.noise, g.rho):
            p = Point(0, problem, prior, rho, depth, betas, acts, noise)
            try:
                p.model()
            except ModelError as e:
                raise ConfigError(_model_path(g, e.field), f"{e.message} (at problem={problem},"
                                  f" prior={prior}, rho={rho}, depth={depth}, noise={noise})"
                                  ) from None
            for init, alpha in itertools.product(inits or (None,), g.alpha or (None,)):
                out.append(Point(0, problem, prior, rho, depth, betas, acts, noise, init, alpha))
    return out


def expand(cfg: SweepConfig) -> list[Point]:
    """Every point of the sweep, in the deterministic order that `index` records."""
    out: list[Point] = []
    seen: set[tuple] = set()
    for g in cfg.grids:
        for p in _grid_points(g, cfg.init):
            if p.key() in seen:
                continue
            seen.add(p.key())
            out.append(Point(len(out), *p.key()))
    if not out:
        raise ConfigError("grid", "no points")
    return out
