"""A real Dask cluster on 127.0.0.1 (separate `dask scheduler` and `dask worker` processes):
a worker killed mid-sweep is replaced and its tasks rerun; the scheduler killed mid-sweep
ends the sweep with one clear error, a valid CSV, and `--resume` on a new cluster completes
it to the table an uninterrupted local run gives (every column but the timing)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")
psutil = pytest.importorskip("psutil")

from phasediag.config import config_from_dict  # noqa: E402
from phasediag.errors import SweepError  # noqa: E402
from phasediag.records import recover  # noqa: E402
from phasediag.runner import run_sweep  # noqa: E402

DASK = shutil.which("dask", path=str(Path(sys.executable).parent))
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(DASK is None, reason="the dask command is not installed")]

CONFIG = {"compute": "thresholds", "tol": 1e-3,
          "grid": {"problem": ["cs", "pr"], "prior": "linear",
                   "rho": {"start": 0.2, "stop": 2, "num": 12}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One scheduler and one worker (with its nanny) on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        common = ["--no-dashboard"]
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(self.port), *common],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.worker = subprocess.Popen(
            [DASK, "worker", self.address, "--host", "127.0.0.1", "--nworkers", "1",
             "--nthreads", "1", *common], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(self.address, timeout="5s") as c:
                    c.wait_for_workers(1, timeout=50)
                    break
            except Exception:  # noqa: BLE001 — not up yet
                if time.monotonic() > deadline:
                    self.close()
                    raise
                time.sleep(0.5)

    def kill_worker_process(self) -> None:
        """SIGKILL the worker process itself (its nanny starts a new one)."""
        for child in psutil.Process(self.worker.pid).children(recursive=True):
            child.send_signal(signal.SIGKILL)

    def close(self) -> None:
        for p in (self.worker, self.scheduler):
            if p.poll() is None:
                for child in psutil.Process(p.pid).children(recursive=True):
                    child.kill()
                p.kill()
            p.wait(timeout=30)


@pytest.fixture
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.csv"
    run_sweep(config_from_dict(CONFIG), out, workers=1, progress=False)
    return recover(out, config_from_dict(CONFIG).columns)[0]


def values(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


def _after_rows(n: int, action) -> tuple[list, object]:
    """An on_rows callback that runs `action` (in a thread) once n rows are written."""
    seen: list[int] = []
    fired = threading.Event()

    def on_rows(rows) -> None:
        seen.append(len(rows))
        if sum(seen) >= n and not fired.is_set():
            fired.set()
            threading.Thread(target=action, daemon=True).start()
    return seen, on_rows


def test_worker_killed_mid_sweep_is_replaced(tmp_path, reference):
    cluster = Cluster()
    try:
        out = tmp_path / "w.csv"
        _, on_rows = _after_rows(4, cluster.kill_worker_process)
        st = run_sweep(config_from_dict(CONFIG), out, scheduler=cluster.address,
                       chunk_size=1, progress=False, on_rows=on_rows)
        assert st.complete and st.backend == "dask"
        assert values(recover(out, config_from_dict(CONFIG).columns)[0]) == values(reference)
    finally:
        cluster.close()


def test_scheduler_killed_mid_sweep_then_resumed(tmp_path, reference):
    cfg = config_from_dict(CONFIG)
    cluster = Cluster()
    out = tmp_path / "s.csv"
    try:
        _, on_rows = _after_rows(4, lambda: cluster.scheduler.send_signal(signal.SIGKILL))
        t0 = time.monotonic()
        with pytest.raises(SweepError, match="--resume"):
            run_sweep(cfg, out, scheduler=cluster.address, chunk_size=1, progress=False,
                      on_rows=on_rows)
        assert time.monotonic() - t0 < 120
    finally:
        cluster.close()
    rows, dropped = recover(out, cfg.columns)
    assert dropped == 0 and 4 <= len(rows) < len(reference)
    assert not (tmp_path / ".s.csv.lock").exists()
    cluster = Cluster()
    try:
        st = run_sweep(cfg, out, scheduler=cluster.address, resume=True, progress=False)
        assert st.complete and st.n_existing == len(rows)
    finally:
        cluster.close()
    assert values(recover(out, cfg.columns)[0]) == values(reference)
