"""Sweep configs: YAML → validated, frozen `SweepConfig`; every error names its key path.

Two stages. The pydantic models (extra="forbid") check the *shape*: known keys, types,
range specs (`grid.rho.stop: must be > start (1.0)`). `_normalize` then checks the
*values* (ρ > 0, β > 0, …) and expands every axis into a tuple of exact decimal strings,
so the numbers written to the CSV are the numbers computed (no 0.44999999999999996).
Combinations (β lists vs depth, noise with pr, …) are checked when the grid is expanded
(`phasediag.grid`), which `load_config` runs before returning. The schema is documented
in docs/sweeps.md (repository) and `phasediag sweep --template`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    create_model,
    field_validator,
)

from phasediag import computes
from phasediag.computes import ComputeKind
from phasediag.errors import ConfigError, ModelError
from phasediag.grid import GridAxes, Point, decimal_str, expand, expand_range
from phasediag.limits import LIMITS, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_POINTS
from phasediag.schema import Finite, Int, Strict, axis_kind, choice_axis, limited
from phasediag.se import INITS, SEOptions
from phasediag.se.engines import ENGINE_CHOICES
from phasediag.vocabulary import ACTIVATION_NAMES, ENSEMBLE_NAMES, PRIOR_NAMES, PROBLEM_NAMES

COMPUTE = computes.NAMES
FORMAT_VERSION = 3  # of the CSV/meta layout (3: the checksum column); part of the config hash


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


MAX_NODES = 1_000_000  # values of a parsed config, counting each alias use again


def _unique_keys(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    """A mapping whose keys are all different (YAML itself would keep the last silently)."""
    loader.flatten_mapping(node)
    out: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=deep)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)


def parse_yaml(text: str, source: str = "config") -> Any:
    """Safe YAML parse (no object construction) with a one-line error; the result is
    nested at most MAX_CONFIG_DEPTH deep and has at most MAX_NODES values (YAML aliases
    counted at every use, so an alias bomb is refused, not expanded)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(source, f"invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise ConfigError(source, f"nested more than {MAX_CONFIG_DEPTH} levels deep") from None
    _check_shape(data, source)
    return data


def _check_shape(data: Any, source: str) -> None:
    """ConfigError when `data` nests deeper than MAX_CONFIG_DEPTH or has over MAX_NODES
    values (an iterative walk: no recursion limit, bounded work)."""
    stack, seen = [(data, 1)], 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise ConfigError(source, f"more than {MAX_NODES} values (YAML aliases count at "
                                      "every use)")
        if depth > MAX_CONFIG_DEPTH:
            raise ConfigError(source, f"nested more than {MAX_CONFIG_DEPTH} levels deep")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
            stack.extend((k, depth + 1) for k in node)
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def read_config_text(path: str | Path) -> str:
    """The text of a config file: at most MAX_CONFIG_BYTES, strict UTF-8, no NUL bytes
    (a device such as /dev/zero or a binary file is refused after a bounded read)."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as e:
        raise ConfigError(str(path), f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(str(path), f"larger than {MAX_CONFIG_BYTES} bytes: not a config")
    if b"\0" in raw:
        raise ConfigError(str(path), f"binary data (a NUL byte at offset {raw.index(0)}): "
                                     "not a YAML config")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(str(path), f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset "
                                     f"{e.start})") from None


# ---------------------------------------------------------------------------- shape
_Strict = Strict
_kind = axis_kind


class RangeSpec(_Strict):
    """`num` values from `start` to `stop` (both included), evenly or log-spaced."""

    start: Finite
    stop: Finite
    num: Int = Field(ge=1, le=MAX_POINTS)
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
    | Annotated[list[Int], Field(min_length=1), Tag("@list")],
    Discriminator(_kind),
]
Act = Literal[ACTIVATION_NAMES]
ProblemAxis = choice_axis(PROBLEM_NAMES)
PriorAxis = choice_axis(PRIOR_NAMES)
ActAxis = Annotated[
    Annotated[list[Act], Field(min_length=1), Tag("@one")]
    | Annotated[list[Annotated[list[Act], Field(min_length=1)]], Tag("@lists")],
    Discriminator(_nested_kind),
]
class EnsembleMapping(_Strict):
    """An ensemble with parameters: {name: geometric, kappa: 10} (kappa may be a list: one
    ensemble per value), {name: empirical, file: values.npy}."""

    name: Literal[ENSEMBLE_NAMES]
    kappa: limited("kappa") | list[limited("kappa")] | None = None
    file: str | None = None


EnsembleItem = Annotated[
    Annotated[str, Tag("@value")] | Annotated[EnsembleMapping, Tag("@range")],
    Discriminator(_kind),
]
EnsembleAxis = Annotated[
    Annotated[str, Tag("@value")] | Annotated[EnsembleMapping, Tag("@range")]
    | Annotated[list[EnsembleItem], Field(min_length=1), Tag("@list")],
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
    ensemble_a: EnsembleAxis | None = None  # the sensing matrix A (default gaussian)
    ensemble_w: EnsembleAxis | None = None  # every weight matrix W_l (default gaussian)


class SESpec(_Strict):
    """Overrides of `phasediag.se.SEOptions` (unset fields keep the package defaults)."""

    max_iter: Int | None = Field(None, ge=1, le=LIMITS["max_iter"].hi)
    tol_fp: limited("tol_fp") | None = None
    tol_perfect: limited("se_fraction") | None = None
    tol_uninf: limited("se_fraction") | None = None
    eps_uninformed: limited("se_fraction") | None = None
    eps_informed: limited("se_fraction") | None = None
    tol_perfect_informed: limited("se_fraction") | None = None
    v_extrap: limited("v_extrap") | None = None
    engine: Literal[ENGINE_CHOICES] | None = None  # auto | amp | vamp


def _grid_kind(v: Any) -> str:
    return "@list" if isinstance(v, (list, tuple)) else "@one"


class ConfigSpec(_Strict):
    """The keys every sweep config has; each compute kind adds its own (`config_fields`)."""

    compute: Literal[computes.NAMES]
    name: str | None = None
    description: str | None = None
    grid: Annotated[
        Annotated[GridSpec, Tag("@one")]
        | Annotated[list[GridSpec], Field(min_length=1), Tag("@list")],
        Discriminator(_grid_kind),
    ]
    se: SESpec = SESpec()


def _kind_spec(kind: ComputeKind) -> type[ConfigSpec]:
    """The config model of one compute kind: the common keys plus the kind's own."""
    if kind.name not in _SPECS:
        _SPECS[kind.name] = create_model(f"{kind.name.capitalize()}ConfigSpec",
                                         __base__=ConfigSpec, **kind.config_fields)
    return _SPECS[kind.name]


_SPECS: dict[str, type[ConfigSpec]] = {}


# ---------------------------------------------------------------------------- values
@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep: what to compute (a registered kind), the grids, its settings."""

    compute: str  # a name of phasediag.computes.KINDS
    grids: tuple[GridAxes, ...]
    settings: Any  # the kind's frozen settings dataclass (SE options included)
    name: str | None = None
    description: str | None = None
    source: dict | None = dataclasses.field(default=None, compare=False)  # as parsed

    @property
    def kind(self) -> ComputeKind:
        return computes.get(self.compute)

    @property
    def se(self) -> SEOptions:
        return self.settings.se

    @property
    def tol(self) -> float | None:
        """Threshold bracket width (kinds without one: None)."""
        return getattr(self.settings, "tol", None)

    @property
    def init(self) -> tuple[str, ...] | None:
        """The starts of the points (kinds without an init axis: None)."""
        return getattr(self.settings, "init", None)

    @property
    def columns(self) -> tuple[str, ...]:
        return computes.columns(self.compute)

    def points(self) -> list[Point]:
        """Every point of the sweep, in index order."""
        return expand(self)

    def settings_dict(self) -> dict:
        """The kind's settings as JSON-ready data (meta file, hash)."""
        return _jsonable(dataclasses.asdict(self.settings))

    def to_dict(self) -> dict:
        """Normalized config (expanded axes, options filled in) as JSON-ready data."""
        return {
            "format": FORMAT_VERSION,
            "compute": self.compute,
            "name": self.name,
            "settings": self.settings_dict(),
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


def _check(path: str, value: str, name: str) -> str:
    """value (a decimal string) if it is in LIMITS[name], else a ConfigError at path."""
    try:
        LIMITS[name].check(path, float(value))
    except ModelError as e:
        raise ConfigError(path, f"{e.message.split(', got')[0]} (got {value})") from None
    return value


def _num_axis(raw: Any, path: str, name: str) -> tuple[str, ...]:
    """Expand a number axis (value, range spec or list of both), each value in LIMITS[name]."""
    items = raw if isinstance(raw, list) else [raw]
    single = not isinstance(raw, list)
    n = sum(item.num if isinstance(item, RangeSpec) else 1 for item in items)
    if n > MAX_POINTS:  # before expanding anything
        raise ConfigError(path, f"{n} values: more than {MAX_POINTS}; split the sweep")
    out: list[str] = []
    for i, item in enumerate(items):
        p = path if single else f"{path}[{i}]"
        if isinstance(item, RangeSpec):
            _check(f"{p}.start", decimal_str(item.start), name)
            _check(f"{p}.stop", decimal_str(item.stop), name)
            out.extend(expand_range(item))
        else:
            out.append(_check(p, decimal_str(item), name))
    return _unique(out)


def _beta_axis(raw: Any, path: str) -> tuple[tuple[str | tuple[str, ...], ...], tuple[str, ...]]:
    """(values, key path of each value): a decimal string or an explicit per-layer tuple."""
    items = raw if isinstance(raw, list) else [raw]
    single = not isinstance(raw, list)
    out: dict[str | tuple[str, ...], str] = {}
    for i, item in enumerate(items):
        p = path if single else f"{path}[{i}]"
        if isinstance(item, list):
            vec = tuple(_check(f"{p}[{j}]", decimal_str(b), "beta")
                        for j, b in enumerate(item))
            out.setdefault(vec, p)
        else:
            for v in _num_axis(item, p, "beta"):
                out.setdefault(v, p)
    return tuple(out), tuple(out.values())


def _ensemble_axis(raw: Any, path: str) -> tuple[str, ...]:
    """Ensemble texts (`spectra.parse`: "orthogonal", "geometric:10", "empirical:FILE") of
    an axis: a text, a mapping (kappa lists expand), or a list of both; each one parsed."""
    from phasediag.spectra import parse

    if raw is None:
        return ("gaussian",)
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for i, item in enumerate(items):
        p = path if not isinstance(raw, list) else f"{path}[{i}]"
        if isinstance(item, EnsembleMapping):
            if item.file is not None:
                texts = [f"{item.name}:{item.file}"]
            elif item.kappa is not None:
                ks = item.kappa if isinstance(item.kappa, list) else [item.kappa]
                texts = [f"{item.name}:{decimal_str(k)}" for k in ks]
            else:
                texts = [item.name]
        else:
            texts = [item]
        for t in texts:
            try:
                parse(t, field=p)
            except ModelError as e:
                raise ConfigError(p, e.message) from None
            out.append(t)
    return _unique(out)


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
        rho=_num_axis(g.rho, f"{path}.rho", "rho"),
        depth=depth,
        beta=beta,
        activations=acts,
        noise=_num_axis(g.noise, f"{path}.noise", "noise"),
        alpha=None if g.alpha is None else _num_axis(g.alpha, f"{path}.alpha", "alpha"),
        path=path,
        beta_paths=beta_paths,
        ensemble_a=_ensemble_axis(g.ensemble_a, f"{path}.ensemble_a"),
        ensemble_w=_ensemble_axis(g.ensemble_w, f"{path}.ensemble_w"),
    )


def _kinds_with(pred: Any) -> str:
    return " or ".join(k.name for k in computes.KINDS.values() if pred(k))


def _normalize(spec: ConfigSpec, kind: ComputeKind) -> SweepConfig:
    grids = spec.grid if isinstance(spec.grid, list) else [spec.grid]
    single = not isinstance(spec.grid, list)
    axes = []
    for i, g in enumerate(grids):
        path = "grid" if single else f"grid[{i}]"
        if kind.alpha == "required" and g.alpha is None:
            raise ConfigError(f"{path}.alpha", f"required with compute: {kind.name} "
                                               "(the α values)")
        if kind.alpha == "forbidden" and g.alpha is not None:
            users = _kinds_with(lambda k: k.alpha == "required")
            raise ConfigError(f"{path}.alpha", f"only used with compute: {users} "
                                               f"({kind.name} search α themselves)")
        axes.append(_grid_axes(g, path))
    given = {k: v for k, v in spec.se.model_dump().items() if v is not None}
    se = SEOptions(**given)
    return SweepConfig(
        compute=kind.name,
        grids=tuple(axes),
        settings=kind.settings(spec, se),
        name=spec.name,
        description=spec.description,
    )


def _foreign_keys(data: dict, kind: ComputeKind) -> None:
    """A key of another compute kind gets a message that says which kind uses it."""
    for key in data:
        if key in ConfigSpec.model_fields or key in kind.config_fields:
            continue
        users = _kinds_with(lambda k, key=key: key in k.config_fields)
        if users:
            hint = " (see se: for SE tolerances)" if key == "tol" else ""
            raise ConfigError(_escape(str(key)), f"only used with compute: {users}{hint}")


def _escape(text: str) -> str:
    """One printable line: control characters and escapes shown as Python escapes."""
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


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


def _allowed(parent: str, kind_fields: dict) -> tuple[str, ...]:
    """The keys allowed in the mapping `parent` ("" = top level) of a config."""
    if parent == "":
        return _FIELDS[""] + tuple(kind_fields)
    if parent in kind_fields:
        model = kind_fields[parent][0]
        if isinstance(model, type) and issubclass(model, BaseModel):
            return tuple(model.model_fields)
    return _FIELDS.get(parent, _FIELDS["range"])  # any other mapping is a range spec


def _message(err: dict, kind_fields: dict) -> str:
    """One readable phrase for a pydantic error (what the key expects, what it got)."""
    t, ctx, inp = err["type"], err.get("ctx") or {}, err.get("input")
    got = f" (got {inp!r})" if not isinstance(inp, (dict, list)) else ""
    if t == "extra_forbidden":
        names = [p for p in err["loc"][:-1] if isinstance(p, str) and not p.startswith("@")]
        parent = names[-1] if names else ""
        allowed = _allowed(parent, kind_fields)
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


def _first_error(e: ValidationError, kind_fields: dict) -> ConfigError:
    errors = e.errors()
    # unknown keys first: the most likely cause of every other error at the same place
    errors.sort(key=lambda x: x["type"] != "extra_forbidden")
    err = errors[0]
    return ConfigError(_escape(_loc_path(err["loc"])), _message(err, kind_fields))


# ---------------------------------------------------------------------------- entry points
def config_from_dict(data: Any, source: str | None = None) -> SweepConfig:
    """Validate parsed YAML (a dict) into a SweepConfig; raises ConfigError (one line).

    The grid is expanded once here, so every combination error surfaces before any work.
    """
    if not isinstance(data, dict):
        kind = "empty file" if data is None else f"got {type(data).__name__}"
        raise ConfigError(source or "config", f"expected a mapping of keys ({kind})")
    name = data.get("compute")
    if isinstance(name, str) and name in computes.KINDS:
        kind = computes.get(name)
        _foreign_keys(data, kind)
        model = _kind_spec(kind)
    else:
        model = ConfigSpec  # reports the missing or unknown compute (and other shape errors)
    try:
        spec = model.model_validate(data)
    except ValidationError as e:
        raise _first_error(e, kind.config_fields if model is not ConfigSpec else {}) from None
    cfg = dataclasses.replace(_normalize(spec, kind), source=spec.model_dump(mode="json",
                                                                             exclude_none=True))
    cfg.kind.check_points(cfg.points(), cfg.settings)  # every error before any work
    return cfg


def load_config(path: str | Path) -> SweepConfig:
    """Read and validate a YAML sweep config file."""
    return config_from_dict(parse_yaml(read_config_text(path), str(path)), str(path))


__all__ = [
    "COMPUTE", "INITS", "ConfigError", "GridAxes",
    "SweepConfig", "config_from_dict", "decimal_str", "expand_range", "load_config",
    "parse_yaml",
]
