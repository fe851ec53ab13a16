"""Hostile inputs, generated (hypothesis): every bad CLI value and every bad config gets the
same contract — exit status 2, one escaped line naming the option or key path, nothing on
stdout, nothing written (no CSV, meta, lock or temporary file), in bounded time.

The default suite runs a few hundred cases; `make test-slow` runs thousands (the `slow`
copies of the same properties)."""

from __future__ import annotations

import contextlib
import io
import math
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from phasediag.cli import main
from phasediag.errors import ModelError
from phasediag.limits import LIMITS

FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=1500, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def run(args: list[str], where: Path) -> tuple[int, str, str]:
    """The CLI in-process, in directory `where`: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(where)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def assert_refused(args: list[str], where: Path, names: tuple[str, ...] = ()) -> str:
    """The contract; returns the error line."""
    before = set(where.rglob("*"))
    code, out, err = run(args, where)
    lines = err.strip().splitlines()
    assert code == 2, (args, code, out, err)
    assert len(lines) == 1 and lines[0].startswith("phasediag: error: "), (args, err)
    assert "Traceback" not in err and all(c.isprintable() for c in lines[0]), (args, err)
    assert out == "", (args, out)
    assert set(where.rglob("*")) == before, (args, set(where.rglob("*")) - before)
    if names:
        assert any(n in lines[0] for n in names), (args, lines[0])
    return lines[0]


# ---------------------------------------------------------------------------- values
def _valid(name: str, text: str) -> bool:
    lim = LIMITS[name]
    try:
        x = int(text) if lim.integer and text.strip().lstrip("+-").isdigit() else float(text)
        lim.check(name, x)
        return True
    except (ValueError, ModelError, OverflowError):
        return False


NUMBER_TEXT = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "+inf", "1e400", "-1e400", "1e-320", "-0",
                     "0", "-1", "1e30", "10" * 20, "", " ", "yes", "true", "0x10", "1_000",
                     "abc", "1e", "--1", "\x1b[31m", "\t", "1,5", "½"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
)

# (command, option, limit name, the other arguments of a valid call)
MODEL = ["--problem", "pr", "--prior", "linear"]
OPTIONS = [
    ("thresholds", "--rho", "rho", MODEL),
    ("thresholds", "--beta", "beta", MODEL + ["--depth", "2"]),
    ("thresholds", "--depth", "depth", MODEL),
    ("thresholds", "--noise", "noise", ["--problem", "cs", "--prior", "linear"]),
    ("thresholds", "--tol", "tol", MODEL),
    ("se", "--alpha", "alpha", MODEL),
    ("se", "--max-iter", "max_iter", MODEL + ["--alpha", "0.5"]),
    ("amp", "--alpha", "alpha", MODEL + ["--d", "50", "--samples", "1"]),
    ("amp", "--d", "d", MODEL + ["--alpha", "0.5", "--samples", "1"]),
    ("amp", "--samples", "samples", MODEL + ["--alpha", "0.5", "--d", "50"]),
    ("amp", "--seed", "seed", MODEL + ["--alpha", "0.5", "--d", "50", "--samples", "1"]),
    ("amp", "--max-iter", "amp_max_iter", MODEL + ["--alpha", "0.5", "--d", "50"]),
    ("amp", "--damping", "damping", MODEL + ["--alpha", "0.5", "--d", "50"]),
    ("amp", "--init-overlap", "init_overlap", MODEL + ["--alpha", "0.5", "--d", "50"]),
]


def _cli_value(tmp: Path, case: int, value: str) -> None:
    command, option, name, rest = OPTIONS[case]
    assume(not _valid(name, value))
    assert_refused([command, *rest, option, value], tmp, (option,))


@FAST
@given(case=st.integers(0, len(OPTIONS) - 1), value=NUMBER_TEXT)
def test_bad_cli_values(tmp_path_factory, case, value):
    _cli_value(tmp_path_factory.mktemp("cli"), case, value)


@pytest.mark.slow
@MANY
@given(case=st.integers(0, len(OPTIONS) - 1), value=NUMBER_TEXT)
def test_bad_cli_values_many(tmp_path_factory, case, value):
    _cli_value(tmp_path_factory.mktemp("cli"), case, value)


@FAST
@given(log_rho=st.floats(-8, -6.5), log_excess=st.floats(0.01, 0.4))
def test_derived_ratio_out_of_range(tmp_path_factory, log_rho, log_excess):
    """ρ and β each valid, β_L = 1/(ρ β) beyond 1e12: refused, naming β_L."""
    rho = 10.0 ** log_rho
    beta = 10.0 ** (-12 - log_rho - log_excess)  # 1/(ρ β) = 10^(12 + excess)
    assume(LIMITS["beta"].lo <= beta)
    assert_refused(["se", *MODEL, "--depth", "2", "--rho", repr(rho), "--beta", repr(beta),
                    "--alpha", "0.5"], tmp_path_factory.mktemp("d"), ("β_L",))


@FAST
@given(scheduler=st.sampled_from(["garbage", "", "tcp://", "tcp://:", "http://x y",
                                  "tcp://256.1.1.1:1"]),
       workers=st.sampled_from(["0", "-1", "1e25", "nan", "2000"]))
def test_bad_sweep_options(tmp_path_factory, scheduler, workers):
    tmp = tmp_path_factory.mktemp("s")
    cfg = tmp / "c.yaml"
    cfg.write_text(yaml.safe_dump(BASE))
    assert_refused(["sweep", str(cfg), "--out", "o.csv", "--workers", workers], tmp,
                   ("--workers",))
    for out in ("o.json", "o", "/proc/o.csv", "c.yaml/o.csv"):
        assert_refused(["sweep", str(cfg), "--out", out], tmp, ("--out",))


# ---------------------------------------------------------------------------- configs
BASE = {"compute": "thresholds", "tol": 0.01,
        "grid": {"problem": "pr", "prior": "linear", "rho": 2}}

BAD_NUMBERS = st.one_of(
    st.booleans(), st.text(max_size=8),  # (null means "the default": not bad)
    st.sampled_from([math.nan, math.inf, -math.inf, -1, 0, 1e300, -1e-300, 1e-320]),
    st.lists(st.booleans(), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)

# (key path, a strategy of bad values there, the path the message must name)
NUMERIC_KEYS = [
    (("tol",), BAD_NUMBERS, "tol"),
    (("grid", "rho"), BAD_NUMBERS, "grid.rho"),
    (("grid", "noise"), BAD_NUMBERS, "grid"),
    (("se", "max_iter"), st.one_of(BAD_NUMBERS, st.sampled_from([1e30, 2.5, 10**12])),
     "se.max_iter"),
    (("se", "tol_fp"), BAD_NUMBERS, "se.tol_fp"),
    (("grid", "rho", "num"), st.one_of(BAD_NUMBERS, st.sampled_from([10**9, 2.5e6])),
     "grid.rho"),
]


def _set(data: dict, path: tuple[str, ...], value) -> dict:
    data = yaml.safe_load(yaml.safe_dump(data))  # a deep copy
    node = data
    for k in path[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {"start": 0.5, "stop": 2, "num": 3} if k == "rho" else {}
        node = node[k]
    node[path[-1]] = value
    return data


def _config_contract(tmp: Path, text: str | bytes, names: tuple[str, ...] = ()) -> str:
    cfg = tmp / "c.yaml"
    if isinstance(text, bytes):
        cfg.write_bytes(text)
    else:
        cfg.write_text(text, encoding="utf-8")
    return assert_refused(["sweep", "c.yaml", "--out", "out/o.csv"], tmp, names)


def _bad_key_value(tmp: Path, case: int, value) -> None:
    path, _, name = NUMERIC_KEYS[case]
    if path == ("grid", "noise") and isinstance(value, (int, float)) and not isinstance(
            value, bool) and 0 <= value <= 1e6:
        assume(False)  # a valid noise (pr then refuses noise > 0, which is also fine)
    text = yaml.safe_dump(_set(BASE, path, value), allow_unicode=True)
    _config_contract(tmp, text, (name,))


@FAST
@given(data=st.data())
def test_bad_config_values(tmp_path_factory, data):
    case = data.draw(st.integers(0, len(NUMERIC_KEYS) - 1))
    value = data.draw(NUMERIC_KEYS[case][1])
    _bad_key_value(tmp_path_factory.mktemp("c"), case, value)


@pytest.mark.slow
@MANY
@given(data=st.data())
def test_bad_config_values_many(tmp_path_factory, data):
    case = data.draw(st.integers(0, len(NUMERIC_KEYS) - 1))
    value = data.draw(NUMERIC_KEYS[case][1])
    _bad_key_value(tmp_path_factory.mktemp("c"), case, value)


KEY_TEXT = st.text(min_size=1, max_size=12).filter(lambda k: k.strip() != "")


@FAST
@given(where=st.sampled_from([(), ("grid",), ("se",)]), key=KEY_TEXT)
def test_unknown_keys_are_refused_and_escaped(tmp_path_factory, where, key):
    allowed = {(): {"compute", "name", "description", "grid", "se", "tol", "init", "amp"},
               ("grid",): {"problem", "problems", "prior", "priors", "rho", "depth", "depths",
                           "beta", "betas", "noise", "alpha", "activations"},
               ("se",): {"max_iter", "tol_fp", "tol_perfect", "tol_uninf", "eps_uninformed",
                         "eps_informed", "tol_perfect_informed", "v_extrap", "engine"}}[where]
    assume(key not in allowed)
    data = yaml.safe_load(yaml.safe_dump(BASE))
    node = data
    for k in where:
        node = node.setdefault(k, {})
    node[key] = 1
    _config_contract(tmp_path_factory.mktemp("k"), yaml.safe_dump(data, allow_unicode=True))


@FAST
@given(junk=st.binary(min_size=1, max_size=400))
def test_junk_bytes(tmp_path_factory, junk):
    try:
        parsed = yaml.safe_load(junk.decode("utf-8"))
        assume(not isinstance(parsed, dict))  # a junk mapping is covered by the key tests
    except (UnicodeDecodeError, yaml.YAMLError, ValueError):
        pass
    _config_contract(tmp_path_factory.mktemp("j"), junk)


@pytest.mark.parametrize("text", [
    "a: " + "[" * 50_000 + "]" * 50_000,                      # deep nesting
    "a: " + "{b: " * 40 + "1" + "}" * 40,                     # past the depth bound
    "compute: thresholds\ncompute: mse\n",                   # duplicate keys
    'compute: thresholds\n"\\e[2J\\e[31m": 1\n',              # escape sequences in a key
    "x: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(                # an alias bomb
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
    "compute: thresholds\ngrid:\n  problem: pr\n  prior: linear\n  rho: {start: 0.1, stop: 2,"
    " num: 1000000000}\n",                                   # a grid too large to build
    "compute: thresholds\ngrid:\n" + "".join(                 # too many points in all
        "  - {problem: pr, prior: linear, rho: {start: 0.1, stop: 2, num: 1500000}}\n"
        for _ in range(4)),
])
def test_shapes_that_must_be_refused(tmp_path, text):
    line = _config_contract(tmp_path, text)
    assert "\x1b" not in line


def test_device_and_binary_files(tmp_path):
    for dev in ("/dev/zero", "/dev/urandom"):
        if os.path.exists(dev):
            assert "not a config" in assert_refused(["sweep", dev, "--out", "o.csv"], tmp_path)
    (tmp_path / "latin1.yaml").write_bytes("compute: thresholds # é\n".encode("latin-1"))
    assert "UTF-8" in assert_refused(["sweep", "latin1.yaml", "--out", "o.csv"], tmp_path)
