"""Building blocks of the config schema (pydantic), shared by `config` and the compute kinds.

Every model forbids unknown keys (the error then lists the allowed ones) and is frozen.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Finite = Annotated[float, Field(allow_inf_nan=False)]


class Strict(BaseModel):
    """A config mapping: unknown keys are errors, values are frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
