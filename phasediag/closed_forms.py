"""Analytic thresholds (SPEC §3): αc of eq. (18) and the counting αIT of eqs. (20)–(21).

Used by tests, the CLI (printed beside the numerical values) and plots.
"""

from __future__ import annotations

import math

from phasediag.model import Model


def alpha_c_analytic(model: Model) -> float | None:
    """Weak-recovery threshold where a closed form exists, else None.

    PR, linear chain of depth L (β_1..β_L): αc = ½ (1 + Σ_{l=1}^{L} Π_{j=0}^{l−1} β_{L−j})^{−1};
    L = 0 (Gaussian i.i.d. x): ½. CS with a zero-mean linear/Gaussian prior: 0. These hold
    for i.i.d. Gaussian matrices (PR: None when some matrix has another spectrum).
    """
    if model.prior == "gauss-bernoulli":
        return None
    if any(a != "linear" for a in model.layer_activations):
        return None
    if model.problem == "cs":
        return 0.0  # λ_y(m = 0) > 0 whatever the spectrum: m = 0 is never a fixed point
    if any(getattr(e, "name", e) != "gaussian" for e in model.matrix_ensembles):
        return None
    betas = model.full_betas
    L = len(betas)
    total = 1.0
    for l in range(1, L + 1):
        total += math.prod(betas[L - 1 - j] for j in range(l))
    return 0.5 / total


def alpha_it_analytic(model: Model) -> float:
    """Counting αIT (eqs. 20–21): min over variables z, h_2, …, x of c_l k_l/d.

    c = 1 for z and for the output of a linear layer, ½ for the output of a relu layer;
    Gauss–Bernoulli: ρs (the number of non-zeros), Gaussian i.i.d.: 1.
    """
    if model.prior == "gauss-bernoulli":
        return float(model.rho)
    dims = model.dims
    coeffs = [1.0] + [0.5 if a == "relu" else 1.0 for a in model.layer_activations]
    return min(c * k for c, k in zip(coeffs, dims, strict=True))
