"""Sweep CSVs → figures: phase diagrams, algorithmic gaps, mse curves (docs/figures.md).

Plotting never computes: every number drawn is a column of a CSV written by
`phasediag sweep` (or, for the mse kind, by the AMP experiments). A point whose bracket
is not decided (status other than ok/exact), whose run did not converge, or whose row
carries an error is drawn hollow (or as a cross on the axis), never as a good point.

    from phasediag.plots import read_table, render, save
    fig = render([read_table("results/fig3.csv")], figure="fig3")
    save(fig, ["results/fig3.png", "results/fig3.pdf"])

Layouts: `FIGURES` maps the paper's figure names to panel specs (which rows go to which
panel, insets, axis ranges); without a name, panels are derived from the table itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from phasediag.errors import PlotError

STYLE = "phasediag.styles.paper"
PANEL_SIZE = (3.4, 2.6)  # inches per panel: one journal column
KINDS = ("phase-diagram", "gap", "mse")

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
LINE_COLORS = {"alpha_c": "#6b0000", "alpha_it": "#d62728", "alpha_alg": "#1a7f2e"}
GOOD_STATUS = ("ok", "exact")
# rough area (axes coordinates x, y, w, h) of a panel legend, kept free of region labels
LEGEND_BOXES = {"upper left": (0.0, 0.5, 0.36, 0.5), "upper right": (0.64, 0.5, 0.36, 0.5),
                "lower right": (0.64, 0.0, 0.36, 0.5), "center right": (0.64, 0.3, 0.36, 0.4)}
PROBLEM_NAMES = {"cs": "compressed sensing", "pr": "phase retrieval"}
PRIOR_NAMES = {"linear": "linear prior", "relu": "ReLU prior", "gaussian": "Gaussian i.i.d.",
               "gauss-bernoulli": "sparse (Gauss–Bernoulli)"}
SEPARABLE = ("gaussian", "gauss-bernoulli")

THRESHOLD_NEEDS = ("problem", "prior", "rho", "depth", "alpha_it", "alpha_it_status",
                   "alpha_alg", "alpha_alg_status")
MSE_NEEDS = ("alpha", "mse")
FIG1_NEEDS = ("prior", "depth", "alpha", "kind", "mse")


# ------------------------------------------------------------------------------ reading
def read_table(path: str | Path) -> pd.DataFrame:
    """A sweep CSV as a DataFrame with string keys (β, activations, statuses) kept as text."""
    path = Path(path)
    if not path.is_file():
        raise PlotError(f"{path}: no such file")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as e:
        raise PlotError(f"{path}: not a readable CSV ({str(e).splitlines()[0]})") from None
    if df.empty:
        raise PlotError(f"{path}: no rows")
    df.attrs["path"] = str(path)
    return df


def _require(df: pd.DataFrame, needs: Sequence[str], what: str) -> None:
    missing = [c for c in needs if c not in df.columns]
    if missing:
        where = df.attrs.get("path", "table")
        raise PlotError(f"{where}: not {what} (missing column{'s' * (len(missing) > 1)}: "
                        f"{', '.join(missing)})")


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    """Float column; '' (no value) → nan, 'inf' → inf."""
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col].replace("", np.nan), errors="coerce").to_numpy(float)


def _text(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), "", dtype=object)
    return df[col].fillna("").astype(str).str.strip().to_numpy(object)


def _flag(df: pd.DataFrame, col: str, default: bool = True) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), default)
    return np.isin(_text(df, col), ("true", "True", "TRUE", "1"))


# ------------------------------------------------------------------------------ groups
@dataclass(frozen=True)
class Curve:
    """One architecture's rows (a fixed problem, prior, depth, β, activations, noise)."""

    problem: str
    prior: str
    depth: int
    beta: str
    activations: str
    noise: str
    rows: pd.DataFrame = field(compare=False, repr=False)

    @property
    def betas(self) -> tuple[str, ...]:
        return tuple(b for b in self.beta.split(";") if b)

    def x(self, col: str = "rho") -> np.ndarray:
        return _num(self.rows, col)

    def threshold(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(value, decided) of threshold `name` ∈ {alpha_c, alpha_it, alpha_alg}.

        decided: status ok/exact and no error. Status none gives nan (no such threshold).
        """
        v = _num(self.rows, name)
        st = _text(self.rows, f"{name}_status")
        err = _text(self.rows, "error")
        v = np.where(st == "none", np.nan, v)
        v = np.where(st == "not_found", np.inf, v)
        return v, np.isin(st, GOOD_STATUS) & (err == "")

    @property
    def failed(self) -> np.ndarray:
        return _text(self.rows, "error") != ""


_KEY = ("problem", "prior", "depth", "beta", "activations", "noise")


def curves(df: pd.DataFrame, x: str = "rho") -> list[Curve]:
    """Rows grouped by architecture, in the table's order, each sorted by `x`."""
    d = df.copy()
    for k in _KEY:
        if k not in d.columns:
            d[k] = ""
    d["_x"] = _num(d, x)
    out = []
    for key, g in d.groupby(list(_KEY), sort=False):
        problem, prior, depth, beta, acts, noise = key
        depth_i = int(float(depth)) if str(depth).strip() else 0
        out.append(Curve(problem, prior, depth_i, beta, acts, noise,
                         g.sort_values("_x", kind="stable").reset_index(drop=True)))
    first = {}  # problems and priors in the table's order; depth and β ascending
    for c in out:
        first.setdefault((c.problem, c.prior), len(first))

    def order(c: Curve):
        return (first[(c.problem, c.prior)], c.depth, tuple(float(b) for b in c.betas),
                c.activations, c.noise)
    return sorted(out, key=order)


def _beta_text(c: Curve) -> str:
    b = c.betas
    if not b:
        return ""
    if len(set(b)) == 1:
        return rf"$\beta_l={b[0]}$" if len(b) > 1 else rf"$\beta_1={b[0]}$"
    return r"$\beta=(" + ",".join(b) + ")$"


def curve_labels(cs: Sequence[Curve]) -> list[str]:
    """Legend labels naming only what differs between the curves of one panel."""
    if len(cs) == 1:
        c = cs[0]
        return [f"L = {c.depth}" if c.prior not in SEPARABLE else PRIOR_NAMES[c.prior]]
    vary = {k for k in ("prior", "depth", "noise") if len({getattr(c, k) for c in cs}) > 1}
    if len({frozenset(c.activations.split(";")) for c in cs if c.activations}) > 1:
        vary.add("activations")
    if len({frozenset(c.betas) for c in cs if c.betas}) > 1:  # not just a different length
        vary.add("beta")
    labels = []
    for c in cs:
        parts = []
        if "prior" in vary:
            parts.append(PRIOR_NAMES.get(c.prior, c.prior))
        if "depth" in vary:
            parts.append(f"$L={c.depth}$")
        if "beta" in vary and c.betas:
            parts.append(_beta_text(c))
        if "activations" in vary and c.activations:
            parts.append(c.activations.replace(";", "-"))
        if "noise" in vary:
            parts.append(rf"$\Delta={c.noise}$")
        labels.append(", ".join(parts) or f"$L={c.depth}$")
    return labels


# ------------------------------------------------------------------------------ specs
Select = Callable[[pd.DataFrame], "pd.Series | np.ndarray"]


@dataclass(frozen=True)
class Panel:
    """One axes: which rows (select), what to draw (kind) and how (ranges, inset, legend)."""

    kind: str                                  # phase-diagram | gap | mse
    select: Select | None = None               # rows of the main table drawn here
    compare: Select | None = None              # rows drawn as comparison αalg (dash-dot)
    title: str | None = None
    inset: bool = False                        # Δalg inset (phase-diagram kind)
    inset_bounds: tuple[float, float, float, float] = (0.57, 0.62, 0.40, 0.345)
    inset_xlim: tuple[float, float] | None = None
    legend_loc: str = "upper left"
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    xscale: str = "linear"
    yscale: str = "linear"
    region_labels: bool = True


@dataclass(frozen=True)
class FigureSpec:
    panels: tuple[Panel, ...]
    title: str | None = None
    region_key: bool = True                    # a figure-wide key of the coloured regions


def _col_is(col: str, *values: str) -> Select:
    return lambda df: df[col].isin(values)


def _and(*sels: Select) -> Select:
    def f(df):
        m = np.ones(len(df), bool)
        for s in sels:
            m &= np.asarray(s(df), bool)
        return m
    return f


def _depth_is(*depths: int) -> Select:
    return lambda df: pd.to_numeric(df["depth"], errors="coerce").isin(depths)


def _all_beta(value: str) -> Select:
    """Rows whose β_1..β_{L−1} all equal `value` (depth 1, with no β, included)."""
    return lambda df: df["beta"].fillna("").map(
        lambda s: all(b == value for b in s.split(";") if b))


_CS, _PR = _col_is("problem", "cs"), _col_is("problem", "pr")
_LIN, _RELU = _col_is("prior", "linear"), _col_is("prior", "relu")
_SPARSE = _col_is("prior", "gauss-bernoulli")


def _phase(select: Select, title: str, **kw) -> Panel:
    """A phase-diagram panel on the paper's axes: ρ ∈ [0, 2], α ∈ [0, 1.2]."""
    return Panel("phase-diagram", select, title=title, xlim=(0.0, 2.0), ylim=(0.0, 1.2), **kw)


FIGURES: dict[str, FigureSpec] = {
    "fig3": FigureSpec(panels=(
        _phase(_and(_CS, _LIN), "compressed sensing, linear prior",
               compare=_and(_CS, _SPARSE), legend_loc="lower right"),
        _phase(_and(_CS, _RELU), "compressed sensing, ReLU prior", inset=True),
    )),
    "fig4": FigureSpec(panels=(
        _phase(_and(_PR, _LIN), "phase retrieval, linear prior",
               compare=_and(_PR, _SPARSE), legend_loc="center right"),
        _phase(_and(_PR, _RELU), "phase retrieval, ReLU prior", inset=True),
    )),
    "fig5": FigureSpec(panels=(
        _phase(_and(_CS, _RELU), r"compressed sensing, ReLU, $\beta_l=3$", inset=True),
        _phase(_and(_PR, _RELU), r"phase retrieval, ReLU, $\beta_l=3$", inset=True),
    ), region_key=False),
    "fig6": FigureSpec(panels=(
        _phase(_and(_CS, _RELU), r"compressed sensing, ReLU, $L=2$", inset=True),
        _phase(_and(_PR, _RELU), r"phase retrieval, ReLU, $L=2$", inset=True),
    ), region_key=False),
    "fig7": FigureSpec(panels=(
        Panel("gap", _and(_PR, _LIN, _depth_is(4)),
              title=r"phase retrieval, linear prior, $L=4$", xscale="log"),
        Panel("gap", _and(_PR, _LIN, _all_beta("2")),
              title=r"phase retrieval, linear prior, $\beta_l=2$", xscale="log"),
    ), region_key=False),
}


def default_spec(df: pd.DataFrame, kind: str) -> FigureSpec:
    """Panels derived from the table: one per (problem, prior) of the generative rows; the
    separable priors' rows are comparison curves on the panels of their problem."""
    if kind == "mse":
        key = [k for k in ("problem", "prior") if k in df.columns]
        combos = df[key].drop_duplicates().itertuples(index=False) if key else [()]
        panels = []
        for combo in combos:
            sel = _and(*(_col_is(k, v) for k, v in zip(key, combo, strict=True)))
            title = ", ".join(PROBLEM_NAMES.get(v, PRIOR_NAMES.get(v, v)) for v in combo)
            panels.append(Panel("mse", sel, title=title or None, legend_loc="upper right"))
        return FigureSpec(panels=tuple(panels), region_key=False)
    generative = df[~df["prior"].isin(SEPARABLE)]
    base = generative if len(generative) else df
    panels = []
    for problem, prior in base[["problem", "prior"]].drop_duplicates().itertuples(index=False):
        sel = _and(_col_is("problem", problem), _col_is("prior", prior))
        title = f"{PROBLEM_NAMES.get(problem, problem)}, {PRIOR_NAMES.get(prior, prior)}"
        if kind == "gap":
            panels.append(Panel("gap", sel, title=title))
            continue
        cmp = None
        if len(generative) and (df["prior"].isin(SEPARABLE) & (df["problem"] == problem)).any():
            cmp = _and(_col_is("problem", problem), _col_is("prior", *SEPARABLE))
        n_groups = len(curves(df[np.asarray(sel(df), bool)]))
        panels.append(Panel("phase-diagram", sel, compare=cmp, title=title,
                            inset=prior == "relu" or n_groups > 1))
    return FigureSpec(panels=tuple(panels), region_key=kind == "phase-diagram")


# ------------------------------------------------------------------------------ drawing
def _hollow(ax, x, y, color, **kw) -> None:
    if len(x):
        ax.plot(x, y, ls="none", marker="o", mfc="white", mec=color, mew=0.9, ms=3.6,
                zorder=6, clip_on=False, **kw)


def _failed_marks(ax, x, color="black") -> None:
    """Rows with an error: a cross on the ρ axis (they have no value to draw)."""
    if len(x):
        ax.plot(x, np.zeros(len(x)), ls="none", marker="x", color=color, ms=4, mew=0.9,
                transform=ax.get_xaxis_transform(), clip_on=False, zorder=7)


def _series(ax, x, v, ok, color, *, ls="-", lw=None, label=None, zorder=4):
    """Line through the decided points (gaps where a point is not); hollow markers at
    undecided brackets (their midpoint) and at not-found ones (top edge). Returns the
    number of points not drawn as good."""
    good = np.where(ok & np.isfinite(v), v, np.nan)
    ax.plot(x, good, ls=ls, lw=lw, color=color, label=label, zorder=zorder)
    g = np.isfinite(good)
    alone = g & ~np.r_[False, g[:-1]] & ~np.r_[g[1:], False]  # no segment to draw: a dot
    if alone.any():
        ax.plot(x[alone], good[alone], ls="none", marker="o", ms=2.4, color=color,
                zorder=zorder)
    bad = ~ok & np.isfinite(v)
    _hollow(ax, x[bad], v[bad], color)
    top = ~ok & np.isinf(v)
    if top.any():
        ax.plot(x[top], np.ones(top.sum()), ls="none", marker="^", mfc="white", mec=color,
                ms=4, transform=ax.get_xaxis_transform(), clip_on=False, zorder=7)
    return int(bad.sum() + top.sum())


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


def _gap(c: Curve) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ρ, Δalg, decided) from the CSV's delta_alg (αalg − αIT of the midpoints)."""
    _, ok_it = c.threshold("alpha_it")
    _, ok_alg = c.threshold("alpha_alg")
    return c.x(), _num(c.rows, "delta_alg"), ok_it & ok_alg


