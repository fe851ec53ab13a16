"""Layer blocks h → σ(h) of the chain (SPEC §2), same signature for every σ.

layer(r, s, v, rho_in, tab) -> (m_out, v_out, lam_in), with s the input overlap,
v = ρ_in − s its mse, r = m̂_{l+1} the precision of the message from above.
Codes: `phasediag.vocabulary.ACTIVATIONS`.
"""

from __future__ import annotations

from numba import njit

from phasediag.blocks.relu import relu_layer
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
