"""Results → rows; the CSV and its provenance file, append-safe.

A sweep's CSV has one line per grid point: the input columns here, then the columns its
compute kind declares (`phasediag.computes`; docs/sweeps.md lists them). Rows are
appended as points complete, each batch flushed and fsync'ed, so a killed sweep leaves a
valid CSV of its completed rows plus at most one partial last line, which `recover` drops.
Every field is a single physical line (newlines in messages are replaced), so "a line ends
with \\n" is exactly "the row is complete". When all points are done the file is rewritten
sorted by `index` (atomically), so a resumed sweep gives the same table as one run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import platform
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from phasediag.errors import RecordError
from phasediag.grid import Point, decimal_str
from phasediag.model import Model
from phasediag.spectra import label as ensemble_label

INPUT_COLUMNS = ("index", "problem", "prior", "rho", "depth", "beta", "beta_L", "activations",
                 "noise", "ensemble_a", "ensemble_w")
INPUT_TYPES = {"index": "int", "problem": "str", "prior": "str", "depth": "int", "beta": "str",
               "activations": "str", "ensemble_a": "str", "ensemble_w": "str",
               "checksum": "str"}  # the others are floats (phasediag.results)
SEP = ";"  # joins per-layer values inside one field
CHECKSUM = "checksum"  # last column of every table: a digest of the row's other fields


UNCHECKED = (CHECKSUM, "seconds")  # timing differs between identical runs


def row_checksum(row: dict[str, str], columns: Sequence[str]) -> str:
    """12 hex digits of sha256 over the row's fields (every column but the checksum and the
    timing, in order): an edited or corrupted value no longer matches (`--resume` verifies
    it), and two runs with the same values have the same checksum."""
    text = "\x1f".join(row.get(c, "") for c in columns if c not in UNCHECKED)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def with_checksum(row: dict[str, str], columns: Sequence[str]) -> dict[str, str]:
    """The row with its checksum field set (when the table has the column)."""
    if CHECKSUM in columns:
        row[CHECKSUM] = row_checksum(row, columns)
    return row


# ---------------------------------------------------------------------------- values
def fmt(x: Any) -> str:
    """One CSV field: '' for None, true/false, repr for floats (round-trips), one line."""
    if x is None:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        x = float(x)  # repr of np.float64 is "np.float64(…)" under numpy 2
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(x, (list, tuple)):
        return SEP.join(fmt(v) for v in x)
    return " ".join(str(x).split("\n")).replace("\r", " ")


def _beta_last(model: Model) -> str:
    return decimal_str(model.full_betas[-1]) if model.L else ""


def input_fields(p: Point, model: Model | None) -> dict[str, str]:
    """The input columns of a point (decimal strings as in the config)."""
    acts = list(model.layer_activations) if model is not None else list(p.activations or ())
    if model is not None:
        labels = [ensemble_label(e) for e in model.matrix_ensembles]
        ens_a, ens_w = labels[-1], SEP.join(dict.fromkeys(labels[:-1]))
    else:
        ens_a, ens_w = p.ensemble_a, p.ensemble_w
    return {
        "index": str(p.index), "problem": p.problem, "prior": p.prior, "rho": p.rho,
        "depth": str(p.depth), "beta": SEP.join(p.betas),
        "beta_L": _beta_last(model) if model is not None else "",
        "activations": SEP.join(acts), "noise": p.noise,
        "ensemble_a": ens_a, "ensemble_w": ens_w,
    }


# ---------------------------------------------------------------------------- CSV
def _line(values: Sequence[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class RowLog:
    """Append-only CSV: header at creation, then batches of rows, each batch fsync'ed."""

    def __init__(self, path: Path, columns: Sequence[str]):
        self.path = Path(path)
        self.columns = tuple(columns)
        self._f: io.TextIOWrapper | None = None

    def create(self) -> RowLog:
        write_table(self.path, self.columns, [])
        return self

    def append(self, rows: Iterable[dict[str, str]]) -> None:
        if self._f is None:
            self._f = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115
        text = "".join(_line([with_checksum(r, self.columns)[c] for c in self.columns])
                       for r in rows)
        self._f.write(text)
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None

    def __enter__(self) -> RowLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_table(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write header + rows to `path` atomically (temporary file, fsync, rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(_line(columns))
            for r in rows:
                f.write(_line([r[c] for c in columns]))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written temporary file behind
        raise
    _fsync_dir(path)


def recover(path: Path, columns: Sequence[str]) -> tuple[list[dict[str, str]], int]:
    """Complete rows of an existing CSV, and how many lines were dropped.

    A last line without its newline (the write a kill interrupted) and lines with the wrong
    number of fields are dropped; a different header raises RecordError.
    """
    data = Path(path).read_bytes()
    cut = data.rfind(b"\n") + 1
    dropped = 1 if cut < len(data) else 0
    text = data[:cut].decode("utf-8", errors="replace")
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        return [], dropped
    if tuple(lines[0]) != tuple(columns):
        raise RecordError(f"{path}: its columns differ from this sweep's ({len(lines[0])} vs "
                          f"{len(columns)}); use --force to start over")
    rows = []
    for fields in lines[1:]:
        if len(fields) != len(columns):
            dropped += 1
            continue
        rows.append(dict(zip(columns, fields, strict=True)))
    return rows, dropped


# ---------------------------------------------------------------------------- provenance
def meta_path(out: Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".meta.json")


def write_meta(path: Path, meta: dict) -> None:
    """Write the provenance JSON atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, sort_keys=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path)


def read_meta(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def source_checkout(package_dir: Path | None = None) -> Path | None:
    """The git work tree whose `phasediag/` *is* this package (an editable install or a
    clone), else None — a package installed inside some other repository is not one."""
    pkg = (package_dir or Path(__file__).resolve().parent).resolve()
    try:
        out = subprocess.run(["git", "-C", str(pkg), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    top = Path(out.stdout.strip()).resolve() if out.stdout.strip() else None
    if top is None or (top / pkg.name).resolve() != pkg or not (top / "pyproject.toml").is_file():
        return None
    return top


def git_state(package_dir: Path | None = None) -> dict[str, Any] | None:
    """{"commit", "dirty"} of the package's own checkout (`source_checkout`), else None.
    dirty: tracked files differ from the commit (untracked files are ignored)."""
    top = source_checkout(package_dir)
    if top is None:
        return None
    try:
        sha = subprocess.run(["git", "-C", str(top), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        diff = subprocess.run(["git", "-C", str(top), "status", "--porcelain",
                               "--untracked-files=no"], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": sha or None, "dirty": bool(diff)}


def distribution() -> dict[str, Any] | None:
    """The installed distribution's metadata (name, version, where from), else None."""
    from importlib import metadata

    try:
        dist = metadata.distribution("phasediag")
    except metadata.PackageNotFoundError:
        return None
    out: dict[str, Any] = {"name": dist.metadata["Name"], "version": dist.version}
    direct = dist.read_text("direct_url.json")  # PEP 610: where pip installed it from
    if direct:
        try:
            out["direct_url"] = json.loads(direct)
        except json.JSONDecodeError:
            pass
    return out


def environment() -> dict[str, Any]:
    """Versions that can change a number (Python and the numerical libraries) and where the
    package came from: `git_commit` + `git_dirty` when it is its own git checkout, else
    None and the installed distribution's metadata."""
    import numba
    import numpy
    import scipy

    from phasediag import __version__

    git = git_state()
    return {"phasediag": __version__, "python": platform.python_version(),
            "numpy": numpy.__version__, "numba": numba.__version__, "scipy": scipy.__version__,
            "git_commit": git["commit"] if git else None,
            "git_dirty": git["dirty"] if git else None,
            "distribution": None if git else distribution()}
