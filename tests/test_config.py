"""Sweep configs (issue 4): schema, exact decimal grids, one-line errors naming the key path."""

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from phasediag.cli import main
from phasediag.config import (
    ConfigError,
    SESpec,
    config_from_dict,
    decimal_str,
    load_config,
    parse_yaml,
)
from phasediag.grid import expand
from phasediag.model import ModelError
from phasediag.se import SEOptions

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def cfg(text: str):
    return config_from_dict(parse_yaml(text))


def error(text: str) -> str:
    with pytest.raises(ConfigError) as exc:
        cfg(text)
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


BASE = "compute: thresholds\ngrid:\n  problem: pr\n  prior: linear\n"


# ---------------------------------------------------------------------------- valid configs
@pytest.mark.parametrize("name", ["thresholds", "mse", "amp"])
def test_template_configs_load(name, tmp_path):
    from phasediag.templates import template

    path = tmp_path / f"{name}.yaml"
    path.write_text(template(name))
    c = load_config(path)
    assert c.compute == name
    points = expand(c)
    assert points and [p.index for p in points] == list(range(len(points)))
    assert all(p.model() is not None for p in points)


def test_scientific_notation_is_a_float():
    c = cfg(BASE + "tol: 1e-8\nse:\n  tol_fp: 1E-9\n  max_iter: 1e5\n")
    assert c.tol == 1e-8 and c.se.tol_fp == 1e-9 and c.se.max_iter == 100000


def test_linspace_values_are_exact_decimals():
    c = cfg(BASE + "  rho: {start: 0.05, stop: 0.95, num: 19}\n")
    rhos = [p.rho for p in expand(c)]
    assert len(rhos) == 19 and rhos[0] == "0.05" and rhos[-1] == "0.95"
    assert "0.45" in rhos and all(Decimal(r) == Decimal(r).normalize() for r in rhos)


def test_logspace_endpoints_exact_and_monotone():
    c = cfg(BASE + "  rho: {start: 0.05, stop: 2, num: 40, spacing: log}\n")
    rhos = [p.rho for p in expand(c)]
    assert rhos[0] == "0.05" and rhos[-1] == "2" and len(rhos) == 40
    vals = [float(r) for r in rhos]
    assert vals == sorted(vals)
    assert vals[20] == pytest.approx(0.05 * 40 ** (20 / 39), rel=1e-11)


@pytest.mark.parametrize("x, s", [(0.1, "0.1"), (2.0, "2"), (1e-8, "1e-8"),
                                  (0.44999999999999996, "0.45"), (1 / 3, "0.333333333333"),
                                  (150.0, "150"), (0, "0")])
def test_decimal_str(x, s):
    assert decimal_str(x) == s


def test_relu_depth_figure_grid():
    """'relu, depths 1..4, β_l = 3, 40 log-spaced ρ in [0.05, 2]', CS and PR."""
    c = cfg("compute: thresholds\ngrid:\n  problem: [cs, pr]\n  prior: relu\n"
            "  depth: [1, 2, 3, 4]\n  beta: 3\n"
            "  rho: {start: 0.05, stop: 2, num: 40, spacing: log}\n")
    points = expand(c)
    assert len(points) == 2 * 4 * 40
    by_depth = {p.depth: p.betas for p in points}
    assert by_depth == {1: (), 2: ("3",), 3: ("3", "3"), 4: ("3", "3", "3")}
    assert [p.rho for p in points[:2]] == ["0.05", points[1].rho] and points[0].problem == "cs"


def test_beta_axis_and_explicit_vectors():
    c = cfg(BASE + "  depth: 2\n  beta: [0.5, 1, {start: 2, stop: 4, num: 2}]\n")
    assert [p.betas for p in expand(c)] == [("0.5",), ("1",), ("2",), ("4",)]
    c = cfg(BASE + "  depth: 3\n  beta: [[2, 3], [1, 1]]\n")
    assert [p.betas for p in expand(c)] == [("2", "3"), ("1", "1")]


def test_collapsed_axes_and_dedupe():
    # depth 1 has no β: the β axis collapses instead of repeating rows
    c = cfg(BASE + "  depth: [1, 2]\n  beta: [2, 3]\n  rho: [1, 1.0, 2]\n")
    assert [(p.depth, p.betas, p.rho) for p in expand(c)] == [
        (1, (), "1"), (1, (), "2"), (2, ("2",), "1"), (2, ("2",), "2"),
        (2, ("3",), "1"), (2, ("3",), "2")]
    # separable priors: depth 0 by default, next to a generative one
    c = cfg("compute: thresholds\ngrid:\n  problem: cs\n  prior: [linear, gauss-bernoulli]\n"
            "  rho: [0.5]\n")
    assert [(p.prior, p.depth) for p in expand(c)] == [("linear", 1), ("gauss-bernoulli", 0)]