def _gap_band(ax, c: Curve, color) -> None:
    """What the brackets allow: αalg_lo − αIT_hi ≤ Δalg ≤ αalg_hi − αIT_lo (shaded)."""
    lo = _num(c.rows, "alpha_alg_lo") - _num(c.rows, "alpha_it_hi")
    hi = _num(c.rows, "alpha_alg_hi") - _num(c.rows, "alpha_it_lo")
    m = np.isfinite(lo) & np.isfinite(hi)
    if m.any():
        ax.fill_between(c.x()[m], lo[m], hi[m], color=color, alpha=0.18, lw=0, zorder=2)


def _colors(n: int) -> list:
    import matplotlib as mpl

    if n == 1:
        return ["black"]
    cmap = mpl.colormaps["viridis"]
    return [cmap(0.88 * i / (n - 1)) for i in range(n)]


def _undecided_handle(n_bad: int, n_failed: int) -> list:
    from matplotlib.lines import Line2D

    h = []
    if n_bad:
        h.append(Line2D([], [], ls="none", marker="o", mfc="white", mec="0.2", ms=3.6,
                        label=f"undecided ({n_bad})"))
    if n_failed:
        h.append(Line2D([], [], ls="none", marker="x", color="0.2", ms=4,
                        label=f"failed ({n_failed})"))
    return h


