"""State-evolution engines: one step of a fixed-point map on the SE state, by engine code.

An engine is one module with a numba step `step(alpha, st, km, tabs)` that updates the
state `st` (an `SEState`) in place, plus an entry here: its code in `ENGINES`, the matrix
ensembles it describes, and one branch in `engine_step`. Everything above — the
fixed-point loop and its decisions (`phasediag.se.loop`), the stability factors, the
threshold searches — calls `engine_step` and never asks which engine runs.

State (pair form, SPEC §2): m[i], v[i] = ρ_i − m[i] of the variables i = 0..L (z … x),
mhat[i] the conjugate m̂ of variable i after the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from phasediag.errors import ModelError
from phasediag.se.amp import amp_step
from phasediag.vocabulary import Entry, Registry


class SEState(NamedTuple):
    """The SE state the loop iterates (arrays of length L + 1, updated in place)."""

    m: np.ndarray
    v: np.ndarray
    mhat: np.ndarray


@dataclass(frozen=True)
class Engine(Entry):
    ensembles: tuple[str, ...] = ("gaussian",)  # matrix ensembles whose SE this engine is


ENGINES = Registry("engine", (
    Engine("amp", 0, "AMP-schedule state evolution (i.i.d. Gaussian matrices)"),
))
ENGINE_AMP = ENGINES.code("amp")


@njit(cache=True)
def engine_step(engine, alpha, st, km, tabs):
    """One iteration of engine `engine` at sample ratio α, in place on st."""
    if engine == ENGINE_AMP:
        amp_step(alpha, st, km, tabs)
        return
    raise ValueError("engine_step: unknown engine code")


def engine_code(name: str, ensembles: tuple[str, ...]) -> int:
    """Code of engine `name`, checked against the model's matrix ensembles."""
    e = ENGINES.get(name, "engine")
    bad = [x for x in ensembles if x not in e.ensembles]
    if bad:
        raise ModelError("engine", f"the {name} state evolution describes "
                                   f"{', '.join(e.ensembles)} matrices, not {bad[0]}")
    return e.code


def new_state(m: np.ndarray, v: np.ndarray) -> SEState:
    """SEState over the given (m, v) arrays (not copied), with m̂ = 0."""
    return SEState(m, v, np.zeros_like(m))
