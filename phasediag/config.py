"""Sweep configs: YAML → validated, frozen `SweepConfig`; every error names its key path.

Two stages. The pydantic models (extra="forbid") check the *shape*: known keys, types,
range specs (`grid.rho.stop: must be > start (1.0)`). `_normalize` then checks the
*values* (ρ > 0, β > 0, …) and expands every axis into a tuple of exact decimal strings,
so the numbers written to the CSV are the numbers computed (no 0.44999999999999996).
Combinations (β lists vs depth, noise with pr, …) are checked when the grid is expanded
(`phasediag.grid`), which `load_config` runs before returning. The schema is documented
in docs/sweeps.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
)

from phasediag.errors import ConfigError
from phasediag.se import ENGINES, INITS, SEOptions
from phasediag.vocabulary import ACTIVATION_NAMES, PRIOR_NAMES, PROBLEM_NAMES

COMPUTE = ("thresholds", "mse")
SIG_DIGITS = 12  # grid values are rounded to this many significant digits
DEFAULT_TOL = 1e-4
FORMAT_VERSION = 1  # of the CSV/meta layout; part of the config hash


# ---------------------------------------------------------------------------- YAML
class _Loader(yaml.SafeLoader):
    """yaml.SafeLoader that also reads 1e-8 / 1E6 (no dot) as floats, as YAML 1.2 does."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                   |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                   |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."),
)