def draw_phase_diagram(ax, cs: Sequence[Curve], comp: Sequence[Curve], panel: Panel) -> None:
    """One architecture: coloured regions + αc, αIT, αalg; several: αIT solid and αalg
    dashed per architecture. Comparison curves: αalg dash-dot."""
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
    handles, _ = ax.get_legend_handles_labels()
    if not single:
        from matplotlib.lines import Line2D

        handles += [Line2D([], [], color="0.3", label=r"$\alpha_{\mathrm{IT}}$"),
                    Line2D([], [], color="0.3", ls=(0, (4, 2)), label=r"$\alpha_{\mathrm{alg}}$")]
    handles += _undecided_handle(n_bad, n_failed)
    ax.legend(handles=handles, loc=panel.legend_loc)
    ax.set_xlabel(r"$\rho$")
    ax.set_ylabel(r"$\alpha$")
    if panel.inset:
        _gap_inset(ax, cs, colors if not single else ["black"], panel)


def _gap_inset(ax, cs: Sequence[Curve], colors, panel: Panel) -> None:
    from matplotlib.ticker import MaxNLocator

    ins = ax.inset_axes(panel.inset_bounds)
    ins.set_facecolor("white")
    ins.set_zorder(10)
    for c, color in zip(cs, colors, strict=True):
        x, g, ok = _gap(c)
        _gap_band(ins, c, color)
        _series(ins, x, g, ok, color, lw=0.9)
    ins.set_xlim(*(panel.inset_xlim or ax.get_xlim()))
    ins.set_ylim(bottom=0)
    ins.xaxis.set_major_locator(MaxNLocator(4))
    ins.yaxis.set_major_locator(MaxNLocator(3))
    ins.ticklabel_format(axis="y", style="plain", useOffset=False)
    ins.tick_params(labelsize=5.5, length=2, pad=1.5)
    ins.text(0.04, 0.93, r"$\Delta_{\mathrm{alg}}$", transform=ins.transAxes, ha="left",
             va="top", fontsize=6.5)


