"""Output channels y = φ(u) (+ noise): λ_y(m, v) with m̂_x = α λ_y (SPEC §2).

Codes: `phasediag.vocabulary.CHANNELS`.
"""

from __future__ import annotations

from numba import njit

from phasediag.blocks.pr import pr_lambda
from phasediag.vocabulary import CHANNEL_CS, CHANNEL_PR


@njit(cache=True)
def cs_lambda(v, noise):
    """Linear channel y = u + √Δ ξ: λ_y = 1/(Δ + V)."""
    return 1.0 / (noise + v)


@njit(cache=True)
def channel_block(code, m, v, rho_x, noise, pr_tab):
    """Dispatch on the channel code: cs (noise Δ ≥ 0) or pr (noiseless)."""
    if code == CHANNEL_PR:
        return pr_lambda(m, v, rho_x, pr_tab)
    if code == CHANNEL_CS:
        return cs_lambda(v, noise)
    raise ValueError("channel_block: unknown channel code")
