"""Sweeps (issue 4): rows and provenance, resume after SIGKILL/SIGINT, local pool and Dask give
the same table as a serial run."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from phasediag import Model, thresholds
from phasediag.cli import main
from phasediag.computes import columns
from phasediag.config import config_from_dict, parse_yaml
from phasediag.records import meta_path
from phasediag.runner import SweepError, lock_path, plan_sweep, run_sweep
from phasediag.se import solve_se

THRESHOLD_COLUMNS = columns("thresholds")
MSE_COLUMNS = columns("mse")

SMALL = """
compute: thresholds
name: small
tol: 1e-2
grid:
  problem: [cs, pr]
  prior: linear
  depth: [1, 2]
  beta: 2
  rho: [0.5, 2]
"""
# 150 points of ~10 ms: long enough to be killed mid-way, short enough for the suite
LONG = """
compute: thresholds
tol: 1e-2
grid:
  problem: pr
  prior: linear
  depth: [1, 2, 3]
  rho: {start: 1.2, stop: 3, num: 50}
"""


def table(path: Path) -> list[dict]:
    """Rows of a sweep CSV without the timing column (the only one that may differ)."""
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k != "seconds"} for r in csv.DictReader(f)]


def cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text)
    return p


@pytest.fixture(scope="module")
def small_ref(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    out = d / "ref.csv"
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, progress=False)
    assert st.complete and st.n_computed == 8 and st.backend == "serial"
    return out


@pytest.fixture(scope="module")
def long_ref(tmp_path_factory):
    d = tmp_path_factory.mktemp("long")
    cfg = write(d, "long.yaml", LONG)
    out = d / "ref.csv"
    run_sweep(cfg, out, workers=1, progress=False)
    return cfg, out


# ---------------------------------------------------------------------------- rows
def test_threshold_rows_match_the_api(small_ref):
    rows = table(small_ref)
    with open(small_ref, newline="") as f:
        assert next(csv.reader(f)) == list(THRESHOLD_COLUMNS)
    assert [r["index"] for r in rows] == [str(i) for i in range(8)]
    r = next(r for r in rows if r["problem"] == "pr" and r["depth"] == "2" and r["rho"] == "2")
    res = thresholds("pr", "linear", rho=2.0, depth=2, betas=(2.0,), tol=1e-2)
    assert float(r["alpha_alg"]) == res.alpha_alg.mid
    assert float(r["alpha_alg_lo"]) == res.alpha_alg.lo
    assert float(r["alpha_alg_hi"]) == res.alpha_alg.hi
    assert float(r["alpha_c_analytic"]) == res.alpha_c_analytic
    assert r["beta"] == "2" and r["beta_L"] == "0.25" and r["activations"] == "linear;linear"
    assert r["alpha_it_status"] == "ok" and r["converged"] == "true" and r["error"] == ""
    assert {r["rho"] for r in rows} == {"0.5", "2"} and all(r["tol"] == "0.01" for r in rows)


def test_meta_records_provenance(small_ref):
    meta = json.loads(meta_path(small_ref).read_text())
    cfg = config_from_dict(parse_yaml(SMALL))
    assert meta["config_hash"] == cfg.hash() and meta["status"] == "complete"
    assert meta["rows"] == meta["n_points"] == 8 and meta["compute"] == "thresholds"
    assert meta["config"]["grid"]["rho"] == [0.5, 2.0] and meta["tol"] == 0.01
    assert meta["se_options"]["max_iter"] == 1_000_000
    assert meta["columns"] == list(THRESHOLD_COLUMNS)
    assert "git_commit" in meta and meta["phasediag"] and meta["numba"]
    assert meta["started"] <= meta["finished"]


def test_mse_rows(tmp_path):
    cfg = config_from_dict(parse_yaml("""
