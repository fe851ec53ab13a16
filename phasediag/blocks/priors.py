"""Prior blocks: the first variable observed through B = r z* + √r ξ (SPEC §2).

prior(r, param, tab) -> (m, v), m = E[E[z|B]²], v = E[Var(z|B)], both without cancellation.
Codes: `phasediag.vocabulary.PRIOR_BLOCKS`.
"""

from __future__ import annotations

from numba import njit

from phasediag.blocks.gauss_bernoulli import gb_prior
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
