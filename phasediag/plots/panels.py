"""curves → panels: what each axes draws (Panel), figure layouts (FigureSpec, FIGURES).

A panel selects rows of the table; the paper's layouts are fixed in `FIGURES`, and without a
figure name `default_spec` derives the panels from the table itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from phasediag.plots.curves import PRIOR_NAMES, PROBLEM_NAMES, curves
from phasediag.vocabulary import SEPARABLE_PRIORS

KINDS = ("phase-diagram", "gap", "mse", "kappa")

Select = Callable[[pd.DataFrame], "pd.Series | np.ndarray"]


@dataclass(frozen=True)
class Panel:
    """One axes: which rows (select), what to draw (kind) and how (ranges, inset, legend)."""

    kind: str                                  # phase-diagram | gap | mse | kappa
    select: Select | None = None               # rows of the main table drawn here
    compare: Select | None = None              # rows drawn as comparison αalg (dash-dot)
    title: str | None = None
    inset: bool = False                        # Δalg inset (phase-diagram kind)
    inset_bounds: tuple[float, float, float, float] = (0.57, 0.62, 0.40, 0.345)
    inset_xlim: tuple[float, float] | None = None
    legend_loc: str = "upper left"
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    xscale: str = "linear"
    yscale: str = "linear"
    region_labels: bool = True


@dataclass(frozen=True)
class FigureSpec:
    panels: tuple[Panel, ...]
    title: str | None = None
    region_key: bool = True                    # a figure-wide key of the coloured regions


def select_rows(df: pd.DataFrame, sel: Select | None) -> pd.DataFrame:
    """The rows of `df` that `sel` picks (all of them for None)."""
    return df if sel is None else df[np.asarray(sel(df), bool)]


# ------------------------------------------------------------------------------ selectors
def _col_is(col: str, *values: str) -> Select:
    return lambda df: df[col].isin(values)


def _and(*sels: Select) -> Select:
    def f(df):
        m = np.ones(len(df), bool)
        for s in sels:
            m &= np.asarray(s(df), bool)
        return m
    return f


def _depth_is(*depths: int) -> Select:
    return lambda df: pd.to_numeric(df["depth"], errors="coerce").isin(depths)


def _all_beta(value: str) -> Select:
    """Rows whose β_1..β_{L−1} all equal `value` (depth 1, with no β, included)."""
    return lambda df: df["beta"].fillna("").map(
        lambda s: all(b == value for b in s.split(";") if b))


_CS, _PR = _col_is("problem", "cs"), _col_is("problem", "pr")
_LIN, _RELU = _col_is("prior", "linear"), _col_is("prior", "relu")
_SPARSE = _col_is("prior", "gauss-bernoulli")


# ------------------------------------------------------------------------------ layouts
def _phase(select: Select, title: str, **kw) -> Panel:
    """A phase-diagram panel on the paper's axes: ρ ∈ [0, 2], α ∈ [0, 1.2]."""
    return Panel("phase-diagram", select, title=title, xlim=(0.0, 2.0), ylim=(0.0, 1.2), **kw)


def _linear_relu(problem: Select, name: str, legend_loc: str) -> FigureSpec:
    """Figs. 3, 4: linear prior (with the sparse αalg) | ReLU prior (with the Δalg inset)."""
    return FigureSpec(panels=(
        _phase(_and(problem, _LIN), f"{name}, linear prior",
               compare=_and(problem, _SPARSE), legend_loc=legend_loc),
        _phase(_and(problem, _RELU), f"{name}, ReLU prior", inset=True),
    ))


def _relu_cs_pr(fixed: str) -> FigureSpec:
    """Figs. 5, 6: ReLU prior, compressed sensing | phase retrieval, at `fixed` (mathtext)."""
    return FigureSpec(panels=(
        _phase(_and(_CS, _RELU), f"compressed sensing, ReLU, {fixed}", inset=True),
        _phase(_and(_PR, _RELU), f"phase retrieval, ReLU, {fixed}", inset=True),
    ), region_key=False)


def _fig1() -> FigureSpec:
    """Fig. 1: PR, mse against α, linear | ReLU prior: ML-AMP dots over the SE curves
    (the amp table, with the mse table of the SE curves given as --compare)."""
    return FigureSpec(panels=tuple(
        Panel("mse", _and(_PR, sel), title=f"phase retrieval, {name}, $\\rho=2$",
              legend_loc=loc, xlim=(0.0, 1.5))
        for sel, name, loc in ((_LIN, "linear prior", "upper right"),
                               (_RELU, "ReLU prior", "upper right"))), region_key=False)


