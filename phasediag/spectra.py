"""Matrix ensembles → the spectral averages the linear steps of the state evolution need.

A rotationally invariant M = U diag(s) Vᵀ ∈ R^{rows×cols} (Haar U, V) enters the SE only
through the limiting law of its eigenvalues λ = s² (SPEC §6). Every ensemble keeps the
second moment of the i.i.d. N(0, 1/cols) matrices, (1/rows) tr MMᵀ = 1, so with the aspect
ratio β = rows/cols (β_l for W_l, α for A):

- MᵀM (cols×cols) has a zero eigenvalue of mass 1 − p_in, p_in = min(1, β), and mean β;
- MMᵀ (rows×rows) has a zero eigenvalue of mass 1 − p_out, p_out = min(1, 1/β), and mean 1;
- the non-zero eigenvalues (the same for both) have mean max(1, β).

Ensembles (`vocabulary.ENSEMBLES`), as the law of the non-zero eigenvalues:

- gaussian: Marchenko–Pastur, density √((λ₊ − λ)(λ − λ₋)) / (2π min(1, β) λ) on
  λ± = (1 ± √β)². With λ = λ₋ + 4√β sin²(θ/2), θ ∈ [0, π], the measure becomes
  ∝ sin²θ / λ(θ) dθ, smooth even at the λ^{-1/2} edge of the square case (λ₋ = 0); the
  midpoint rule in θ is then exact for moments up to order 2N − 2 (its nodes serve
  `law`, moments and sampled-matrix checks; they depend on β, so they are built from the
  shape (sin²(θ_j/2), sin²θ_j) at the current aspect: α changes in every call). The SE
  averages use the closed-form resolvent instead (`mp_resolvent`): near-square matrices
  put a feature of width √λ₋ in θ that 256 nodes do not resolve (measured: mse off by 1%
  at α = 1.02), and the square case has E[1/(λ + c)] ~ c^{−1/2}, which no node set has.
- orthogonal: one node, λ = max(1, β).
- geometric(κ): s = κ^{−t}, t ~ U[0, 1] (condition number κ, as in seed 004 §V), λ ∝ κ^{−2t}
  rescaled to the mean; Gauss–Legendre in t.
- empirical(values): the given singular values (e.g. of a user's matrix) as the non-zero
  ones, with equal weights, always rescaled to the mean. Decision: the scale of a matrix is
  not a property of its ensemble (for noiseless problems it changes nothing; with noise it
  is a rescaling of Δ), so only the shape of the given spectrum is used, at every aspect
  ratio (the values of an n×d matrix describe it best at α = n/d). A .npy path is
  resolved by the caller (`np.load(path)` → `EnsembleSpec("empirical", values=…)`).

For ensembles other than gaussian the shape is the law at mean 1, scaled by max(1, β).
`linear_averages` (njit) is the one implementation of the linear step's averages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numba import njit

from phasediag.errors import ModelError
from phasediag.vocabulary import ENSEMBLE_GAUSSIAN, ENSEMBLES

N_MP = 256  # midpoint nodes in θ of the Marchenko–Pastur law
N_GEOMETRIC = 96  # Gauss–Legendre nodes in t of the geometric law
MAX_EMPIRICAL = 20_000  # at most this many empirical singular values (one node each)


@dataclass(frozen=True)
class EnsembleSpec:
    """A matrix ensemble with its parameters (hashable: a Model field).

    name: a `vocabulary.ENSEMBLES` name; kappa: condition number s_max/s_min ≥ 1 of
    "geometric"; values: the non-zero singular values of "empirical" (any positive scale).
    """

    name: str
    kappa: float | None = None
    values: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        entry = ENSEMBLES.get(self.name, "ensembles")
        if "kappa" in entry.params:
            k = self.kappa
            if not (isinstance(k, (int, float, np.integer, np.floating))
                    and not isinstance(k, bool) and math.isfinite(k) and k >= 1):
                raise ModelError("ensembles", f"{self.name}: kappa must be a finite number "
                                              f"≥ 1, got {k!r}")
            object.__setattr__(self, "kappa", float(k))
        elif self.kappa is not None:
            raise ModelError("ensembles", f"{self.name} takes no kappa")
        if "values" in entry.params:
            try:
                v = np.asarray(self.values, dtype=np.float64).ravel()
            except (TypeError, ValueError):
                raise ModelError("ensembles", f"{self.name}: values must be numbers") from None
            if self.values is None or v.size == 0 or v.size > MAX_EMPIRICAL \
                    or not np.all(np.isfinite(v)) or not np.all(v > 0):
                raise ModelError("ensembles", f"{self.name}: values must be 1 to "
                                              f"{MAX_EMPIRICAL} finite singular values > 0")
            object.__setattr__(self, "values", tuple(float(x) for x in v))
        elif self.values is not None:
            raise ModelError("ensembles", f"{self.name} takes no values")

    @property
    def code(self) -> int:
        return ENSEMBLES.code(self.name)

    @property
    def canonical(self) -> str | EnsembleSpec:
        """The bare name for an ensemble without parameters, else the spec itself."""
        return self if ENSEMBLES.get(self.name).params else self.name


def as_spec(x: Any) -> EnsembleSpec:
    """An EnsembleSpec from a spec, a name, or a dict {name, kappa, values}."""
    if isinstance(x, EnsembleSpec):
        return x
    if isinstance(x, str):
        return EnsembleSpec(x)
    if isinstance(x, dict):
        try:
            return EnsembleSpec(**x)
        except TypeError as e:
            raise ModelError("ensembles", str(e)) from None
    raise ModelError("ensembles", f"expected an ensemble name or spec, got {x!r}")


@lru_cache(maxsize=256)
def shape(spec: str | EnsembleSpec) -> tuple[np.ndarray, np.ndarray]:
    """Aspect-free arrays (sn, sw) of an ensemble, read by `nonzero_node`.

    gaussian: sn_j = sin²(θ_j/2), sw_j = sin²θ_j (θ_j = π(j − ½)/N); otherwise the nodes
    and weights of the non-zero eigenvalue law at mean 1 (Σ sw = 1, Σ sw·sn = 1).
    """
    spec = as_spec(spec)
    if spec.name == "gaussian":
        th = math.pi * (np.arange(N_MP) + 0.5) / N_MP
        return np.sin(th / 2) ** 2, np.sin(th) ** 2
    if spec.name == "orthogonal":
        return np.ones(1), np.ones(1)
    if spec.name == "geometric":
        t, w = np.polynomial.legendre.leggauss(N_GEOMETRIC)
        t, w = 0.5 * (t + 1.0), 0.5 * w
        lam = spec.kappa ** (-2.0 * t)
    elif spec.name == "empirical":
        lam = np.asarray(spec.values) ** 2
        w = np.full(lam.size, 1.0 / lam.size)
    else:  # pragma: no cover — every vocabulary name has a branch (tested)
        raise ModelError("ensembles", f"no spectrum for {spec.name}")
    w = w / w.sum()
    return lam / np.dot(w, lam), w


@njit(cache=True)
def nonzero_node(code, aspect, sn, sw, j):
    """(λ_j, unnormalised weight) of node j of the non-zero eigenvalue law at aspect β.

    gaussian: λ = (1 − √β)² + 4√β sin²(θ/2), weight sin²θ/λ; else λ = max(1, β)·sn_j, sw_j.
    """
    if code == ENSEMBLE_GAUSSIAN:
        q = math.sqrt(aspect)
        lam = (1.0 - q) ** 2 + 4.0 * q * sn[j]
        return lam, sw[j] / lam
    return max(1.0, aspect) * sn[j], sw[j]


@njit(cache=True)
def rank_fractions(aspect):
    """(p_in, p_out) = (min(1, β), min(1, 1/β)): non-zero fractions of MᵀM and MMᵀ."""
    if aspect <= 1.0:
        return aspect, 1.0
    return 1.0, 1.0 / aspect


@njit(cache=True)
def mp_resolvent(y, c):
    """(g, h) = (E[1/(λ + c)], E[λ/(λ + c)]) over Marchenko–Pastur of ratio y ≤ 1, mean 1,
    c > 0, in closed form: with D = (1 + y + c)² − 4y,
      g = 2/(√D + 1 − y + c),   h = 1 − c g = 4c / ((√D + c − 1 + y)(√D + 1 − y + c)),
    each written with positive terms only (h from its first form for c ≤ 1)."""
    sd = math.sqrt((1.0 - y) ** 2 + c * (2.0 * (1.0 + y) + c))  # √D without cancellation
    den = sd + 1.0 - y + c
    g = 2.0 / den
    if c <= 1.0:
        h = 1.0 - c * g
    else:
        h = 4.0 * c / ((sd + c - 1.0 + y) * den)
    return g, h


@njit(cache=True)
def resolvent(code, aspect, sn, sw, n, c):
    """(E[1/(λ + c)], E[λ/(λ + c)]) over the non-zero eigenvalue law at aspect β, c > 0.

    gaussian: closed form (`mp_resolvent`; for β > 1 the non-zero λ are β × MP(1/β));
    other ensembles: the node sums of `nonzero_node`."""
    if code == ENSEMBLE_GAUSSIAN:
        if aspect <= 1.0:
            return mp_resolvent(aspect, c)
        g, h = mp_resolvent(1.0 / aspect, c / aspect)
        return g / aspect, h
    z = 0.0
    g = 0.0
    h = 0.0
    for j in range(n):
        lam, w = nonzero_node(code, aspect, sn, sw, j)
        z += w
        g += w / (lam + c)
        h += w * lam / (lam + c)
    return g / z, h / z


@njit(cache=True)
def linear_averages(code, aspect, sn, sw, n, a, b):
    """The linear step of a matrix M (h → u = M h) with messages of precision a on h (from
    below) and b on u (from above): the Gaussian belief has covariance (a I + b MᵀM)^{-1}.

    Returns (mse_h, γ_h, mse_u, γ_u), without cancellation (c = a/b, (g, h) = `resolvent`):
      mse_h = E_λ[1/(a + bλ)] = p_in g/b + (1 − p_in)/a       over MᵀM (zeros included),
      γ_h = 1/mse_h − a = p_in h / mse_h                         (extrinsic, towards h),
      mse_u = E_μ[μ/(a + bμ)] = p_out h/b                        over MMᵀ,
      γ_u = 1/mse_u − b = b (p_out c g + 1 − p_out)/(p_out h)    (extrinsic, towards u).
    b = 0: (1/a, 0, 1/a, a) exactly; b = ∞ (a noiseless observation of u): mse_u = 0,
    γ_u = ∞, and mse_h = (1 − p_in)/a (0 when M has full column rank); a = ∞: (0, bβ, 0, ∞).
    """
    p_in, p_out = rank_fractions(aspect)
    if b == 0.0:
        return 1.0 / a, 0.0, 1.0 / a, a
    if a == math.inf:  # h known from below: the limits a → ∞ (γ_h → b E_λ[λ] = bβ)
        return 0.0, b * aspect, 0.0, math.inf
    if b == math.inf:
        mse_h = (1.0 - p_in) / a
        return mse_h, (p_in / mse_h if mse_h > 0.0 else math.inf), 0.0, math.inf
    c = a / b
    g, h = resolvent(code, aspect, sn, sw, n, c)
    mse_h = p_in * g / b + (1.0 - p_in) / a
    g_h = p_in * h / mse_h if mse_h > 0.0 else math.inf
    mse_u = p_out * h / b
    g_u = b * (p_out * c * g + (1.0 - p_out)) / (p_out * h) if mse_u > 0.0 else math.inf
    return mse_h, g_h, mse_u, g_u


def law(spec: str | EnsembleSpec, aspect: float, side: str = "in") -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """(nodes, weights) of the eigenvalue law of MᵀM (side="in", mean β) or MMᵀ
    (side="out", mean 1), the zero eigenvalue first (weight 0 at full rank)."""
    if side not in ("in", "out"):
        raise ModelError("side", f"expected in or out, got {side!r}")
    spec = as_spec(spec)
    sn, sw = shape(spec.canonical)
    nodes = np.empty(sn.size)
    w = np.empty(sn.size)
    for j in range(sn.size):
        nodes[j], w[j] = nonzero_node(spec.code, float(aspect), sn, sw, j)
    p = rank_fractions(float(aspect))[0 if side == "in" else 1]
    return np.concatenate(([0.0], nodes)), np.concatenate(([1.0 - p], p * w / w.sum()))


def singular_values(spec: str | EnsembleSpec, rows: int, cols: int,
                    ) -> np.ndarray:
    """min(rows, cols) deterministic singular values of a finite matrix of the ensemble,
    normalised so that Σ s² = rows ((1/rows) tr MMᵀ = 1): geometric s_i = κ^{−i/(r−1)},
    empirical the given values (their r quantiles when r differs from their number)."""
    spec = as_spec(spec)
    r = min(rows, cols)
    if spec.name == "orthogonal":
        s = np.ones(r)
    elif spec.name == "geometric":
        t = np.arange(r) / max(r - 1, 1)
        s = spec.kappa ** (-t)
    elif spec.name == "empirical":
        v = np.asarray(spec.values)
        # quantiles of the given distribution at r points (the values themselves when r = len)
        s = np.quantile(v, (np.arange(r) + 0.5) / r, method="inverted_cdf") \
            if v.size != r else np.asarray(v)
    else:
        raise ModelError("ensembles", f"{spec.name}: no singular-value draw")
    return s * math.sqrt(rows / np.sum(s * s))


def example(name: str) -> EnsembleSpec:
    """A representative spec of ensemble `name` (registry walks, docs): geometric κ = 10,
    empirical 64 singular values evenly spaced in [0.5, 2]."""
    entry = ENSEMBLES.get(name, "ensembles")
    if "kappa" in entry.params:
        return EnsembleSpec(name, kappa=10.0)
    if "values" in entry.params:
        return EnsembleSpec(name, values=tuple(np.linspace(0.5, 2.0, 64)))
    return EnsembleSpec(name)


# ---------------------------------------------------------------------------- text form
def label(spec: str | EnsembleSpec) -> str:
    """The one-field text of an ensemble (CSV, legends, config values): "gaussian",
    "orthogonal", "geometric:10", "empirical:n500:3f2a9c1b" (the count and 8 hex digits of
    the sha256 of the values, which name them without writing them out)."""
    spec = as_spec(spec)
    if spec.name == "geometric":
        return f"geometric:{spec.kappa:g}"
    if spec.name == "empirical":
        import hashlib

        digest = hashlib.sha256(np.asarray(spec.values, dtype=np.float64).tobytes())
        return f"empirical:n{len(spec.values)}:{digest.hexdigest()[:8]}"
    return spec.name


def load_values(path: str, field: str = "ensembles") -> tuple[float, ...]:
    """Singular values from a .npy file (any shape: a matrix is replaced by its singular
    values) or a text file of numbers."""
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise ModelError(field, f"{path}: no such file")
    if p.stat().st_size > 256 << 20:
        raise ModelError(field, f"{path}: larger than 256 MiB")
    try:
        a = np.load(p, allow_pickle=False) if p.suffix == ".npy" else np.loadtxt(p, ndmin=1)
    except (OSError, ValueError) as e:
        raise ModelError(field, f"{path}: cannot read numbers ({str(e).splitlines()[0]})"
                         ) from None
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 2 and min(a.shape) > 1:
        a = np.linalg.svd(a, compute_uv=False)
    a = a.ravel()
    return tuple(float(x) for x in a[a > 0])


def parse(text: str, kappa: float | None = None, field: str = "ensembles") -> str | EnsembleSpec:
    """An ensemble from its text: a name ("gaussian", "orthogonal"), "geometric:KAPPA" (or
    "geometric" with `kappa`), "empirical:FILE" (.npy: values or a matrix; else a text file
    of singular values); canonical form (the bare name when it has no parameters)."""
    name, _, arg = str(text).strip().partition(":")
    entry = ENSEMBLES.get(name, field)
    if "kappa" in entry.params:
        if arg:
            try:
                kappa = float(arg)
            except ValueError:
                raise ModelError(field, f"{text!r}: expected geometric:KAPPA with a number"
                                 ) from None
        if kappa is None:
            raise ModelError(field, f"{name} needs a condition number: {name}:KAPPA or "
                                    "--kappa")
        return EnsembleSpec(name, kappa=kappa)
    if "values" in entry.params:
        if not arg:
            raise ModelError(field, f"{name} needs its singular values: {name}:FILE "
                                    "(.npy or a text file)")
        return EnsembleSpec(name, values=load_values(arg, field))
    if arg:
        raise ModelError(field, f"{name} takes no parameter (got {text!r})")
    return name
