"""Matrix ensembles of the finite-size instances: name → sampler, keyed by the names of
`phasediag.vocabulary.ENSEMBLES`.

A sampler `draw(rows, cols, rng, dtype) -> M` returns M ∈ R^{rows×cols} in `dtype`, drawn
from `rng` alone, normalised like the i.i.d. N(0, 1/cols) ensemble (E tr(M Mᵀ)/rows = 1,
so the components of M h have variance mean(h²), as the state evolution assumes).
Adding an ensemble = its name in the vocabulary, one sampler here and its entry in
`SAMPLERS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from phasediag.errors import ModelError
from phasediag.vocabulary import ENSEMBLES

Sampler = Callable[[int, int, np.random.Generator, type], np.ndarray]


def gaussian(rows: int, cols: int, rng: np.random.Generator,
             dtype: type = np.float64) -> np.ndarray:
    """i.i.d. N(0, 1/cols) entries: standard normals in `dtype`, scaled in place by 1/√cols."""
    M = rng.standard_normal((rows, cols), dtype=dtype)
    M *= dtype(1.0 / math.sqrt(cols))
    return M


SAMPLERS: dict[str, Sampler] = {
    "gaussian": gaussian,
}


def sampler(name: str) -> Sampler:
    """The sampler of ensemble `name`; ModelError("ensembles", …) if there is none."""
    ENSEMBLES.get(name, "ensembles")
    try:
        return SAMPLERS[name]
    except KeyError:
        raise ModelError("ensembles", f"no finite-size sampler for the {name} ensemble "
                                      f"(have {', '.join(SAMPLERS)})") from None