def _ensembles(problem: Select, name: str) -> FigureSpec:
    """Figs. 3, 4 with the sensing matrix's ensemble varied: linear | ReLU prior, αIT solid
    and αalg dashed per ensemble, Δalg inset."""
    kw = {"inset": True, "legend_loc": "lower right", "inset_bounds": (0.13, 0.62, 0.34, 0.33)}
    return FigureSpec(panels=(
        Panel("phase-diagram", _and(problem, _LIN), title=f"{name}, linear prior",
              xlim=(0.0, 2.0), ylim=(0.0, 1.4), **kw),
        Panel("phase-diagram", _and(problem, _RELU), title=f"{name}, ReLU prior",
              xlim=(0.0, 2.0), ylim=(0.0, 1.2), **kw),
    ), region_key=False)


def _kappa() -> FigureSpec:
    """αIT, αalg (and Δalg) against κ: CS | PR, linear and ReLU priors."""
    return FigureSpec(panels=tuple(
        Panel("kappa", sel, title=f"{name}, $\\rho=2$, $L=1$", legend_loc="lower left",
              inset_bounds=(0.52, 0.28, 0.44, 0.30))
        for sel, name in ((_CS, "compressed sensing"), (_PR, "phase retrieval"))),
        region_key=False)


FIGURES: dict[str, FigureSpec] = {
    "fig1": _fig1(),
    "fig3": _linear_relu(_CS, "compressed sensing", "lower right"),
    "fig4": _linear_relu(_PR, "phase retrieval", "center right"),
    "fig5": _relu_cs_pr(r"$\beta_l=3$"),
    "fig6": _relu_cs_pr(r"$L=2$"),
    "fig7": FigureSpec(panels=(
        Panel("gap", _and(_PR, _LIN, _depth_is(4)),
              title=r"phase retrieval, linear prior, $L=4$", xscale="log"),
        Panel("gap", _and(_PR, _LIN, _all_beta("2")),
              title=r"phase retrieval, linear prior, $\beta_l=2$", xscale="log"),
    ), region_key=False),
    "ensembles-cs": _ensembles(_CS, "compressed sensing"),
    "ensembles-pr": _ensembles(_PR, "phase retrieval"),
    "ensembles-kappa": _kappa(),
}


def default_spec(df: pd.DataFrame, kind: str) -> FigureSpec:
    """Panels derived from the table: one per (problem, prior) of the generative rows; the
    separable priors' rows are comparison curves on the panels of their problem."""
    if kind == "mse":
        key = [k for k in ("problem", "prior") if k in df.columns]
        combos = df[key].drop_duplicates().itertuples(index=False) if key else [()]
        panels = []
        for combo in combos:
            sel = _and(*(_col_is(k, v) for k, v in zip(key, combo, strict=True)))
            title = ", ".join(PROBLEM_NAMES.get(v, PRIOR_NAMES.get(v, v)) for v in combo)
            panels.append(Panel("mse", sel, title=title or None, legend_loc="upper right"))
        return FigureSpec(panels=tuple(panels), region_key=False)
    separable = df["prior"].isin(SEPARABLE_PRIORS)
    generative = df[~separable]
    base = generative if len(generative) else df
    panels = []
    for problem, prior in base[["problem", "prior"]].drop_duplicates().itertuples(index=False):
        sel = _and(_col_is("problem", problem), _col_is("prior", prior))
        title = f"{PROBLEM_NAMES.get(problem, problem)}, {PRIOR_NAMES.get(prior, prior)}"
        if kind == "gap":
            panels.append(Panel("gap", sel, title=title))
            continue
        cmp = None
        if len(generative) and (separable & (df["problem"] == problem)).any():
            cmp = _and(_col_is("problem", problem), _col_is("prior", *SEPARABLE_PRIORS))
        n_groups = len(curves(select_rows(df, sel)))
        panels.append(Panel("phase-diagram", sel, compare=cmp, title=title,
                            inset=prior == "relu" or n_groups > 1))
    return FigureSpec(panels=tuple(panels), region_key=kind == "phase-diagram")
