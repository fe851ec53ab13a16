"""The kappa kind: thresholds against the condition number κ of the sensing matrix.

Rows whose sensing matrix is geometric (`ensemble_a` = geometric:κ) are grouped by
architecture (problem, prior, depth, β, ρ); each group draws αIT (solid) and αalg (dashed)
against κ on a log axis, with Δalg = αalg − αIT in an inset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from phasediag.plots.curves import curve_labels, curves
from phasediag.plots.gap import _gap
from phasediag.plots.panels import Panel
from phasediag.plots.style import _colors, _failed_marks, _legend, _series
from phasediag.plots.table import _text


def kappa_of(df: pd.DataFrame) -> np.ndarray:
    """κ of each row from its `ensemble_a` label (nan unless geometric:κ)."""
    out = np.full(len(df), np.nan)
    for i, lab in enumerate(_text(df, "ensemble_a")):
        name, _, arg = str(lab).partition(":")
        if name == "geometric":
            out[i] = float(arg)
    return out


def draw_kappa(ax, df: pd.DataFrame, panel: Panel) -> None:
    """αIT and αalg against κ per architecture, Δalg inset."""
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    d = df.assign(kappa=kappa_of(df), ensemble_a="geometric")  # κ is the axis, not a key
    d = d[np.isfinite(d["kappa"].to_numpy())]
    cs = curves(d, x="kappa")
    colors = _colors(len(cs))
    n_bad = n_failed = 0
    ins = ax.inset_axes(panel.inset_bounds)
    ins.set_facecolor("white")
    ins.set_zorder(10)
    for c, color, lab in zip(cs, colors, curve_labels(cs), strict=True):
        x = c.x("kappa")
        ait, ok_it = c.threshold("alpha_it")
        aalg, ok_alg = c.threshold("alpha_alg")
        n_bad += _series(ax, x, ait, ok_it, color, label=lab)
        n_bad += _series(ax, x, aalg, ok_alg, color, ls=(0, (4, 2)))
        n_failed += int(c.failed.sum())
        _failed_marks(ax, x[c.failed])
        _, g, ok = _gap(c)
        _series(ins, x, g, ok, color, lw=0.9)
    for a in (ax, ins):
        a.set_xscale("log")
    ins.set_ylim(bottom=0)
    ins.yaxis.set_major_locator(MaxNLocator(3))
    ins.tick_params(labelsize=5.5, length=2, pad=1.5)
    ins.text(0.04, 0.93, r"$\Delta_{\mathrm{alg}}$", transform=ins.transAxes, ha="left",
             va="top", fontsize=6.5)
    if panel.ylim:
        ax.set_ylim(*panel.ylim)
    key = [Line2D([], [], color="0.3", label=r"$\alpha_{\mathrm{IT}}$"),
           Line2D([], [], color="0.3", ls=(0, (4, 2)), label=r"$\alpha_{\mathrm{alg}}$")]
    _legend(ax, panel.legend_loc, n_bad, n_failed, key)
    ax.set_xlabel(r"condition number $\kappa$ of $A$")
    ax.set_ylabel(r"$\alpha$")
