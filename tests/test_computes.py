"""Compute kinds through the sweep: the amp kind's rows are the runner's numbers on the
seeded instances; kind-specific config keys are validated with their key path."""

import csv

import numpy as np
import pytest

from phasediag.computes import columns
from phasediag.config import ConfigError, config_from_dict, parse_yaml
from phasediag.finite.experiments import amp_points
from phasediag.finite.mlamp import AMPOptions
from phasediag.model import Model
from phasediag.runner import plan_sweep, run_sweep
from phasediag.se import solve_se

AMP = """
compute: amp
amp: {d: 150, samples: 2, seed: 3, max_iter: 60}
grid:
  - {problem: pr, prior: linear, rho: 2, depth: 1, alpha: [0.6, 1.3]}
  - {problem: pr, prior: relu, rho: 2, depth: 1, alpha: [0.4, 0.9]}
"""


def test_amp_kind_rows_are_the_runner_on_shared_instances(tmp_path):
    cfg = config_from_dict(parse_yaml(AMP))
    plan = plan_sweep(cfg, workers=2)
    assert plan.n_tasks == 1 and plan.chunk == 4  # one batch: both chains share instances
    out = tmp_path / "amp.csv"
    st = run_sweep(cfg, out, workers=1, progress=False)
    assert st.complete and st.n_failed == 0
    with open(out) as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == columns("amp")
    models = [Model("pr", "linear", rho=2.0, depth=1), Model("pr", "relu", rho=2.0, depth=1)]
    pts = amp_points(models, [[0.6, 1.3], [0.4, 0.9]], 150, 2, np.random.SeedSequence([3, 1]),
                     AMPOptions(max_iter=60), with_se=False)
    expect = [p for row in pts for p in row]
    for r, p in zip(rows, expect, strict=True):
        assert float(r["alpha"]) == p.alpha
        assert float(r["mse"]) == p.mse_mean and float(r["mse_stderr"]) == p.mse_stderr
        assert r["statuses"] == ";".join(f"{k}={v}" for k, v in sorted(p.statuses.items()))
        assert float(r["mse_se"]) == solve_se(p.model, p.alpha).mse
        assert (r["d"], r["samples"], r["seed"]) == ("150", "2", "3")
        assert r["converged"] == ("true" if all(x.converged for x in p.runs) else "false")


@pytest.mark.parametrize("text, expected", [
    (AMP.replace("max_iter: 60", "damping: 1.5"), "amp.damping: must be < 1"),
    (AMP.replace("d: 150", "d: 1"), "amp.d: must be ≥ 2"),
    (AMP.replace("seed: 3", "seeds: 3"), "amp.seeds: unknown key; expected one of: d, samples"),
    (AMP + "tol: 1e-3\n", "tol: only used with compute: thresholds"),
    (AMP + "init: informed\n", "init: only used with compute: mse"),
    (AMP.replace(", alpha: [0.6, 1.3]", ""), "grid[0].alpha: required with compute: amp"),
    ("compute: thresholds\namp: {d: 100}\ngrid: {problem: pr, prior: linear}\n",
     "amp: only used with compute: amp"),
    ("compute: thresholds\ngrid: {problem: pr, prior: linear, alpha: 1}\n",
     "grid.alpha: only used with compute: mse or amp"),
])
def test_kind_keys_are_validated_with_their_path(text, expected):
    with pytest.raises(ConfigError) as exc:
        config_from_dict(parse_yaml(text))
    assert str(exc.value).startswith(expected), str(exc.value)
