"""The gap kind: Δalg = αalg − αIT against ρ, with the band the brackets allow."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from phasediag.plots.curves import Curve, curve_labels
from phasediag.plots.panels import Panel
from phasediag.plots.style import _colors, _failed_marks, _legend, _series
from phasediag.plots.table import _num, _text

ZERO_GAP = r" ($\Delta_{\mathrm{alg}}=0$)"  # legend note of a curve without a hard phase


def _gap(c: Curve) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ρ, Δalg, decided) from the CSV's delta_alg (αalg − αIT of the midpoints)."""
    _, ok_it = c.threshold("alpha_it")
    _, ok_alg = c.threshold("alpha_alg")
    ok = ok_it & ok_alg
    g = _num(c.rows, "delta_alg")
    # no hard phase resolved (αalg's bracket touches αIT's: Δalg < tol) is a zero gap
    g = np.where(ok & (_text(c.rows, "hard_phase") == "false"), 0.0, g)
    return c.x(), g, ok


def _gap_band(ax, c: Curve, color) -> None:
    """What the brackets allow: αalg_lo − αIT_hi ≤ Δalg ≤ αalg_hi − αIT_lo (shaded)."""
    lo = _num(c.rows, "alpha_alg_lo") - _num(c.rows, "alpha_it_hi")
    hi = _num(c.rows, "alpha_alg_hi") - _num(c.rows, "alpha_it_lo")
    m = np.isfinite(lo) & np.isfinite(hi)
    if m.any():
        ax.fill_between(c.x()[m], lo[m], hi[m], color=color, alpha=0.18, lw=0, zorder=2)


def draw_gap(ax, cs: Sequence[Curve], panel: Panel) -> None:
    """Δalg = αalg − αIT against ρ, one curve per architecture."""
    from matplotlib.lines import Line2D

    n_bad = n_failed = n_zero = 0
    log = panel.yscale == "log"
    for c, color, lab in zip(cs, _colors(len(cs)), curve_labels(cs), strict=True):
        x, g, ok = _gap(c)
        zero = ok & (g <= 0)  # decided: no hard phase at this ρ
        if log:  # a zero gap has no place on a log axis: counted in the legend instead
            g = np.where(zero, np.nan, g)
            n_zero += int(zero.sum()) if not zero.all() else 0  # else: said by its label
        else:
            _gap_band(ax, c, color)
        if len(x) and zero.all():
            lab += ZERO_GAP
        n_bad += _series(ax, x, g, ok, color, label=lab, zorder=5 if zero.all() else 4)
        n_failed += int(c.failed.sum())
        _failed_marks(ax, x[c.failed])
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    if panel.xlim:
        ax.set_xlim(*panel.xlim)
    if panel.ylim:
        ax.set_ylim(*panel.ylim)
    elif not log:  # a little room below 0, so a zero-gap curve is not hidden by the axis
        top = ax.get_ylim()[1]
        ax.set_ylim(-0.03 * top, top)
    extra = []
    if n_zero:
        extra.append(Line2D([], [], ls="none", label=f"{ZERO_GAP.strip()} at {n_zero} "
                                                     "points (off the log axis)"))
    _legend(ax, panel.legend_loc, n_bad, n_failed, extra)
    ax.set_xlabel(r"$\rho$")
    ax.set_ylabel(r"$\Delta_{\mathrm{alg}}=\alpha_{\mathrm{alg}}-\alpha_{\mathrm{IT}}$")
