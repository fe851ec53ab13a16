"""Run a sweep: points → tasks → executor (in-process, joblib/loky, dask) → append-safe CSV.

`run_sweep(config, out, workers=…)` is the whole pipeline; the CLI command and the
benchmark call it. Points are grouped into tasks of about TASK_SECONDS so that fast points
(an mse point takes ~1 ms) do not drown in scheduling; each worker process loads the numba
kernels from the on-disk cache once, at its first task, and keeps them for the next ones.
Rows are appended and fsync'ed as tasks finish; see `phasediag.records` for what makes an
interrupted sweep resumable and docs/sweeps.md for the user's view.
"""

from __future__ import annotations

import math
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phasediag import computes
from phasediag.config import ConfigError, SweepConfig, load_config
from phasediag.errors import ModelError, SweepError
from phasediag.grid import Point
from phasediag.limits import check
from phasediag.records import (
    CHECKSUM,
    RecordError,
    RowLog,
    environment,
    meta_path,
    read_meta,
    recover,
    row_checksum,
    write_meta,
    write_table,
)

TASK_SECONDS = 0.1  # target duration of one task (a batch of points, one fsync)
TASKS_PER_WORKER = 4  # at least this many tasks per worker, for load balance at the end
WORKER_START_SECONDS = 1.5  # a fresh worker process: imports + numba cache load

@dataclass(frozen=True)
class SweepStats:
    """What a run did: counts, wall time, and where the table is."""

    out: Path
    n_points: int  # points in the grid
    n_existing: int  # rows already in the CSV (resume)
    n_computed: int  # rows computed by this run
    n_failed: int  # of those, rows with an error
    seconds: float  # wall time of this run, executor start included
    workers: int
    backend: str  # serial (this process) | loky (this process + loky workers) | dask
    complete: bool  # every point has a row (the CSV is sorted by index)

    @property
    def points_per_second(self) -> float:
        return self.n_computed / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class Plan:
    """What a run would do (the --dry-run report)."""

    n_points: int
    n_existing: int
    n_todo: int
    n_tasks: int
    chunk: int
    workers: int
    cpu_seconds: float  # estimated compute, summed over points
    wall_seconds: float  # estimated wall time on `workers` (with worker start-up)

    def describe(self, compute: str) -> str:
        done = f", {self.n_existing} already in the output" if self.n_existing else ""
        if not self.n_todo:
            return f"{self.n_points} {compute} points{done}: nothing to compute"
        return (f"{self.n_points} {compute} points{done}: {self.n_todo} to compute in "
                f"{self.n_tasks} tasks of ≤ {self.chunk}; estimated {_dur(self.cpu_seconds)} of "
                f"compute, ≈ {_dur(self.wall_seconds)} on {self.workers} worker(s) "
                f"(rough: ±3×)")


def _dur(s: float) -> str:
    if s < 0.1:
        return "< 0.1 s"
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


# ---------------------------------------------------------------------------- estimates
def estimate_point_seconds(cfg: SweepConfig, p: Point) -> float:
    """Rough cost of one point (s), from its compute kind's estimate."""
    return cfg.kind.cost(p, cfg.settings)


def default_workers() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _auto_workers(cfg: SweepConfig, todo: Sequence[Point]) -> int:
    """Default worker count: the CPUs, or 1 when the whole sweep is shorter than starting
    worker processes would take."""
    cpu = sum(estimate_point_seconds(cfg, p) for p in todo)
    return 1 if cpu < 2 * WORKER_START_SECONDS else default_workers()


def _chunk_size(costs: Sequence[float], workers: int) -> int:
    """Points per task: about TASK_SECONDS each, and ≥ TASKS_PER_WORKER tasks per worker."""
    if not costs:
        return 1
    mean = sum(costs) / len(costs)
    by_time = max(1, round(TASK_SECONDS / max(mean, 1e-9)))
    by_balance = max(1, math.ceil(len(costs) / (workers * TASKS_PER_WORKER)))
    return max(1, min(by_time, by_balance)) if workers > 1 else by_time


# ---------------------------------------------------------------------------- tasks
_WATCHED: list[int] = []