def draw_gap(ax, cs: Sequence[Curve], panel: Panel) -> None:
    """Δalg = αalg − αIT against ρ, one curve per architecture."""
    n_bad = n_failed = 0
    for c, color, lab in zip(cs, _colors(len(cs)), curve_labels(cs), strict=True):
        x, g, ok = _gap(c)
        _gap_band(ax, c, color)
        if panel.yscale == "log":  # a zero gap (no hard phase) has no place on a log axis
            ok = ok & (g > 0)
        n_bad += _series(ax, x, g, ok, color, label=lab)
        n_failed += int(c.failed.sum())
        _failed_marks(ax, x[c.failed])
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    if panel.xlim:
        ax.set_xlim(*panel.xlim)
    if panel.ylim:
        ax.set_ylim(*panel.ylim)
    elif panel.yscale == "linear":
        ax.set_ylim(bottom=0)
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + _undecided_handle(n_bad, n_failed), loc=panel.legend_loc)
    ax.set_xlabel(r"$\rho$")
    ax.set_ylabel(r"$\Delta_{\mathrm{alg}}=\alpha_{\mathrm{alg}}-\alpha_{\mathrm{IT}}$")


def _run_ok(df: pd.DataFrame) -> np.ndarray:
    """Rows of an mse table whose run ended in a decision (not max_iter / nan / error)."""
    return (_flag(df, "converged") & (_text(df, "error") == "")
            & ~np.isin(_text(df, "status"), ("max_iter", "nan")))


