"""CLI contract of issue 2: thresholds/se output, JSON keys, one-line exit-2 errors."""

import json
import subprocess
import sys

import pytest

JSON_KEYS = {
    "alpha_c", "alpha_it", "alpha_alg", "alpha_c_bracket", "alpha_it_bracket",
    "alpha_alg_bracket", "alpha_c_analytic", "alpha_it_analytic", "converged", "tol",
    "problem", "prior", "rho", "depth", "betas", "noise",
}


def test_thresholds_json(run_cli):
    code, out, _ = run_cli("thresholds", "--problem", "pr", "--prior", "linear",
                       "--rho", "2", "--depth", "2", "--beta", "1", "--json")
    assert code == 0
    d = json.loads(out)
    assert JSON_KEYS <= set(d)
    assert d["alpha_c_analytic"] == pytest.approx(0.25)
    lo, hi = d["alpha_alg_bracket"]
    assert lo <= d["alpha_alg"] <= hi and hi - lo <= 1e-4
    assert d["converged"] is True and d["betas"] == [1.0]


def test_thresholds_relu_alpha_c_is_null(run_cli):
    code, out, _ = run_cli("thresholds", "--problem", "cs", "--prior", "relu",
                       "--rho", "0.5", "--depth", "1", "--tol", "1e-3", "--json")
    d = json.loads(out)
    assert code == 0 and d["alpha_c"] is None and d["alpha_c_bracket"] is None


def test_thresholds_table(run_cli):
    code, out, _ = run_cli("thresholds", "--problem", "cs", "--prior",
                       "gauss-bernoulli", "--rho", "0.3")
    assert code == 0
    assert "alpha_IT" in out and "alpha_alg" in out and "converged: True" in out


def test_se_json(run_cli):
    code, out, _ = run_cli("se", "--problem", "pr", "--prior", "linear", "--rho", "2",
                       "--depth", "3", "--alpha", "0.9", "--json")
    d = json.loads(out)
    assert code == 0 and d["status"] == "converged" and d["converged"] is True
    assert len(d["overlaps"]) == 4 and 0 < d["mse"] < 1 and d["n_iter"] > 0


def test_se_informed_table(run_cli):
    code, out, _ = run_cli("se", "--problem", "cs", "--prior", "linear", "--rho", "0.5",
                       "--alpha", "0.7", "--init", "informed")
    assert code == 0 and "status: perfect" in out


BAD = [
    (["--rho", "0"], "--rho"),
    (["--rho", "-1"], "--rho"),
    (["--rho", "abc"], "--rho"),
    (["--depth", "-1"], "--depth"),
    (["--depth", "x"], "--depth"),
    (["--depth", "2", "--beta", "0"], "--beta"),
    (["--depth", "2", "--beta", "1", "--beta", "1"], "--beta"),
    (["--tol", "0"], "--tol"),
    (["--tol", "-1e-3"], "--tol"),
    (["--noise", "0.1"], "--noise"),
    (["--prior", "sparse"], "--prior"),
]


@pytest.mark.parametrize("extra,option", BAD)
def test_bad_input_exits_2_with_one_line(run_cli, extra, option):
    args = ["thresholds", "--problem", "pr", "--prior", "linear"]
    # a later --prior replaces the first one (click keeps the last value)
    code, out, err = run_cli(*args, *extra)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and "Traceback" not in err
    assert out == ""


def test_gauss_bernoulli_rejects_depth(run_cli):
    code, _, err = run_cli("thresholds", "--problem", "cs", "--prior", "gauss-bernoulli",
                       "--rho", "0.2", "--depth", "2")
    assert code == 2 and "--depth" in err


def test_real_entry_point_exit_code():
    """The installed console script itself: exit 2, one line, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-c", "from phasediag.cli import main; main()", "se", "--problem",
         "pr", "--prior", "linear", "--alpha", "nan?"],
        capture_output=True, text=True)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "--alpha" in proc.stderr