def _exit_with_parent(parent: int) -> None:
    """In a pool worker: exit when the sweep process is gone (kill -9 leaves no orphans)."""
    if _WATCHED or os.getpid() == parent:
        return
    _WATCHED.append(parent)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="phasediag-parent-watch", daemon=True).start()


def run_task(compute: str, points: Sequence[Point], settings: Any,
             parent: int | None = None) -> list[dict[str, str]]:
    """Worker entry point: the rows of a batch of points (module-level, so it pickles).

    compute: a registered kind; settings: its settings (a frozen dataclass); parent: pid of
    the sweep process, for local pool workers (see `_exit_with_parent`).
    """
    if parent is not None:
        _exit_with_parent(parent)
    return computes.get(compute).run(points, settings)


# ---------------------------------------------------------------------------- executors
Task = tuple[str, list[Point], Any]  # run_task's arguments


def _serial(tasks: Sequence[Task]) -> Iterator[list[dict[str, str]]]:
    for t in tasks:
        yield run_task(*t)


def _pool(tasks: Sequence[Task], workers: int) -> Iterator[list[dict[str, str]]]:
    """`workers` − 1 loky processes plus this one: the calling process computes too.

    On 2 cores, a 2-worker sweep then starts one process instead of two, and no core waits
    while a worker imports numpy/numba and loads the kernels (~1.3 s of CPU each; measured
    faster than joblib.Parallel over 2 workers, whose calling process only waits). Workers
    take tasks from the left of the queue (refilled as each result arrives, two in flight
    per worker, so a long numba call here holding the GIL does not starve them), this
    process from the right. Loky starts fresh interpreters (no fork after numba).
    """
    from joblib.externals.loky import get_reusable_executor

    executor = get_reusable_executor(max_workers=workers - 1, timeout=300)
    pending = deque(tasks)
    done: queue.SimpleQueue = queue.SimpleQueue()
    lock = threading.Lock()
    submitted = 0
    parent = os.getpid()

    def feed(finished: Any = None) -> None:
        nonlocal submitted
        if finished is not None:
            done.put(finished)
        with lock:
            if not pending:
                return
            task = pending.popleft()
            submitted += 1
        executor.submit(run_task, *task, parent=parent).add_done_callback(feed)

    for _ in range(min(2 * (workers - 1), len(tasks) - 1)):  # leave this process one
        feed()
    received = 0
    try:
        while True:
            while not done.empty():
                received += 1
                yield done.get().result()
            with lock:
                task = pending.pop() if pending else None
            if task is None:
                break
            yield run_task(*task)
        while True:
            with lock:
                if received == submitted:
                    break
            received += 1
            yield done.get().result()
    except BaseException:
        with lock:
            pending.clear()
        executor.shutdown(wait=False, kill_workers=True)
        raise


