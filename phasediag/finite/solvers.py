"""Finite-size solvers: name → options and batch function, one entry per solver.

A solver is one module with an options dataclass (defaults, `validate()` raising
`ModelError` naming the option, `dataclasses.asdict` for provenance) and a batch function

    run_batch(batch: Batch, rng: np.random.Generator, options) -> list[Run]

which runs every column of `batch` (`instances.Batch`: columns sharing W_1 … W_L, z, A)
and returns one `runs.Run` (or subclass) per column, in order. `rng` is the sample's start
stream: the solver draws its own random start from it (ML-AMP: one ξ ~ N(0, I_{k_1})).
Adding a solver = its module + one entry in `SOLVERS`; the experiment runner
(`experiments.run_points`) and `solve` never ask which solver runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from phasediag.errors import ModelError
from phasediag.finite import mlamp
from phasediag.finite.instances import Batch, Instance
from phasediag.finite.runs import Run
from phasediag.vocabulary import Entry, Registry


@dataclass(frozen=True)
class Solver(Entry):
    options: type  # the options dataclass (its defaults when none are given)
    run_batch: Callable[[Batch, np.random.Generator, Any], list[Run]]


SOLVERS = Registry("solver", (
    Solver(mlamp.NAME, 0, "multi-layer AMP (G-AMP for separable priors), the SE's schedule",
           mlamp.AMPOptions, mlamp.run_batch),
))
SOLVER_NAMES = SOLVERS.names


def get_solver(name: str) -> Solver:
    """The registry entry of `name` (ModelError("solver", …) if unknown)."""
    return SOLVERS.get(name, "solver")


def solver_options(name: str, options: Any = None) -> Any:
    """`options` checked against the solver's options class and validated (None: defaults)."""
    s = get_solver(name)
    options = s.options() if options is None else options
    if not isinstance(options, s.options):
        raise ModelError("options", f"the {name} solver takes {s.options.__name__}, "
                                    f"got {type(options).__name__}")
    options.validate()
    return options


def solve(instance: Instance, solver: str = mlamp.NAME, options: Any = None,
          seed: int | np.random.Generator = 0) -> Run:
    """Run `solver` on one instance; `seed` is its start stream."""
    options = solver_options(solver, options)
    return get_solver(solver).run_batch(instance.batch(), np.random.default_rng(seed),
                                        options)[0]
