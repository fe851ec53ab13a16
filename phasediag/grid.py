"""Sweep config → ordered list of points (no numerics); grid values as exact decimals.

Within one grid the axes vary in this order, the last fastest:
problem, prior, depth, beta, activations, noise, rho, init, alpha
(so thresholds run along ρ and mse points along α-lines). Grids given as a list follow one
another. Axes that do not apply collapse instead of multiplying rows: separable priors
(`vocabulary.SEPARABLE_PRIORS`) have depth 0 and no β; depth ≤ 1 has no β. Repeated points
are kept once; `index` is the position in the final list and the CSV's sort key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from phasediag.errors import ConfigError, ModelError
from phasediag.limits import MAX_POINTS
from phasediag.model import Model
from phasediag.spectra import parse
from phasediag.vocabulary import SEPARABLE_PRIORS as SEPARABLE

if TYPE_CHECKING:
    from phasediag.config import SweepConfig

SIG_DIGITS = 12  # grid values are rounded to this many significant digits


# ---------------------------------------------------------------------------- decimals
def decimal_str(x: float | int | str | Decimal, digits: int = SIG_DIGITS) -> str:
    """Canonical decimal string of x rounded to `digits` significant digits.

    0.1 → "0.1", 2.0 → "2", 1e-8 → "1e-8", 0.44999999999999996 → "0.45".
    """
    d = x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))
    if not d.is_finite():
        raise ModelError("value", f"not a finite number: {x!r}")
    if d == 0:
        return "0"
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)
    d = d.normalize()
    if d == d.to_integral_value() and abs(d) < Decimal(10) ** 15:
        return str(int(d))
    return format(d, "g")


def expand_range(r: Any) -> list[str]:
    """Values of a range spec as decimal strings (endpoints exact, computed in Decimal)."""
    start, stop = Decimal(repr(r.start)), Decimal(repr(r.stop))
    if r.num == 1:
        return [decimal_str(start)]
    out = []
    with localcontext() as ctx:
        ctx.prec = 40
        n1 = r.num - 1
        if r.spacing == "linear":
            step = (stop - start) / n1
            vals = [start + i * step for i in range(r.num)]
        else:
            a, b = start.ln(), stop.ln()
            vals = [(a + (b - a) * i / n1).exp() for i in range(r.num)]
        vals[0], vals[-1] = start, stop
        for v in vals:
            out.append(decimal_str(v))
    return out



# ---------------------------------------------------------------------------- axes, points
@dataclass(frozen=True)
class GridAxes:
    """One grid with every axis expanded: numbers as exact decimal strings, in order.

    depth None: the default (1 for linear/relu, 0 for separable priors); beta entries are a
    decimal string (the same β_l on every layer l < L) or a tuple (β_1..β_{L−1} explicitly);
    beta None: β_l = 1; activations None: the prior's σ on every layer; alpha None: thresholds.
    """

    problem: tuple[str, ...]
    prior: tuple[str, ...]
    rho: tuple[str, ...]
    depth: tuple[int, ...] | None
    beta: tuple[str | tuple[str, ...], ...] | None
    activations: tuple[tuple[str, ...], ...] | None
    noise: tuple[str, ...]
    alpha: tuple[str, ...] | None
    path: str  # "grid" or "grid[i]"
    ensemble_a: tuple[str, ...] = ("gaussian",)  # texts of `spectra.parse`, e.g. geometric:10
    ensemble_w: tuple[str, ...] = ("gaussian",)  # one ensemble for every weight matrix
    beta_paths: tuple[str, ...] = field(default=(), compare=False)  # key of each β


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
    ensemble_a: str = "gaussian"  # the sensing matrix's ensemble (`spectra.parse` text)
    ensemble_w: str = "gaussian"  # every weight matrix's ensemble

    def model(self) -> Model:
        ensembles = None
        if (self.ensemble_a, self.ensemble_w) != ("gaussian", "gaussian"):
            L = 0 if self.prior in SEPARABLE else self.depth
            ensembles = (*[parse_ensemble(self.ensemble_w)] * L, parse_ensemble(self.ensemble_a))
        return Model(self.problem, self.prior, rho=float(self.rho), depth=self.depth,
                     betas=tuple(float(b) for b in self.betas), noise=float(self.noise),
                     activations=self.activations, ensembles=ensembles)

    def key(self) -> tuple:
        """The inputs without the index (identity of the point)."""
        return (self.problem, self.prior, self.rho, self.depth, self.betas, self.activations,
                self.noise, self.init, self.alpha, self.ensemble_a, self.ensemble_w)


@lru_cache(maxsize=1024)
def parse_ensemble(text: str):
    """`spectra.parse` of a config's ensemble text, once per text (an empirical file is
    read once per process)."""
    return parse(text)


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


def grid_size(g: GridAxes, inits: tuple[str, ...] | None) -> int:
    """Points of one grid before de-duplication (the product of its axis lengths)."""
    return (len(g.problem) * len(g.prior) * len(g.depth or (1,)) * len(g.beta or (1,))
            * len(g.activations or (1,)) * len(g.noise) * len(g.rho) * len(inits or (1,))
            * len(g.alpha or (1,)) * len(g.ensemble_a) * len(g.ensemble_w))


def _grid_points(g: GridAxes, inits: tuple[str, ...] | None) -> list[Point]:
    """Points of one grid, in order, validated by building each Model once."""
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
        ens_w = ("gaussian",) if separable else g.ensemble_w
        for (depth, betas, acts), noise, rho, ea, ew in itertools.product(
                layouts, g.noise, g.rho, g.ensemble_a, ens_w):
            p = Point(0, problem, prior, rho, depth, betas, acts, noise, ensemble_a=ea,
                      ensemble_w=ew)
            try:
                p.model()
            except ModelError as e:
                raise ConfigError(_model_path(g, e.field), f"{e.message} (at problem={problem},"
                                  f" prior={prior}, rho={rho}, depth={depth}, noise={noise})"
                                  ) from None
            for init, alpha in itertools.product(inits or (None,), g.alpha or (None,)):
                out.append(Point(0, problem, prior, rho, depth, betas, acts, noise, init, alpha,
                                 ea, ew))
    return out


def expand(cfg: SweepConfig) -> list[Point]:
    """Every point of the sweep, in the deterministic order that `index` records."""
    inits = cfg.init if cfg.kind.uses_init else None
    total = sum(grid_size(g, inits) for g in cfg.grids)  # before building any point
    if total > MAX_POINTS:
        raise ConfigError("grid", f"{total} points in all: more than {MAX_POINTS}; split the "
                                  "sweep into several configs")
    out: list[Point] = []
    seen: set[tuple] = set()
    for g in cfg.grids:
        for p in _grid_points(g, inits):
            if p.key() in seen:
                continue
            seen.add(p.key())
            out.append(Point(len(out), *p.key()))
    if not out:
        raise ConfigError("grid", "no points")
    return out
