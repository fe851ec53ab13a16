"""Output channels y = φ(u) (+ noise): λ_y(m, v) with m̂_x = α λ_y (SPEC §2), and their
potentials ψ(m, v) = E log Z_out(y, ω), Z_out = ∫ N(u; ω, v) p(y | u) du the density of y
given ω, with dψ/dm|_{m+v=ρ_x} = λ_y/2 (`phasediag.free_entropy`).

Codes: `phasediag.vocabulary.CHANNELS`.
"""

from __future__ import annotations

import math

from numba import njit

from phasediag.blocks.pr import pr_lambda, pr_potential
from phasediag.vocabulary import CHANNEL_CS, CHANNEL_PR


@njit(cache=True)
def cs_lambda(v, noise):
    """Linear channel y = u + √Δ ξ: λ_y = 1/(Δ + V)."""
    return 1.0 / (noise + v)


@njit(cache=True)
def cs_potential(v, noise):
    """Linear channel: ψ = −½ log(2πe(Δ + V)) (y | ω ~ N(ω, Δ + V))."""
    return -0.5 * math.log(2.0 * math.pi * math.e * (noise + v))


@njit(cache=True)
def channel_block(code, m, v, rho_x, noise, pr_tab):
    """Dispatch on the channel code: cs (noise Δ ≥ 0) or pr (noiseless)."""
    if code == CHANNEL_PR:
        return pr_lambda(m, v, rho_x, pr_tab)
    if code == CHANNEL_CS:
        return cs_lambda(v, noise)
    raise ValueError("channel_block: unknown channel code")


@njit(cache=True)
def channel_potential(code, m, v, noise, pr_tab):
    """Dispatch on the channel code: ψ(m, v) of cs (noise Δ ≥ 0) or pr (noiseless)."""
    if code == CHANNEL_PR:
        return pr_potential(m, v, pr_tab)
    if code == CHANNEL_CS:
        return cs_potential(v, noise)
    raise ValueError("channel_potential: unknown channel code")
