"""panels → figure: check the tables, draw each panel by its kind, save byte-reproducibly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from phasediag.errors import PlotError
from phasediag.plots.curves import curves
from phasediag.plots.gap import draw_gap
from phasediag.plots.mse import draw_mse
from phasediag.plots.panels import FIGURES, KINDS, FigureSpec, default_spec, select_rows
from phasediag.plots.phase import draw_phase_diagram
from phasediag.plots.regions import draw_region_key
from phasediag.plots.style import PANEL_SIZE, STYLE
from phasediag.plots.table import read_table, require_columns


def render(tables: Sequence[pd.DataFrame], kind: str = "phase-diagram",
           figure: str | None = None, title: str | None = None):
    """Figure from tables[0] (and tables[1] as comparison curves, when given: the αalg of
    a second thresholds table, or the SE curves under an amp table's dots).

    figure: a name of FIGURES (the paper's layout) or None (panels from the table).
    """
    if kind not in KINDS:
        raise PlotError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    df = tables[0]
    cmp_df = tables[1] if len(tables) > 1 else None
    if figure is not None:
        if figure not in FIGURES:
            raise PlotError(f"unknown figure {figure!r} (one of {', '.join(FIGURES)})")
        spec = FIGURES[figure]
    else:
        spec = None
    kinds = {p.kind for p in spec.panels} if spec else {kind}
    for k in kinds:
        require_columns(df, k)
    if cmp_df is not None:  # thresholds: comparison αalg curves; mse: the SE under AMP dots
        require_columns(cmp_df, "mse" if kinds == {"mse"} else "phase-diagram")
    if spec is None:
        spec = default_spec(df, kind)
    return _make_figure(spec, df, cmp_df, title)


def _make_figure(spec: FigureSpec, df: pd.DataFrame, cmp_df: pd.DataFrame | None,
                 title: str | None):
    from matplotlib import style
    from matplotlib.figure import Figure

    with style.context(STYLE):
        n = len(spec.panels)
        fig = Figure(figsize=(PANEL_SIZE[0] * n, PANEL_SIZE[1]))
        axes = fig.subplots(1, n, squeeze=False)[0]
        phase_rows = []
        for ax, p in zip(axes, spec.panels, strict=True):
            rows = select_rows(df, p.select)
            if rows.empty:
                raise PlotError(f"{df.attrs.get('path', 'table')}: no rows for panel "
                                f"{p.title or p.kind!r}")
            if p.kind == "mse":
                draw_mse(ax, rows, p, se=cmp_df)
            elif p.kind == "gap":
                draw_gap(ax, curves(rows), p)
            else:
                comp = curves(select_rows(df, p.compare)) if p.compare is not None else []
                if cmp_df is not None:  # --compare: its rows of the panel's problem(s)
                    comp += curves(cmp_df[cmp_df["problem"].isin(set(rows["problem"]))])
                draw_phase_diagram(ax, curves(rows), comp, p)
                phase_rows.append(rows)
            if p.title:
                ax.set_title(p.title)
        if spec.region_key and phase_rows:
            draw_region_key(fig, phase_rows)
        if title or spec.title:
            fig.suptitle(title or spec.title)
    return fig


def save(fig, outs: Sequence[str | Path]) -> list[Path]:
    """Write the figure to each path (format from the suffix), byte-reproducibly."""
    from matplotlib import rc_context, style

    written = []
    with style.context(STYLE):
        for out in outs:
            out = Path(out)
            fmt = out.suffix.lstrip(".").lower() or "png"
            meta = {"png": {"Software": None},
                    "pdf": {"CreationDate": None, "Producer": None},
                    "svg": {"Date": None}}.get(fmt, {})
            out.parent.mkdir(parents=True, exist_ok=True)
            with rc_context({"svg.hashsalt": "phasediag"}):  # SVG ids: no random salt
                fig.savefig(out, format=fmt, metadata=meta)
            written.append(out)
    return written


def plot_csv(csv: str | Path, outs: Sequence[str | Path], kind: str = "phase-diagram",
             compare: str | Path | None = None, figure: str | None = None,
             title: str | None = None) -> list[Path]:
    """read → render → save: the `phasediag plot` command as a function."""
    tables = [read_table(csv)] + ([read_table(compare)] if compare else [])
    return save(render(tables, kind=kind, figure=figure, title=title), outs)
