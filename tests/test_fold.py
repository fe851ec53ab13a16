"""αalg located as a fold of the uninformed branch (phasediag.se.branches) against today's
bisection: every row of the committed threshold tables, tol-1e-8 bisections, continuous cases,
and the fold's own identities (unit eigenvalue, null vector, residual, FD error)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from phasediag.blocks.tables import load_tables
from phasediag.errors import PhasediagError
from phasediag.model import Model
from phasediag.se import SEOptions
from phasediag.se.branches import (
    BranchOptions,
    _jac_at,
    alpha_alg_fold,
    fold_residual,
    follow_branch,
)
from phasediag.thresholds import alpha_alg, alpha_c, alpha_it

RESULTS = Path(__file__).resolve().parents[1] / "results"


def _model(r) -> Model:
    betas = () if pd.isna(r.beta) else tuple(float(x) for x in str(r.beta).split(";"))
    return Model(r.problem, r.prior, rho=float(r.rho), depth=int(r.depth), betas=betas,
                 noise=float(r.noise))


def _lo(r) -> float:
    """The start of today's αalg search: max of the αIT and αc brackets' upper ends."""
    return float(r.alpha_it_hi if pd.isna(r.alpha_c_hi) else max(r.alpha_it_hi, r.alpha_c_hi))


@pytest.mark.parametrize("table", ["thresholds_linear.csv", "thresholds_relu.csv", "fig7.csv"])
def test_every_table_row(table):
    """Each row (PR/CS, linear/relu/Gauss–Bernoulli, depths 0–4; fig7 at tol 1e-6): a first-order
    row (hard_phase) is located as a fold inside today's bracket; a row without hard phase is
    recognised as continuous, inside today's bracket as well."""
    d = pd.read_csv(RESULTS / table)
    d = d[d.alpha_alg_status == "ok"]  # decided rows (an undecided bracket is biased)
    for col in ("ensemble_a", "ensemble_w"):  # i.i.d. Gaussian matrices: the AMP engine
        if col in d:
            d = d[d[col].isna() | (d[col] == "gaussian")]
    assert len(d) > 0
    bad = []
    for r in d.itertuples():
        res = alpha_alg_fold(_model(r), _lo(r), 1e-8)
        b = res.bracket
        want = "fold" if r.hard_phase else "continuous"
        inside = r.alpha_alg_lo - 1e-12 <= b.lo and b.hi <= r.alpha_alg_hi + 1e-12
        if res.method != want or b.status != want or not inside:
            bad.append((r.Index, r.problem, r.prior, r.rho, r.depth, b, res.method, res.notes))
    assert not bad, bad[:5]


CASES_1E8 = [  # (model, fast?) first-order, L = 3 as in the benchmark
    (Model("pr", "relu", rho=2.0, depth=3, betas=(3.0, 3.0)), False),
    (Model("pr", "linear", rho=2.0, depth=3), False),
    (Model("cs", "relu", rho=1.0, depth=1), True),
    (Model("pr", "gauss-bernoulli", rho=0.2), False),
]


def _bisect_1e8(model: Model, tol: float = 1e-8):
    bc = alpha_c(model, tol)
    lo = alpha_it(model, tol).hi
    lo = max(lo, bc.hi) if bc is not None else lo
    return lo, alpha_alg(model, lo, tol)


@pytest.mark.parametrize("model", [
    pytest.param(m, marks=() if fast else pytest.mark.slow) for m, fast in CASES_1E8])
def test_agrees_with_bisection_at_1e8(model):
    """Where today's bisection at tol 1e-8 decides, the located bracket lies inside it."""
    lo, b = _bisect_1e8(model)
    res = alpha_alg_fold(model, lo, 1e-8)
    assert res.method == "fold" and res.bracket.status == "fold"
    assert res.bracket.hi - res.bracket.lo <= 1e-8
    if b.status == "ok":
        assert b.lo <= res.bracket.lo and res.bracket.hi <= b.hi, (b, res.bracket)
    else:  # undecided probes (max_iter past the fold's ghost) count as hard: bisection ≥ fold
        assert res.bracket.hi <= b.hi and b.lo - res.bracket.hi < 1e-8


