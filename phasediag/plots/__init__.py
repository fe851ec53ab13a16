"""Sweep CSVs → figures: phase diagrams, algorithmic gaps, mse curves (docs/figures.md).

Plotting never computes: every number drawn is a column of a CSV written by
`phasediag sweep` (or, for the mse kind, by the AMP experiments). A point whose bracket
is not decided (status other than ok/exact), whose run did not converge, or whose row
carries an error is drawn hollow (or as a cross on the axis), never as a good point.

    from phasediag.plots import read_table, render, save
    fig = render([read_table("results/fig3.csv")], figure="fig3")
    save(fig, ["results/fig3.png", "results/fig3.pdf"])

Data flow, one module a step: CSV → table → curves → panels → figure.

- table    read a CSV (text columns), the columns each kind needs, typed column helpers
- curves   rows grouped by architecture (`Curve`, `curves`), legend labels, display names
- panels   `Panel`, `FigureSpec`, row selectors, the paper's layouts `FIGURES`, `default_spec`
- figures  `render` (tables → Figure), `save`, `plot_csv`
- style    style sheet, panel size, colours and the honest marks shared by every kind
- regions  the coloured regions of a phase diagram and their figure-wide key
- phase    the phase-diagram kind, with its Δalg inset
- gap      the gap kind (Δalg against ρ)
- mse      the mse kind (mse against α)
"""

from phasediag.errors import PlotError
from phasediag.plots.curves import (
    GOOD_STATUS,
    PRIOR_NAMES,
    PROBLEM_NAMES,
    Curve,
    curve_labels,
    curves,
)
from phasediag.plots.figures import plot_csv, render, save
from phasediag.plots.gap import draw_gap
from phasediag.plots.mse import draw_mse
from phasediag.plots.panels import FIGURES, KINDS, FigureSpec, Panel, Select, default_spec
from phasediag.plots.phase import LEGEND_BOXES, LINE_COLORS, draw_phase_diagram
from phasediag.plots.regions import REGION_COLORS, REGION_LABELS, REGION_TEXT
from phasediag.plots.style import PANEL_SIZE, STYLE
from phasediag.plots.table import MSE_NEEDS, THRESHOLD_NEEDS, read_table

__all__ = [
    "FIGURES", "GOOD_STATUS", "KINDS", "LEGEND_BOXES", "LINE_COLORS", "MSE_NEEDS",
    "PANEL_SIZE", "PRIOR_NAMES", "PROBLEM_NAMES", "REGION_COLORS", "REGION_LABELS",
    "REGION_TEXT", "STYLE", "THRESHOLD_NEEDS", "Curve", "FigureSpec", "Panel", "PlotError",
    "Select", "curve_labels", "curves", "default_spec", "draw_gap", "draw_mse",
    "draw_phase_diagram", "plot_csv", "read_table", "render", "save",
]
