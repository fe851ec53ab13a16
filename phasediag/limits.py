"""The accepted range of every number a user gives, and the caps that bound a run.

One table for every entry point: the CLI option types, the Python API (`Model`,
`SEOptions`, thresholds, the finite-size experiments) and the config schema all call
`check(name, value)`, so a value is refused the same way wherever it comes from — with a
`ModelError` naming the field, the accepted range and the value, before any work. Numbers
must be numbers: a bool or a string is refused, a float is an integer only when integral
(1e5 is 100000), and nan/inf are never accepted.

The ranges are wide enough for every physical question (ρ from 1e-8 to 1e8, depth up to 64
weight matrices …) and narrow enough that nothing overflows or runs unbounded: a bisection
width tol ≥ 1e-12 stays above the float spacing, max_iter ≤ 10⁷ bounds the SE trajectory
(80 MB), and derived quantities (β_L = 1/(ρ β_1⋯β_{L−1}), the dimensions of a finite
instance, its memory) are checked as well. Memory for finite-size instances is capped by
`max_bytes()`: half the machine's memory, or the PHASEDIAG_MAX_BYTES environment variable.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from phasediag.errors import ModelError


@dataclass(frozen=True)
class Limit:
    """A closed or open interval [lo, hi] of accepted values; integer: whole numbers only."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def text(self) -> str:
        """The range in words: "a finite number in (0, 1e+06]", "an integer in [1, 10000000]"."""
        def g(x: float) -> str:
            return str(int(x)) if self.integer and math.isfinite(x) else f"{x:g}"
        kind = "an integer" if self.integer else "a finite number"
        return (f"{kind} in {'(' if self.lo_open else '['}{g(self.lo)}, {g(self.hi)}"
                f"{')' if self.hi_open else ']'}")

    def check(self, field: str, x: object) -> float | int:
        """x as a float (an int if `integer`), or ModelError(field, …) saying the range."""
        value = _number(x)
        if value is None or not math.isfinite(value) or \
                (self.integer and not float(value).is_integer()):
            raise ModelError(field, f"expected {self.text()}, got {_show(x)}")
        below = value <= self.lo if self.lo_open else value < self.lo
        above = value >= self.hi if self.hi_open else value > self.hi
        if below or above:
            raise ModelError(field, f"expected {self.text()}, got {_show(x)}")
        return int(value) if self.integer else float(value)


def _number(x: object) -> float | int | None:
    """x as a Python number if it is a real number (not a bool, not a string), else None."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    return None


def _show(x: object) -> str:
    """A value for an error message: short, one line, escaped."""
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


LIMITS: dict[str, Limit] = {
    # the model
    "rho": Limit(1e-8, 1e8),
    "beta": Limit(1e-6, 1e6),
    "beta_L": Limit(1e-12, 1e12),  # derived: β_L = 1/(ρ β_1⋯β_{L−1})
    "depth": Limit(0, 64, integer=True),
    "noise": Limit(0.0, 1e6),
    "alpha": Limit(0.0, 1e6, lo_open=True),
    "kappa": Limit(1.0, 1e8),  # condition number of a geometric spectrum
    # the state evolution and the thresholds
    "tol": Limit(1e-12, 0.1),
    "max_iter": Limit(1, 10_000_000, integer=True),
    "tol_fp": Limit(1e-15, 1.0, hi_open=True),  # relative: below 1e-15 is below rounding
    "v_extrap": Limit(0.0, 1.0, hi_open=True),
    "se_fraction": Limit(1e-300, 1.0, hi_open=True),  # the other SEOptions (fractions of ρ)
    # finite-size instances
    "d": Limit(2, 10_000_000, integer=True),
    "samples": Limit(1, 100_000, integer=True),
    "seed": Limit(0, 2**63 - 1, integer=True),
    "amp_max_iter": Limit(1, 1_000_000, integer=True),
    "damping": Limit(0.0, 1.0, hi_open=True),
    "init_overlap": Limit(0.0, 1.0, hi_open=True),
    # sweeps
    "workers": Limit(1, 1024, integer=True),
    "chunk_size": Limit(1, 1_000_000, integer=True),
}

MAX_POINTS = 2_000_000  # grid points of one config, all grid entries together
MAX_CONFIG_BYTES = 1 << 20  # a config file larger than 1 MiB is not a config
MAX_CONFIG_DEPTH = 32  # nesting of mappings and lists in a config


def check(name: str, x: object, field: str | None = None) -> float | int:
    """`LIMITS[name].check(field or name, x)`."""
    return LIMITS[name].check(field or name, x)


def max_bytes() -> int:
    """Memory a finite-size instance may take: PHASEDIAG_MAX_BYTES, else half the RAM."""
    env = os.environ.get("PHASEDIAG_MAX_BYTES")
    if env:
        try:
            return int(float(env))
        except ValueError:
            raise ModelError("PHASEDIAG_MAX_BYTES", f"expected a number of bytes, got "
                                                    f"{_show(env)}") from None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def human_bytes(n: float) -> str:
    """1.5e9 → "1.4 GiB"."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024:
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"
