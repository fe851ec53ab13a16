"""Matrix ensembles of the finite-size instances: name → sampler, keyed by the names of
`phasediag.vocabulary.ENSEMBLES`.

A sampler `draw(rows, cols, rng, dtype) -> M` returns M ∈ R^{rows×cols} in `dtype`, drawn
from `rng` alone, normalised like the i.i.d. N(0, 1/cols) ensemble (E tr(M Mᵀ)/rows = 1,
so the components of M h have variance mean(h²), as the state evolution assumes).
The rotationally invariant ensembles are M = U diag(s) Vᵀ with U, V Haar (QR of a Gaussian
matrix with the signs of R's diagonal) and s from `phasediag.spectra.singular_values`;
an ensemble with parameters (geometric κ, empirical values) takes them from its
`EnsembleSpec`: `sampler(spec)`. Adding an ensemble = its name in the vocabulary, one
sampler here and its entry in `SAMPLERS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import numpy as np

from phasediag.errors import ModelError
from phasediag.spectra import EnsembleSpec, as_spec, singular_values
from phasediag.vocabulary import ENSEMBLES

Sampler = Callable[[int, int, np.random.Generator, type], np.ndarray]


def gaussian(rows: int, cols: int, rng: np.random.Generator,
             dtype: type = np.float64) -> np.ndarray:
    """i.i.d. N(0, 1/cols) entries: standard normals in `dtype`, scaled in place by 1/√cols."""
    M = rng.standard_normal((rows, cols), dtype=dtype)
    M *= dtype(1.0 / math.sqrt(cols))
    return M


def haar(n: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-distributed orthogonal n×n matrix: Q of G = QR with diag(R) > 0."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def rotated(rows: int, cols: int, rng: np.random.Generator, dtype: type = np.float64,
            spec: EnsembleSpec | str = "orthogonal") -> np.ndarray:
    """U diag(s) Vᵀ with Haar U (rows×rows), V (cols×cols): U first, then V from rng."""
    s = singular_values(spec, rows, cols)
    r = s.size
    U = haar(rows, rng)[:, :r]
    V = haar(cols, rng)[:, :r]
    return ((U * s) @ V.T).astype(dtype, copy=False)


SAMPLERS: dict[str, Sampler] = {
    "gaussian": gaussian,
    "orthogonal": rotated,
    "geometric": rotated,
    "empirical": rotated,
}


def sampler(ensemble: str | EnsembleSpec) -> Sampler:
    """The sampler of an ensemble (a name, or a spec with its parameters);
    ModelError("ensembles", …) if there is none."""
    spec = as_spec(ensemble)
    name = spec.name
    ENSEMBLES.get(name, "ensembles")
    try:
        draw = SAMPLERS[name]
    except KeyError:
        raise ModelError("ensembles", f"no finite-size sampler for the {name} ensemble "
                                      f"(have {', '.join(SAMPLERS)})") from None
    if draw is rotated:
        return partial(rotated, spec=spec)
    return draw
