"""CSV → table: a sweep CSV read as text, the columns each figure kind needs, typed columns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from phasediag.errors import PlotError

THRESHOLD_NEEDS = ("problem", "prior", "rho", "depth", "alpha_it", "alpha_it_status",
                   "alpha_alg", "alpha_alg_status")
MSE_NEEDS = ("alpha", "mse")


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


def require_columns(df: pd.DataFrame, kind: str) -> None:
    """PlotError unless the table has the columns a panel of `kind` draws from, with values
    a figure can show: the x axis (ρ or α) finite and > 0 and the depth a whole number ≥ 0
    on every row without an error, and something to draw in the y column."""
    if kind == "mse":
        _require(df, MSE_NEEDS, "an mse table")
        _check_axis(df, "alpha")
        _check_values(df, ("mse",))
    else:
        _require(df, THRESHOLD_NEEDS, "a thresholds table")
        if kind in ("gap", "kappa"):
            _require(df, ("delta_alg",), "a thresholds table")
        if kind == "kappa":
            _require(df, ("ensemble_a",), "a thresholds table with ensembles")
        _check_axis(df, "rho")
        _check_values(df, ("alpha_it", "alpha_alg"))
    _check_depth(df)


def _where(df: pd.DataFrame) -> str:
    return df.attrs.get("path", "table")


def _ok_rows(df: pd.DataFrame) -> np.ndarray:
    return _text(df, "error") == ""


def _check_axis(df: pd.DataFrame, col: str) -> None:
    x = _num(df, col)
    bad = _ok_rows(df) & ~(np.isfinite(x) & (x > 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise PlotError(f"{_where(df)}: column {col}, row {i}: expected a finite number > 0, "
                        f"got {df[col].iloc[i]!r}")


def _check_depth(df: pd.DataFrame) -> None:
    if "depth" not in df.columns:
        return
    d = _num(df, "depth")
    bad = ~(np.isfinite(d) & (d >= 0) & (np.mod(d, 1) == 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise PlotError(f"{_where(df)}: column depth, row {i}: expected a whole number ≥ 0, "
                        f"got {df['depth'].iloc[i]!r}")


def _check_values(df: pd.DataFrame, cols: Sequence[str]) -> None:
    """Some finite value to draw in the y columns, and no text where a number belongs."""
    for col in cols:
        raw = _text(df, col)
        v = _num(df, col)
        text = (raw != "") & np.isnan(v) & ~np.isin(np.char.lower(raw.astype(str)), ("nan",))
        if text.any():
            i = int(np.flatnonzero(text)[0])
            raise PlotError(f"{_where(df)}: column {col}, row {i}: expected a number, got "
                            f"{raw[i]!r}")
    if not any(np.isfinite(_num(df, c)).any() for c in cols):
        raise PlotError(f"{_where(df)}: nothing to draw: no finite value in "
                        f"{' or '.join(cols)}")


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
