"""Precomputed block tables, loaded once and passed to the kernels as one typed bundle.

(numba's cache=True would freeze module-global arrays into the on-disk cache, so the
tables are never read as globals inside a kernel: they travel as the `tabs` argument.)
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

from phasediag.blocks.gauss_bernoulli import gb_table
from phasediag.blocks.pr_table import pr_kernel_table
from phasediag.blocks.relu_table import relu_table
from phasediag.quadrature import gauss_legendre

N_GL_POT = 20  # Gauss–Legendre nodes per patch of the relu potential's integral


class Tables(NamedTuple):
    """Every block table: PR channel (meta, coef, J at panel edges, GL nodes, GL weights,
    GL nodes and weights of the noisy block),
    relu layer (P, meta, GL nodes, GL weights), Gauss–Bernoulli quadrature (nodes, weights,
    z-breaks, ξ-grid). The trailing entries of pr and relu serve the potentials (free entropy)
    and the noisy PR block; the MMSE kernels read only the first two."""

    pr: tuple[np.ndarray, ...]
    relu: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    gb: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@cache
def load_tables() -> Tables:
    """The bundle every SE kernel takes as `tabs`."""
    gx, gw = gauss_legendre(N_GL_POT)
    return Tables(pr=pr_kernel_table(), relu=relu_table() + (gx, gw), gb=gb_table())