def parse_yaml(text: str, source: str = "config") -> Any:
    """Safe YAML parse (no object construction) with a one-line error."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(source, f"invalid YAML at{where}: {problem}") from None


# ---------------------------------------------------------------------------- shape
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Finite = Annotated[float, Field(allow_inf_nan=False)]


class RangeSpec(_Strict):
    """`num` values from `start` to `stop` (both included), evenly or log-spaced."""

    start: Finite
    stop: Finite
    num: int = Field(ge=1)
    spacing: Literal["linear", "log"] = "linear"

    @field_validator("stop")
    @classmethod
    def _stop_above_start(cls, v: float, info: Any) -> float:
        start = info.data.get("start")
        if start is not None and not v > start:
            raise ValueError(f"must be > start ({start})")
        return v

    @field_validator("spacing")
    @classmethod
    def _log_positive(cls, v: str, info: Any) -> str:
        start = info.data.get("start")
        if v == "log" and start is not None and start <= 0:
            raise ValueError(f"log spacing needs start > 0 (start is {start})")
        return v


def _kind(v: Any) -> str:
    if isinstance(v, (dict, BaseModel)):
        return "@range"
    if isinstance(v, list):
        return "@list"
    return "@value"


def _vector_kind(v: Any) -> str:
    return "@vector" if isinstance(v, list) else _kind(v)


def _nested_kind(v: Any) -> str:
    return "@lists" if isinstance(v, list) and v and isinstance(v[0], list) else "@one"


_NumItem = Annotated[
    Annotated[Finite, Tag("@value")] | Annotated[RangeSpec, Tag("@range")],
    Discriminator(_kind),
]
NumAxis = Annotated[
    Annotated[Finite, Tag("@value")] | Annotated[RangeSpec, Tag("@range")]
    | Annotated[list[_NumItem], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
_BetaItem = Annotated[
    Annotated[Finite, Tag("@value")] | Annotated[RangeSpec, Tag("@range")]
    | Annotated[list[Finite], Tag("@vector")],
    Discriminator(_vector_kind),
]
BetaAxis = Annotated[
    Annotated[Finite, Tag("@value")] | Annotated[RangeSpec, Tag("@range")]
    | Annotated[list[_BetaItem], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
IntAxis = Annotated[
    Annotated[int, Tag("@value")]
    | Annotated[list[int], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
Problem = Literal[PROBLEM_NAMES]
Prior = Literal[PRIOR_NAMES]
Act = Literal[ACTIVATION_NAMES]
ProblemAxis = Annotated[
    Annotated[Problem, Tag("@value")]
    | Annotated[list[Problem], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
PriorAxis = Annotated[
    Annotated[Prior, Tag("@value")]
    | Annotated[list[Prior], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
ActAxis = Annotated[
    Annotated[list[Act], Field(min_length=1), Tag("@one")]
    | Annotated[list[Annotated[list[Act], Field(min_length=1)]], Tag("@lists")],
    Discriminator(_nested_kind),
]
InitAxis = Annotated[
    Annotated[Literal["uninformed", "informed"], Tag("@value")]
    | Annotated[list[Literal["uninformed", "informed"]], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]


class GridSpec(_Strict):
    """One grid: the Cartesian product of its axes (docs/sweeps.md)."""

    problem: ProblemAxis = Field(validation_alias=AliasChoices("problem", "problems"))
    prior: PriorAxis = Field(validation_alias=AliasChoices("prior", "priors"))
    rho: NumAxis = 1.0
    depth: IntAxis | None = Field(None, validation_alias=AliasChoices("depth", "depths"))
    beta: BetaAxis | None = Field(None, validation_alias=AliasChoices("beta", "betas"))
    activations: ActAxis | None = None
    noise: NumAxis = 0.0
    alpha: NumAxis | None = None


class SESpec(_Strict):
    """Overrides of `phasediag.se.SEOptions` (unset fields keep the package defaults)."""

    max_iter: int | None = Field(None, ge=1)
    tol_fp: Finite | None = Field(None, gt=0)
    tol_perfect: Finite | None = Field(None, gt=0, lt=1)
    tol_uninf: Finite | None = Field(None, gt=0, lt=1)
    eps_uninformed: Finite | None = Field(None, gt=0, lt=1)
    eps_informed: Finite | None = Field(None, gt=0, lt=1)
    tol_perfect_informed: Finite | None = Field(None, gt=0, lt=1)
    v_extrap: Finite | None = Field(None, ge=0, lt=1)
    engine: Literal[ENGINES.names] | None = None


def _grid_kind(v: Any) -> str:
    return "@list" if isinstance(v, (list, tuple)) else "@one"


class ConfigSpec(_Strict):
    """A sweep config file."""

    compute: Literal["thresholds", "mse"]
    name: str | None = None
    description: str | None = None
    grid: Annotated[
        Annotated[GridSpec, Tag("@one")]
        | Annotated[list[GridSpec], Field(min_length=1), Tag("@list")],
        Discriminator(_grid_kind),
    ]
    tol: Finite | None = Field(None, gt=0)
    init: InitAxis | None = None
    se: SESpec = SESpec()


# ---------------------------------------------------------------------------- values
@dataclass(frozen=True)
class GridAxes:
    """One grid with every axis expanded: numbers as exact decimal strings, in order.

    depth None: the default (1 for linear/relu, 0 for separable priors); beta entries are a
    decimal string (the same β_l on every layer l < L) or a tuple (β_1..β_{L−1} explicitly);
    beta None: β_l = 1; activations None: the prior's σ on every layer; alpha None: thresholds.
    """

    problem: tuple[str, ...]
    prior: tuple[str, ...]
    rho: tuple[str, ...]
    depth: tuple[int, ...] | None
    beta: tuple[str | tuple[str, ...], ...] | None
    activations: tuple[tuple[str, ...], ...] | None
    noise: tuple[str, ...]
    alpha: tuple[str, ...] | None
    path: str  # "grid" or "grid[i]"
    beta_paths: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # key of each β


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep: what to compute, the grids, numerical options."""

    compute: str  # thresholds | mse
    grids: tuple[GridAxes, ...]
    tol: float | None  # thresholds: bracket width
    init: tuple[str, ...] | None  # mse: starts
    se: SEOptions
    name: str | None = None
    description: str | None = None
    source: dict | None = dataclasses.field(default=None, compare=False)  # as parsed

    def to_dict(self) -> dict:
        """Normalized config (expanded axes, SE options filled in) as JSON-ready data."""
        return {
            "format": FORMAT_VERSION,
            "compute": self.compute,
            "name": self.name,
            "tol": self.tol,
            "init": None if self.init is None else list(self.init),
            "se": dataclasses.asdict(self.se),
            "grids": [_jsonable({k: v for k, v in dataclasses.asdict(g).items()
                                 if k not in ("path", "beta_paths")}) for g in self.grids],
        }

    def hash(self) -> str:
        """sha256 of the normalized config: a resume must see the same one."""
        data = {k: v for k, v in self.to_dict().items() if k != "name"}  # name: cosmetic
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


def decimal_str(x: float | int | str | Decimal, digits: int = SIG_DIGITS) -> str:
    """Canonical decimal string of x rounded to `digits` significant digits.

    0.1 → "0.1", 2.0 → "2", 1e-8 → "1e-8", 0.44999999999999996 → "0.45".
    """
    d = x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    if d == 0:
        return "0"
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)
    d = d.normalize()
    if d == d.to_integral_value() and abs(d) < Decimal(10) ** 15:
        return str(int(d))
    return format(d, "g")