def draw_mse(ax, df: pd.DataFrame, panel: Panel) -> None:
    """mse against α. A sweep table: one line per (architecture, ρ, init). A table with a
    `kind` column (se / amp rows): SE lines, AMP dots with error bars, αIT dashed."""
    n_bad = n_failed = 0
    if "kind" in df.columns:
        depths = sorted({int(float(d)) for d in df["depth"] if str(d).strip()})
        colors = dict(zip(depths, _colors(len(depths)), strict=True))
        for d in depths:
            sub = df[pd.to_numeric(df["depth"], errors="coerce") == d]
            for kind_name, g in sub.groupby(_text(sub, "kind"), sort=False):
                g = g.iloc[np.argsort(_num(g, "alpha"), kind="stable")]
                x, y = _num(g, "alpha"), _num(g, "mse")
                ok = _run_ok(g) & np.isfinite(y)
                if kind_name == "se":
                    n_bad += _series(ax, x, y, ok, colors[d], label=f"SE, $L={d}$")
                else:
                    err = _num(g, "mse_stderr")
                    ax.errorbar(x[ok], y[ok], yerr=np.nan_to_num(err[ok]), ls="none",
                                marker="o", ms=2.8, color=colors[d], elinewidth=0.7,
                                capsize=1.2, zorder=5,
                                label=f"{kind_name.upper()}, $L={d}$")
                    bad = ~ok & np.isfinite(y)
                    _hollow(ax, x[bad], y[bad], colors[d])
                    n_bad += int(bad.sum())
        for k, a in enumerate(sorted({v for v in _num(df, "alpha_it") if np.isfinite(v)})):
            ax.axvline(a, color="0.3", ls="--", lw=0.9, zorder=2,
                       label=r"$\alpha_{\mathrm{IT}}$" if k == 0 else None)
    else:
        cs = [(c, g) for c in curves(df, x="alpha")
              for _, g in c.rows.groupby([_text(c.rows, "rho"), _text(c.rows, "init")],
                                         sort=False)]
        colors = _colors(len(cs))
        many_rho = len({r for _, g in cs for r in _text(g, "rho")}) > 1
        base = curve_labels([c for c, _ in cs]) if cs else []
        for (_c, g), color, lab in zip(cs, colors, base, strict=True):
            x, y = _num(g, "alpha"), _num(g, "mse")
            ok = _run_ok(g) & np.isfinite(y)
            init = _text(g, "init")[0]
            label = lab + (rf", $\rho={_text(g, 'rho')[0]}$" if many_rho else "")
            n_bad += _series(ax, x, y, ok, color, label=label,
                             ls="-" if init != "informed" else (0, (4, 2)))
            failed = _text(g, "error") != ""
            n_failed += int(failed.sum())
            _failed_marks(ax, x[failed])
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    if panel.xlim:
        ax.set_xlim(*panel.xlim)
    ax.set_ylim(*(panel.ylim or (0, None)))
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + _undecided_handle(n_bad, n_failed), loc=panel.legend_loc)
    ax.set_xlabel(r"$\alpha$")
    ax.set_ylabel("mse")


