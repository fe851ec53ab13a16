"""Replica-symmetric free entropy Φ and mutual information at a state-evolution fixed point.

Variables i = 1..L+1 of the chain (z = h_1, …, h_{L+1} = x) with dimension ratios
n_i = k_i/d (`weights`: z: ρ = k/d, h_l: k_l/d = ρ β_1⋯β_{l−1}, x: 1; a separable prior
has the single variable x, n = 1), the channel with n/d = α. With the block potentials of
`phasediag.blocks` (each E log Z of its scalar problem, SPEC §2, §6):

    Φ = n_1 ψ_P(m̂_1) + Σ_{l=1}^{L} n_{l+1} ψ_l(m̂_{l+1}, m_l) + α ψ_out(m_{L+1}) − ½ Σ_i n_i m_i m̂_i.

A layer acts on its output h_{l+1} (one scalar channel per output unit), hence n_{l+1}. With
dψ_P/dm̂ = m/2, ∂ψ_l/∂r = m_out/2, ∂ψ_l/∂s = λ_in/2 and dψ_out/dm = λ_y/2 (every m_l enters
its potential with v_l = ρ_l − m_l), the stationarity conditions of Φ are exactly the SE
updates: m_1 = prior(m̂_1), m_{l+1} = m_out^{(l)}, m̂_l = (n_{l+1}/n_l) λ_in = β_l λ_in,
m̂_x = α λ_y (tests/test_free_entropy.py checks them by finite differences).

Φ is lim (1/d) E log p(y | A, W) in nats (p the density of y). Mutual information: for
additive Gaussian noise of variance Δ > 0 on y (cs, pr), E log p(y | x) = −(n/2) log(2πeΔ), so

    I(x; y)/d = −Φ − (α/2) log(2πeΔ).

Noiseless channels (Δ = 0) make y a function of x and I(x; y) = +∞: `mutual_information`
returns math.inf there (Φ itself stays finite while mse > 0). Every hidden variable h_l
determines x and y depends on h_l only through x, so I(h_l; y) = I(x; y): one number serves
every layer. Bayes-optimal equilibrium = the fixed point of larger Φ (lower I is not implied).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from phasediag.blocks.channels import channel_block, channel_potential
from phasediag.blocks.layers import layer_block, layer_potential
from phasediag.blocks.priors import prior_potential
from phasediag.blocks.tables import load_potential_tables, load_tables
from phasediag.errors import ModelError
from phasediag.model import Model
from phasediag.se.solve import SEResult, check_alpha

__all__ = [
    "FreeEntropy",
    "conjugates",
    "free_entropy",
    "free_entropy_of",
    "free_entropy_terms",
    "mutual_information",
    "mutual_information_of",
    "weights",
]


@dataclass(frozen=True)
class FreeEntropy:
    """Φ and its terms, each already weighted by its dimension ratio (module doc)."""

    total: float
    prior: float  # n_1 ψ_P(m̂_1)
    layers: tuple[float, ...]  # n_{l+1} ψ_l(m̂_{l+1}, m_l), l = 1..L
    channel: float  # α ψ_out(m_x)
    coupling: float  # −½ Σ_i n_i m_i m̂_i


def weights(model: Model) -> np.ndarray:
    """Dimension ratios n_i = k_i/d of the variables z … x (the channel's is α)."""
    return np.array(model.dims, dtype=np.float64)


@njit(cache=True)
def _terms(alpha, m, v, mhat, n, km, tabs, pot, out):
    """out = [n_1 ψ_P, n_{l+1} ψ_l (l = 1..L), α ψ_out, −½ Σ n_i m_i m̂_i]; returns Φ."""
    L = km.act.shape[0]
    out[0] = n[0] * prior_potential(km.prior_code, mhat[0], km.prior_param, tabs.gb)
    for l in range(L):
        out[1 + l] = n[l + 1] * layer_potential(km.act[l], mhat[l + 1], m[l], v[l],
                                                pot.relu)
    out[L + 1] = alpha * channel_potential(km.channel, m[L], v[L], km.noise, pot.pr)
    c = 0.0
    for i in range(L + 1):
        c += n[i] * m[i] * mhat[i]
    out[L + 2] = -0.5 * c
    total = 0.0
    for k in range(L + 3):
        total += out[k]
    return total


@njit(cache=True)
def _conjugates(alpha, m, v, km, tabs, mhat):
    """The top-down half of the AMP step: m̂_x = α λ_y, m̂_l = β_l λ_in^{(l)} (l = L…1)."""
    L = km.act.shape[0]
    mhat[L] = alpha * channel_block(km.channel, m[L], v[L], km.rho[L], km.noise, tabs.pr)
    for l in range(L - 1, -1, -1):
        mhat[l] = km.beta[l] * layer_block(km.act[l], mhat[l + 1], m[l], v[l], km.rho[l],
                                           tabs.relu)[2]


def _pair(model: Model, m, v) -> tuple[np.ndarray, np.ndarray]:
    rho = np.array(model.second_moments)
    m = np.asarray(m, dtype=np.float64)
    if m.shape != rho.shape:
        raise ValueError(f"expected {rho.size} overlaps (z … x), got shape {m.shape}")
    v = rho - m if v is None else np.asarray(v, dtype=np.float64)
    if v.shape != rho.shape:
        raise ValueError(f"expected {rho.size} mses (z … x), got shape {v.shape}")
    return m, v


def conjugates(model: Model, alpha: float, m, v=None) -> np.ndarray:
    """m̂_1 … m̂_{L+1} stationary for the overlaps m (mses v = ρ − m unless given)."""
    m, v = _pair(model, m, v)
    out = np.empty_like(m)
    _conjugates(check_alpha(alpha), m, v, model.kernel(), load_tables(), out)
    return out


def check_gaussian(model: Model) -> None:
    """ModelError unless every matrix is i.i.d. Gaussian: these potentials are the AMP-SE
    (Gaussian-matrix) free entropy; rotationally invariant matrices change the linear terms."""
    other = [getattr(e, "name", e) for e in model.matrix_ensembles if getattr(e, "name", e)
             != "gaussian"]
    if other:
        raise ModelError("ensembles", f"the free entropy is implemented for i.i.d. Gaussian "
                                      f"matrices only, not {other[0]}")


def free_entropy_terms(model: Model, alpha: float, m, mhat, v=None) -> FreeEntropy:
    """Φ(m, m̂) and its weighted terms; m, m̂, v = ρ − m (default) ordered z … x."""
    m, v = _pair(model, m, v)
    mhat = np.asarray(mhat, dtype=np.float64)
    if mhat.shape != m.shape:
        raise ValueError(f"expected {m.size} conjugates (z … x), got shape {mhat.shape}")
    out = np.empty(m.size + 2)
    total = _terms(check_alpha(alpha), m, v, mhat, weights(model), model.kernel(),
                   load_tables(), load_potential_tables(), out)
    L = m.size - 1
    return FreeEntropy(float(total), float(out[0]), tuple(float(x) for x in out[1:L + 1]),
                       float(out[L + 1]), float(out[L + 2]))


def free_entropy(model: Model, alpha: float, m, mhat, v=None) -> float:
    """Φ(m, m̂) per component of x (module doc); stationary at SE fixed points."""
    return free_entropy_terms(model, alpha, m, mhat, v).total


def _result_state(res: SEResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, v = res.state()
    if res.status == "perfect":
        v = np.zeros_like(v)
        m = np.array(res.model.second_moments)
    return m, v, conjugates(res.model, res.alpha, m, v)


def free_entropy_of(res: SEResult) -> float:
    """Φ at the fixed point of an SE run: its (m, v), m̂ recomputed from them (top-down).

    A perfect-recovery result is evaluated at v = 0 (+inf for noiseless channels)."""
    check_gaussian(res.model)
    if res.status == "perfect" and not res.model.noise > 0:
        return math.inf
    m, v, mhat = _result_state(res)
    return free_entropy(res.model, res.alpha, m, mhat, v)


def mutual_information(model: Model, alpha: float, m, mhat, v=None) -> float:
    """I(x; y)/d = −Φ − (α/2) log(2πeΔ) (nats); math.inf for a noiseless channel (Δ = 0)."""
    if not model.noise > 0:
        return math.inf
    phi = free_entropy(model, alpha, m, mhat, v)
    return -phi - 0.5 * float(alpha) * math.log(2.0 * math.pi * math.e * model.noise)


def mutual_information_of(res: SEResult) -> float:
    """I(x; y)/d at the fixed point of an SE run (see `free_entropy_of`)."""
    check_gaussian(res.model)
    if not res.model.noise > 0:
        return math.inf
    m, v, mhat = _result_state(res)
    return mutual_information(res.model, res.alpha, m, mhat, v)
