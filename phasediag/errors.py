"""One error family: every error phasediag raises on bad input derives from `PhasediagError`.

Each carries the `field` it is about (a model parameter, an option, a config key path, a
file) and a one-line `message`; the CLI catches the base class and prints
`phasediag: error: FIELD: MESSAGE` with exit status 2. The subclasses say which layer
refused (they also derive from ValueError, so `except ValueError` keeps working).
"""

from __future__ import annotations


class PhasediagError(ValueError):
    """Invalid input; `field` names what is wrong, `message` says what was expected."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class ModelError(PhasediagError):
    """Invalid model parameters or numerical options (Python API and CLI)."""


class ConfigError(ModelError):
    """Invalid sweep config; `field` is the key path (grid.rho.stop, grid[1].beta[0], …)."""


class SweepError(ModelError):
    """A sweep that cannot start as asked (existing output, foreign resume, no dask)."""


class RecordError(PhasediagError):
    """An existing output that cannot be used as it is (wrong header, foreign rows)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(field, message)


class PlotError(PhasediagError):
    """A table that cannot be drawn as asked (missing file, missing columns, no rows)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(field, message)