# ------------------------------------------------------------------------------ figures
def _rows(df: pd.DataFrame, sel: Select | None) -> pd.DataFrame:
    return df if sel is None else df[np.asarray(sel(df), bool)]


def render(tables: Sequence[pd.DataFrame], kind: str = "phase-diagram",
           figure: str | None = None, title: str | None = None):
    """Figure from tables[0] (and tables[1] as comparison curves, when given).

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
        if k == "mse":
            _require(df, FIG1_NEEDS if "kind" in df.columns else MSE_NEEDS, "an mse table")
        else:
            _require(df, THRESHOLD_NEEDS, "a thresholds table")
            if k == "gap":
                _require(df, ("delta_alg",), "a thresholds table")
    if cmp_df is not None:
        _require(cmp_df, THRESHOLD_NEEDS, "a thresholds table")
    if spec is None:
        spec = default_spec(df, kind)
    fig = _make_figure(spec, df, cmp_df, title)
    return fig


def _make_figure(spec: FigureSpec, df: pd.DataFrame, cmp_df: pd.DataFrame | None,
                 title: str | None):
    from matplotlib import style
    from matplotlib.figure import Figure

    with style.context(STYLE):
        n = len(spec.panels)
        fig = Figure(figsize=(PANEL_SIZE[0] * n, PANEL_SIZE[1]))
        axes = fig.subplots(1, n, squeeze=False)[0]
        for ax, p in zip(axes, spec.panels, strict=True):
            rows = _rows(df, p.select)
            if rows.empty:
                raise PlotError(f"{df.attrs.get('path', 'table')}: no rows for panel "
                                f"{p.title or p.kind!r}")
            if p.kind == "mse":
                draw_mse(ax, rows, p)
            elif p.kind == "gap":
                draw_gap(ax, curves(rows), p)
            else:
                comp = curves(_rows(df, p.compare)) if p.compare is not None else []
                if cmp_df is not None:  # --compare: its rows of the panel's problem(s)
                    comp += curves(cmp_df[cmp_df["problem"].isin(set(rows["problem"]))])
                draw_phase_diagram(ax, curves(rows), comp, p)
            if p.title:
                ax.set_title(p.title)
        if spec.region_key and any(p.kind == "phase-diagram" for p in spec.panels):
            from matplotlib.patches import Patch

            used = ["weak", "hard", "easy"]
            if any(np.nanmax(np.r_[0.0, _num(_rows(df, p.select), "alpha_c")]) > 0
                   for p in spec.panels if p.kind == "phase-diagram"):
                used.insert(0, "undetectable")
            fig.legend(handles=[Patch(color=REGION_COLORS[r], alpha=0.75,
                                      label=REGION_LABELS[r]) for r in used],
                       loc="outside upper center", ncol=len(used), fontsize=7,
                       frameon=False, handlelength=1.4)
        if title or spec.title:
            fig.suptitle(title or spec.title)
    return fig


def save(fig, outs: Sequence[str | Path]) -> list[Path]:
    """Write the figure to each path (format from the suffix), byte-reproducibly."""
    from matplotlib import style

    written = []
    with style.context(STYLE):
        for out in outs:
            out = Path(out)
            fmt = out.suffix.lstrip(".").lower() or "png"
            meta = {"png": {"Software": None},
                    "pdf": {"CreationDate": None, "Producer": None},
                    "svg": {"Date": None}}.get(fmt, {})
            out.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(out, format=fmt, metadata=meta)
            written.append(out)
    return written


def plot_csv(csv: str | Path, outs: Sequence[str | Path], kind: str = "phase-diagram",
             compare: str | Path | None = None, figure: str | None = None,
             title: str | None = None) -> list[Path]:
    """read → render → save: the `phasediag plot` command as a function."""
    tables = [read_table(csv)] + ([read_table(compare)] if compare else [])
    return save(render(tables, kind=kind, figure=figure, title=title), outs)
