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
    """The tables the SE kernels read: pr = (meta, coef) of the PR channel, relu = (P, meta)
    of the relu layer, gb = (nodes, weights, z-breaks, ξ-grid) of the Gauss–Bernoulli prior.

    Kept to what every step needs: numba passes tuples of arrays by value at every call, and
    carrying the potentials' arrays through the SE loop made it 1.5–3× slower (measured:
    λ_y 79 → 238 ns per call; a PR threshold triple 127 → 225 ms)."""

    pr: tuple[np.ndarray, np.ndarray]
    relu: tuple[np.ndarray, np.ndarray]
    gb: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class PotentialTables(NamedTuple):
    """The longer tables of the block potentials (free entropy): pr = (meta, coef, J at panel
    edges, GL nodes, GL weights, …), relu = (P, meta, GL nodes, GL weights)."""

    pr: tuple[np.ndarray, ...]
    relu: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@cache
def load_tables() -> Tables:
    """The bundle every SE kernel takes as `tabs`."""
    pot = load_potential_tables()
    return Tables(pr=(pot.pr[0], pot.pr[1]), relu=(pot.relu[0], pot.relu[1]), gb=gb_table())


@cache
def load_potential_tables() -> PotentialTables:
    """The bundle the potentials take (`phasediag.free_entropy`)."""
    gx, gw = gauss_legendre(N_GL_POT)
    return PotentialTables(pr=pr_kernel_table(), relu=relu_table() + (gx, gw))
