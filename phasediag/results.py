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
from phasediag.records import INPUT_COLUMNS, INPUT_TYPES, meta_path, read_meta


def kind_of(df_columns: list[str], meta: dict | None) -> str | None:
    """The compute kind of a table: from its meta file, else the kind whose header it has."""
    from phasediag import computes

    if meta and meta.get("compute") in computes.NAMES:
        return meta["compute"]
    for name in computes.NAMES:
        if tuple(df_columns) == computes.columns(name):
            return name
    return None


def column_types(kind: str | None) -> dict[str, str]:
    """Non-float column types of a kind's table (inputs included)."""
    from phasediag import computes

    out = dict(INPUT_TYPES)
    if kind is not None:
        out.update(computes.get(kind).types)
    return out


def _typed(col: pd.Series, kind: str, name: str, path: Path) -> pd.Series:
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
    if tuple(raw.columns[:len(INPUT_COLUMNS)]) != INPUT_COLUMNS:
        raise RecordError(f"{path}: not a phasediag table (its first columns are not "
                          f"{', '.join(INPUT_COLUMNS)})")
    meta = read_meta(meta_path(path))
    kind = kind_of(list(raw.columns), meta)
    types = column_types(kind)
    df = pd.DataFrame({c: _typed(raw[c], types.get(c, "float"), c, path) for c in raw.columns})
    df.attrs.update(path=str(path), compute=kind, provenance=meta)
    return df
