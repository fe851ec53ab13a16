"""Compute kinds: what a sweep row is. One module per kind, registered here.

    base.py        ComputeKind: config keys → settings, columns, rows of a batch, cost
    thresholds.py  αc, αIT, αalg brackets per model
    mse.py         SE fixed point per (model, init, α)
    amp.py         finite-size ML-AMP over seeded instances per (model, α), beside the SE

Adding a kind = one module with a ComputeKind subclass + one entry in KINDS.
"""

from __future__ import annotations

from phasediag.computes.amp import Amp
from phasediag.computes.base import ComputeKind
from phasediag.computes.mse import Mse
from phasediag.computes.thresholds import Thresholds
from phasediag.errors import ConfigError
from phasediag.records import CHECKSUM, INPUT_COLUMNS

KINDS: dict[str, ComputeKind] = {k.name: k for k in (Thresholds(), Mse(), Amp())}
NAMES = tuple(KINDS)


def get(name: str, field: str = "compute") -> ComputeKind:
    """The registered kind `name`; a ConfigError naming `field` otherwise."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise ConfigError(field, f"expected one of {', '.join(NAMES)}, got {name!r}") from None


def columns(name: str) -> tuple[str, ...]:
    """The CSV header of a kind's table: the input columns, the kind's own, the checksum."""
    return INPUT_COLUMNS + get(name).columns + (CHECKSUM,)


__all__ = ["KINDS", "NAMES", "ComputeKind", "columns", "get"]
