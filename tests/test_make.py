"""The README's results command on a fresh clone recomputes every table and figure (git gives
results and sources the same modification time, so a date-based target would do nothing)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None
                    or not (ROOT / ".git").exists(), reason="needs make, git and a checkout")
def test_results_on_a_fresh_clone_lists_every_sweep_and_plot(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=60)
    out = subprocess.run(["make", "-n", "results"], cwd=clone, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    configs = sorted(p.stem for p in (clone / "configs").glob("*.yaml")
                     if not p.stem.startswith("example"))
    for name in configs:
        assert f"phasediag sweep configs/{name}.yaml --out results/{name}.csv" in out, name
    for fig in ("fig1", "fig3", "fig4", "fig5", "fig6", "fig7"):
        assert f"--out results/{fig}.png --out results/{fig}.pdf" in out, fig
