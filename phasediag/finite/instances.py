"""Finite-size instances of the inverse problems of SPEC §1, drawn from a seeded Generator.

Generative prior of depth L: z ~ N(0, I_{k_1}), h_{l+1} = σ_l(W_l h_l), x = h_{L+1}, with
W_l ∈ R^{k_{l+1}×k_l}; separable priors draw x ∈ R^d directly (Gauss–Bernoulli:
x_i = b_i g_i, b_i ~ Bernoulli(ρs), g_i ~ N(0, 1); Gaussian: N(0, 1)). Measurements
y = φ(A x) (+ √Δ ξ for CS), A ∈ R^{n×d}. Each matrix is drawn from its ensemble
(`Model.matrix_ensembles`, samplers in `phasediag.finite.ensembles`; default i.i.d.
N(0, 1/columns)).

Dimensions are k_l = round(d · k_l/d) from `Model.dims` (so k_1 = round(ρd), …, k_{L+1} = d)
and n = round(α d). Matrices are stored in `dtype` (float64, or float32 to halve the memory
traffic of the matrix–vector products); signals and measurements are always float64.

Draw order (part of the seeding contract: the same seed gives the same instance): W_1, …,
W_L, z (or x for a separable prior), A, noise. Because A's rows are i.i.d., the first n rows
of an instance drawn at a larger α are an instance at the smaller α (`Instance.rows`).

`Draw` is the random part of one sample; `Instance` one planted problem; `Batch` the input
of a solver: columns (models × α) sharing the weights, z and A of one `Draw`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from phasediag.errors import ModelError
from phasediag.finite.ensembles import sampler
from phasediag.limits import check, human_bytes, max_bytes
from phasediag.model import Model
from phasediag.vocabulary import ACTIVATIONS


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


def instance_bytes(model: Model, n: int, d: int, dtype: type = np.float64) -> int:
    """Memory of one instance and its solver state, estimated before drawing it: every
    matrix (W_l: k_{l+1} × k_l, A: n × d) twice (the matrix and its entrywise square, which
    AMP's variances use) in `dtype`, plus the vectors in float64."""
    ks = dimensions(model, d) if model.L else (d,)
    entries = sum(a * b for a, b in zip(ks[1:], ks[:-1], strict=True)) + n * d
    vectors = 16 * (sum(ks) + n)
    return int(2 * entries * np.dtype(dtype).itemsize + 8 * vectors)


def check_size(models: Sequence[Model], alphas: Sequence[Sequence[float]], d: int,
               samples: int, dtype: type = np.float64) -> None:
    """ModelError before any allocation when d or samples are out of range, when α d < 1/2
    (no measurement at all), or when one instance would not fit in `limits.max_bytes()`."""
    check("d", d)
    check("samples", samples)
    a_names = {getattr(m.matrix_ensembles[-1], "name", m.matrix_ensembles[-1]) for m in models}
    if a_names != {"gaussian"} and len({n_measurements(a, d) for al in alphas for a in al}) > 1:
        raise ModelError("alpha", "a rotationally invariant sensing matrix is drawn for one n: "
                                  "run one α per batch (the first n rows of a Haar-rotated A "
                                  "are not such a matrix)")
    for model, al in zip(models, alphas, strict=True):
        for a in al:
            if a * d < 0.5:
                raise ModelError("alpha", f"α d = {a * d:.3g}: no measurement at d = {d} "
                                          f"(need α ≥ {0.5 / d:.3g})")
        need = instance_bytes(model, n_measurements(max(al), d), d, dtype)
        have = max_bytes()
        if need > have:
            raise ModelError("d", f"one instance at d = {d} needs about {human_bytes(need)}; "
                                  f"the limit is {human_bytes(have)} (half the memory; set "
                                  "PHASEDIAG_MAX_BYTES to change it)")


def activate(act: str, u: np.ndarray) -> np.ndarray:
    """σ(u) for σ ∈ {linear, relu} (`vocabulary.ACTIVATIONS`)."""
    if act == "relu":
        return np.maximum(u, 0.0)
    if act == "linear":
        return u
    raise ModelError("activations", f"no finite-size σ for {act!r}")


def measure(problem: str, u: np.ndarray) -> np.ndarray:
    """φ(u): u (cs) or |u| (pr) (`vocabulary.CHANNELS`)."""
    if problem == "pr":
        return np.abs(u)
    if problem == "cs":
        return u
    raise ModelError("problem", f"no finite-size channel for {problem!r}")


# ------------------------------------------------------------------ the random draws
def draw_weights(model: Model, d: int, rng: np.random.Generator,
                 dtype: type = np.float64) -> tuple[np.ndarray, ...]:
    """W_1, …, W_L from their ensembles, shapes (k_{l+1}, k_l)."""
    ks = dimensions(model, d)
    ens = model.matrix_ensembles
    return tuple(sampler(ens[l])(ks[l + 1], ks[l], rng, dtype) for l in range(model.L))


def draw_latent(model: Model, weights: tuple[np.ndarray, ...], d: int,
                rng: np.random.Generator) -> np.ndarray:
    """The first variable: z ~ N(0, I_{k_1}) of a chain, or x ∈ R^d of a separable prior."""
    if model.prior == "gauss-bernoulli":
        g = rng.standard_normal(d)
        return np.where(rng.random(d) < model.rho, g, 0.0)
    if model.L == 0:
        return rng.standard_normal(d)
    return rng.standard_normal(weights[0].shape[1])


def draw_sensing(model: Model, n: int, d: int, rng: np.random.Generator,
                 dtype: type = np.float64) -> np.ndarray:
    """A ∈ R^{n×d} from its ensemble (the last of `Model.matrix_ensembles`)."""
    return sampler(model.matrix_ensembles[-1])(n, d, rng, dtype)


@dataclass(frozen=True)
class Draw:
    """The random part of one sample: everything but the chain's activations and φ."""

    weights: tuple[np.ndarray, ...] = field(repr=False)  # W_1 … W_L
    latent: np.ndarray = field(repr=False)  # z (k_1,), or x (d,) of a separable prior
    A: np.ndarray = field(repr=False)  # (n, d)
    noise: np.ndarray | None = field(repr=False)  # √Δ ξ (n,); None when Δ = 0


def draw(model: Model, n: int, d: int, rng: np.random.Generator,
         dtype: type = np.float64) -> Draw:
    """W_1, …, W_L, z (or x), A with n rows, noise: in this order from `rng`."""
    for e in model.matrix_ensembles:
        sampler(e)  # refuse an ensemble without a sampler before drawing anything
    weights = draw_weights(model, d, rng, dtype)
    latent = draw_latent(model, weights, d, rng)
    A = draw_sensing(model, n, d, rng, dtype)
    noise = math.sqrt(model.noise) * rng.standard_normal(n) if model.noise > 0 else None
    return Draw(weights, latent, A, noise)


def propagate(model: Model, weights: tuple[np.ndarray, ...],
              z: np.ndarray) -> tuple[np.ndarray, ...]:
    """z, h_2, …, x through the chain h_{l+1} = σ_l(W_l h_l) (just (x,) for L = 0)."""
    out = [z]
    for act, W in zip(model.layer_activations, weights, strict=True):
        out.append(activate(act, (W @ out[-1].astype(W.dtype)).astype(np.float64)))
    return tuple(out)


def observe(problem: str, A: np.ndarray, x: np.ndarray,
            noise: np.ndarray | None = None) -> np.ndarray:
    """y = φ(A x) (+ the noise √Δ ξ, CS only)."""
    y = measure(problem, (A @ x.astype(A.dtype)).astype(np.float64))
    return y if noise is None else y + noise


# ------------------------------------------------------------------ one instance
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
            raise ModelError("n", f"expected 1 ≤ n ≤ {self.n}, got {n}")
        return Instance(self.model, n / self.d, self.weights, self.signals, self.A[:n], self.y[:n])

    def batch(self) -> Batch:
        """The instance as a one-column solver input."""
        return Batch(self.weights, self.A, self.y[:, None], np.array([self.n]), (self.model,),
                     self.signals[0], self.x[:, None])


def make_instance(model: Model, alpha: float, d: int, rng: np.random.Generator | int,
                  dtype: type = np.float64) -> Instance:
    """Draw one instance at (α, d) from `rng` (a Generator, or an int seed)."""
    if not (isinstance(d, (int, np.integer)) and d >= 1):
        raise ModelError("d", f"expected an integer ≥ 1, got {d!r}")
    if not (math.isfinite(alpha) and alpha > 0):
        raise ModelError("alpha", f"expected a finite number > 0, got {alpha!r}")
    if dtype not in (np.float64, np.float32):
        raise ModelError("dtype", f"expected float64 or float32, got {dtype!r}")
    dr = draw(model, n_measurements(alpha, d), d, np.random.default_rng(rng), dtype)
    signals = propagate(model, dr.weights, dr.latent)
    y = observe(model.problem, dr.A, signals[-1], dr.noise)
    return Instance(model, float(alpha), dr.weights, signals, dr.A, y)


# ------------------------------------------------------------------ a solver's input
@dataclass(frozen=True)
class Batch:
    """C columns sharing W_1 … W_L, the latent z and A (one matrix product serves all).

    Column c is models[c] at α = n_rows[c]/d: its measurements are Y[:n_rows[c], c] (rows
    beyond are ignored), its ground truth X[:, c]. The models may differ only in their
    activations (`check_batchable`), so every column has the same first variable z.
    """

    weights: tuple[np.ndarray, ...] = field(repr=False)
    A: np.ndarray = field(repr=False)  # (n_max, d)
    Y: np.ndarray = field(repr=False)  # (n_max, C)
    n_rows: np.ndarray  # (C,)
    models: tuple[Model, ...]
    z: np.ndarray = field(repr=False)  # (k_1,) ground truth of the first variable
    X: np.ndarray = field(repr=False)  # (d, C) ground truth x

    @property
    def C(self) -> int:  # noqa: N802 — the number of columns
        return self.Y.shape[1]

    @property
    def d(self) -> int:
        return self.A.shape[1]

    def act_codes(self) -> np.ndarray:
        """(L, C) activation codes (`vocabulary.ACTIVATIONS`) of every column's chain."""
        codes = [[ACTIVATIONS.code(a, "activations") for a in m.layer_activations]
                 for m in self.models]
        return np.array(codes, dtype=np.int64).reshape(self.C, len(self.weights)).T


def check_batchable(models: Sequence[Model]) -> None:
    """Models of one batch may differ only in their activations."""
    m0 = models[0]
    key0 = (m0.problem, m0.noise, m0.L, m0.dims, m0.separable, m0.matrix_ensembles)
    for i, m in enumerate(models[1:], start=1):
        if (m.problem, m.noise, m.L, m.dims, m.separable, m.matrix_ensembles) != key0:
            raise ModelError(f"models[{i}]", f"a batch shares problem, noise, depth, "
                                             f"dimensions and matrix ensembles; got "
                                             f"{m.describe()} after {m0.describe()}")
        if m.separable and m != m0:
            raise ModelError(f"models[{i}]", "separable priors cannot share a batch")


def make_batch(dr: Draw, models: Sequence[Model], ns: Sequence[Sequence[int]]) -> Batch:
    """Every models[i] at every n in ns[i] on the draw `dr` (A with max n rows), columns in
    that order: each model pushes the shared z through the shared W, y is zero-padded."""
    check_batchable(models)
    n_max = dr.A.shape[0]
    cols_model, cols_n, ys, xs = [], [], [], []
    for m, nm in zip(models, ns, strict=True):
        x = propagate(m, dr.weights, dr.latent)[-1]
        y = observe(m.problem, dr.A, x, dr.noise)
        for n in nm:
            col = np.zeros(n_max)
            col[:n] = y[:n]
            ys.append(col)
            xs.append(x)
            cols_model.append(m)
            cols_n.append(n)
    return Batch(dr.weights, dr.A, np.ascontiguousarray(np.stack(ys, axis=1)),
                 np.array(cols_n), tuple(cols_model), dr.latent,
                 np.ascontiguousarray(np.stack(xs, axis=1)))
