"""The coloured regions of a phase diagram: undetectable, weak recovery, hard, easy.

Filled between αc, αIT and αalg, each named where it has room, and a figure-wide key.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from phasediag.plots.table import _num

# Region colours as in the paper (Figs. 3, 4): dark red, orange, yellow, green.
REGION_COLORS = {
    "undetectable": "#a11d21",
    "weak": "#f5a53b",
    "hard": "#fbe870",
    "easy": "#8fd18c",
}
REGION_TEXT = {"undetectable": "undetectable", "weak": "weak recovery", "hard": "hard",
               "easy": "easy"}
REGION_LABELS = {
    "undetectable": r"undetectable ($\alpha<\alpha_c$)",
    "weak": "weak recovery",
    "hard": "hard",
    "easy": "easy",
}


def _fill_regions(ax, x, ac, ait, aalg, ytop, keep_out=()) -> None:
    """Undetectable [0, αc], weak recovery [αc, αIT], hard [αIT, αalg], easy [αalg, top];
    each named where it has room (outside the keep-out boxes, in axes coordinates)."""
    ac0 = np.where(np.isfinite(ac), ac, 0.0)
    ait = np.where(np.isfinite(ait), ait, np.nan)
    aalg = np.where(np.isfinite(aalg), aalg, np.nan)
    bands = [("undetectable", np.zeros_like(x), ac0), ("weak", ac0, ait),
             ("hard", ait, aalg), ("easy", aalg, np.full_like(x, ytop))]
    for name, lo, hi in bands:
        ax.fill_between(x, lo, hi, where=np.isfinite(lo) & np.isfinite(hi) & (hi > lo),
                        color=REGION_COLORS[name], lw=0, alpha=0.75, zorder=1,
                        interpolate=True)
    if keep_out is None:
        return
    for name, lo, hi in bands:
        text = REGION_TEXT[name]
        at = _label_spot(ax, x, lo, hi, 0.0195 * len(text), 0.075, keep_out)
        if at is not None:
            ax.text(*at, text, ha="center", va="center", fontsize=6.5, color="0.15",
                    zorder=3, transform=ax.transAxes)


def _label_spot(ax, x, lo, hi, tw, th, keep_out):
    """Centre (axes coordinates) of a tw × th box inside the band [lo, hi] where the band
    is thickest, clear of the keep-out boxes; None when it fits nowhere."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    X = (x - x0) / (x1 - x0)
    Lo = (np.asarray(lo, float) - y0) / (y1 - y0)
    Hi = (np.minimum(np.asarray(hi, float), y1) - y0) / (y1 - y0)
    best, best_score = None, 0.0
    for cx in np.linspace(0.04 + tw / 2, 0.96 - tw / 2, 60):
        win = np.abs(X - cx) <= tw / 2 + 0.01
        if not win.any() or not (np.isfinite(Lo[win]).all() and np.isfinite(Hi[win]).all()):
            continue
        low, high = max(Lo[win].max(), 0.02), min(Hi[win].min(), 0.98)
        room = high - low
        if room < 1.6 * th:
            continue
        # centred in the band if possible, else hugging one edge (scored lower)
        for cy, score in ((0.5 * (low + high), room), (low + 0.8 * th, 0.5 * room),
                          (high - 0.8 * th, 0.5 * room)):
            box = (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)
            clear = not any(box[0] < k[0] + k[2] and k[0] < box[2] and box[1] < k[1] + k[3]
                            and k[1] < box[3] for k in keep_out)
            if clear and score > best_score + 1e-9:
                best, best_score = (cx, cy), score
    return best


def draw_region_key(fig, tables: Sequence[pd.DataFrame]) -> None:
    """A key of the regions above the panels; 'undetectable' only if some αc > 0 in `tables`
    (the rows of the figure's phase-diagram panels)."""
    from matplotlib.patches import Patch

    used = ["weak", "hard", "easy"]
    if any(np.nanmax(np.r_[0.0, _num(rows, "alpha_c")]) > 0 for rows in tables):
        used.insert(0, "undetectable")
    fig.legend(handles=[Patch(color=REGION_COLORS[r], alpha=0.75,
                              label=REGION_LABELS[r]) for r in used],
               loc="outside upper center", ncol=len(used), fontsize=7,
               frameon=False, handlelength=1.4)
