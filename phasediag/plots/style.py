"""The paper's look, shared by every kind: style sheet, panel size, colours, honest marks.

A decided value is a line (or a dot where it has no neighbour); an undecided one a hollow
circle, a not-found one a hollow triangle on the top edge, a failed row a cross on the x axis.
"""

from __future__ import annotations

import numpy as np

STYLE = "phasediag.styles.paper"
PANEL_SIZE = (3.4, 2.6)  # inches per panel: one journal column


def _colors(n: int) -> list:
    import matplotlib as mpl

    if n == 1:
        return ["black"]
    cmap = mpl.colormaps["viridis"]
    return [cmap(0.88 * i / (n - 1)) for i in range(n)]


def _hollow(ax, x, y, color, **kw) -> None:
    if len(x):
        ax.plot(x, y, ls="none", marker="o", mfc="white", mec=color, mew=0.9, ms=3.6,
                zorder=6, clip_on=False, **kw)


def _failed_marks(ax, x, color="black") -> None:
    """Rows with an error: a cross on the ρ axis (they have no value to draw)."""
    if len(x):
        ax.plot(x, np.zeros(len(x)), ls="none", marker="x", color=color, ms=4, mew=0.9,
                transform=ax.get_xaxis_transform(), clip_on=False, zorder=7)


MARKER_SIZE = 1.9  # the small dot at every computed point of a line


def _series(ax, x, v, ok, color, *, ls="-", lw=None, label=None, zorder=4, breaks=None,
            markers=True):
    """Line through the decided points with a small dot at each (so the reader sees where
    the grid is; gaps where a point is not decided); hollow markers at undecided brackets
    (their midpoint) and at not-found ones (top edge). breaks[i]: no segment between points
    i−1 and i (a first-order jump: the two lie on different branches). Returns the number
    of points not drawn as good."""
    x = np.asarray(x, float)
    good = np.where(ok & np.isfinite(v), v, np.nan)
    lx, ly = x, good
    if breaks is not None and np.any(breaks[1:]):
        at = np.flatnonzero(np.asarray(breaks, bool)[1:]) + 1
        lx, ly = np.insert(x, at, np.nan), np.insert(good, at, np.nan)
    ax.plot(lx, ly, ls=ls, lw=lw, color=color, label=label, zorder=zorder,
            marker="o" if markers else None, ms=MARKER_SIZE, mew=0)
    g = np.isfinite(ly)
    alone = g & ~np.r_[False, g[:-1]] & ~np.r_[g[1:], False]  # no segment to draw: a dot
    if alone.any():
        ax.plot(lx[alone], ly[alone], ls="none", marker="o", ms=2.4, color=color,
                zorder=zorder)
    bad = ~ok & np.isfinite(v)
    _hollow(ax, x[bad], v[bad], color)
    top = ~ok & np.isinf(v)
    if top.any():
        ax.plot(x[top], np.ones(top.sum()), ls="none", marker="^", mfc="white", mec=color,
                ms=4, transform=ax.get_xaxis_transform(), clip_on=False, zorder=7)
    return int(bad.sum() + top.sum())


def _undecided_handle(n_bad: int, n_failed: int, hollow: str = "undecided") -> list:
    """Legend entries counting the points not drawn as good ("undecided (n)", "failed (n)");
    `hollow` names what a hollow marker means."""
    from matplotlib.lines import Line2D

    h = []
    if n_bad:
        h.append(Line2D([], [], ls="none", marker="o", mfc="white", mec="0.2", ms=3.6,
                        label=f"{hollow} ({n_bad})"))
    if n_failed:
        h.append(Line2D([], [], ls="none", marker="x", color="0.2", ms=4,
                        label=f"failed ({n_failed})"))
    return h


def _legend(ax, loc: str, n_bad: int, n_failed: int, extra: list | None = None,
            hollow: str = "undecided", title: str | None = None) -> None:
    """The axes' labelled artists, then `extra` handles, then the undecided/failed counts."""
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + (extra or []) + _undecided_handle(n_bad, n_failed, hollow),
              loc=loc, title=title, title_fontsize=6)
