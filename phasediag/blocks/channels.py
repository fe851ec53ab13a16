"""Output channels y = φ(u) (+ noise): λ_y(m, v) with m̂_x = α λ_y (SPEC §2)."""

from __future__ import annotations

from numba import njit

from phasediag.blocks.pr import pr_lambda

CHANNEL_CS = 0
CHANNEL_PR = 1


@njit(cache=True)
def cs_lambda(v, noise):
    """Linear channel y = u + √Δ ξ: λ_y = 1/(Δ + V)."""
    return 1.0 / (noise + v)


@njit(cache=True)
def channel_block(code, m, v, rho_x, noise, pr_tab):
    """Dispatch on the channel code: CHANNEL_CS (noise Δ ≥ 0) or CHANNEL_PR (noiseless)."""
    if code == CHANNEL_PR:
        return pr_lambda(m, v, rho_x, pr_tab)
    return cs_lambda(v, noise)