def test_grid_list_is_a_union_in_order():
    c = cfg("compute: thresholds\ngrid:\n"
            "  - {problem: pr, prior: linear, rho: [1, 2]}\n"
            "  - {problem: pr, prior: gauss-bernoulli, rho: [0.5, 1]}\n"
            "  - {problem: pr, prior: linear, rho: [2, 3]}\n")
    assert [(p.prior, p.rho) for p in expand(c)] == [
        ("linear", "1"), ("linear", "2"), ("gauss-bernoulli", "0.5"), ("gauss-bernoulli", "1"),
        ("linear", "3")]


def test_mse_alpha_innermost_and_inits():
    c = cfg("compute: mse\ninit: [uninformed, informed]\ngrid:\n  problem: pr\n"
            "  prior: linear\n  rho: [1, 2]\n  alpha: {start: 0.5, stop: 1.5, num: 3}\n")
    pts = expand(c)
    assert [(p.rho, p.init, p.alpha) for p in pts[:4]] == [
        ("1", "uninformed", "0.5"), ("1", "uninformed", "1"), ("1", "uninformed", "1.5"),
        ("1", "informed", "0.5")]
    assert len(pts) == 12


def test_activations_per_layer():
    c = cfg(BASE.replace("linear", "relu") + "  depth: 2\n  activations: [linear, relu]\n")
    (p,) = expand(c)
    assert p.model().layer_activations == ("linear", "relu")


def test_se_options_mirror_seoptions():
    assert set(SESpec.model_fields) == {f.name for f in dataclasses.fields(SEOptions)}
    c = cfg(BASE + "se: {max_iter: 5000, eps_informed: 1e-12}\n")
    assert c.se == dataclasses.replace(SEOptions(), max_iter=5000, eps_informed=1e-12)


def test_hash_ignores_form_and_name_but_not_values():
    a = cfg(BASE + "  rho: [0.5, 1]\n")
    b = cfg("name: other\ncompute: thresholds\ntol: 0.0001\ngrid: {problem: [pr], "
            "prior: linear, rho: {start: 0.5, stop: 1, num: 2}, noise: 0}\n")
    c = cfg(BASE + "  rho: [0.5, 1]\ntol: 1e-3\n")
    assert a.hash() == b.hash() != c.hash()


