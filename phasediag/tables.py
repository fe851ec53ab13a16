"""Precomputed block tables, loaded once and passed to the kernels as arguments.

(numba's cache=True would freeze module-global arrays into the on-disk cache, so the
tables are never read as globals inside a kernel: ENGINEERING.md.)
"""

from __future__ import annotations

from functools import cache

from phasediag.blocks.gauss_bernoulli import gb_table
from phasediag.blocks.pr_table import pr_table
from phasediag.blocks.relu_table import relu_table


@cache
def load_tables() -> tuple:
    """(pr_tab, relu_tab, gb_tab): the tuple every SE kernel takes as `tabs`."""
    return (pr_table(), relu_table(), gb_table())
