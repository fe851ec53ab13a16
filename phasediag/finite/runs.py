"""The record of one finite-size run (any solver), its statuses, and the mse it reports.

Every solver returns one `Run` per column of its batch: the solver's name, α = n/d, how it
ended (`STATUS_NAMES`), its iterations, the final mse ‖x̂ − x*‖²/d and its trajectory, the
estimate x̂ and the last residual. A solver's own scalars (ML-AMP: restarts, damping, its
mse estimate) are the extra fields of a subclass; `to_dict` and `extras` list them without
knowing the solver.

The mse is the minimum over x̂ → ±x̂ where the posterior is sign symmetric (PR with a
linear chain or a separable prior): x and −x explain y equally well there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from phasediag.model import Model

# How a run ended; solvers use these codes (indices) and names.
STATUS_NAMES = ("converged", "perfect", "plateau", "max_iter", "diverged", "nan")
CONVERGED, PERFECT, PLATEAU, MAX_ITER, DIVERGED, NAN = range(len(STATUS_NAMES))
CONVERGED_STATUSES = ("converged", "perfect", "plateau")  # ended at a fixed point


def array_field():
    """A per-iteration or per-component array of a record (left out of repr, ==, to_dict)."""
    return field(repr=False, compare=False, metadata={"array": True})


@dataclass(frozen=True, kw_only=True)
class Run:
    """One run of a finite-size solver (one column of a batch)."""

    solver: str  # `solvers.SOLVERS` name
    alpha: float  # n/d of the instance
    status: str  # one of STATUS_NAMES
    n_iter: int  # iterations (restarted ones included)
    mse: float  # ‖x̂ − x*‖²/d at the last iterate (min over ± where sign symmetric)
    residual: float  # the solver's last stopping quantity (ML-AMP: ‖x̂_t − x̂_{t−1}‖²/(d v_x))
    mse_trajectory: np.ndarray = array_field()  # per iteration, [0] = start
    x_hat: np.ndarray = array_field()

    @property
    def converged(self) -> bool:
        return self.status in CONVERGED_STATUSES

    @property
    def extras(self) -> dict:
        """The solver's own scalar fields (those beyond `Run`'s)."""
        base = {f.name for f in fields(Run)}
        return {k: v for k, v in self.to_dict().items() if k not in base and k != "converged"}

    def to_dict(self) -> dict:
        """Every scalar field (arrays left out), and `converged`."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if not f.metadata.get("array")}
        out["converged"] = self.converged
        return out


def sign_symmetric(model: Model) -> bool:
    """True when x and −x explain y equally well: PR with an odd (linear) or separable prior."""
    return model.problem == "pr" and all(a == "linear" for a in model.layer_activations)


def mse(x_hat: np.ndarray, x_true: np.ndarray, symmetric: np.ndarray) -> np.ndarray:
    """Per column ‖x̂ − x*‖²/d, or min(‖x̂ − x*‖², ‖x̂ + x*‖²)/d where `symmetric` (d × C)."""
    e = np.mean((x_hat - x_true) ** 2, axis=0)
    if not np.any(symmetric):
        return e
    return np.where(symmetric, np.minimum(e, np.mean((x_hat + x_true) ** 2, axis=0)), e)
