"""Building blocks of the config schema (pydantic), shared by `config` and the compute kinds.

Every model forbids unknown keys (the error then lists the allowed ones), is frozen, and is
strict: a number must be a number (YAML's `yes`/`true` or a quoted "1" is refused, not
coerced); the numeric ranges themselves are `phasediag.limits`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from phasediag.limits import LIMITS

Finite = Annotated[float, Field(allow_inf_nan=False)]  # a number (int or float), never a bool


def _integral(v: Any) -> Any:
    """1e5 → 100000 (a float that is a whole number is an integer); bools stay bools (and
    are then refused by the strict int)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


Int = Annotated[int, BeforeValidator(_integral)]  # an integer; 1e5 accepted, true refused


def limited(name: str) -> Any:
    """The config type of a number in `phasediag.limits.LIMITS[name]`: Int or Finite with
    its bounds (so a config refuses exactly what the CLI and the library refuse)."""
    lim = LIMITS[name]
    bounds = {("gt" if lim.lo_open else "ge"): lim.lo, ("lt" if lim.hi_open else "le"): lim.hi}
    if lim.integer:
        bounds = {k: int(v) for k, v in bounds.items()}
    return Annotated[Int if lim.integer else Finite, Field(**bounds)]


class Strict(BaseModel):
    """A config mapping: unknown keys are errors, values are frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def axis_kind(v: Any) -> str:
    """Discriminator of a config axis: a mapping (range spec), a list, or one value."""
    if isinstance(v, (dict, BaseModel)):
        return "@range"
    if isinstance(v, list):
        return "@list"
    return "@value"


def choice_axis(names: tuple[str, ...]) -> Any:
    """One of `names`, or a non-empty list of them."""
    one = Literal[names]
    return Annotated[
        Annotated[one, Tag("@value")] | Annotated[list[one], Field(min_length=1), Tag("@list")],
        Discriminator(axis_kind),
    ]


def init_axis(inits: tuple[str, ...]) -> Any:
    """The `init` key of an mse config: one start or a list of them."""
    return choice_axis(inits)
