"""State-evolution engines: one step of a fixed-point map on the SE state, by engine code.

An engine is one module with a numba step `step(alpha, st, km, tabs)` that updates the
state `st` (an `SEState`) in place, plus an entry here: its code in `ENGINES`, the matrix
ensembles it describes, and one branch in `engine_step`. Everything above — the
fixed-point loop and its decisions (`phasediag.se.loop`), the stability factors, the
threshold searches — calls `engine_step` and never asks which engine runs.

State (pair form, SPEC §2): m[i], v[i] = ρ_i − m[i] of the variables i = 0..L (z … x),
mhat[i] the conjugate m̂ of variable i after the step (VAMP: the precision γ⁻ of the message
from above), aux the engine's private state (AMP: none; VAMP: its message precisions, see
`phasediag.se.vamp`; aux[0] = nan there means "start the messages from (m, v)").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from phasediag.errors import ModelError
from phasediag.se.amp import amp_step
from phasediag.se.vamp import aux_size, vamp_step
from phasediag.vocabulary import ENSEMBLE_NAMES, Entry, Registry

NO_AUX = np.empty(0)  # the aux of an engine without private state (never written)


class SEState(NamedTuple):
    """The SE state the loop iterates (m, v, mhat of length L + 1, updated in place; aux:
    the engine-private array, `engine_aux` gives one of the right length)."""

    m: np.ndarray
    v: np.ndarray
    mhat: np.ndarray
    aux: np.ndarray = NO_AUX


@dataclass(frozen=True)
class Engine(Entry):
    ensembles: tuple[str, ...] = ("gaussian",)  # matrix ensembles whose SE this engine is


ENGINES = Registry("engine", (
    Engine("amp", 0, "AMP-schedule state evolution (i.i.d. Gaussian matrices)"),
    Engine("vamp", 1, "ML-VAMP state evolution, MMSE estimators (rotationally invariant "
                      "matrices of any spectrum)", ensembles=ENSEMBLE_NAMES),
))
ENGINE_AMP = ENGINES.code("amp")
ENGINE_VAMP = ENGINES.code("vamp")


@njit(cache=True)
def engine_step(engine, alpha, st, km, tabs):
    """One iteration of engine `engine` at sample ratio α, in place on st."""
    if engine == ENGINE_AMP:
        amp_step(alpha, st, km, tabs)
        return
    if engine == ENGINE_VAMP:
        vamp_step(alpha, st, km, tabs)
        return
    raise ValueError("engine_step: unknown engine code")


AUTO = "auto"  # the AMP SE when every matrix is i.i.d. Gaussian, else the ML-VAMP SE
ENGINE_CHOICES = (AUTO, *ENGINES.names)


def resolve_engine(name: str, ensembles: tuple) -> str:
    """The engine that runs: `name`, or for "auto" the AMP SE on all-Gaussian models (its
    numbers are the reference) and the ML-VAMP SE as soon as one matrix is not Gaussian."""
    if name != AUTO:
        ENGINES.get(name, "engine")
        return name
    gaussian = all(getattr(x, "name", x) == "gaussian" for x in ensembles)
    return "amp" if gaussian else "vamp"


def engine_code(name: str, ensembles: tuple) -> int:
    """Code of engine `name` ("auto" resolved), checked against the model's matrix
    ensembles (names or specs)."""
    name = resolve_engine(name, ensembles)
    e = ENGINES.get(name, "engine")
    bad = [getattr(x, "name", x) for x in ensembles if getattr(x, "name", x) not in e.ensembles]
    if bad:
        raise ModelError("engine", f"the {name} state evolution describes "
                                   f"{', '.join(e.ensembles)} matrices, not {bad[0]}")
    return e.code


def engine_aux(engine: int, L: int) -> np.ndarray:
    """A fresh private state of engine code `engine` for depth L (VAMP: all nan, i.e. its
    messages start from (m, v) at the first step)."""
    if engine == ENGINE_VAMP:
        return np.full(aux_size(L), np.nan)
    return NO_AUX


def new_state(m: np.ndarray, v: np.ndarray, engine: int = ENGINE_AMP) -> SEState:
    """SEState over the given (m, v) arrays (not copied), with m̂ = 0 and a fresh aux."""
    return SEState(m, v, np.zeros_like(m), engine_aux(engine, m.shape[0] - 1))