compute: mse
init: [uninformed, informed]
grid: {problem: pr, prior: linear, depth: [1, 2], rho: 2, alpha: [0.5, 0.9, 1.2]}
"""))
    out = tmp_path / "mse.csv"
    st = run_sweep(cfg, out, workers=1, progress=False)
    assert st.n_computed == 12 and st.n_failed == 0
    with open(out, newline="") as f:
        assert next(csv.reader(f)) == list(MSE_COLUMNS)
    rows = table(out)
    r = next(r for r in rows if r["depth"] == "2" and r["alpha"] == "0.9"
             and r["init"] == "uninformed")
    res = solve_se(Model("pr", "linear", rho=2.0, depth=2), 0.9)
    assert float(r["mse"]) == res.mse and float(r["normalized_mse"]) == res.normalized_mse
    assert r["overlaps"].split(";") == [repr(m) for m in res.overlaps]
    assert float(r["overlap"]) == res.overlaps[-1] and r["iterations"] == str(res.n_iter)
    assert all(len(r["overlaps"].split(";")) == int(r["depth"]) + 1 for r in rows)
    assert {r["status"] for r in rows if r["alpha"] == "1.2"} == {"perfect"}


def test_failed_point_is_a_row(tmp_path, monkeypatch, capsys):
    th = sys.modules["phasediag.thresholds"]  # the package attribute is the api function
    real = th.compute_thresholds

    def flaky(model, tol, opts):
        if model.rho == 2.0 and model.problem == "pr":
            raise RuntimeError("boom\nsecond line")
        return real(model, tol=tol, opts=opts)

    monkeypatch.setattr(th, "compute_thresholds", flaky)
    cfg = write(tmp_path, "c.yaml", SMALL)
    out = tmp_path / "out.csv"
    code, text, _ = cli(capsys, "sweep", str(cfg), "--out", str(out), "--workers", "1")
    assert code == 0 and "wrote 8 rows" in text and "2 failed" in text
    rows = table(out)
    bad = [r for r in rows if r["error"]]
    assert len(rows) == 8 and len(bad) == 2
    assert all(r["error"] == "RuntimeError: boom second line" and r["converged"] == "false"
               and r["alpha_alg"] == "" and r["rho"] == "2" for r in bad)


# ---------------------------------------------------------------------------- safety
def test_existing_output_refused_then_forced(small_ref, tmp_path):
    out = tmp_path / "o.csv"
    shutil.copy(small_ref, out)
    shutil.copy(meta_path(small_ref), meta_path(out))
    with pytest.raises(SweepError, match="exists; use --resume .* or --force"):
        run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1)
    other = config_from_dict(parse_yaml(SMALL.replace("tol: 1e-2", "tol: 2e-2")))
    with pytest.raises(SweepError, match="different config"):
        run_sweep(other, out, workers=1, resume=True)
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, resume=True)
    assert st.n_existing == 8 and st.n_computed == 0 and table(out) == table(small_ref)
    meta_path(out).unlink()
    with pytest.raises(SweepError, match="meta.json is missing"):
        run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, resume=True)
    other_out = tmp_path / "p.csv"
    run_sweep(other, other_out, workers=1, progress=False)
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), other_out, workers=1, force=True)
    assert st.n_computed == 8 and table(other_out) == table(small_ref)


def test_second_sweep_on_the_same_output_is_refused(tmp_path):
    """While one sweep holds OUT's lock, another refuses to start and writes nothing."""
    out = tmp_path / "o.csv"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom filelock import FileLock\n"
         "lock = FileLock(sys.argv[1]); lock.acquire()\n"
         "print('held', flush=True); time.sleep(60)",
         str(lock_path(out))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SweepError, match="being written by another sweep"):
            run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, progress=False)
        assert not out.exists() and not meta_path(out).exists()
    finally:
        holder.kill()
        holder.wait()
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, progress=False)
    assert st.complete and st.n_computed == 8


def test_resume_drops_partial_and_duplicate_lines(small_ref, tmp_path):
    out = tmp_path / "o.csv"
    shutil.copy(meta_path(small_ref), meta_path(out))
    lines = small_ref.read_text().splitlines(keepends=True)
    # completion order, a duplicate, and a last line cut by a kill
    out.write_text(lines[0] + lines[6] + lines[2] + lines[6] + lines[4] + lines[7][:25])
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, resume=True,
                   progress=False)
    assert st.n_existing == 3 and st.n_computed == 5 and st.complete
    assert table(out) == table(small_ref)


def test_resume_refuses_rows_of_another_grid(small_ref, tmp_path):
    out = tmp_path / "o.csv"
    shutil.copy(meta_path(small_ref), meta_path(out))
    text = small_ref.read_text().replace("\n0,cs,linear,0.5,", "\n0,cs,linear,0.7,")
    out.write_text(text)
    with pytest.raises(SweepError, match="row 0 does not match"):
        run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=1, resume=True)


