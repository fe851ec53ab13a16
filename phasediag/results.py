"""Typed tables: a CSV written by `phasediag sweep` (and its meta file) → a pandas DataFrame.

Column types come from the compute kind named in the meta file (`FILE.csv.meta.json`):
the input columns and each kind declare their non-float columns (`records.INPUT_TYPES`,
`ComputeKind.types`); every other column is a float. Empty fields are missing values
(NaN for floats, <NA> for the nullable "Int64"/"boolean" columns; '' stays '' in text
columns). Per-layer lists (β_1..β_{L−1}, activations, overlaps) stay ";"-joined text, as in
the CSV: `df["overlaps"].str.split(";")`. `df.attrs` holds the path, the compute kind and
the whole meta record (config, versions, commit, options, times) under "provenance".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from phasediag.errors import RecordError
from phasediag.records import CHECKSUM, INPUT_COLUMNS, INPUT_TYPES, meta_path, read_meta


def kind_of(df_columns: list[str], meta: dict | None) -> str | None:
    """The compute kind of a table: from its meta file, else the kind whose header it has."""
    from phasediag import computes

    if meta and meta.get("compute") in computes.NAMES:
        return meta["compute"]
    header = tuple(c for c in df_columns if c != CHECKSUM)  # tables before format 3 had none
    for name in computes.NAMES:
        if header == tuple(c for c in computes.columns(name) if c != CHECKSUM):
            return name
    return None


def column_types(kind: str | None) -> dict[str, str]:
    """Non-float column types of a kind's table (inputs included)."""
    from phasediag import computes

    out = dict(INPUT_TYPES)
    if kind is not None:
        out.update(computes.get(kind).types)
    return out


def _inferred(col: pd.Series) -> str:
    """The type of a column no kind declares: bool, float or str, from its values."""
    vals = col.str.strip()
    vals = vals[vals != ""]
    if len(vals) and vals.str.lower().isin(("true", "false")).all():
        return "bool"
    if pd.to_numeric(vals, errors="coerce").notna().all() or \
            vals.str.lower().isin(("nan", "inf", "-inf")).all():
        return "float"
    return "str"


def _typed(col: pd.Series, kind: str | None, name: str, path: Path) -> pd.Series:
    if kind is None:
        kind = _inferred(col)
    if kind == "str":
        return col
    blank = col.str.strip() == ""
    if kind == "bool":
        low = col.str.strip().str.lower()
        bad = ~(blank | low.isin(("true", "false")))
        if bad.any():
            raise RecordError(f"{path}: column {name}: expected true/false, got "
                              f"{col[bad].iloc[0]!r}")
        return pd.Series(pd.array([pd.NA if b else v == "true" for b, v in zip(blank, low,
                                                                             strict=True)],
                                  dtype="boolean"), index=col.index, name=name)
    num = pd.to_numeric(col.where(~blank, np.nan), errors="coerce")
    bad = num.isna() & ~blank & ~col.str.strip().str.lower().eq("nan")
    if bad.any():
        raise RecordError(f"{path}: column {name}: expected a number, got {col[bad].iloc[0]!r}")
    if kind == "int":
        return num.astype("Int64")
    return num.astype(float)


def read_results(csv: str | Path) -> pd.DataFrame:
    """Any table `phasediag sweep` wrote, with typed columns and its provenance in `attrs`.

    >>> df = read_results("results/fig3.csv")               # doctest: +SKIP
    >>> df[df.problem == "pr"][["rho", "alpha_it", "alpha_alg", "alpha_alg_status"]]
    """
    path = Path(csv)
    if not path.is_file():
        raise RecordError(f"{path}: no such file")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as e:
        raise RecordError(f"{path}: not a readable CSV ({str(e).splitlines()[0]})") from None
    first = INPUT_COLUMNS[:INPUT_COLUMNS.index("noise") + 1]  # every format has these first
    if tuple(raw.columns[:len(first)]) != first:
        raise RecordError(f"{path}: not a phasediag table (its first columns are not "
                          f"{', '.join(first)})")
    meta = read_meta(meta_path(path))
    kind = kind_of(list(raw.columns), meta)
    types = column_types(kind)
    default = "float" if kind is not None else None  # unknown kind: infer from the values
    df = pd.DataFrame({c: _typed(raw[c], types.get(c, default), c, path) for c in raw.columns})
    df.attrs.update(path=str(path), compute=kind, provenance=meta)
    return df