def expand_range(r: RangeSpec) -> list[str]:
    """Values of a range spec as decimal strings (endpoints exact, computed in Decimal)."""
    start, stop = Decimal(repr(r.start)), Decimal(repr(r.stop))
    if r.num == 1:
        return [decimal_str(start)]
    out = []
    with localcontext() as ctx:
        ctx.prec = 40
        n1 = r.num - 1
        if r.spacing == "linear":
            step = (stop - start) / n1
            vals = [start + i * step for i in range(r.num)]
        else:
            a, b = start.ln(), stop.ln()
            vals = [(a + (b - a) * i / n1).exp() for i in range(r.num)]
        vals[0], vals[-1] = start, stop
        for v in vals:
            out.append(decimal_str(v))
    return out


def _bound_error(path: str, value: str, lo: float, open_: bool) -> ConfigError:
    op = ">" if open_ else "≥"
    return ConfigError(path, f"must be {op} {decimal_str(lo)} (got {value})")


def _check(path: str, value: str, lo: float, open_: bool) -> str:
    x = float(value)
    if x < lo or (open_ and x == lo):
        raise _bound_error(path, value, lo, open_)
    return value


def _num_axis(raw: Any, path: str, lo: float, open_: bool) -> tuple[str, ...]:
    """Expand a number axis (value, range spec or list of both) checking x > lo (≥ lo)."""
    items = raw if isinstance(raw, list) else [raw]
    single = not isinstance(raw, list)
    out: list[str] = []
    for i, item in enumerate(items):
        p = path if single else f"{path}[{i}]"
        if isinstance(item, RangeSpec):
            _check(f"{p}.start", decimal_str(item.start), lo, open_)
            out.extend(expand_range(item))
        else:
            out.append(_check(p, decimal_str(item), lo, open_))
    return _unique(out)


def _beta_axis(raw: Any, path: str) -> tuple[tuple[str | tuple[str, ...], ...], tuple[str, ...]]:
    """(values, key path of each value): a decimal string or an explicit per-layer tuple."""
    items = raw if isinstance(raw, list) else [raw]
    single = not isinstance(raw, list)
    out: dict[str | tuple[str, ...], str] = {}
    for i, item in enumerate(items):
        p = path if single else f"{path}[{i}]"
        if isinstance(item, list):
            vec = tuple(_check(f"{p}[{j}]", decimal_str(b), 0.0, True)
                        for j, b in enumerate(item))
            out.setdefault(vec, p)
        else:
            for v in _num_axis(item, p, 0.0, True):
                out.setdefault(v, p)
    return tuple(out), tuple(out.values())


def _unique(xs: list) -> tuple:
    """Drop repeated values, keeping the first occurrence (order is the grid order)."""
    return tuple(dict.fromkeys(xs))


def _as_tuple(raw: Any) -> tuple:
    return _unique(raw if isinstance(raw, list) else [raw])


def _grid_axes(g: GridSpec, path: str) -> GridAxes:
    depth = None
    if g.depth is not None:
        depth = _as_tuple(g.depth)
        for i, d in enumerate(depth):
            if d < 0:
                p = f"{path}.depth" if not isinstance(g.depth, list) else f"{path}.depth[{i}]"
                raise ConfigError(p, f"must be ≥ 0 (got {d})")
    acts = None
    if g.activations is not None:
        lists = g.activations if g.activations and isinstance(g.activations[0], list) \
            else [g.activations]
        acts = _unique([tuple(a) for a in lists])
    beta, beta_paths = (None, ()) if g.beta is None else _beta_axis(g.beta, f"{path}.beta")
    return GridAxes(
        problem=_as_tuple(g.problem),
        prior=_as_tuple(g.prior),
        rho=_num_axis(g.rho, f"{path}.rho", 0.0, True),
        depth=depth,
        beta=beta,
        activations=acts,
        noise=_num_axis(g.noise, f"{path}.noise", 0.0, False),
        alpha=None if g.alpha is None else _num_axis(g.alpha, f"{path}.alpha", 0.0, True),
        path=path,
        beta_paths=beta_paths,
    )


