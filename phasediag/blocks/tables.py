"""Precomputed block tables, loaded once and passed to the kernels as one typed bundle.

(numba's cache=True would freeze module-global arrays into the on-disk cache, so the
tables are never read as globals inside a kernel: they travel as the `tabs` argument.)
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

from phasediag.blocks.gauss_bernoulli import gb_table
from phasediag.blocks.pr_table import pr_table
from phasediag.blocks.relu_table import relu_table


class Tables(NamedTuple):
    """Every block table: PR channel (meta, coef), relu layer (P, meta), Gauss–Bernoulli
    quadrature (nodes, weights, z-breaks, ξ-grid)."""

    pr: tuple[np.ndarray, np.ndarray]
    relu: tuple[np.ndarray, np.ndarray]
    gb: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@cache
def load_tables() -> Tables:
    """The bundle every SE kernel takes as `tabs`."""
    return Tables(pr=pr_table(), relu=relu_table(), gb=gb_table())
