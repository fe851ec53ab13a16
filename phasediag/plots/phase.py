"""The phase-diagram kind: the (ρ, α) plane with αc, αIT, αalg, regions and a Δalg inset."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from phasediag.plots.curves import PRIOR_NAMES, Curve, curve_labels
from phasediag.plots.gap import _gap, _gap_band
from phasediag.plots.panels import Panel
from phasediag.plots.regions import _fill_regions
from phasediag.plots.style import _colors, _failed_marks, _legend, _series
from phasediag.plots.table import _num

LINE_COLORS = {"alpha_c": "#6b0000", "alpha_it": "#d62728", "alpha_alg": "#1a7f2e"}
# rough area (axes coordinates x, y, w, h) of a panel legend, kept free of region labels
LEGEND_BOXES = {"upper left": (0.0, 0.5, 0.36, 0.5), "upper right": (0.64, 0.5, 0.36, 0.5),
                "lower right": (0.64, 0.0, 0.36, 0.5), "center right": (0.64, 0.3, 0.36, 0.4)}


def draw_phase_diagram(ax, cs: Sequence[Curve], comp: Sequence[Curve], panel: Panel) -> bool:
    """One architecture: coloured regions + αc, αIT, αalg; several: αIT solid and αalg
    dashed per architecture. Comparison curves: αalg dash-dot. Returns True when regions
    were filled (only then does the figure get a region key)."""
    ytop = panel.ylim[1] if panel.ylim else None
    if ytop is None:
        vals = np.concatenate([c.threshold("alpha_alg")[0] for c in cs] + [[1.0]])
        ytop = float(np.ceil(1.1 * np.nanmax(vals[np.isfinite(vals)]) * 10) / 10)
    ax.set_ylim(*(panel.ylim or (0.0, ytop)))
    if panel.xlim:
        ax.set_xlim(*panel.xlim)
    else:
        xs = np.concatenate([c.x() for c in cs])
        ax.set_xlim(0.0 if panel.xscale == "linear" else np.nanmin(xs), np.nanmax(xs))
    n_bad = n_failed = 0
    single = len(cs) == 1
    colors = _colors(len(cs))
    for c, color, lab in zip(cs, colors, curve_labels(cs), strict=True):
        x = c.x()
        ac, ok_c = c.threshold("alpha_c")
        ait, ok_it = c.threshold("alpha_it")
        aalg, ok_alg = c.threshold("alpha_alg")
        if single:
            keep = None
            if panel.region_labels:
                keep = [LEGEND_BOXES.get(panel.legend_loc, (0, 0, 0, 0))]
                keep += [panel.inset_bounds] if panel.inset else []
            _fill_regions(ax, x, ac, ait, aalg, ytop * 10, keep)
            if np.nanmax(np.where(np.isfinite(ac), ac, 0.0)) > 0:
                n_bad += _series(ax, x, ac, ok_c, LINE_COLORS["alpha_c"],
                                 label=r"$\alpha_c$")
            n_bad += _series(ax, x, ait, ok_it, LINE_COLORS["alpha_it"],
                             label=r"$\alpha_{\mathrm{IT}}$", lw=1.6)
            n_bad += _series(ax, x, aalg, ok_alg, LINE_COLORS["alpha_alg"], ls=(0, (4, 2)),
                             label=r"$\alpha_{\mathrm{alg}}$", zorder=5)
        else:
            n_bad += _series(ax, x, ait, ok_it, color, label=lab)
            n_bad += _series(ax, x, aalg, ok_alg, color, ls=(0, (4, 2)))
        n_failed += int(c.failed.sum())
        _failed_marks(ax, x[c.failed])
    for c in comp:
        aalg, ok = c.threshold("alpha_alg")
        name = (r"$\alpha_{\mathrm{alg}}^{\mathrm{sparse}}$" if c.prior == "gauss-bernoulli"
                else r"$\alpha_{\mathrm{alg}}$, " + PRIOR_NAMES.get(c.prior, c.prior))
        n_bad += _series(ax, c.x(), aalg, ok, LINE_COLORS["alpha_alg"], ls="-.", lw=1.1,
                         label=name)
        n_failed += int(c.failed.sum())
        _failed_marks(ax, c.x()[c.failed])
    key = []
    if not single:
        from matplotlib.lines import Line2D

        key = [Line2D([], [], color="0.3", label=r"$\alpha_{\mathrm{IT}}$"),
               Line2D([], [], color="0.3", ls=(0, (4, 2)), label=r"$\alpha_{\mathrm{alg}}$")]
    _legend(ax, panel.legend_loc, n_bad, n_failed, key)
    ax.set_xlabel(r"$\rho$")
    ax.set_ylabel(r"$\alpha$")
    if panel.inset:
        _gap_inset(ax, cs, colors if not single else ["black"], panel)
    return single


def _gap_inset(ax, cs: Sequence[Curve], colors, panel: Panel) -> None:
    """Δalg of each curve in an inset (its own axes, drawn above the regions)."""
    from matplotlib.ticker import MaxNLocator

    ins = ax.inset_axes(panel.inset_bounds)
    ins.set_facecolor("white")
    ins.set_zorder(10)
    for c, color in zip(cs, colors, strict=True):
        x, g, ok = _gap(c)
        _gap_band(ins, c, color)
        _series(ins, x, g, ok, color, lw=0.9)
    ins.set_xlim(*(panel.inset_xlim or ax.get_xlim()))
    # a gap below the brackets' resolution is drawn at 0 on a scale it cannot fill
    gaps = [g[ok] for g, ok in (_gap(c)[1:] for c in cs)]
    top = max([float(np.nanmax(g)) for g in gaps if len(g) and np.isfinite(g).any()] + [0.0])
    tol = np.nanmax(np.r_[0.0, *[_num(c.rows, "tol") for c in cs]])
    ins.set_ylim(0, max(1.15 * top, 20 * tol, 1e-3))
    ins.xaxis.set_major_locator(MaxNLocator(4))
    ins.yaxis.set_major_locator(MaxNLocator(3))
    ins.ticklabel_format(axis="y", style="plain", useOffset=False)
    ins.tick_params(labelsize=5.5, length=2, pad=1.5)
    ins.text(0.04, 0.93, r"$\Delta_{\mathrm{alg}}$", transform=ins.transAxes, ha="left",
             va="top", fontsize=6.5)