DASK_CONNECT_SECONDS = 15.0  # a scheduler that does not answer by then is not one
DASK_NO_WORKER_SECONDS = 60.0  # how long a sweep waits with no worker connected
DASK_RETRIES = 2  # reruns of a task that raised (a task lost with its worker is rerun by
#                   the scheduler itself, up to its `allowed-failures`, then KilledWorker)


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
    """(client, owned): connect to an address (within DASK_CONNECT_SECONDS, also when the
    address is a listener that is not a Dask scheduler), or use a Client passed in."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise SweepError("--scheduler", "needs dask.distributed: pip install phasediag[dask]"
                         ) from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise SweepError("--scheduler", f"expected an address such as tcp://HOST:8786, got "
                                        f"{scheduler!r}")
    result: dict[str, Any] = {}

    def connect() -> None:
        try:
            result["client"] = Client(scheduler, timeout=f"{DASK_CONNECT_SECONDS:g}s")
        except Exception as e:  # noqa: BLE001 — reported below as one line
            result["error"] = e

    t = threading.Thread(target=connect, name="phasediag-dask-connect", daemon=True)
    t.start()
    t.join(DASK_CONNECT_SECONDS + 5)
    if "client" in result:
        return result["client"], True
    why = result.get("error")
    why = f"{type(why).__name__}: {why}" if why is not None else \
        f"no Dask scheduler answered within {DASK_CONNECT_SECONDS:g} s"
    raise SweepError("--scheduler", f"cannot connect to {scheduler}: {why}")


def _dask_lost(client: Any, e: BaseException) -> SweepError:
    return SweepError("--scheduler", f"the Dask cluster lost the sweep ({type(e).__name__}: "
                                     f"{str(e).splitlines()[0] if str(e) else 'no detail'}); "
                                     "the finished rows are in the CSV: rerun with --resume")


def _dask(tasks: Sequence[Task], client: Any) -> Iterator[list[dict[str, str]]]:
    """Tasks on a dask.distributed cluster, rows as they finish. A task that raises is
    retried DASK_RETRIES times; a lost worker's tasks are rerun by the scheduler; with no
    worker connected for DASK_NO_WORKER_SECONDS, or the scheduler gone, a SweepError (the
    CSV keeps the finished rows, `--resume` continues)."""
    from concurrent.futures import CancelledError

    from dask.distributed import KilledWorker, wait
    from distributed.comm.core import CommClosedError

    lost = (KilledWorker, CancelledError, CommClosedError, OSError)
    try:
        futures = [client.submit(run_task, *t, pure=False, retries=DASK_RETRIES)
                   for t in tasks]
    except lost as e:
        raise _dask_lost(client, e) from None
    pending = set(futures)
    alone_since: float | None = None
    try:
        while pending:
            try:
                done, pending = wait(pending, timeout=5, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            except lost as e:
                raise _dask_lost(client, e) from None
            for fut in done:
                try:
                    yield fut.result()
                except lost as e:
                    raise _dask_lost(client, e) from None
            if done:
                alone_since = None
                continue
            if client.status not in ("running", "connecting"):
                raise _dask_lost(client, ConnectionError(f"client {client.status}"))
            try:
                n = len(client.scheduler_info().get("workers", {}))
            except lost as e:
                raise _dask_lost(client, e) from None
            now = time.monotonic()
            if n:
                alone_since = None
            elif alone_since is None:
                alone_since = now
                print(f"phasediag: no Dask worker is connected to the scheduler; waiting up "
                      f"to {DASK_NO_WORKER_SECONDS:g} s for one", file=sys.stderr)
            elif now - alone_since > DASK_NO_WORKER_SECONDS:
                raise SweepError("--scheduler", f"no Dask worker connected for "
                                                f"{DASK_NO_WORKER_SECONDS:g} s; the finished "
                                                "rows are in the CSV: start workers and rerun "
                                                "with --resume")
    finally:
        try:
            client.cancel([f for f in futures if not f.done()])
        except Exception:  # noqa: BLE001, S110 — the cluster may be gone already
            pass


def _dask_workers(client: Any) -> int:
    try:
        return max(sum(client.nthreads().values()), 1)
    except Exception:  # noqa: BLE001 — only used to size tasks
        return 1


# ---------------------------------------------------------------------------- orchestration
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _as_config(config: SweepConfig | str | Path) -> SweepConfig:
    return config if isinstance(config, SweepConfig) else load_config(config)


_KEY_COLUMNS = ("problem", "prior", "rho", "depth", "beta", "noise", "init", "alpha",
                "ensemble_a")


def _point_fields(p: Point) -> dict[str, str]:
    from phasediag.grid import parse_ensemble
    from phasediag.spectra import label

    return {"problem": p.problem, "prior": p.prior, "rho": p.rho, "depth": str(p.depth),
            "beta": ";".join(p.betas), "noise": p.noise, "init": p.init or "",
            "alpha": p.alpha or "", "ensemble_a": label(parse_ensemble(p.ensemble_a))}


def _existing(out: Path, cfg: SweepConfig, points: Sequence[Point],
              clean: bool = True) -> dict[int, dict]:
    """Rows of a resumable output, keyed by index; with `clean`, the file is rewritten
    without the lines that were dropped (partial last line, duplicates)."""
    meta = read_meta(meta_path(out))
    if meta is None:
        raise SweepError("--resume", f"{meta_path(out)} is missing or unreadable, so the config "
                                     f"of {out} cannot be checked; use --force to start over")
    if meta.get("config_hash") != cfg.hash():
        raise SweepError("--resume", f"{out} was made by a different config (hash "
                                     f"{str(meta.get('config_hash'))[:12]} ≠ {cfg.hash()[:12]}); "
                                     "use another --out, or --force to start over")
    columns = cfg.columns
    try:
        rows, dropped = recover(out, columns)
    except RecordError as e:
        raise SweepError("--resume", str(e)) from None
    kept: dict[int, dict] = {}
    for r in rows:
        try:
            i = int(r["index"])
        except ValueError:
            dropped += 1
            continue
        if not 0 <= i < len(points):
            raise SweepError("--resume", f"{out}: row index {i} is outside this grid")
        want = _point_fields(points[i])
        if any(r.get(c, "") != want[c] for c in _KEY_COLUMNS if c in columns):
            raise SweepError("--resume", f"{out}: row {i} does not match this grid's point "
                                         f"{i}; use --force to start over")
        if i in kept:
            dropped += 1
            continue
        if CHECKSUM in columns and r.get(CHECKSUM) != row_checksum(r, columns):
            raise SweepError("--resume", f"{out}: the values of row {i} do not match its "
                                         "checksum (edited after it was written?); delete that "
                                         "line to recompute it, or use --force to start over")
        kept[i] = r
    if dropped and clean:
        write_table(out, columns, kept.values())
    return kept


def check_out(out: str | Path, *, resume: bool = False, force: bool = False) -> Path:
    """The output CSV path, or the SweepError `run_sweep` would raise before any work: the
    suffix must be .csv, its parent a directory or absent (it is created), and an existing
    file needs `resume` or `force`."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise SweepError("--out", f"a sweep writes CSV: expected a file name ending in .csv, "
                                  f"got {str(out)!r}")
    parent = next((p for p in (out.parent, *out.parent.parents) if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise SweepError("--out", f"{parent} is not a directory")
    if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
        raise SweepError("--out", f"cannot write in {parent} (permission denied)")
    if out.exists() and (resume or force) and not os.access(out, os.R_OK | os.W_OK):
        raise SweepError("--out", f"cannot read and write {out} (permission denied)")
    if out.exists() and not (resume or force):
        raise SweepError("--out", f"{out} exists; use --resume to continue it or --force "
                                  "to overwrite it")
    return out


def plan_sweep(config: SweepConfig | str | Path, out: str | Path | None = None,
               workers: int | None = None, resume: bool = False,
               chunk_size: int | None = None, force: bool = False) -> Plan:
    """Count points, tasks and estimated cost without computing anything (--dry-run)."""
    cfg = _as_config(config)
    points = cfg.points()
    if out is not None:
        check_out(out, resume=resume, force=force)
    done: set[int] = set()
    if resume and out is not None and Path(out).exists():
        done = set(_existing(Path(out), cfg, points, clean=False))
    todo = [p for p in points if p.index not in done]
    workers = workers or _auto_workers(cfg, todo)
    tasks = _tasks(cfg, todo, workers, chunk_size)
    cpu = sum(estimate_point_seconds(cfg, p) for p in todo)
    eff = max(min(workers, len(tasks)), 1)
    wall = cpu / eff + (WORKER_START_SECONDS if eff > 1 else 0.0)
    chunk = max((len(t[1]) for t in tasks), default=0)
    return Plan(len(points), len(done), len(todo), len(tasks), chunk, eff, cpu, wall)


def _tasks(cfg: SweepConfig, todo: Sequence[Point], workers: int,
           chunk_size: int | None) -> list[Task]:
    """Batches of points. Points that must share a task (the kind's batch key: e.g. runs on
    common instances) form one task each. The others are strided, not contiguous:
    neighbouring points cost alike (a slow region near a transition), so spreading them over
    the tasks evens out their durations."""
    if not todo:
        return []
    kind, settings = cfg.kind, cfg.settings
    groups: dict[Any, list[Point]] = {}
    free: list[Point] = []
    for p in todo:
        key = kind.batch_key(p, settings)
        if key is None:
            free.append(p)
        else:
            groups.setdefault(key, []).append(p)
    tasks: list[Task] = [(cfg.compute, g, settings) for g in groups.values()]
    if free:
        costs = [estimate_point_seconds(cfg, p) for p in free]
        chunk = chunk_size or _chunk_size(costs, workers)
        n = math.ceil(len(free) / chunk)
        tasks += [(cfg.compute, list(free[i::n]), settings) for i in range(n)]
    return tasks


def _start_meta(cfg: SweepConfig, out: Path, n_points: int, n_existing: int, backend: str,
                workers: int, config_file: str | None) -> dict:
    """Provenance written before the first row; a resumed run extends the previous one."""
    old = read_meta(meta_path(out)) if out.exists() else None
    now = _now()
    run = {"started": now, "finished": None, "rows_computed": 0, "backend": backend,
           "workers": workers}
    return {
        "phasediag_sweep": 1,
        "name": cfg.name,
        "description": cfg.description,
        "compute": cfg.compute,
        "config_file": config_file,
        "config": cfg.source,
        "normalized_config": cfg.to_dict(),
        "config_hash": cfg.hash(),
        "settings": cfg.settings_dict(),
        "tol": cfg.tol,
        "se_options": cfg.settings_dict()["se"],
        "columns": list(cfg.columns),
        "n_points": n_points,
        "rows": n_existing,
        "status": "running",
        "started": (old or {}).get("started") or now,
        "finished": None,
        "runs": [*(old or {}).get("runs", []), run],
        **environment(),
    }


def _batches(tasks: Sequence[Task], backend: str, workers: int,
             client: Any) -> Iterator[list[dict[str, str]]]:
    if not tasks:
        return iter(())
    if backend == "dask":
        return _dask(tasks, client)
    if backend == "loky":
        return _pool(tasks, workers)
    return _serial(tasks)


def run_sweep(config: SweepConfig | str | Path, out: str | Path, *, workers: int | None = None,
              scheduler: Any = None, resume: bool = False, force: bool = False,
              chunk_size: int | None = None, progress: bool | None = None,
              config_file: str | None = None,
              on_rows: Callable[[list[dict[str, str]]], None] | None = None) -> SweepStats:
    """Compute every point of `config` into `out` (CSV) and `out`.meta.json.

    workers: processes for the local pool (default: the CPU count; 1 = in this process);
    scheduler: a dask.distributed address ("tcp://host:8786") or Client, instead of the pool;
    resume: keep the rows already in `out` (same config only) and compute the others;
    force: overwrite an existing `out`; chunk_size: points per task (default: automatic);
    progress: tqdm bar (None: only on a terminal); on_rows: called with each batch written.
    Raises SweepError/ConfigError (one line) before touching any file if the run cannot start
    — also when another sweep holds `out`'s lock file (`lock_path`, kept while writing).
    """
    from filelock import FileLock, Timeout

    t_start = time.perf_counter()
    if not isinstance(config, SweepConfig) and config_file is None:
        config_file = str(config)
    cfg = _as_config(config)
    points = cfg.points()
    out = Path(out)
    if workers is not None:
        workers = _limit("workers", workers, "--workers")
    if chunk_size is not None:
        chunk_size = _limit("chunk_size", chunk_size, "--chunk-size")
    check_out(out, resume=resume, force=force)
    client, owned = (None, False) if scheduler is None else _dask_client(scheduler)
    try:  # from here on, every exit closes the client and leaves no lock file behind
        try:
            out.parent.mkdir(parents=True, exist_ok=True)  # every check passed: create it
        except OSError as e:
            raise SweepError("--out", f"cannot create directory {out.parent}: "
                                      f"{e.strerror or e}") from None
        lock = FileLock(lock_path(out), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise SweepError("--out", f"{out} is being written by another sweep (lock "
                                      f"{lock.lock_file} is held); wait for it or stop it"
                             ) from None
        except OSError as e:
            raise SweepError("--out", f"cannot create the lock file {lock.lock_file}: "
                                      f"{e.strerror or e}") from None
        try:
            return _run_locked(cfg, points, out, t_start, workers=workers, client=client,
                               resume=resume, force=force, chunk_size=chunk_size,
                               progress=progress, config_file=config_file, on_rows=on_rows)
        finally:
            lock.release()
            Path(lock.lock_file).unlink(missing_ok=True)  # ours: every taker uses timeout=0
    finally:
        if owned:
            client.close()


def _limit(name: str, value: Any, option: str) -> int:
    """A sweep option checked against `phasediag.limits` (SweepError naming the option)."""
    try:
        return check(name, value, option)
    except ModelError as e:
        raise SweepError(option, e.message) from None


def lock_path(out: Path) -> Path:
    """The lock file of a sweep output: hidden, beside it (`.NAME.lock`), removed when the
    sweep ends (also when it fails)."""
    return out.with_name(f".{out.name}.lock")


def _run_locked(cfg: SweepConfig, points: list[Point], out: Path, t_start: float, *, workers,
                client, resume, force, chunk_size, progress, config_file,
                on_rows) -> SweepStats:
    """`run_sweep` once the arguments are checked and `out`'s lock is held."""
    columns = cfg.columns
    existing: dict[int, dict] = {}
    if out.exists() and not force:
        if not resume:
            raise SweepError("--out", f"{out} exists; use --resume to continue it or --force "
                                      "to overwrite it")
        existing = _existing(out, cfg, points)
    todo = [p for p in points if p.index not in existing]

    if client is not None:  # connected before the lock: a bad address leaves nothing behind
        backend, n_workers = "dask", _dask_workers(client)
    else:
        n_workers = workers or _auto_workers(cfg, todo)
    tasks = _tasks(cfg, todo, n_workers, chunk_size)
    if client is None:
        n_workers = max(min(n_workers, len(tasks)), 1)
        backend = "serial" if n_workers == 1 else "loky"

    status, n_failed = "interrupted", 0
    if force:
        out.unlink(missing_ok=True)
        meta_path(out).unlink(missing_ok=True)
    meta = _start_meta(cfg, out, len(points), len(existing), backend, n_workers,
                       config_file)
    write_meta(meta_path(out), meta)  # before the CSV: a CSV never exists without its meta
    if not out.exists():
        RowLog(out, columns).create()
    from tqdm import tqdm

    bar = tqdm(total=len(points), initial=len(existing), unit="pt",
               desc=cfg.name or "sweep", disable=None if progress is None else not progress,
               file=sys.stderr, dynamic_ncols=True, smoothing=0.05)
    try:
        with RowLog(out, columns) as log:
            for rows in _batches(tasks, backend, n_workers, client):
                log.append(rows)
                n_failed += sum(1 for r in rows if r["error"])
                bar.update(len(rows))
                if on_rows is not None:
                    on_rows(rows)
        status = "complete"
    finally:
        bar.close()
        n_rows = _finish(out, columns, len(points), status == "complete")
        if status == "complete" and n_rows != len(points):
            status = "incomplete"  # not expected: every task returns all its rows
        meta["runs"][-1].update(finished=_now(), rows_computed=n_rows - len(existing))
        meta.update(status=status, rows=n_rows, finished=_now())
        write_meta(meta_path(out), meta)
    return SweepStats(out=out, n_points=len(points), n_existing=len(existing),
                      n_computed=n_rows - len(existing), n_failed=n_failed,
                      seconds=time.perf_counter() - t_start, workers=n_workers, backend=backend,
                      complete=status == "complete")


def _finish(out: Path, columns: Sequence[str], n_points: int, done: bool) -> int:
    """Rows in the file (the truth: an interrupt may fall between an append and its count);
    when every point is done, rewrite the file sorted by index."""
    rows, _ = recover(out, columns)
    if done and len(rows) == n_points:
        rows.sort(key=lambda r: int(r["index"]))
        write_table(out, columns, rows)
    return len(rows)


__all__ = ["ConfigError", "Plan", "SweepError", "SweepStats", "plan_sweep", "run_sweep",
           "run_task"]