def test_dry_run_writes_nothing(tmp_path, capsys):
    cfg = write(tmp_path, "c.yaml", SMALL)
    out = tmp_path / "out.csv"
    code, text, _ = cli(capsys, "sweep", str(cfg), "--out", str(out), "--dry-run", "--workers",
                        "2")
    assert code == 0 and "8 thresholds points" in text and "estimated" in text
    assert list(tmp_path.iterdir()) == [cfg]
    plan = plan_sweep(config_from_dict(parse_yaml(SMALL)), workers=2)
    assert plan.n_points == 8 and plan.n_todo == 8 and plan.cpu_seconds > 0


def _exe() -> list[str]:
    exe = shutil.which("phasediag") or str(Path(sys.executable).with_name("phasediag"))
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "phasediag.cli"]


def _rows_on_disk(path: Path) -> int:
    try:
        return max(path.read_bytes().count(b"\n") - 1, 0)
    except OSError:
        return 0


def _default_sigint() -> None:
    """Let the child turn SIGINT into KeyboardInterrupt even where this test runs in a
    background job (whose children inherit SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_and_kill(cfg: Path, out: Path, sig: int, workers: int, after_rows: int):
    """Run `phasediag sweep` in a subprocess and send it `sig` once rows are on disk."""
    log = out.with_suffix(".log")
    with open(log, "w") as err:  # a file, not a pipe: pool workers may outlive a kill -9
        proc = subprocess.Popen([*_exe(), "sweep", str(cfg), "--out", str(out), "--workers",
                                 str(workers), "--chunk-size", "2"],
                                stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=_default_sigint)
        try:
            deadline = time.monotonic() + 60
            while _rows_on_disk(out) < after_rows and proc.poll() is None:
                assert time.monotonic() < deadline, "sweep produced no rows"
                time.sleep(0.005)
            proc.send_signal(sig)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    return proc.returncode, log.read_text()


@pytest.mark.parametrize("sig, workers", [(signal.SIGKILL, 2), (signal.SIGINT, 1)])
def test_killed_sweep_resumes_to_the_same_table(long_ref, tmp_path, sig, workers):
    cfg, ref = long_ref
    out = tmp_path / "out.csv"
    code, err = _start_and_kill(cfg, out, sig, workers, after_rows=4)
    n_before = _rows_on_disk(out)
    assert 4 <= n_before < 150, "the sweep was not interrupted mid-way"
    meta = json.loads(meta_path(out).read_text())
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL and meta["status"] == "running"
    else:
        assert code == 130 and "--resume" in err and meta["status"] == "interrupted"
        assert meta["rows"] == n_before
    st = run_sweep(cfg, out, workers=1, resume=True, progress=False)
    assert st.complete and st.n_existing + st.n_computed == 150
    assert st.n_existing >= n_before - 1  # at most the cut last line is recomputed
    assert table(out) == table(ref)
    meta = json.loads(meta_path(out).read_text())
    assert meta["status"] == "complete" and meta["rows"] == 150 and len(meta["runs"]) == 2


# ---------------------------------------------------------------------------- executors
def test_local_pool_gives_the_serial_table(small_ref, tmp_path):
    out = tmp_path / "pool.csv"
    st = run_sweep(config_from_dict(parse_yaml(SMALL)), out, workers=2, chunk_size=1,
                   progress=False)
    assert st.backend == "loky" and st.workers == 2
    assert table(out) == table(small_ref)


def test_dask_cluster_gives_the_serial_table(small_ref, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask.csv"
        st = run_sweep(config_from_dict(parse_yaml(SMALL)), out,
                       scheduler=cluster.scheduler_address, progress=False)
    assert st.backend == "dask" and st.complete
    assert table(out) == table(small_ref)


def test_missing_dask_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(SweepError, match=r"pip install phasediag\[dask\]"):
        run_sweep(config_from_dict(parse_yaml(SMALL)), tmp_path / "o.csv",
                  scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.slow
def test_benchmark_sweep_table(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from sweep_bench import benchmark_sweep

    lines = benchmark_sweep(tmp_path, repeats=1)
    assert lines[-2].startswith("| 1 |") and lines[-1].startswith("| 2 |")
