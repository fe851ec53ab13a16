"""What a compute kind declares, and the guard that turns a failed point into a row.

A compute kind is one module with one `ComputeKind` subclass: its config keys (a pydantic
field per top-level key, validated with the rest of the config), the frozen settings those
keys become (recorded in the meta file and the config hash), whether the grid needs α and
the init axis, its output columns (after `records.INPUT_COLUMNS`), the rows of a batch of
points, a rough cost per point, and which points must share one task (e.g. finite-size
runs on common instances). Config, grid, records, sweep and plots read the registry in
`phasediag.computes`; none of them names a kind.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence
from typing import Any, ClassVar

from phasediag.grid import Point
from phasediag.model import Model
from phasediag.records import fmt, input_fields
from phasediag.vocabulary import PRIORS

Row = dict[str, str]


class ComputeKind:
    """One kind of sweep computation (subclass per kind; instances are stateless)."""

    name: ClassVar[str]
    doc: ClassVar[str]  # one line for --help and the docs
    columns: ClassVar[tuple[str, ...]]  # output columns, after records.INPUT_COLUMNS
    alpha: ClassVar[str]  # "required" (a grid axis of the kind) | "forbidden"
    uses_init: ClassVar[bool] = False  # the top-level `init` key is an axis of the points
    plots: ClassVar[tuple[str, ...]] = ()  # plot kinds (`phasediag plot --kind`) of its tables
    # types of its columns that are not floats, for typed reading (`phasediag.results`):
    # "int" | "bool" | "str" (";"-joined per-layer lists are "str" too)
    types: ClassVar[dict[str, str]] = {}
    # top-level config keys of this kind: name → (annotation, default), as pydantic fields
    config_fields: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def settings(self, spec: Any, se: Any) -> Any:
        """The frozen, picklable settings of a validated config (`spec` holds this kind's
        config_fields; `se` is the SEOptions); raise ConfigError naming the key if bad."""
        raise NotImplementedError

    def run(self, points: Sequence[Point], settings: Any) -> list[Row]:
        """The rows of a batch of points (one per point, failed points included). Default:
        every point on its own, `compute` then `row`, with `guarded`'s error handling."""
        return [self.guarded(p, settings) for p in points]

    def compute(self, model: Model, p: Point, settings: Any) -> Any:
        """The result record of one point (kinds that use the default `run`)."""
        raise NotImplementedError

    def row(self, p: Point, model: Model | None, res: Any, settings: Any) -> Row:
        """The row of one point from its result (`res` None: the point failed; fill the
        inputs only). `seconds`, `error` and a failed point's `converged` are set after."""
        raise NotImplementedError

    def check_points(self, points: Sequence[Point], settings: Any) -> None:
        """Raise a PhasediagError (naming the key) when the points cannot run at all with
        these settings — e.g. an instance too large for memory. Called when the config is
        loaded, before any file is written. Default: nothing to check."""

    def cost(self, point: Point, settings: Any) -> float:
        """Rough seconds of one point on the dev machine (±3×), for tasks and --dry-run."""
        raise NotImplementedError

    def batch_key(self, point: Point, settings: Any) -> Hashable | None:
        """Points with the same key must run in one task; None: every point on its own."""
        return None

    # ---------------------------------------------------------------- row helpers
    def empty_row(self, p: Point, model: Model | None) -> Row:
        row = dict.fromkeys(self.columns, "")
        row.update(input_fields(p, model))
        return row

    def failed_row(self, p: Point, model: Model | None, settings: Any, error: str) -> Row:
        """The row of a point whose computation raised: inputs, no results, the error."""
        row = self.row(p, model, None, settings)
        row["converged"] = "false"
        row["error"] = fmt(error)
        return row

    def guarded(self, p: Point, settings: Any) -> Row:
        """The row of one point, timed into `seconds`; an exception becomes a row with its
        `error` ("Type: message"): a failed point is a row, never dropped."""
        t0 = time.perf_counter()
        model = None
        try:
            model = p.model()
            row = self.row(p, model, self.compute(model, p, settings), settings)
        except Exception as e:  # noqa: BLE001 — a failed point is a row, never dropped
            if interrupted(e):
                raise KeyboardInterrupt from e
            row = self.failed_row(p, model, settings, f"{type(e).__name__}: {e}")
        row["seconds"] = f"{time.perf_counter() - t0:.4f}"
        return row


def interrupted(e: BaseException) -> bool:
    """Ctrl-C during a numba call surfaces as SystemError("… returned a result with an
    exception set") caused by the KeyboardInterrupt: that is an interrupt, not a failed point."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def kind_of_layers(p: Point) -> tuple[str, float]:
    """(the costliest block family of a point: relu, or its prior; a depth factor)."""
    entry = PRIORS.get(p.prior)
    acts = p.activations or ((entry.activation,) * p.depth if not entry.separable else ())
    kind = "relu" if "relu" in acts else p.prior
    return kind, 1.0 + 0.25 * max(len(acts) - 1, 0)


__all__ = ["ComputeKind", "Row", "fmt", "interrupted", "kind_of_layers"]
