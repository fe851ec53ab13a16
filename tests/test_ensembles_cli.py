"""Matrix ensembles from the CLI, configs, CSV rows and plots (the ML-VAMP SE behind them is
tested in test_vamp.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import phasediag
from phasediag.config import config_from_dict
from phasediag.errors import ConfigError
from phasediag.plots import read_table, render

MODEL = ["--problem", "pr", "--prior", "linear", "--rho", "2"]


def test_cli_ensembles(run_cli, tmp_path):
    code, out, _ = run_cli("se", *MODEL, "--alpha", "1.2", "--ensemble-a", "geometric:10",
                           "--json")
    d = json.loads(out)
    assert code == 0 and d["engine"] == "vamp" and d["ensembles"] == ["gaussian",
                                                                       "geometric:10"]
    code, out, _ = run_cli("se", *MODEL, "--alpha", "1.2", "--json")
    assert json.loads(out)["engine"] == "amp"  # Gaussian matrices keep the AMP SE
    same = run_cli("se", *MODEL, "--alpha", "1.2", "--ensemble-a", "geometric", "--kappa",
                   "10", "--json")[1]
    assert json.loads(same)["mse"] == d["mse"]
    np.save(tmp_path / "s.npy", np.linspace(0.5, 2.0, 50))
    code, out, _ = run_cli("se", *MODEL, "--alpha", "1.2", "--ensemble-a",
                           f"empirical:{tmp_path / 's.npy'}", "--json")
    assert code == 0 and json.loads(out)["ensembles"][1].startswith("empirical:n50:")
    for bad, what in ((("--ensemble-a", "geometric"), "--ensemble-a"),
                      (("--ensemble-a", "haar"), "--ensemble-a"),
                      (("--ensemble-a", "empirical:/nonexistent.npy"), "--ensemble-a"),
                      (("--ensemble-w", "orthogonal", "--ensemble-w", "orthogonal"),
                       "--ensemble-w"),
                      (("--ensemble-a", "orthogonal", "--engine", "amp"), "engine"),
                      (("--kappa", "0.5", "--ensemble-a", "geometric"), "--kappa")):
        code, _, err = run_cli("se", *MODEL, "--alpha", "1.2", *bad)
        assert code == 2 and what in err, (bad, err)


def test_config_ensemble_axes(tmp_path):
    cfg = config_from_dict({"compute": "thresholds", "tol": 1e-2, "grid": {
        "problem": "pr", "prior": "linear", "rho": 2,
        "ensemble_a": ["gaussian", {"name": "geometric", "kappa": [3, 10]}]}})
    assert [p.ensemble_a for p in cfg.points()] == ["gaussian", "geometric:3", "geometric:10"]
    df = phasediag.sweep(cfg.source, workers=1)
    assert df["ensemble_a"].tolist() == ["gaussian", "geometric:3", "geometric:10"]
    assert df["ensemble_w"].tolist() == ["gaussian"] * 3
    assert df["alpha_alg"].iloc[0] != df["alpha_alg"].iloc[2]
    for bad, path in (({"ensemble_a": "haar"}, "grid.ensemble_a"),
                      ({"ensemble_a": {"name": "geometric"}}, "grid.ensemble_a"),
                      ({"ensemble_a": {"name": "geometric", "kappa": 0.5}}, "grid.ensemble_a"),
                      ({"ensemble_w": ["orthogonal", "empirical"]}, "grid.ensemble_w[1]")):
        with pytest.raises(ConfigError) as e:
            config_from_dict({"compute": "thresholds", "grid": {
                "problem": "pr", "prior": "linear", **bad}})
        assert e.value.field.startswith(path), (bad, str(e.value))


def test_kappa_figure_renders():
    from phasediag.plots import FIGURES

    assert {"ensembles-cs", "ensembles-pr", "ensembles-kappa"} <= set(FIGURES)
    from pathlib import Path

    csv = Path(__file__).resolve().parent.parent / "results" / "ensembles_kappa.csv"
    fig = render([read_table(csv)], figure="ensembles-kappa")
    assert fig.axes[0].get_xscale() == "log"
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[:2] == ["linear prior", "ReLU prior"]


def test_cli_plot_kinds_are_the_plot_registry():
    from phasediag.cli import PLOT_KINDS
    from phasediag.plots import KINDS

    assert PLOT_KINDS == KINDS


def test_api_takes_ensembles():
    r = phasediag.thresholds("pr", "linear", rho=2, tol=1e-3,
                             ensembles=["gaussian", "orthogonal"])
    g = phasediag.thresholds("pr", "linear", rho=2, tol=1e-3)
    assert r.alpha_alg.lo > g.alpha_alg.hi + 0.1  # orthogonal A: a far larger hard phase
    fp = phasediag.state_evolution("pr", "linear", alpha=[1.1], rho=2,
                                   ensembles=["gaussian", "geometric:10"])[0]
    assert fp.engine == "vamp" and fp.model.describe()["ensembles"][1] == "geometric:10"
