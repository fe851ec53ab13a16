"""The mse kind: mse against α, from an mse sweep or a table of SE / AMP rows (Fig. 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from phasediag.plots.curves import curve_labels, curves
from phasediag.plots.panels import Panel
from phasediag.plots.style import _colors, _failed_marks, _hollow, _legend, _series
from phasediag.plots.table import _flag, _num, _text


def _run_ok(df: pd.DataFrame) -> np.ndarray:
    """Rows of an mse table whose run ended in a decision (not max_iter / nan / error)."""
    return (_flag(df, "converged") & (_text(df, "error") == "")
            & ~np.isin(_text(df, "status"), ("max_iter", "nan")))


def branch_breaks(df: pd.DataFrame) -> np.ndarray:
    """breaks[i]: rows i−1 and i (in α order) end on different branches — one at perfect
    recovery, the other at an interior fixed point — so the mse jumps between them (a
    first-order transition somewhere in between) and no segment may join them."""
    st = _text(df, "status")
    perfect = st == "perfect"
    interior = st == "converged"
    out = np.zeros(len(st), bool)
    out[1:] = (perfect[1:] & interior[:-1]) | (interior[1:] & perfect[:-1])
    return out


def is_amp_table(df: pd.DataFrame) -> bool:
    """A table of `compute: amp` rows (finite-size runs: mean ± standard error per α)."""
    return "mse_stderr" in df.columns and "samples" in df.columns


def draw_mse(ax, df: pd.DataFrame, panel: Panel, se: pd.DataFrame | None = None) -> None:
    """mse against α. An mse sweep: one line per (architecture, ρ, init). An amp table:
    the runs' mean with its standard error per depth (dots), over the SE curves of the
    mse table `se` (lines; the rows of the same problem and prior), αIT dashed."""
    amp = is_amp_table(df)
    keys: list = []
    if amp:
        n_bad, n_failed, keys = _draw_amp(ax, df, se)
    else:
        n_bad, n_failed = _draw_sweep(ax, df)
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    if panel.xlim:
        ax.set_xlim(*panel.xlim)
    ax.set_ylim(*(panel.ylim or (0, None)))
    if amp:
        _legend(ax, panel.legend_loc, n_bad, n_failed, keys, hollow="some runs unconverged",
                title=_sizes(df, se is not None))
    else:
        _legend(ax, panel.legend_loc, n_bad, n_failed)
    ax.set_xlabel(r"$\alpha$")
    ax.set_ylabel("mse")


def _depth(df: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(df["depth"], errors="coerce").to_numpy()


def _draw_amp(ax, df: pd.DataFrame, se: pd.DataFrame | None) -> tuple[int, int, list]:
    """SE lines and finite-size dots per depth, αIT dashed; returns (points drawn hollow:
    some run did not converge, failed rows, one legend key per depth: line and dot)."""
    from matplotlib.lines import Line2D

    n_bad = n_failed = 0
    keys = []
    if se is not None:
        se = se[se["problem"].isin(set(df["problem"])) & se["prior"].isin(set(df["prior"]))]
    depths = sorted({int(d) for d in _depth(df) if np.isfinite(d)})
    colors = dict(zip(depths, _colors(len(depths)), strict=True))
    for d in depths:
        if se is not None and len(se):
            g = se[_depth(se) == d]
            g = g.iloc[np.argsort(_num(g, "alpha"), kind="stable")]
            x, y = _num(g, "alpha"), _num(g, "mse")
            n_bad += _series(ax, x, y, _run_ok(g) & np.isfinite(y), colors[d], lw=1.0,
                             breaks=branch_breaks(g), markers=False)
        g = df[_depth(df) == d]
        g = g.iloc[np.argsort(_num(g, "alpha"), kind="stable")]
        x, y, err = _num(g, "alpha"), _num(g, "mse"), _num(g, "mse_stderr")
        has = np.isfinite(y)
        ok = _run_ok(g) & has
        ax.errorbar(x[has], y[has], yerr=np.nan_to_num(err[has]), ls="none", marker="none",
                    color=colors[d], elinewidth=0.7, capsize=1.2, zorder=5)
        ax.plot(x[ok], y[ok], ls="none", marker="o", ms=2.8, color=colors[d], zorder=6)
        key = Line2D([], [], color=colors[d], lw=1.0, marker="o", ms=2.8,
                     label=f"$L={d}$")
        keys.append(key)
        bad = has & ~ok
        _hollow(ax, x[bad], y[bad], colors[d])
        n_bad += int(bad.sum())
        failed = _text(g, "error") != ""
        n_failed += int(failed.sum())
        _failed_marks(ax, x[failed])
    for k, a in enumerate(sorted({v for v in _num(df, "alpha_it_analytic") if np.isfinite(v)})):
        ax.axvline(a, color="0.3", ls="--", lw=0.9, zorder=2,
                   label=r"$\alpha_{\mathrm{IT}}$" if k == 0 else None)
    return n_bad, n_failed, keys


def _sizes(df: pd.DataFrame, with_se: bool) -> str:
    """What the marks of an amp panel are: "lines: SE / dots: ML-AMP, d = 2000, 10 samples"."""
    sizes = sorted({(t, s) for t, s in zip(_text(df, "d"), _text(df, "samples"), strict=True)
                    if t})
    what = "SE lines, ML-AMP dots (± s.e.)" if with_se else "ML-AMP (± s.e.)"
    return what + "\n" + "; ".join(f"$d={t}$, {s} samples" for t, s in sizes)


def _draw_sweep(ax, df: pd.DataFrame) -> tuple[int, int]:
    """One line per (architecture, ρ, init), informed starts dashed; (undecided, failed)."""
    n_bad = n_failed = 0
    cs = [(c, g) for c in curves(df, x="alpha")
          for _, g in c.rows.groupby([_text(c.rows, "rho"), _text(c.rows, "init")],
                                     sort=False)]
    many_rho = len({r for _, g in cs for r in _text(g, "rho")}) > 1
    both = len({_text(g, "init")[0] for _, g in cs}) > 1  # informed and uninformed curves
    # one colour per architecture (and ρ); its two starts share it, told apart by the dash
    arch = list(dict.fromkeys((id(c), _text(g, "rho")[0]) for c, g in cs))
    color_of = dict(zip(arch, _colors(len(arch)), strict=True))
    base = curve_labels([c for c, _ in cs]) if cs else []
    for (c, g), lab in zip(cs, base, strict=True):
        g = g.iloc[np.argsort(_num(g, "alpha"), kind="stable")]
        x, y = _num(g, "alpha"), _num(g, "mse")
        ok = _run_ok(g) & np.isfinite(y)
        init = _text(g, "init")[0]
        label = lab + (rf", $\rho={_text(g, 'rho')[0]}$" if many_rho else "")
        if both:
            label += f" ({init})"
        n_bad += _series(ax, x, y, ok, color_of[(id(c), _text(g, "rho")[0])], label=label,
                         ls="-" if init != "informed" else (0, (4, 2)),
                         breaks=branch_breaks(g))
        failed = _text(g, "error") != ""
        n_failed += int(failed.sum())
        _failed_marks(ax, x[failed])
    return n_bad, n_failed
