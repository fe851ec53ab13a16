"""The AMP-schedule step of the state evolution (SPEC §2), one engine of `se.engines`.

One step: m̂_x = α λ_y(m_x, v_x); m̂_l = β_l λ_in^{(l)}(m̂_{l+1}, m_l) for l = L…1 (top down),
then m_1 = prior(m̂_1) and m_{l+1} = m_out^{(l)}(m̂_{l+1}, m_l) for l = 1…L (bottom up).
"""

from __future__ import annotations

from numba import njit

from phasediag.blocks.channels import channel_block
from phasediag.blocks.layers import layer_block
from phasediag.blocks.priors import prior_block


@njit(cache=True)
def amp_step(alpha, st, km, tabs):
    """One AMP-schedule iteration, in place on (st.m, st.v); st.mhat receives m̂_1..m̂_{L+1}."""
    m, v, mhat = st.m, st.v, st.mhat
    act, beta, rho = km.act, km.beta, km.rho
    L = act.shape[0]
    mhat[L] = alpha * channel_block(km.channel, m[L], v[L], rho[L], km.noise, tabs.pr)
    for l in range(L - 1, -1, -1):
        lam = layer_block(act[l], mhat[l + 1], m[l], v[l], rho[l], tabs.relu)[2]
        mhat[l] = beta[l] * lam
    m[0], v[0] = prior_block(km.prior_code, mhat[0], km.prior_param, tabs.gb)
    for l in range(L):
        mo, vo, _ = layer_block(act[l], mhat[l + 1], m[l], v[l], rho[l], tabs.relu)
        m[l + 1] = mo
        v[l + 1] = vo
