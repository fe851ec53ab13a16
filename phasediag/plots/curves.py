"""table → curves: rows grouped by architecture, their thresholds, and legend labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from phasediag.plots.table import _num, _text
from phasediag.vocabulary import SEPARABLE_PRIORS

GOOD_STATUS = ("ok", "exact", "fold", "continuous")  # = thresholds.DECIDED (tested)
# display names (titles, legends); which priors are separable is the vocabulary's to say
PROBLEM_NAMES = {"cs": "compressed sensing", "pr": "phase retrieval"}
PRIOR_NAMES = {"linear": "linear prior", "relu": "ReLU prior", "gaussian": "Gaussian i.i.d.",
               "gauss-bernoulli": "sparse (Gauss–Bernoulli)"}


@dataclass(frozen=True)
class Curve:
    """One architecture's rows (a fixed problem, prior, depth, β, activations, noise)."""

    problem: str
    prior: str
    depth: int
    beta: str
    activations: str
    noise: str
    rows: pd.DataFrame = field(compare=False, repr=False)
    ensemble_a: str = "gaussian"  # `spectra.label` of the sensing matrix's ensemble
    ensemble_w: str = "gaussian"  # of the weight matrices ('' without layers)

    @property
    def betas(self) -> tuple[str, ...]:
        return tuple(b for b in self.beta.split(";") if b)

    def x(self, col: str = "rho") -> np.ndarray:
        return _num(self.rows, col)

    def threshold(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(value, decided) of threshold `name` ∈ {alpha_c, alpha_it, alpha_alg}.

        decided: status ok/exact and no error. Status none gives nan (no such threshold).
        """
        v = _num(self.rows, name)
        st = _text(self.rows, f"{name}_status")
        err = _text(self.rows, "error")
        v = np.where(st == "none", np.nan, v)
        v = np.where(st == "not_found", np.inf, v)
        return v, np.isin(st, GOOD_STATUS) & (err == "")

    @property
    def failed(self) -> np.ndarray:
        return _text(self.rows, "error") != ""


_KEY = ("problem", "prior", "depth", "beta", "activations", "noise", "ensemble_a",
        "ensemble_w")
_DEFAULTS = {"ensemble_a": "gaussian", "ensemble_w": "gaussian"}  # tables before format 3


def curves(df: pd.DataFrame, x: str = "rho") -> list[Curve]:
    """Rows grouped by architecture, in the table's order, each sorted by `x`."""
    d = df.copy()
    for k in _KEY:
        if k not in d.columns:
            d[k] = _DEFAULTS.get(k, "")
    d["_x"] = _num(d, x)
    out = []
    for key, g in d.groupby(list(_KEY), sort=False):
        problem, prior, depth, beta, acts, noise, ens_a, ens_w = key
        depth_i = int(float(depth)) if str(depth).strip() else 0
        out.append(Curve(problem, prior, depth_i, beta, acts, noise,
                         g.sort_values("_x", kind="stable").reset_index(drop=True),
                         ens_a, ens_w))
    first = {}  # problems and priors in the table's order; depth and β ascending
    for c in out:
        first.setdefault((c.problem, c.prior), len(first))

    def order(c: Curve):
        return (first[(c.problem, c.prior)], c.depth, tuple(float(b) for b in c.betas),
                c.activations, c.noise, _ensemble_order(c.ensemble_a),
                _ensemble_order(c.ensemble_w))
    return sorted(out, key=order)


def _ensemble_order(label: str) -> tuple:
    """gaussian first, then orthogonal, geometric by κ, empirical: a stable legend order."""
    name, _, arg = label.partition(":")
    rank = {"gaussian": 0, "orthogonal": 1, "geometric": 2, "empirical": 3}.get(name, 4)
    try:
        return (rank, float(arg), label)
    except ValueError:
        return (rank, 0.0, label)


def ensemble_text(label: str) -> str:
    """A legend's name of an ensemble: "Gaussian", "orthogonal", "geometric, $\\kappa=10$"."""
    name, _, arg = label.partition(":")
    if name == "geometric":
        return rf"geometric, $\kappa={arg}$"
    if name == "empirical":
        return "empirical spectrum"
    return {"gaussian": "Gaussian"}.get(name, name)


def _beta_text(c: Curve) -> str:
    b = c.betas
    if not b:
        return ""
    if len(set(b)) == 1:
        return rf"$\beta_l={b[0]}$" if len(b) > 1 else rf"$\beta_1={b[0]}$"
    return r"$\beta=(" + ",".join(b) + ")$"


def curve_labels(cs: Sequence[Curve]) -> list[str]:
    """Legend labels naming only what differs between the curves of one panel."""
    if len(cs) == 1:
        c = cs[0]
        if c.prior in SEPARABLE_PRIORS:
            return [PRIOR_NAMES.get(c.prior, c.prior)]
        return [f"L = {c.depth}"]
    vary = {k for k in ("prior", "depth", "noise", "ensemble_a", "ensemble_w")
            if len({getattr(c, k) for c in cs}) > 1}
    if len({frozenset(c.activations.split(";")) for c in cs if c.activations}) > 1 \
            and "prior" not in vary:  # a prior already names its activation
        vary.add("activations")
    if len({frozenset(c.betas) for c in cs if c.betas}) > 1:  # not just a different length
        vary.add("beta")
    labels = []
    for c in cs:
        parts = []
        if "prior" in vary:
            parts.append(PRIOR_NAMES.get(c.prior, c.prior))
        if "depth" in vary:
            parts.append(f"$L={c.depth}$")
        if "beta" in vary and c.betas:
            parts.append(_beta_text(c))
        if "activations" in vary and c.activations:
            parts.append(c.activations.replace(";", "-"))
        if "noise" in vary:
            parts.append(rf"$\Delta={c.noise}$")
        if "ensemble_a" in vary:
            parts.append("A " + ensemble_text(c.ensemble_a))
        if "ensemble_w" in vary and c.ensemble_w:
            parts.append("W " + ensemble_text(c.ensemble_w))
        labels.append(", ".join(parts) or f"$L={c.depth}$")
    return labels
