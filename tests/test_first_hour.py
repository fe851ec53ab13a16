"""A researcher's first hour: install docs, notebook API, sweep/plot ergonomics, CLI texts,
provenance, packaging, citation and the honest marks of the figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import phasediag
from phasediag import computes
from phasediag.cli import main
from phasediag.errors import ConfigError, PhasediagError, SweepError

ROOT = Path(__file__).resolve().parent.parent
TINY = {"compute": "thresholds", "tol": 1e-2,
        "grid": {"problem": "pr", "prior": "linear", "rho": [0.5, 2]}}


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


# ------------------------------------------------------------------------ templates
def test_every_compute_kind_has_a_template_that_loads(tmp_path):
    from phasediag.config import config_from_dict, parse_yaml
    from phasediag.templates import names, template

    assert set(names()) == set(computes.NAMES)
    for kind in names():
        text = template(kind)
        assert text.lstrip().startswith("#")  # commented
        cfg = config_from_dict(parse_yaml(text, kind), kind)
        assert cfg.compute == kind and cfg.points()
    with pytest.raises(ConfigError, match="template"):
        template("nope")


def test_cli_prints_template(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "sweep", "--template", "amp")
    assert code == 0 and "compute: amp" in out
    code, _, err = run_cli(capsys, "sweep", "--template", "bogus")
    assert code == 2 and "template" in err
    code, _, err = run_cli(capsys, "sweep")
    assert code == 2 and "--template" in err


# ------------------------------------------------------------------------ sweep output
def test_sweep_creates_the_output_directory_and_refuses_other_suffixes(tmp_path, capsys):
    from phasediag.config import config_from_dict
    from phasediag.runner import plan_sweep, run_sweep

    cfg = config_from_dict(TINY)
    for bad in ("x.json", "x", "x.csv.gz"):
        with pytest.raises(SweepError, match=r"\.csv"):
            run_sweep(cfg, tmp_path / "new" / bad, workers=1)
        with pytest.raises(SweepError, match=r"\.csv"):  # --dry-run says the same
            plan_sweep(cfg, out=tmp_path / "new" / bad)
    assert not (tmp_path / "new").exists()  # refused before anything was created
    (tmp_path / "file").write_text("")
    with pytest.raises(SweepError, match="not a directory"):
        plan_sweep(cfg, out=tmp_path / "file" / "t.csv")
    out = tmp_path / "a" / "b" / "t.csv"
    run_sweep(cfg, out, workers=1)
    assert out.is_file() and (out.parent / "t.csv.meta.json").is_file()
    with pytest.raises(SweepError, match="exists"):  # the dry run warns as the run would
        plan_sweep(cfg, out=out)
    cfgfile = tmp_path / "c.yaml"
    cfgfile.write_text(yaml.safe_dump(TINY))
    code, _, err = run_cli(capsys, "sweep", str(cfgfile), "--out", str(tmp_path / "o.json"),
                           "--dry-run")
    assert code == 2 and ".csv" in err


# ------------------------------------------------------------------------ notebook API
def test_api_sweep_returns_a_typed_frame_with_provenance(tmp_path):
    df = phasediag.sweep(TINY, workers=1)
    assert list(df.columns) == list(computes.columns("thresholds"))
    assert len(df) == 2 and df.attrs["compute"] == "thresholds"
    assert df["rho"].dtype == np.float64 and str(df["depth"].dtype) == "Int64"
    assert str(df["converged"].dtype) == "boolean" and df["converged"].all()
    assert df["alpha_alg"].dtype == np.float64 and (df["alpha_alg"] > df["alpha_it"]).all()
    prov = df.attrs["provenance"]
    assert prov["compute"] == "thresholds" and prov["config_hash"] and prov["phasediag"]
    # written and read back: the same frame
    out = tmp_path / "deep" / "t.csv"
    kept = phasediag.sweep(TINY, out=out, workers=1)
    again = phasediag.read_results(out)
    cols = [c for c in kept.columns if c != "seconds"]
    pd.testing.assert_frame_equal(kept[cols], df[cols])
    pd.testing.assert_frame_equal(again, kept)
    assert again.attrs["path"] == str(out)


def test_read_results_types_every_kind(tmp_path):
    mse = phasediag.sweep({"compute": "mse", "grid": {"problem": "cs", "prior": "linear",
                                                      "rho": 0.5, "alpha": [0.2, 0.8]}},
                          workers=1)
    assert str(mse["iterations"].dtype) == "Int64" and mse["mse"].dtype == np.float64
    assert mse["status"].tolist() == ["converged", "perfect"]
    assert mse["overlaps"].str.split(";").map(len).tolist() == [2, 2]
    fig1 = phasediag.read_results(ROOT / "results" / "fig1.csv")
    assert fig1.attrs["compute"] == "amp" and str(fig1["samples"].dtype) == "Int64"
    # without a meta file the kind comes from the header
    shutil.copy(ROOT / "results" / "fig3.csv", tmp_path / "x.csv")
    t = phasediag.read_results(tmp_path / "x.csv")
    assert t.attrs["compute"] == "thresholds" and t.attrs["provenance"] is None
    assert str(t["hard_phase"].dtype) == "boolean"
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(PhasediagError, match="not a phasediag table"):
        phasediag.read_results(tmp_path / "bad.csv")


def test_state_evolution_accepts_an_array_of_alpha():
    alphas = np.array([0.3, 0.9, 1.2])
    many = phasediag.state_evolution("pr", "linear", alpha=alphas, rho=2)
    assert isinstance(many, list) and len(many) == 3
    for a, r in zip(alphas, many, strict=True):
        one = phasediag.state_evolution("pr", "linear", alpha=float(a), rho=2)
        assert r.alpha == a and r.mse == one.mse and r.status == one.status
    assert [r.alpha for r in phasediag.state_evolution("pr", "linear", alpha=[0.5], rho=2)] \
        == [0.5]
    with pytest.raises(PhasediagError, match="alpha"):
        phasediag.state_evolution("pr", "linear", alpha=[[0.5]], rho=2)
    with pytest.raises(PhasediagError, match="alpha"):
        phasediag.state_evolution("pr", "linear", alpha=[0.5, -1], rho=2)


# ------------------------------------------------------------------------ plot kind
def test_plot_reads_the_kind_from_the_meta_file(tmp_path, capsys):
    out = tmp_path / "m.png"
    code, stdout, err = run_cli(capsys, "plot", str(ROOT / "results" / "fig1_se.csv"),
                                "--out", str(out))
    assert code == 0, err
    assert out.stat().st_size > 5000
    code, _, err = run_cli(capsys, "plot", str(ROOT / "results" / "fig1_se.csv"), "--kind",
                           "gap", "--out", str(out))
    assert code == 2 and "mse table" in err and "--kind mse" in err
    code, _, err = run_cli(capsys, "plot", str(ROOT / "results" / "fig3.csv"), "--log-y",
                           "--out", str(out))
    assert code == 2 and "--log-y" in err


# ------------------------------------------------------------------------ CLI texts
def test_cli_texts_say_what_they_mean(capsys):
    code, out, err = run_cli(capsys, "se", "--problem", "pr", "--prior", "gaussian", "--rho",
                             "3", "--alpha", "0.8")
    assert code == 0 and "ρ = 3" not in out and "gaussian i.i.d. prior on x" in out
    assert "--rho is not used" in err
    code, out, err = run_cli(capsys, "se", "--problem", "pr", "--prior", "gaussian",
                             "--alpha", "0.8")
    assert "--rho" not in err  # not given: no note
    code, out, _ = run_cli(capsys, "thresholds", "--problem", "pr", "--prior", "relu",
                           "--activation", "linear", "--tol", "1e-2")
    assert "linear chain" in out and "relu" not in out.splitlines()[0]
    code, out, _ = run_cli(capsys, "thresholds", "--problem", "cs", "--prior", "linear",
                           "--rho", "0.5", "--tol", "1e-3")
    line = next(x for x in out.splitlines() if x.startswith("hard phase"))
    assert line.startswith("hard phase: no (Δalg < 0.002")
    code, out, _ = run_cli(capsys, "thresholds", "--problem", "cs", "--prior",
                           "gauss-bernoulli", "--rho", "0.3", "--tol", "1e-3")
    assert "(ρs = 0.3)" in out.splitlines()[0]
    code, out, _ = run_cli(capsys, "amp", "--problem", "pr", "--prior", "linear", "--rho", "2",
                           "--alpha", "0.6", "--d", "200", "--samples", "4", "--max-iter", "60")
    assert "standard error" in out and "state evolution mse" in out
    assert "SE " not in out  # no ambiguous abbreviation
    if "mean mse by outcome" in out:
        assert "plateau" not in out.split("fixed point (converged, perfect)")[1].split("\n")[0]


# ------------------------------------------------------------------------ provenance
def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
                        "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_commit_only_when_the_package_is_its_own_checkout(tmp_path):
    from phasediag.records import environment, git_state, source_checkout

    other = tmp_path / "other"  # some other repository that vendors the package
    (other / "lib" / "phasediag").mkdir(parents=True)
    (other / "lib" / "phasediag" / "__init__.py").write_text("")
    (other / "pyproject.toml").write_text("")
    _git("init", "-q", cwd=other)
    _git("add", ".", cwd=other)
    _git("commit", "-q", "-m", "x", cwd=other)
    assert source_checkout(other / "lib" / "phasediag") is None
    assert git_state(other / "lib" / "phasediag") is None

    own = tmp_path / "own"  # a clone of phasediag itself
    (own / "phasediag").mkdir(parents=True)
    (own / "phasediag" / "__init__.py").write_text("")
    (own / "pyproject.toml").write_text("")
    _git("init", "-q", cwd=own)
    _git("add", ".", cwd=own)
    _git("commit", "-q", "-m", "x", cwd=own)
    st = git_state(own / "phasediag")
    assert st is not None and len(st["commit"]) == 40 and st["dirty"] is False
    (own / "phasediag" / "__init__.py").write_text("x = 1\n")
    assert git_state(own / "phasediag")["dirty"] is True
    env = environment()
    assert {"git_commit", "git_dirty", "distribution", "phasediag"} <= set(env)
    if env["git_commit"] is None:
        assert env["distribution"]["version"] == phasediag.__version__


# ------------------------------------------------------------------------ packaging
def test_packaging_metadata():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    proj = meta["project"]
    assert proj["license"] == "MIT" and proj["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert proj["dynamic"] == ["version"] and "version" not in proj
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "phasediag.__version__"}
    assert any("Science/Research" in c for c in proj["classifiers"]) and proj["urls"]
    assert "templates/*.yaml" in meta["tool"]["setuptools"]["package-data"]["phasediag"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["version"] == phasediag.__version__
    assert "1912.02008" in json.dumps(cff["preferred-citation"])


def test_readme_is_self_contained():
    text = (ROOT / "README.md").read_text()
    for outside in ("../shared", "SPEC", "seeds/", "the issue"):
        assert outside not in text, outside
    assert "## Install" in text and "pip install" in text and "@inproceedings" in text
    assert "1912.02008" in text and "## Compared with Tree-AMP" in text


# ------------------------------------------------------------------------ figures
def test_lines_mark_their_points_and_break_at_jumps():
    from matplotlib.figure import Figure

    from phasediag.plots.mse import branch_breaks
    from phasediag.plots.style import _series

    df = pd.DataFrame({"status": ["converged", "converged", "perfect", "perfect",
                                  "uninformative", "converged"]})
    assert branch_breaks(df).tolist() == [False, False, True, False, False, False]
    ax = Figure().subplots()
    x = np.arange(6.0)
    _series(ax, x, np.array([0.5, 0.4, 0.0, 0.0, 0.9, 0.8]), np.ones(6, bool), "k",
            breaks=branch_breaks(df))
    line = ax.get_lines()[0]
    assert line.get_marker() == "o"
    y = np.asarray(line.get_ydata(), float)
    assert len(y) == 7 and np.isnan(y[2])  # no segment from the interior branch to 0


def test_region_key_only_where_regions_are_filled(tmp_path):
    from phasediag.plots import read_table, render

    df = read_table(ROOT / "results" / "thresholds_relu.csv")  # several depths per panel
    assert not render([df]).legends
    one = df[df["depth"] == "1"]
    one.attrs.update(df.attrs)
    assert len(render([one]).legends) == 1


def test_zero_gap_curves_are_visible(tmp_path):
    from phasediag.plots import read_table, render

    df = read_table(ROOT / "results" / "fig7.csv")
    fig = render([df], figure="fig7")
    left = fig.axes[0]
    assert left.get_ylim()[0] < 0  # a zero gap is drawn above the axis line
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert any(r"\Delta_{\mathrm{alg}}=0" in t for t in labels)
    log = render([df], figure="fig7", log_y=True)
    assert log.axes[0].get_yscale() == "log"
    for ln in log.axes[0].get_lines():
        y = np.asarray(ln.get_ydata(), float)
        assert not (y[np.isfinite(y)] <= 0).any()
