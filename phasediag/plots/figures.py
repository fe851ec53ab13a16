"""panels → figure: check the tables, draw each panel by its kind, save byte-reproducibly."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from phasediag.errors import PlotError
from phasediag.plots.curves import curves
from phasediag.plots.gap import draw_gap
from phasediag.plots.kappa import draw_kappa
from phasediag.plots.mse import draw_mse
from phasediag.plots.panels import FIGURES, KINDS, FigureSpec, default_spec, select_rows
from phasediag.plots.phase import draw_phase_diagram
from phasediag.plots.regions import draw_region_key
from phasediag.plots.style import PANEL_SIZE, STYLE
from phasediag.plots.table import read_table, require_columns


def render(tables: Sequence[pd.DataFrame], kind: str = "phase-diagram",
           figure: str | None = None, title: str | None = None, log_y: bool = False):
    """Figure from tables[0] (and tables[1] as comparison curves, when given: the αalg of
    a second thresholds table, or the SE curves under an amp table's dots).

    figure: a name of FIGURES (the paper's layout) or None (panels from the table);
    log_y: logarithmic y axis on the gap and mse panels.
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
    if log_y:
        spec = _log_y(spec)
    return _make_figure(spec, df, cmp_df, title)


LOG_Y_KINDS = ("gap", "mse")


def _log_y(spec: FigureSpec) -> FigureSpec:
    kinds = sorted({p.kind for p in spec.panels})
    if not set(kinds) & set(LOG_Y_KINDS):
        raise PlotError("--log-y applies to gap and mse panels, not " + ", ".join(kinds))
    return dataclasses.replace(spec, panels=tuple(
        dataclasses.replace(p, yscale="log", ylim=None) if p.kind in LOG_Y_KINDS else p
        for p in spec.panels))


def _compute_kind(df: pd.DataFrame) -> str | None:
    """The compute kind of a table read by `read_table` (meta file, else columns)."""
    from phasediag.records import meta_path, read_meta
    from phasediag.results import kind_of

    path = df.attrs.get("path")
    return kind_of(list(df.columns), read_meta(meta_path(path)) if path else None)


def table_kind(df: pd.DataFrame) -> str:
    """The plot kind a table is drawn as by default: the first of its compute kind's
    `ComputeKind.plots` (the compute kind from the meta file, else from the columns)."""
    from phasediag import computes

    compute = _compute_kind(df)
    if compute is None:
        return "mse" if all(c in df.columns for c in ("alpha", "mse")) else "phase-diagram"
    return computes.get(compute).plots[0]


def check_kind(df: pd.DataFrame, kind: str) -> None:
    """PlotError naming the table's compute kind when it cannot be drawn as `kind`."""
    from phasediag import computes

    compute = _compute_kind(df)
    if compute is None:
        return
    plots = computes.get(compute).plots
    if kind not in plots:
        where = df.attrs.get("path", "the table")
        raise PlotError(f"{where} is a {compute} table (its meta file says so): draw it "
                        f"with --kind {' or '.join(plots)}, not {kind}")


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
            elif p.kind == "kappa":
                draw_kappa(ax, rows, p)
            else:
                comp = curves(select_rows(df, p.compare)) if p.compare is not None else []
                if cmp_df is not None:  # --compare: its rows of the panel's problem(s)
                    comp += curves(cmp_df[cmp_df["problem"].isin(set(rows["problem"]))])
                if draw_phase_diagram(ax, curves(rows), comp, p):  # regions filled
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

    supported = fig.canvas.get_supported_filetypes()
    for out in outs:  # every name checked before the first is written
        fmt = Path(out).suffix.lstrip(".").lower() or "png"
        if fmt not in supported:
            raise PlotError(f"{out}: unknown figure format .{fmt} (use one of "
                            f"{', '.join('.' + k for k in sorted(supported))})")
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


def plot_csv(csv: str | Path, outs: Sequence[str | Path], kind: str | None = None,
             compare: str | Path | None = None, figure: str | None = None,
             title: str | None = None, log_y: bool = False) -> list[Path]:
    """read → render → save: the `phasediag plot` command as a function. kind None: the
    table's own (`table_kind`)."""
    tables = [read_table(csv)] + ([read_table(compare)] if compare else [])
    if figure is None and kind is None:
        kind = table_kind(tables[0])
    elif figure is None:
        check_kind(tables[0], kind)
    return save(render(tables, kind=kind or "phase-diagram", figure=figure, title=title,
                       log_y=log_y), outs)
