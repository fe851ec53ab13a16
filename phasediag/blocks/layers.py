"""Layer blocks h → σ(h) of the chain (SPEC §2), same signature for every σ.

layer(r, s, v, rho_in, tab) -> (m_out, v_out, lam_in), with s the input overlap,
v = ρ_in − s its mse, r = m̂_{l+1} the precision of the message from above.
Potential (free entropy of the block): ψ(r, s, v) = E log Z over the planted (ω, B),
Z = ∫ N(u; ω, V) e^{−rσ(u)²/2 + Bσ(u)} du, with ∂ψ/∂r = m_out/2 and ∂ψ/∂s|_{s+v=ρ_in} = λ_in/2.
Codes: `phasediag.vocabulary.ACTIVATIONS`.
"""

from __future__ import annotations

import math

from numba import njit

from phasediag.blocks.relu import relu_layer, relu_potential
from phasediag.vocabulary import ACT_LINEAR, ACT_RELU


@njit(cache=True)
def linear_layer(r, s, v, rho_in):
    """σ(u) = u: m_out = (s + rVρ_in)/(1 + rV), v_out = V/(1 + rV), λ_in = r/(1 + rV).

    (m_out = ρ_in − V/(1 + rV) written without cancellation at small s.)
    """
    if r == 0.0:
        return s, v, 0.0
    den = 1.0 + r * v
    if den == r * v:  # r·V beyond double range of 1 + rV: V/(1+rV) → 1/r
        return rho_in, 1.0 / r, 1.0 / v
    return (s + r * v * rho_in) / den, v / den, r / den


@njit(cache=True)
def layer_block(act, r, s, v, rho_in, relu_tab):
    """Dispatch on the activation code: linear or relu."""
    if act == ACT_RELU:
        return relu_layer(r, s, v, rho_in, relu_tab)
    if act == ACT_LINEAR:
        return linear_layer(r, s, v, rho_in)
    raise ValueError("layer_block: unknown activation code")


@njit(cache=True)
def linear_potential(r, s, v):
    """σ(u) = u: ψ = r(s + V)/2 − log(1 + rV)/2."""
    if not r > 0.0:
        return 0.0
    if r == math.inf:
        return math.inf
    return 0.5 * r * (s + v) - 0.5 * math.log1p(r * v)


@njit(cache=True)
def layer_potential(act, r, s, v, relu_tab):
    """Dispatch on the activation code: ψ(r, s, v) of linear or relu."""
    if act == ACT_RELU:
        return relu_potential(r, s, v, relu_tab)
    if act == ACT_LINEAR:
        return linear_potential(r, s, v)
    raise ValueError("layer_potential: unknown activation code")
