"""Prior blocks: the first variable observed through B = r z* + √r ξ (SPEC §2).

prior(r, param, tab) -> (m, v), m = E[E[z|B]²], v = E[Var(z|B)], both without cancellation.
Potential (free entropy of the block): ψ(r) = E log Z(B, r), Z = ∫ dP(z) e^{−r z²/2 + B z},
with dψ/dr = m/2 (`phasediag.free_entropy`).
Codes: `phasediag.vocabulary.PRIOR_BLOCKS`.
"""

from __future__ import annotations

import math

from numba import njit

from phasediag.blocks.gauss_bernoulli import gb_potential, gb_prior
from phasediag.vocabulary import PRIOR_GAUSSIAN, PRIOR_GB


@njit(cache=True)
def gaussian_prior(r):
    """z ~ N(0, 1): m = r/(1 + r), v = 1/(1 + r)."""
    return r / (1.0 + r), 1.0 / (1.0 + r)


@njit(cache=True)
def prior_block(code, r, param, gb_tab):
    """Dispatch on the prior-block code: gaussian (param unused) or gauss-bernoulli (ρs)."""
    if code == PRIOR_GB:
        return gb_prior(r, param, gb_tab)
    if code == PRIOR_GAUSSIAN:
        return gaussian_prior(r)
    raise ValueError("prior_block: unknown prior-block code")


@njit(cache=True)
def gaussian_potential(r):
    """z ~ N(0, 1): ψ = (r − log(1 + r))/2 (dψ/dr = m/2 = r/(2(1 + r)))."""
    if r == math.inf:
        return math.inf
    return 0.5 * (r - math.log1p(r))


@njit(cache=True)
def prior_potential(code, r, param, gb_tab):
    """Dispatch on the prior-block code: ψ(r) of gaussian or gauss-bernoulli (ρs = param)."""
    if code == PRIOR_GB:
        return gb_potential(r, param, gb_tab)
    if code == PRIOR_GAUSSIAN:
        return gaussian_potential(r)
    raise ValueError("prior_potential: unknown prior-block code")