@pytest.mark.parametrize("model", [
    Model("cs", "linear", rho=0.3, depth=2),  # linear CS: no hard phase (αalg = αIT = ρ)
    Model("cs", "relu", rho=0.5, depth=1),  # relu ρ = 1/2: the hard phase closes
    Model("pr", "linear", rho=0.5, depth=4),  # square-layer linear chain (Fig. 7, β = 1)
])
def test_continuous_cases_recognised(model):
    lo = alpha_it(model, 1e-6).hi
    res = alpha_alg_fold(model, lo, 1e-8)
    assert res.method == "continuous" and res.bracket.status == "continuous", res.notes
    assert res.bracket.lo == lo and res.notes


def test_fold_identities():
    """At the located fold: a fixed point (residual ~ rounding), D_uΦ has the eigenvalue 1 with
    the returned null vector, the central-difference Jacobian error is small, the certified
    brackets nest as tol shrinks and do not depend on the difference step h."""
    model = Model("pr", "relu", rho=2.0, depth=3, betas=(3.0, 3.0))
    lo = 0.5000000074505806  # αIT bracket's upper end at tol 1e-8 (αIT = 1/2)
    coarse = alpha_alg_fold(model, lo, 1e-6)
    fine = alpha_alg_fold(model, lo, 1e-12)
    assert coarse.bracket.lo <= fine.bracket.lo <= fine.bracket.hi <= coarse.bracket.hi
    assert fine.bracket.hi - fine.bracket.lo < 1e-12
    assert fold_residual(model, fine.alpha, np.array(fine.u)) < 1e-12
    assert abs(fine.eigenvalue - 1.0) < 1e-6
    assert fine.fd_error < 1e-8
    w = np.array(fine.null_vector)
    jac, _ = _jac_at(0, fine.bracket.lo, np.array(fine.u), model.kernel(), load_tables(), 1e-5)
    assert np.max(np.abs(jac @ w - w)) < 1e-6 * np.max(np.abs(w))
    for h in (1e-4, 1e-6):
        other = alpha_alg_fold(model, lo, 1e-12, bo=BranchOptions(h=h)).bracket
        assert abs(other.mid - fine.bracket.mid) < 1e-13


def test_follower_branch_is_monotone_and_stable():
    """The followed uninformed branch: α and s increase up to the fold, every point a fixed
    point; its first point is the uninformed SE's fixed point at α0."""
    model = Model("pr", "linear", rho=2.0, depth=1)
    br = follow_branch(model, 1.0 + 1e-4)
    assert br.status == "fold"
    a = br.alphas
    assert np.all(np.diff(a[:-1]) > 0) and abs(a[0] - (1.0 + 1e-4)) < 1e-9
    assert all(p.residual < 1e-12 for p in br.points)
    assert br.points[-2].dalpha_ds > 0 >= br.points[-1].dalpha_ds


def test_other_engine_falls_back():
    model = Model("pr", "linear", rho=2.0, depth=1)
    res = alpha_alg_fold(model, 1.0001, 1e-4, SEOptions(engine="vamp"), fallback=False)
    assert res.method == "failed" and "AMP engine only" in res.notes[0]


# Fig. 7's setting (linear PR) at ρ ≥ 0.6, beyond the committed fig7.csv (ρ ≤ 0.5): today's
# bisection at tol 1e-6 from lo = max(αIT, αc) upper ends at tol 1e-6 (measured 2026-12-01,
# `alpha_alg(model, lo, 1e-6)`); four of them end undecided (max_iter probes near the fold).
FIG7_HIGH_RHO = [  # (ρ, L, β, bisection lo, hi, status)
    (0.6, 4, 3.0, 0.614205942, 0.614206514, "undecided"),
    (0.8, 3, 2.0, 0.805934335, 0.805935098, "undecided"),
    (0.9, 4, 2.0, 0.902876760, 0.902877619, "undecided"),
    (0.9, 4, 3.0, 0.905145267, 0.905146125, "undecided"),
    (0.8, 4, 2.0, 0.805158426, 0.805159189, "ok"),
    (0.7, 1, None, 0.722817064, 0.722817732, "ok"),
]


