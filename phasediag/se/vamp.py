"""The ML-VAMP state evolution with MMSE estimators (seed 004 Theorem 4, eq. 37), one engine
of `se.engines`, for rotationally invariant matrices of any spectrum (`phasediag.spectra`).

Variables: h_0 = z, …, h_L = x, and the pre-activations u_{f+1} = M_f h_f (M_f = W_{f+1},
M_L = A; u_{L+1} = A x is observed through the channel). Every variable carries two
message precisions: γ⁺ from below and γ⁻ from above. Each node returns the extrinsic
precision 1/mse − (incoming precision) of eq. 37:

- prior node (h_0): `prior_block` at r = γ⁻_{h_0}; γ⁺_{h_0} = 1/v − r.
- linear node M_f (h_f → u_{f+1}): `spectra.linear_averages` at (a, b) = (γ⁺_{h_f}, γ⁻_{u_f});
  γ⁻_{h_f} = E[bλ/(a + bλ)]/mse_h, γ⁺_{u_f} = E[a/(a + bμ)]/mse_u (no cancellation).
- nonlinear node σ_f (u_{f+1} → h_{f+1}): the message γ⁺ on u is a flat Gaussian belief, so
  u* | r⁺ ~ N(r⁺, 1/γ⁺) (the prior information of u is in the message): the layer block's
  (s, V) = (ρ_f − 1/γ⁺, 1/γ⁺) and r = γ⁻_{h_{f+1}} (SPEC §6, with γ = γ⁺ − 1/ρ in its
  convention). `layer_block` gives v_out (γ⁺_{h_{f+1}} = 1/v_out − r) and λ_in; the belief
  mse of u is V(1 − Vλ_in), so γ⁻_u = 1/(V(1 − Vλ)) − 1/V = λ/(1 − Vλ). σ = identity passes
  the messages unchanged (exactly).
- channel node (u_{L+1}): `channel_block` at (s, V) of γ⁺_{u_{L+1}}, γ⁻ = λ_y/(1 − Vλ_y);
  the Gaussian channel's extrinsic precision is 1/Δ whatever V (∞ when noiseless).

One step = a backward pass (channel, then M_L, σ_L, …, M_0: the γ⁻ from the stored γ⁺)
followed by a forward pass (prior, then M_0, σ_0, …: new γ⁺, and m, v of every h_i from the
node that just estimated it). State: st.m, st.v (mse of h_i, read by the loop), st.mhat[i]
= γ⁻_{h_i}, and st.aux (length 4(L + 1)) = [γ⁺_h, γ⁺_u, γ⁻_h, γ⁻_u] with u index f for
u_{f+1}. aux[0] = nan (or a too short aux) starts the messages from (m, v): γ⁺_{h_i} =
γ⁺_{u_{i+1}} = 1/v_i, the belief of a variable with no information from above.

Accuracy: the linear steps and the Gaussian prior / channel / identity nodes have no
cancellation; the extrinsic precisions of the relu and Gauss–Bernoulli blocks, 1/v − r and
λ/(1 − Vλ), lose log10(r/γ) digits when the message from above dominates (the blocks give
v and λ, not v − 1/r). For Gaussian matrices the fixed points agree with the AMP engine to
~1e-11 (tests/test_vamp.py).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from phasediag.blocks.channels import channel_block
from phasediag.blocks.layers import layer_block
from phasediag.blocks.priors import prior_block
from phasediag.spectra import linear_averages
from phasediag.vocabulary import ACT_LINEAR, CHANNEL_CS, PRIOR_GAUSSIAN

R_MAX = 1e300  # an exact observation from above (r = ∞) enters a layer block as r = R_MAX
S_ZERO = 1e-14  # an overlap s = ρ − 1/γ⁺ below S_ZERO·ρ is rounding: taken as exactly 0


def aux_size(L: int) -> int:
    """Length of the VAMP message array of a chain of depth L."""
    return 4 * (L + 1)


@njit(cache=True)
def _flat(gp, rho):
    """(s, V) of a flat message of precision γ⁺ on a variable of second moment ρ."""
    v = 1.0 / gp
    if v >= rho:
        return 0.0, rho
    s = rho - v
    if s < S_ZERO * rho:
        return 0.0, rho
    return s, v


@njit(cache=True)
def _extrinsic_u(lam, v):
    """γ⁻ = λ/(1 − Vλ) of a node that returned λ = E[(E[u|·] − ω)²]/V² (∞ if Vλ ≥ 1)."""
    den = 1.0 - v * lam
    if den <= 0.0:
        return math.inf
    return lam / den


@njit(cache=True)
def _factor(km, f, alpha, a, b):
    """linear_averages of factor f (W_{f+1}, or A when f = L) at aspect β_{f+1} or α."""
    L = km.act.shape[0]
    aspect = alpha if f == L else km.beta[f]
    return linear_averages(km.ensemble[f], aspect, km.spec_nodes[f], km.spec_weights[f],
                           km.spec_count[f], a, b)


@njit(cache=True)
def vamp_step(alpha, st, km, tabs):
    """One ML-VAMP SE iteration (backward then forward pass), in place on st."""
    m, v, mhat = st.m, st.v, st.mhat
    rho = km.rho
    act = km.act
    L = act.shape[0]
    n = L + 1
    aux = st.aux
    if aux.shape[0] < 4 * n:  # no message storage: start from (m, v) every step
        aux = np.full(4 * n, np.nan)
    if not (aux[0] == aux[0]):
        for i in range(n):
            aux[i] = 1.0 / v[i]
            aux[n + i] = 1.0 / v[i]
    gp_h = aux[0:n]
    gp_u = aux[n:2 * n]
    gm_h = aux[2 * n:3 * n]
    gm_u = aux[3 * n:4 * n]

    # ---- backward pass: channel, then M_L, σ_{L−1}, M_{L−1}, …, M_0
    if km.channel == CHANNEL_CS:
        gm_u[L] = 1.0 / km.noise if km.noise > 0.0 else math.inf
    else:
        s, vv = _flat(gp_u[L], rho[L])
        if vv == 0.0:  # u known exactly from below
            gm_u[L] = math.inf
        else:
            lam = channel_block(km.channel, s, vv, rho[L], km.noise, tabs.pr)
            gm_u[L] = _extrinsic_u(lam, vv)
    for f in range(L, -1, -1):
        gm_h[f] = _factor(km, f, alpha, gp_h[f], gm_u[f])[1]
        mhat[f] = gm_h[f]
        if f > 0:
            g = f - 1  # σ_g maps u index g → h_f
            r = gm_h[f]
            if act[g] == ACT_LINEAR:
                gm_u[g] = r
            else:
                s, vv = _flat(gp_u[g], rho[g])
                if vv == 0.0:
                    gm_u[g] = r
                else:
                    lam = layer_block(act[g], min(r, R_MAX), s, vv, rho[g], tabs.relu)[2]
                    gm_u[g] = _extrinsic_u(lam, vv)

    # ---- forward pass: prior, then M_0, σ_0, M_1, …, σ_{L−1}
    r = gm_h[0]
    if r == math.inf:
        m[0], v[0] = rho[0], 0.0
        gp_h[0] = math.inf
    else:
        m0, v0 = prior_block(km.prior_code, r, km.prior_param, tabs.gb)
        m[0], v[0] = m0, v0
        if km.prior_code == PRIOR_GAUSSIAN:
            gp_h[0] = 1.0  # N(0, 1): the extrinsic precision is the prior's own (exactly)
        else:
            gp_h[0] = 1.0 / v0 - r if v0 > 0.0 else math.inf
    for f in range(L + 1):
        gp_u[f] = _factor(km, f, alpha, gp_h[f], gm_u[f])[3]
        if f < L:
            r = gm_h[f + 1]
            s, vv = _flat(gp_u[f], rho[f])
            if r == math.inf or vv == 0.0:
                m[f + 1], v[f + 1] = rho[f + 1], 0.0
                gp_h[f + 1] = math.inf
                continue
            mo, vo, _ = layer_block(act[f], r, s, vv, rho[f], tabs.relu)
            m[f + 1], v[f + 1] = mo, vo
            if act[f] == ACT_LINEAR:
                gp_h[f + 1] = gp_u[f]
            else:
                gp_h[f + 1] = 1.0 / vo - r if vo > 0.0 else math.inf
