"""Commented starting configs, one per compute kind (`phasediag sweep --template KIND`).

Shipped as package data, so a pip user has them without the repository.
"""

from __future__ import annotations

from importlib import resources

from phasediag.errors import ConfigError


def names() -> tuple[str, ...]:
    """The kinds that have a template (every compute kind: a test checks it)."""
    return tuple(sorted(p.name[:-5] for p in resources.files(__name__).iterdir()
                        if p.name.endswith(".yaml")))


def template(kind: str) -> str:
    """The commented config of compute kind `kind`."""
    if kind not in names():
        raise ConfigError("template", f"expected one of {', '.join(names())}, got {kind!r}")
    return resources.files(__name__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
