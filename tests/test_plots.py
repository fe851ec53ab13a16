"""Figures (issue 5): headless rendering from small CSVs, honest markers, exit-2 CLI errors."""

import struct

import matplotlib
import numpy as np
import pandas as pd
import pytest

from phasediag.cli import main
from phasediag.computes import columns
from phasediag.plots import FIGURES, PANEL_SIZE, PlotError, plot_csv, read_table, render, save

THRESHOLD_COLUMNS = columns("thresholds")
MSE_COLUMNS = columns("mse")
AMP_COLUMNS = columns("amp")

matplotlib.use("Agg")
DPI = 200  # savefig.dpi of phasediag/styles/paper.mplstyle


def png_size(path):
    """(width, height) in pixels from the PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def expected_size(n_panels):
    return round(PANEL_SIZE[0] * n_panels * DPI), round(PANEL_SIZE[1] * DPI)


def threshold_rows(problem, prior, depth=1, beta="", rhos=(0.1, 0.5, 1.0, 1.5, 2.0),
                   gap=0.05, undecided_at=None, failed_at=None):
    """Rows shaped like `phasediag sweep` output (αIT = min(ρ, 1), αalg = αIT + gap·ρ)."""
    rows = []
    for rho in rhos:
        ait = min(rho, 1.0)
        aalg = ait + gap * rho
        ac = rho / (2 * (1 + rho)) if problem == "pr" else 0.0
        r = dict.fromkeys(THRESHOLD_COLUMNS, "")
        r.update(problem=problem, prior=prior, rho=rho, depth=depth, beta=beta, noise=0,
                 tol=1e-3, alpha_c=ac, alpha_c_status="ok" if problem == "pr" else "exact",
                 alpha_it=ait, alpha_it_lo=ait - 5e-4, alpha_it_hi=ait + 5e-4,
                 alpha_it_status="ok", alpha_alg=aalg, alpha_alg_lo=aalg - 5e-4,
                 alpha_alg_hi=aalg + 5e-4, alpha_alg_status="ok", delta_alg=aalg - ait,
                 hard_phase="true", converged="true", seconds=0.01)
        if prior == "relu":
            r.update(alpha_c="", alpha_c_status="none")
        if rho == undecided_at:
            r.update(alpha_alg_status="undecided", converged="false")
        if rho == failed_at:
            for k in ("alpha_c", "alpha_it", "alpha_alg", "delta_alg"):
                r[k] = ""
            r.update(alpha_c_status="", alpha_it_status="", alpha_alg_status="",
                     converged="false", error="RuntimeError: boom")
        rows.append(r)
    return rows


def write_csv(path, rows):
    df = pd.DataFrame(rows, columns=list(rows[0]))
    df["index"] = range(len(df))
    df.to_csv(path, index=False)
    return path


def hollow_points(ax):
    """(x, y) of the markers drawn hollow (white face) in an axes."""
    pts = []
    for line in ax.get_lines():
        if line.get_marker() == "o" and line.get_markerfacecolor() in ("white", "w"):
            pts += list(zip(line.get_xdata(), line.get_ydata(), strict=True))
    return pts


def test_phase_diagram_png(tmp_path):
    csv = write_csv(tmp_path / "t.csv",
                    threshold_rows("pr", "linear", undecided_at=0.5, failed_at=1.5)
                    + threshold_rows("pr", "gauss-bernoulli", depth=0, rhos=(0.2, 0.6, 1.0)))
    out = tmp_path / "t.png"
    plot_csv(csv, [out])
    assert out.stat().st_size > 5000
    assert png_size(out) == expected_size(1)


def test_undecided_points_are_hollow_and_not_on_the_line(tmp_path):
    csv = write_csv(tmp_path / "t.csv", threshold_rows("pr", "linear", undecided_at=0.5))
    fig = render([read_table(csv)])
    ax = fig.axes[0]
    assert (0.5, pytest.approx(0.525)) in [(x, y) for x, y in hollow_points(ax)]
    # the αalg line has a gap (nan) at the undecided point
    alg = [ln for ln in ax.get_lines() if "alg" in str(ln.get_label())][0]
    y = np.asarray(alg.get_ydata(), float)
    assert np.isnan(y[list(alg.get_xdata()).index(0.5)])
    assert any("undecided" in t.get_text() for t in ax.get_legend().get_texts())


def test_paper_layouts_render(tmp_path):
    rows = (threshold_rows("cs", "linear", gap=0.0) + threshold_rows("cs", "relu")
            + threshold_rows("cs", "gauss-bernoulli", depth=0, rhos=(0.2, 0.6, 1.0)))
    csv = write_csv(tmp_path / "fig3.csv", rows)
    outs = save(render([read_table(csv)], figure="fig3"),
                [tmp_path / "fig3.png", tmp_path / "fig3.pdf"])
    assert png_size(outs[0]) == expected_size(2)
    assert outs[1].read_bytes()[:5] == b"%PDF-"
    rows = [r for b in ("1;1;1", "2;2;2") for r in threshold_rows("pr", "linear", 4, b)]
    rows += threshold_rows("pr", "linear", 1) + threshold_rows("pr", "linear", 2, "2")
    csv = write_csv(tmp_path / "fig7.csv", rows)
    fig = render([read_table(csv)], figure="fig7")
    left, right = fig.axes[:2]
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        r"$\beta_l=1$", r"$\beta_l=2$"]
    assert [t.get_text() for t in right.get_legend().get_texts()] == [
        "$L=1$", "$L=2$", "$L=4$"]
    assert {"fig1", "fig3", "fig4", "fig5", "fig6", "fig7"} <= set(FIGURES)


def test_saves_are_byte_identical(tmp_path):
    csv = write_csv(tmp_path / "t.csv", threshold_rows("cs", "relu"))
    a = plot_csv(csv, [tmp_path / "a.png", tmp_path / "a.pdf"])
    b = plot_csv(csv, [tmp_path / "b.png", tmp_path / "b.pdf"])
    for p, q in zip(a, b, strict=True):
        assert p.read_bytes() == q.read_bytes()


def test_amp_table_dots_over_se_curves(tmp_path):
    """Fig. 1 layout: an amp table (dots ± standard error) with the SE curves of an mse
    table (--compare): two panels, one SE line and one dot series per depth, a point whose
    runs did not all converge drawn hollow, d and samples written on the panel."""
    amp, se = [], []
    for prior in ("linear", "relu"):
        for depth in (1, 2):
            for a in (0.2, 0.6, 1.0, 1.4):
                r = dict.fromkeys(AMP_COLUMNS, "")
                r.update(problem="pr", prior=prior, rho=2, depth=depth, noise=0, alpha=a,
                         d=2000, samples=10, seed=0, mse=max(0.0, 1 - a) + 0.01,
                         mse_stderr=0.02, alpha_it_analytic=1.0, converged="true")
                if (prior, depth, a) == ("relu", 2, 0.6):
                    r["converged"] = "false"
                amp.append(r)
            for a in np.linspace(0.1, 1.5, 15):
                r = dict.fromkeys(MSE_COLUMNS, "")
                r.update(problem="pr", prior=prior, rho=2, depth=depth, noise=0, alpha=a,
                         init="uninformed", mse=max(0.0, 1 - a), status="converged",
                         converged="true")
                se.append(r)
    a_csv, s_csv = write_csv(tmp_path / "a.csv", amp), write_csv(tmp_path / "s.csv", se)
    fig = render([read_table(a_csv), read_table(s_csv)], figure="fig1")
    assert len(fig.axes) == 2
    lin, relu = fig.axes
    for ax in (lin, relu):
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert [lab for lab in labels if lab.startswith("$L")] == ["$L=1$", "$L=2$"]
        title = ax.get_legend().get_title().get_text()
        assert title == "SE lines, ML-AMP dots (± s.e.)\n$d=2000$, 10 samples"
        assert len([ln for ln in ax.lines if len(ln.get_xdata()) == 15]) == 2  # SE curves
    assert hollow_points(lin) == []
    assert [(x, round(y, 6)) for x, y in hollow_points(relu)] == [(0.6, 0.41)]
    assert "some runs unconverged (1)" in [t.get_text() for t in relu.get_legend().get_texts()]
    out = tmp_path / "fig1.png"
    plot_csv(a_csv, [out], compare=s_csv, figure="fig1")
    assert png_size(out) == expected_size(2)


def test_mse_sweep_table_marks_unconverged_runs(tmp_path):
    rows = []
    for a in (0.2, 0.4, 0.6, 0.8):
        r = dict.fromkeys(MSE_COLUMNS, "")
        r.update(problem="pr", prior="linear", rho=2, depth=1, noise=0, init="uninformed",
                 alpha=a, mse=1 - a, status="converged", converged="true")
        if a == 0.6:
            r.update(status="max_iter", converged="false")
        rows.append(r)
    csv = write_csv(tmp_path / "m.csv", rows)
    fig = render([read_table(csv)], kind="mse")
    assert [(x, round(y, 6)) for x, y in hollow_points(fig.axes[0])] == [(0.6, 0.4)]


def test_tiny_real_sweep_plots(tmp_path):
    from phasediag.config import load_config
    from phasediag.runner import run_sweep

    cfg = tmp_path / "c.yaml"
    cfg.write_text("compute: thresholds\ntol: 1.0e-2\n"
                   "grid: {problem: pr, prior: linear, rho: [0.25, 0.5, 2]}\n")
    csv = tmp_path / "s.csv"
    run_sweep(load_config(cfg), csv, workers=1)
    out = tmp_path / "s.png"
    plot_csv(csv, [out], kind="gap")
    assert png_size(out) == expected_size(1)


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    return exc.value.code, capsys.readouterr()


def test_cli_writes_png(tmp_path, capsys):
    csv = write_csv(tmp_path / "t.csv", threshold_rows("cs", "linear"))
    code, out = run_cli(capsys, "plot", str(csv), "--title", "test")
    assert code == 0 and (tmp_path / "t.png").stat().st_size > 0
    assert out.out.startswith("wrote ")


@pytest.mark.parametrize("case", ["missing", "columns", "empty", "figure", "garbage"])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, case):
    csv = tmp_path / "bad.csv"
    args = ["plot", str(csv), "--out", str(tmp_path / "x.png")]
    if case == "columns":
        csv.write_text("index,problem,rho\n0,cs,0.5\n")
    elif case == "empty":
        csv.write_text("")
    elif case == "garbage":
        csv.write_bytes(b"\xff\xfe\x00\x01binary")
    elif case == "figure":
        write_csv(csv, threshold_rows("cs", "linear"))
        args += ["--figure", "fig99"]
    code, out = run_cli(capsys, *args)
    assert code == 2
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("phasediag: error:")
    if case == "columns":
        assert "missing columns" in lines[0] and "alpha_it" in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_read_table_errors(tmp_path):
    with pytest.raises(PlotError, match="no such file"):
        read_table(tmp_path / "nope.csv")
