"""The SE fixed-point loop on toy problems with known answers, and its decisions."""

import math

import numpy as np
import pytest

from phasediag import Model, SEOptions, state_evolution
from phasediag.se import growth, solve_se


def gaussian_cs_fixed_point(alpha, noise):
    """CS, x ~ N(0,1): V = 1/(1 + α/(Δ + V)) ⇒ V² + (Δ + α − 1)V − Δ = 0."""
    b = noise + alpha - 1.0
    return 0.5 * (-b + math.sqrt(b * b + 4 * noise))


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("noise", [0.0, 1e-3, 0.5])
def test_gaussian_cs_fixed_point(alpha, noise):
    res = state_evolution("cs", "gaussian", rho=1.0, depth=0, alpha=alpha, noise=noise)
    assert res.status == "converged"
    assert res.mse == pytest.approx(gaussian_cs_fixed_point(alpha, noise), rel=1e-8)


def test_gaussian_cs_perfect_above_one():
    res = state_evolution("cs", "gaussian", rho=1.0, depth=0, alpha=1.2)
    assert res.status == "perfect" and res.mse == 0.0 and res.converged


def test_linear_cs_single_layer_matches_reduced_problem():
    """CS, x = Wz with ρ = k/d < 1: for α < ρ the SE is the Gaussian CS problem of z with
    ratio α/ρ, so mse_z = 1 − α/ρ (independent derivation: m̂_z = (α/ρ)/V_z at Δ = 0)."""
    rho, alpha = 0.5, 0.3
    res = state_evolution("cs", "linear", rho=rho, depth=1, alpha=alpha)
    assert res.status == "converged"
    assert res.mses[0] == pytest.approx(1 - alpha / rho, rel=1e-7)


def test_pr_below_alpha_c_is_uninformative_and_above_is_not():
    """Linear PR, ρ = 2, L = 1: αc = 1/3 (eq. 18)."""
    below = state_evolution("pr", "linear", rho=2.0, depth=1, alpha=1 / 3 - 0.01)
    above = state_evolution("pr", "linear", rho=2.0, depth=1, alpha=1 / 3 + 0.01)
    assert below.status == "uninformative"
    assert above.status == "converged" and 0 < above.mse < 1


def test_hard_phase_plateau_is_decided_by_fixed_point_not_budget():
    """Issue 2: at α = 1.011 (L = 3) the uninformed SE crawls for thousands of iterations to a
    hard-phase fixed point with mse ≈ 3e-3; at 1.013 it reaches perfect recovery."""
    hard = state_evolution("pr", "linear", rho=2.0, depth=3, alpha=1.011)
    assert hard.status == "converged"
    assert hard.n_iter > 1000
    assert 2e-3 < hard.mse < 5e-3
    easy = state_evolution("pr", "linear", rho=2.0, depth=3, alpha=1.013)
    assert easy.status == "perfect"


def test_max_iter_is_reported_not_hidden():
    res = state_evolution("pr", "linear", rho=2.0, depth=3, alpha=1.011,
                          options=SEOptions(max_iter=50))
    assert res.status == "max_iter" and not res.converged and res.n_iter == 50


def test_trajectory_and_monotonicity():
    res = state_evolution("pr", "linear", rho=2.0, depth=2, alpha=0.8)
    traj = res.trajectory
    assert len(traj) == res.n_iter + 1
    assert np.all(np.diff(traj) <= 1e-15)  # uninformed SE decreases monotonically
    assert traj[-1] == pytest.approx(res.mse)


def test_informed_start_stays_perfect_above_alpha_it():
    model = Model("pr", "linear", rho=2.0, depth=2)
    assert solve_se(model, 1.01, init="informed").status == "perfect"
    assert solve_se(model, 0.99, init="informed").status == "converged"


def test_growth_factor_of_perfect_point_gaussian():
    """x ~ N(0,1), CS: near V = 0, V' = V/(V + α) ≈ V/α, so κ = 1/α."""
    model = Model("cs", "gaussian", depth=0)
    for alpha in (0.5, 1.0, 3.0):
        assert growth(model, alpha, "perfect") == pytest.approx(1 / alpha, rel=1e-10)


def test_growth_factor_of_uninformative_point_gaussian_pr():
    """x ~ N(0,1), PR: λ_y ≈ 2m near m = 0 and m' ≈ m̂, so κ = 2α (αc = 1/2)."""
    model = Model("pr", "gaussian", depth=0)
    for alpha in (0.2, 0.5, 0.7):
        assert growth(model, alpha, "uninformative") == pytest.approx(2 * alpha, rel=1e-8)


# ---------------------------------------------------------------------------- engine interface
def test_result_carries_the_conjugates_of_the_fixed_point():
    """m̂ of the last step: m̂_x = α λ_y(m_x, v_x) and m̂_l = β_l λ_in (checked on the blocks)."""
    from phasediag.blocks.channels import channel_block
    from phasediag.blocks.layers import layer_block
    from phasediag.blocks.tables import load_tables

    model = Model("pr", "relu", rho=2.0, depth=2)
    res = solve_se(model, 0.45)
    assert res.status == "converged" and len(res.conjugates) == 3
    tabs, km = load_tables(), model.kernel()
    m, v = res.overlaps, res.mses
    lam_y = channel_block(km.channel, m[2], v[2], km.rho[2], 0.0, tabs.pr)
    assert res.conjugates[2] == pytest.approx(0.45 * lam_y, rel=1e-8)
    lam = layer_block(km.act[1], res.conjugates[2], m[1], v[1], km.rho[1], tabs.relu)[2]
    assert res.conjugates[1] == pytest.approx(km.beta[1] * lam, rel=1e-8)
    assert res.to_dict()["conjugates"] == list(res.conjugates)


def test_warm_start_follows_the_branch():
    """A warm start from the fixed point at a neighbouring α lands on the same fixed point
    as a cold start, in fewer iterations; an informed result's branch stays informed."""
    model = Model("pr", "linear", rho=2.0, depth=1)
    cold = solve_se(model, 0.81)
    warm = solve_se(model, 0.81, init=solve_se(model, 0.8))
    assert warm.warm and warm.init == "uninformed" and warm.status == cold.status == "converged"
    assert warm.mse == pytest.approx(cold.mse, rel=1e-8)
    assert warm.n_iter < cold.n_iter
    inf = solve_se(model, 1.1, init="informed")
    again = solve_se(model, 1.12, init=inf)
    assert again.init == "informed" and again.status == "perfect"
    with pytest.raises(ValueError, match="init: a warm start must come from"):
        solve_se(Model("pr", "linear", rho=1.0), 0.8, init=cold)


def test_se_options_are_checked():
    from phasediag.errors import ModelError

    for bad in ({"max_iter": 0}, {"tol_fp": float("nan")}, {"tol_perfect": 2.0},
                {"engine": "vamp-not-yet"}, {"max_iter": True}):
        with pytest.raises(ModelError):
            SEOptions(**bad)


def test_se_option_of_the_wrong_type_is_a_field_error():
    from phasediag.errors import ModelError

    with pytest.raises(ModelError,
                       match=r"^tol_fp: expected a finite number in \[1e-15, 1\), got 'x'"):
        SEOptions(tol_fp="x")
    with pytest.raises(ModelError, match=r"^v_extrap: expected a finite number in \[0, 1\)"):
        SEOptions(v_extrap=1.0)
