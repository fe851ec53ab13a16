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
    """PlotError unless the table has the columns a panel of `kind` draws from."""
    if kind == "mse":
        _require(df, MSE_NEEDS, "an mse table")
    else:
        _require(df, THRESHOLD_NEEDS, "a thresholds table")
        if kind == "gap":
            _require(df, ("delta_alg",), "a thresholds table")


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
