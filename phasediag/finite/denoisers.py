"""Scalar denoisers shared by the finite-size solvers, and their vectorising numba loops.

The scalar posteriors are the blocks' closed forms, called here and nowhere re-derived:
`relu_posterior` (relu layer), `pr_posterior` (PR channel), `gb_denoiser` (Gauss–Bernoulli
prior; ρs = 1 is the Gaussian prior N(0, 1)). Linear layers and the CS channel have
trivial Gaussian posteriors, written here as one-line kernels. Each dispatcher branches on
the codes of `phasediag.vocabulary` (ACTIVATIONS, CHANNELS, PRIOR_BLOCKS) and raises on a
code it does not know.

Arrays are (k, C): k components of one variable, C independent columns (instances or α
values sharing the weights). The variances V and A are per column (scalar-variance AMP),
so every loop returns per-column sums, never per-component variances.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from phasediag.blocks.gauss_bernoulli import gb_denoiser
from phasediag.blocks.pr import pr_posterior
from phasediag.blocks.relu import relu_posterior
from phasediag.vocabulary import (
    ACT_LINEAR,
    ACT_RELU,
    CHANNEL_CS,
    CHANNEL_PR,
    PRIOR_GAUSSIAN,
    PRIOR_GB,
)


# ------------------------------------------------------------------ scalar dispatchers
@njit(cache=True)
def linear_posterior(B, A, omega, V):
    """u ∝ N(u; ω, V)·exp(−A u²/2 + B u) (x = u): mean (ω + BV)/(1 + AV), var V/(1 + AV)."""
    den = 1.0 + A * V
    return (omega + B * V) / den, V / den


@njit(cache=True)
def layer_posterior(act, B, A, omega, V):
    """(mean_x, var_x, mean_u, var_u) of p(u) ∝ N(u; ω, V)·exp(−A σ(u)²/2 + B σ(u))."""
    if act == ACT_RELU:
        return relu_posterior(B, A, omega, V)
    if act == ACT_LINEAR:
        m, v = linear_posterior(B, A, omega, V)
        return m, v, m, v
    raise ValueError("layer_posterior: unknown activation code")


@njit(cache=True)
def channel_posterior(channel, y, omega, V, noise):
    """(mean_u, var_u) of u ∝ N(u; ω, V)·P(y | u): CS y = u + √Δ ξ, PR y = |u| (noiseless)."""
    if channel == CHANNEL_PR:
        return pr_posterior(y, omega, V)
    if channel == CHANNEL_CS:
        den = V + noise
        if den == 0.0:
            return y, 0.0
        return (y * V + omega * noise) / den, V * noise / den
    raise ValueError("channel_posterior: unknown channel code")


@njit(cache=True)
def prior_posterior(prior, B, A, param):
    """(mean, var) of x ∝ P(x)·exp(−A x²/2 + B x): Gauss–Bernoulli with ρs = param, or
    N(0, 1) (the ρs = 1 case of the same closed form; param unused)."""
    if prior == PRIOR_GB:
        return gb_denoiser(B, A, param)
    if prior == PRIOR_GAUSSIAN:
        return gb_denoiser(B, A, 1.0)
    raise ValueError("prior_posterior: unknown prior-block code")


# ------------------------------------------------------------------ loops over (k, C)
@njit(cache=True)
def layer_forward(act, B, A, omega, V, mean_x):
    """mean_x[j, c] ← posterior mean of σ(u); returns Σ_j var_x[j, c] per column."""
    k, C = omega.shape
    out = np.zeros(C)
    for j in range(k):
        for c in range(C):
            mx, vx, _, _ = layer_posterior(act[c], B[j, c], A[c], omega[j, c], V[c])
            mean_x[j, c] = mx
            out[c] += vx
    return out


@njit(cache=True)
def layer_backward(act, B, A, omega, V, g):
    """g[j, c] ← (E[u] − ω)/V; returns Σ_j (V − Var u)/V² (= −Σ ∂_ω g) per column."""
    k, C = omega.shape
    out = np.zeros(C)
    for j in range(k):
        for c in range(C):
            _, _, mu, vu = layer_posterior(act[c], B[j, c], A[c], omega[j, c], V[c])
            v = V[c]
            g[j, c] = (mu - omega[j, c]) / v
            out[c] += (v - vu) / (v * v)
    return out


@njit(cache=True)
def channel_backward(channel, y, omega, V, noise, n_rows, g):
    """g[μ, c] ← (E[u|y] − ω)/V for μ < n_rows[c] (0 beyond); returns Σ_μ (V − Var u)/V²."""
    n, C = omega.shape
    out = np.zeros(C)
    for mu in range(n):
        for c in range(C):
            if mu >= n_rows[c]:
                g[mu, c] = 0.0
                continue
            m, vu = channel_posterior(channel, y[mu, c], omega[mu, c], V[c], noise)
            v = V[c]
            g[mu, c] = (m - omega[mu, c]) / v
            out[c] += (v - vu) / (v * v)
    return out


@njit(cache=True)
def prior_forward(prior, param, B, A, mean):
    """mean[j, c] ← E[x | A, B] under the prior block `prior` (parameter `param`);
    returns Σ_j Var[x | A, B] per column."""
    k, C = B.shape
    out = np.zeros(C)
    for j in range(k):
        for c in range(C):
            m, v = prior_posterior(prior, B[j, c], A[c], param)
            mean[j, c] = m
            out[c] += v
    return out
