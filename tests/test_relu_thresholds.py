"""ReLU generative priors: thresholds against the counting formula and the paper's claims."""

import itertools

import pytest

from phasediag import Model, thresholds
from phasediag.closed_forms import alpha_it_analytic
from phasediag.thresholds import alpha_it

COMBOS = [
    (rho, betas, L)
    for L, rho in itertools.product((1, 2, 3, 4), (0.1, 0.4, 1.5))
    for betas in ([()] if L == 1 else [(0.5,) * (L - 1), (3.0,) * (L - 1)])
]


@pytest.mark.parametrize("problem", ["cs", "pr"])
@pytest.mark.parametrize("rho,betas,L", COMBOS)
def test_relu_alpha_it_is_counting_formula(problem, rho, betas, L):
    """αIT = min(1/2, k_L/(2d), …, k_2/(2d), ρ) (eq. 21), to 1e-3 (measured: ~1e-5)."""
    model = Model(problem, "relu", rho=rho, depth=L, betas=betas)
    b = alpha_it(model, tol=1e-5)
    assert b.status == "ok"
    assert abs(b.mid - alpha_it_analytic(model)) < 1e-3


def test_relu_alpha_it_informed_start_agrees():
    """Informed start at mse = 1e-14 ρ, decided at 1e-19 (SPEC §4)."""
    model = Model("pr", "relu", rho=2.0, depth=1)
    b = alpha_it(model, tol=1e-4, method="informed")
    assert abs(b.mid - 0.5) < 2e-4


@pytest.mark.parametrize("problem", ["cs", "pr"])
def test_relu_alpha_c_is_none(problem):
    res = thresholds(problem, "relu", rho=0.5, depth=2, tol=1e-3)
    assert res.alpha_c is None and res.to_dict()["alpha_c"] is None


@pytest.mark.parametrize("problem", ["cs", "pr"])
def test_relu_hard_phase_vanishes_at_rho_half(problem):
    """Paper: one relu layer, the hard phase closes at ρ = 1/2, open at ρ = 0.25 and 1."""
    at_half = thresholds(problem, "relu", rho=0.5, depth=1, tol=1e-4)
    assert at_half.alpha_alg.mid - at_half.alpha_it.mid < 1e-3
    for rho in (0.25, 1.0):
        res = thresholds(problem, "relu", rho=rho, depth=1, tol=1e-4)
        # measured gaps: CS 8.5e-4 (ρ = 0.25), 0.062 (ρ = 1); PR 0.022, 0.108
        assert res.hard_phase and res.alpha_alg.lo - res.alpha_it.hi > 3e-4


@pytest.mark.parametrize("rho,L", [(0.25, 1), (1.0, 1), (2.0, 2), (0.1, 3)])
def test_relu_pr_needs_at_least_cs(rho, L):
    betas = (3.0,) * (L - 1)
    pr = thresholds("pr", "relu", rho=rho, depth=L, betas=betas, tol=1e-4)
    cs = thresholds("cs", "relu", rho=rho, depth=L, betas=betas, tol=1e-4)
    assert pr.alpha_alg.hi >= cs.alpha_alg.lo


def test_mixed_activations_run():
    """linear then relu: x = relu(W2 W1 z); αIT counts x (½) and h2 (linear output, ρβ1)."""
    res = thresholds("cs", "relu", rho=0.3, depth=2, betas=(2.0,), tol=1e-3,
                     activations=("linear", "relu"))
    assert res.alpha_it_analytic == pytest.approx(min(0.5, 0.6, 0.3))
    assert abs(res.alpha_it.mid - res.alpha_it_analytic) < 1e-3


def _gaps(problem, rho, tol=1e-4):
    out = []
    for L in (1, 2, 3, 4):
        r = thresholds(problem, "relu", rho=rho, depth=L, betas=(3.0,) * (L - 1), tol=tol)
        assert r.converged
        out.append(r.alpha_alg.mid - r.alpha_it.mid)
    return out


# Fig. 5 claim (β_l = 3): Δalg decreases with depth. What the computation shows (README
# table, tol 1e-5): true at ρ ≥ 1 for CS and PR; at ρ = 0.25 the CS gap GROWS with depth
# (0.0009, 0.0016, 0.0035, 0.0062) and the PR gap is not monotone (0.022, 0.012, 0.014, 0.019).
@pytest.mark.parametrize("problem", ["cs", "pr"])
def test_relu_gap_decreases_with_depth_at_rho_one(problem):
    g = _gaps(problem, 1.0)
    assert all(a - b > 1e-3 for a, b in zip(g, g[1:], strict=False))


def test_relu_gap_at_small_rho_is_not_decreasing():
    cs = _gaps("cs", 0.25)
    assert all(b - a > 5e-4 for a, b in zip(cs, cs[1:], strict=False))  # grows with depth
    pr = _gaps("pr", 0.25)
    assert pr[1] < pr[0] - 5e-3 and pr[3] > pr[2] > pr[1]  # dips at L = 2, then grows


@pytest.mark.slow
@pytest.mark.parametrize("problem", ["cs", "pr"])
def test_relu_gap_decreases_with_depth_at_rho_two(problem):
    g = _gaps(problem, 2.0)
    assert all(a - b > 1e-3 for a, b in zip(g, g[1:], strict=False))