def _normalize(spec: ConfigSpec) -> SweepConfig:
    grids = spec.grid if isinstance(spec.grid, list) else [spec.grid]
    single = not isinstance(spec.grid, list)
    axes = []
    for i, g in enumerate(grids):
        path = "grid" if single else f"grid[{i}]"
        if spec.compute == "mse" and g.alpha is None:
            raise ConfigError(f"{path}.alpha", "required with compute: mse (the α values)")
        if spec.compute == "thresholds" and g.alpha is not None:
            raise ConfigError(f"{path}.alpha", "only used with compute: mse "
                                               "(thresholds search α themselves)")
        axes.append(_grid_axes(g, path))
    if spec.compute == "mse" and spec.tol is not None:
        raise ConfigError("tol", "only used with compute: thresholds (see se: for SE tolerances)")
    if spec.compute == "thresholds" and spec.init is not None:
        raise ConfigError("init", "only used with compute: mse")
    given = {k: v for k, v in spec.se.model_dump().items() if v is not None}
    se = SEOptions(**given)
    return SweepConfig(
        compute=spec.compute,
        grids=tuple(axes),
        tol=(spec.tol if spec.tol is not None else DEFAULT_TOL)
        if spec.compute == "thresholds" else None,
        init=_as_tuple(spec.init if spec.init is not None else "uninformed")
        if spec.compute == "mse" else None,
        se=se,
        name=spec.name,
        description=spec.description,
    )


# ---------------------------------------------------------------------------- errors
def _loc_path(loc: tuple) -> str:
    """('grid', '@list', 1, 'rho', '@range', 'stop') → 'grid[1].rho.stop' (union tags dropped)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("@"):
            out += f".{part}" if out else str(part)
    return out or "config"


_FIELDS: dict[str, tuple[str, ...]] = {
    "": tuple(ConfigSpec.model_fields),
    "grid": tuple(GridSpec.model_fields),
    "se": tuple(SESpec.model_fields),
    "range": tuple(RangeSpec.model_fields),
}


def _message(err: dict) -> str:
    """One readable phrase for a pydantic error (what the key expects, what it got)."""
    t, ctx, inp = err["type"], err.get("ctx") or {}, err.get("input")
    got = f" (got {inp!r})" if not isinstance(inp, (dict, list)) else ""
    if t == "extra_forbidden":
        names = [p for p in err["loc"][:-1] if isinstance(p, str) and not p.startswith("@")]
        parent = names[-1] if names else ""
        allowed = _FIELDS.get(parent, _FIELDS["range"])  # any other mapping is a range spec
        return f"unknown key; expected one of: {', '.join(allowed)}"
    if t == "missing":
        return "required key is missing"
    if t in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<",
              "less_than_equal": "≤"}[t]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"must be {op} {bound}{got}"
    if t == "too_short":
        return "must not be empty"
    if t == "literal_error":
        return f"expected {ctx.get('expected', '')}{got}"
    if t in ("float_parsing", "float_type", "finite_number"):
        return f"expected a finite number{got}"
    if t in ("int_parsing", "int_type", "int_from_float"):
        return f"expected an integer{got}"
    if t in ("list_type",):
        return f"expected a list{got}"
    if t in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping{got}"
    if t == "string_type":
        return f"expected a string{got}"
    if t == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"] + got


def _first_error(e: ValidationError) -> ConfigError:
    errors = e.errors()
    # unknown keys first: the most likely cause of every other error at the same place
    errors.sort(key=lambda x: x["type"] != "extra_forbidden")
    err = errors[0]
    return ConfigError(_loc_path(err["loc"]), _message(err))


# ---------------------------------------------------------------------------- entry points
def config_from_dict(data: Any, source: str | None = None) -> SweepConfig:
    """Validate parsed YAML (a dict) into a SweepConfig; raises ConfigError (one line).

    The grid is expanded once here, so every combination error surfaces before any work.
    """
    if not isinstance(data, dict):
        kind = "empty file" if data is None else f"got {type(data).__name__}"
        raise ConfigError(source or "config", f"expected a mapping of keys ({kind})")
    try:
        spec = ConfigSpec.model_validate(data)
    except ValidationError as e:
        raise _first_error(e) from None
    cfg = dataclasses.replace(_normalize(spec), source=spec.model_dump(mode="json",
                                                                         exclude_none=True))
    from phasediag.grid import expand  # grid imports this module

    expand(cfg)
    return cfg


def load_config(path: str | Path) -> SweepConfig:
    """Read and validate a YAML sweep config file."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ConfigError(str(path), f"cannot read: {e.strerror or e}") from None
    return config_from_dict(parse_yaml(text, str(path)), str(path))


__all__ = [
    "COMPUTE", "INITS", "ConfigError", "GridAxes",
    "SweepConfig", "config_from_dict", "decimal_str", "expand_range", "load_config",
    "parse_yaml",
]
