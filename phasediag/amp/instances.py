"""Finite-size instances of the inverse problems of SPEC §1, drawn from a seeded Generator.

Generative prior of depth L: z ~ N(0, I_{k_1}), h_{l+1} = σ_l(W_l h_l), x = h_{L+1}, with
W_l ∈ R^{k_{l+1}×k_l} i.i.d. N(0, 1/k_l); separable priors draw x ∈ R^d directly
(Gauss–Bernoulli: x_i = b_i g_i, b_i ~ Bernoulli(ρs), g_i ~ N(0, 1); Gaussian: N(0, 1)).
Measurements y = φ(A x) (+ √Δ ξ for CS), A ∈ R^{n×d} i.i.d. N(0, 1/d).

Dimensions are k_l = round(d · k_l/d) from `Model.dims` (so k_1 = round(ρd), …, k_{L+1} = d)
and n = round(α d). Matrices are stored in `dtype` (float64, or float32 to halve the memory
traffic of the matrix–vector products); signals and measurements are always float64.

Draw order (part of the seeding contract: the same seed gives the same instance): W_1, …,
W_L, z (or x for a separable prior), A, noise. Because A's rows are i.i.d., the first n rows
of an instance drawn at a larger α are an instance at the smaller α (`Instance.rows`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from phasediag.model import Model


def dimensions(model: Model, d: int) -> tuple[int, ...]:
    """k_1, …, k_{L+1} (= d) of the variables z, h_2, …, x (just (d,) for L = 0)."""
    if model.L == 0:
        return (int(d),)
    ks = [max(1, round(d * r)) for r in model.dims]
    ks[-1] = int(d)
    return tuple(int(k) for k in ks)


def n_measurements(alpha: float, d: int) -> int:
    """n = round(α d), at least 1."""
    return max(1, round(alpha * d))


def activate(act: str, u: np.ndarray) -> np.ndarray:
    """σ(u) for σ ∈ {linear, relu}."""
    return np.maximum(u, 0.0) if act == "relu" else u


def measure(problem: str, u: np.ndarray) -> np.ndarray:
    """φ(u): u (cs) or |u| (pr)."""
    return np.abs(u) if problem == "pr" else u


@dataclass(frozen=True)
class Instance:
    """One planted problem: weights, ground truth per variable, sensing matrix, measurements."""

    model: Model
    alpha: float  # nominal α (n = round(α d))
    weights: tuple[np.ndarray, ...] = field(repr=False)  # W_1 … W_L, shapes (k_{l+1}, k_l)
    signals: tuple[np.ndarray, ...] = field(repr=False)  # z, h_2, …, x (ground truth)
    A: np.ndarray = field(repr=False)  # (n, d)
    y: np.ndarray = field(repr=False)  # (n,)

    @property
    def x(self) -> np.ndarray:
        return self.signals[-1]

    @property
    def d(self) -> int:
        return self.A.shape[1]

    @property
    def n(self) -> int:
        return self.A.shape[0]

    @property
    def dims(self) -> tuple[int, ...]:
        return tuple(s.shape[0] for s in self.signals)

    def rows(self, n: int) -> Instance:
        """The same instance restricted to its first n measurements (α = n/d)."""
        if not 1 <= n <= self.n:
            raise ValueError(f"n: expected 1 ≤ n ≤ {self.n}, got {n}")
        return Instance(self.model, n / self.d, self.weights, self.signals, self.A[:n], self.y[:n])


def draw_latent(model: Model, weights: tuple[np.ndarray, ...], d: int,
                rng: np.random.Generator) -> np.ndarray:
    """The first variable: z ~ N(0, I_{k_1}) of a chain, or x ∈ R^d of a separable prior."""
    if model.prior == "gauss-bernoulli":
        g = rng.standard_normal(d)
        return np.where(rng.random(d) < model.rho, g, 0.0)
    if model.L == 0:
        return rng.standard_normal(d)
    return rng.standard_normal(weights[0].shape[1])


def propagate(model: Model, weights: tuple[np.ndarray, ...],
              z: np.ndarray) -> tuple[np.ndarray, ...]:
    """z, h_2, …, x through the chain h_{l+1} = σ_l(W_l h_l) (just (x,) for L = 0)."""
    out = [z]
    for act, W in zip(model.layer_activations, weights, strict=True):
        out.append(activate(act, (W @ out[-1].astype(W.dtype)).astype(np.float64)))
    return tuple(out)


def draw_weights(model: Model, d: int, rng: np.random.Generator,
                 dtype: type = np.float64) -> tuple[np.ndarray, ...]:
    """W_1, …, W_L i.i.d. N(0, 1/k_l), shapes (k_{l+1}, k_l)."""
    ks = dimensions(model, d)
    out = []
    for l in range(model.L):
        W = rng.standard_normal((ks[l + 1], ks[l]), dtype=dtype)
        W *= dtype(1.0 / math.sqrt(ks[l]))
        out.append(W)
    return tuple(out)


def draw_sensing(n: int, d: int, rng: np.random.Generator, dtype: type = np.float64) -> np.ndarray:
    """A ∈ R^{n×d} i.i.d. N(0, 1/d)."""
    A = rng.standard_normal((n, d), dtype=dtype)
    A *= dtype(1.0 / math.sqrt(d))
    return A


def observe(model: Model, A: np.ndarray, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """y = φ(A x) (+ √Δ ξ, CS only)."""
    u = (A @ x.astype(A.dtype)).astype(np.float64)
    y = measure(model.problem, u)
    if model.noise > 0:
        y = y + math.sqrt(model.noise) * rng.standard_normal(y.shape[0])
    return y


def make_instance(model: Model, alpha: float, d: int, rng: np.random.Generator | int,
                  dtype: type = np.float64) -> Instance:
    """Draw one instance at (α, d) from `rng` (a Generator, or an int seed)."""
    if not (isinstance(d, (int, np.integer)) and d >= 1):
        raise ValueError(f"d: expected an integer ≥ 1, got {d!r}")
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha: expected a finite number > 0, got {alpha!r}")
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype: expected float64 or float32, got {dtype!r}")
    rng = np.random.default_rng(rng)
    weights = draw_weights(model, d, rng, dtype)
    signals = propagate(model, weights, draw_latent(model, weights, d, rng))
    A = draw_sensing(n_measurements(alpha, d), d, rng, dtype)
    y = observe(model, A, signals[-1], rng)
    return Instance(model, float(alpha), weights, signals, A, y)