# ---------------------------------------------------------------------------- errors
ERRORS = [
    (BASE + "colour: red\n", "colour: unknown key; expected one of: compute,"),
    (BASE + "  rhoo: 1\n", "grid.rhoo: unknown key; expected one of: problem, prior, rho"),
    (BASE + "  rho: {start: 1, stop: 2, n: 3}\n", "grid.rho.n: unknown key; expected one of: "
                                                  "start, stop, num, spacing"),
    (BASE + "  rho: abc\n", "grid.rho: expected a finite number (got 'abc')"),
    (BASE + "  rho: 0\n", "grid.rho: expected a finite number in [1e-08, 1e+08] (got 0)"),
    (BASE + "  rho: [1, -2]\n", "grid.rho[1]: expected a finite number in [1e-08, 1e+08] (got -2)"),
    (BASE + "  rho: {start: 1.0, stop: 0.5, num: 3}\n", "grid.rho.stop: must be > start (1.0)"),
    (BASE + "  rho: {start: 1, stop: 2, num: 0}\n", "grid.rho.num: must be ≥ 1 (got 0)"),
    (BASE + "  rho: {start: -1, stop: 2, num: 4}\n",
     "grid.rho.start: expected a finite number in [1e-08, 1e+08] (got -1)"),
    (BASE + "  rho: {start: 0, stop: 2, num: 4, spacing: log}\n",
     "grid.rho.spacing: log spacing needs start > 0"),
    (BASE + "  rho: []\n", "grid.rho: must not be empty"),
    (BASE + "  depth: 2\n  beta: -3\n",
     "grid.beta: expected a finite number in [1e-06, 1e+06] (got -3)"),
    (BASE + "  depth: -1\n", "grid.depth: must be ≥ 0 (got -1)"),
    (BASE + "  depth: 1.5\n", "grid.depth: expected an integer"),
    (BASE + "tol: 0\n", "tol: must be ≥ 1e-12 (got 0)"),
    ("compute: thresholds\ngrid:\n  problem: [pr, xx]\n  prior: linear\n",
     "grid.problem[1]: expected 'cs' or 'pr' (got 'xx')"),
    (BASE + "  problem: cs\n", "config: invalid YAML at line 5, column 3: duplicate key "
                               "'problem'"),
    (BASE + "  depth: 3\n  beta: [[2]]\n", "grid.beta[0]: expected depth − 1 = 2 values"),
    (BASE + "  depth: [2, 3]\n  beta: [[2]]\n", "grid.beta[0]: expected depth − 1 = 2 values"),
    (BASE.replace("linear", "gauss-bernoulli") + "  depth: 2\n", "grid.depth: prior "
                                                                 "gauss-bernoulli is separable"),
    (BASE.replace("linear", "gauss-bernoulli") + "  rho: 2\n", "grid.rho: for gauss-bernoulli"),
    (BASE.replace("linear", "gaussian") + "  beta: 2\n", "grid.beta: unused"),
    (BASE + "  noise: 0.1\n", "grid.noise: noise > 0 is implemented for problem cs only"),
    (BASE + "  noise: -0.1\n", "grid.noise: expected a finite number in [0, 1e+06] (got -0.1)"),
    (BASE + "  rho: yes\n", "grid.rho"),  # YAML's yes is a bool, not ρ = 1
    (BASE + "  rho: 1e-320\n",
     "grid.rho: expected a finite number in [1e-08, 1e+08] (got 1e-320)"),
    (BASE + "  rho: {start: 0.1, stop: 2, num: true}\n", "grid.rho.num"),
    (BASE + "  rho: {start: 0.1, stop: 2, num: 1e9}\n", "grid.rho.num: must be ≤ 2000000"),
    (BASE + "se:\n  max_iter: true\n", "se.max_iter"),
    (BASE + "se:\n  max_iter: 1e30\n", "se.max_iter"),
    (BASE + "tol: 1e300\n", "tol: must be ≤ 0.1"),
    (BASE + '  rho: "2"\n', "grid.rho"),
    (BASE + "  depth: 2\n  activations: [relu]\n", "grid.activations: expected one σ per layer"),
    (BASE + "  activations: [tanh]\n", "grid.activations[0]: expected 'linear' or 'relu'"),
    (BASE + "  alpha: 1\n", "grid.alpha: only used with compute: mse"),
    (BASE + "init: informed\n", "init: only used with compute: mse"),
    (BASE.replace("thresholds", "mse"), "grid.alpha: required with compute: mse"),
    (BASE.replace("thresholds", "mse") + "  alpha: 1\ntol: 1e-3\n", "tol: only used with"),
    (BASE.replace("thresholds", "mse") + "  alpha: 1\ninit: both\n", "init: expected "
                                                                   "'uninformed' or 'informed'"),
    (BASE + "se: {maxiter: 3}\n", "se.maxiter: unknown key; expected one of: max_iter,"),
    (BASE + "se: {max_iter: 0}\n", "se.max_iter: must be ≥ 1 (got 0)"),
    (BASE + "se: {tol_fp: .nan}\n", "se.tol_fp: expected a finite number"),
    ("grid: {problem: pr, prior: linear}\n", "compute: required key is missing"),
    ("compute: sweep\n" + BASE[20:],
     "compute: expected 'thresholds', 'mse' or 'amp' (got 'sweep')"),
    ("compute: thresholds\ngrid:\n  - {problem: pr, prior: linear}\n"
     "  - {problem: pr, prior: linear, rho: {start: 1.0, stop: 1.0, num: 2}}\n",
     "grid[1].rho.stop: must be > start (1.0)"),
    ("compute: thresholds\ngrid: []\n", "grid: must not be empty"),
    ("- 1\n- 2\n", "config: expected a mapping of keys"),
    ("", "config: expected a mapping of keys (empty file)"),
    ("compute: [thresholds\n", "config: invalid YAML at line"),
]


@pytest.mark.parametrize("text, expected", ERRORS)
def test_config_errors_name_the_key_path(text, expected):
    msg = error(text)
    assert msg.startswith(expected), msg


def test_config_error_is_a_model_error():
    assert issubclass(ConfigError, ModelError)


def test_cli_bad_config_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE + "  rho: {start: 1.0, stop: 0.5, num: 3}\n")
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exc:
        main(["sweep", str(bad), "--out", str(out)])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err == "phasediag: error: grid.rho.stop: must be > start (1.0)\n"
    assert not out.exists() and not (tmp_path / "out.csv.meta.json").exists()