def _fig7_model(rho: float, L: int, beta: float | None) -> Model:
    return Model("pr", "linear", rho=rho, depth=L, betas=() if beta is None else (beta,) * (L - 1))


@pytest.mark.parametrize("rho,L,beta,lo,hi,status", FIG7_HIGH_RHO)
def test_fig7_high_rho_decided(rho, L, beta, lo, hi, status):
    """The fold decides the points the tol-1e-6 bisection leaves undecided, inside its bracket."""
    model = _fig7_model(rho, L, beta)
    b_lo = max(alpha_it(model, 1e-6).hi, alpha_c(model, 1e-6).hi)
    res = alpha_alg_fold(model, b_lo, 1e-10)
    assert res.bracket.status == "fold" and res.bracket.hi - res.bracket.lo <= 1e-10
    assert lo - 1e-9 <= res.bracket.lo and res.bracket.hi <= hi + 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("rho,L,beta,lo,hi,status", FIG7_HIGH_RHO)
def test_fig7_high_rho_bisection_recomputed(rho, L, beta, lo, hi, status):
    """The hard-coded brackets above, recomputed."""
    model = _fig7_model(rho, L, beta)
    b_lo = max(alpha_it(model, 1e-6).hi, alpha_c(model, 1e-6).hi)
    b = alpha_alg(model, b_lo, 1e-6)
    assert b.status == status and abs(b.lo - lo) < 1e-9 and abs(b.hi - hi) < 1e-9


def test_noisy_folds_alg_and_spinodal():
    """Noise Δ = 1e-4, Gauss–Bernoulli CS ρs = 0.2 (SPEC §6: first-order with noise): the
    uninformed fold αalg and the informed fold αsp < αalg; SE runs 1e-6 on either side of each
    fold jump between the branches (mse of x: ~0.078 vs ~1e-3 at αsp, ~0.025 vs ~2.4e-4 at αalg)."""
    from phasediag.se import solve_se
    from phasediag.se.branches import alpha_sp_fold

    model = Model("cs", "gauss-bernoulli", rho=0.2, noise=1e-4)
    alg = alpha_alg_fold(model, 0.25, 1e-10)
    sp = alpha_sp_fold(model, 1.05 * alg.bracket.hi, 1e-10)
    assert alg.method == "fold" and sp.method == "fold"
    assert sp.bracket.hi < alg.bracket.lo
    assert alg.bracket.hi - alg.bracket.lo < 1e-10 and sp.bracket.hi - sp.bracket.lo < 1e-10
    assert abs(alg.eigenvalue - 1) < 1e-5 and abs(sp.eigenvalue - 1) < 1e-5
    below = solve_se(model, alg.bracket.lo - 1e-6, "uninformed").mse
    above = solve_se(model, alg.bracket.hi + 1e-6, "uninformed").mse
    assert below > 10 * above
    below = solve_se(model, sp.bracket.lo - 1e-6, "informed").mse
    above = solve_se(model, sp.bracket.hi + 1e-6, "informed").mse
    assert below > 10 * above


def test_thresholds_with_the_fold_method(run_cli):
    from phasediag.plots.curves import GOOD_STATUS
    from phasediag.thresholds import DECIDED, compute_thresholds

    assert set(GOOD_STATUS) == set(DECIDED)
    m = Model("pr", "relu", rho=2.0, depth=2)
    b = compute_thresholds(m, tol=1e-4)
    f = compute_thresholds(m, tol=1e-4, alg_method="fold")
    assert f.alpha_alg.status == "fold" and f.converged and f.hard_phase
    # both brackets are certified: they must overlap (the truth lies in both)
    assert max(b.alpha_alg.lo, f.alpha_alg.lo) <= min(b.alpha_alg.hi, f.alpha_alg.hi)
    assert f.alpha_alg.hi - f.alpha_alg.lo <= 1e-4
    code, out, _ = run_cli("thresholds", "--problem", "pr", "--prior", "relu", "--rho", "2",
                           "--depth", "2", "--alpha-alg-method", "fold", "--json")
    assert code == 0 and json.loads(out)["alpha_alg_status"] == "fold"
    with pytest.raises(PhasediagError, match="alg_method"):
        compute_thresholds(m, alg_method="newton")
