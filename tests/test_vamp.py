"""Matrix ensembles (phasediag.spectra) and the ML-VAMP state evolution (issue 14).

Reductions: with Gaussian matrices the VAMP SE has the AMP SE's fixed points and
thresholds; orthogonal square layers make a linear chain a Gaussian i.i.d. prior; an
empirical spectrum of a large Gaussian matrix approaches Marchenko–Pastur. Known results:
αIT = 1 for PR with a Gaussian i.i.d. prior, αIT = αalg = min(ρ, 1) for linear-prior CS,
for every ensemble. Oracles: spectrum averages against scipy quadrature, moments against
closed forms and against the eigenvalues of sampled matrices.
"""

import math

import numpy as np
import pytest
from scipy import integrate
from scipy.special import comb

from phasediag.errors import ModelError
from phasediag.finite.ensembles import sampler
from phasediag.model import Model
from phasediag.se import SEOptions, solve_se
from phasediag.spectra import (
    EnsembleSpec,
    example,
    law,
    linear_averages,
    resolvent,
    shape,
)
from phasediag.thresholds import compute_thresholds
from phasediag.vocabulary import ENSEMBLE_NAMES, ENSEMBLES

VAMP = SEOptions(engine="vamp")
GEOM = EnsembleSpec("geometric", kappa=10.0)


# ---------------------------------------------------------------------------- spectra
def mp_moment(k, beta):
    """E μ^k of Marchenko–Pastur (MMᵀ, ratio β = rows/cols, mean 1, zeros included)."""
    return sum(beta ** j / (j + 1) * comb(k, j) * comb(k - 1, j) for j in range(k))


@pytest.mark.parametrize("beta", [0.2, 1.0, 1.7, 4.0])
def test_mp_law_moments_are_the_closed_forms(beta):
    x, w = law("gaussian", beta, "out")
    for k in range(1, 9):
        assert np.dot(w, x ** k) == pytest.approx(mp_moment(k, beta), rel=1e-12)
    # MᵀM: the same non-zero eigenvalues, mean β
    x, w = law("gaussian", beta, "in")
    assert w.sum() == pytest.approx(1.0, abs=1e-15) and np.dot(w, x) == pytest.approx(beta)
    assert w[0] == pytest.approx(max(0.0, 1 - beta), abs=1e-15)


@pytest.mark.parametrize("name", ENSEMBLE_NAMES)
@pytest.mark.parametrize("rows, cols", [(600, 400), (400, 400), (300, 600)])
def test_law_matches_sampled_matrices(name, rows, cols):
    spec = example(name)
    M = sampler(spec)(rows, cols, np.random.default_rng(1), np.float64)
    assert np.trace(M @ M.T) / rows == pytest.approx(1.0, rel=1e-12 if name != "gaussian"
                                                     else 0.02)
    ev = np.linalg.eigvalsh(M.T @ M)
    x, w = law(spec, rows / cols, "in")
    for k in (1, 2, 3):
        assert np.mean(ev ** k) == pytest.approx(np.dot(w, x ** k), rel=0.05)
    nonzero = np.mean(ev > 1e-9)
    assert nonzero == pytest.approx(1 - w[0], abs=0.01)


def _oracle(spec, beta, c):
    """(E[1/(λ + c)], E[λ/(λ + c)]) over the non-zero eigenvalues, by scipy.integrate.quad."""
    if spec == "gaussian":
        lo, hi = (1 - math.sqrt(beta)) ** 2, (1 + math.sqrt(beta)) ** 2
        norm = 2 * math.pi * min(beta, 1.0)
        if beta == 1.0:  # λ = t²: density √(4 − t²)/(π) dt, smooth; resolve t ~ √c
            pts = [p for p in (math.sqrt(c), 10 * math.sqrt(c), 100 * math.sqrt(c)) if p < 2]

            def ig(f):
                return integrate.quad(lambda t: math.sqrt(4 - t * t) / math.pi * f(t * t),
                                      0, 2, points=pts, limit=500, epsabs=0, epsrel=1e-13)[0]
        else:
            def ig(f):
                return integrate.quad(lambda x: f(x) / (norm * x), lo, hi, weight="alg",
                                      wvar=(0.5, 0.5), limit=500, epsabs=0, epsrel=1e-13)[0]
        return ig(lambda x: 1 / (x + c)), ig(lambda x: x / (x + c))
    # geometric: λ ∝ κ^{−2t}, t ~ U[0, 1], at mean max(1, β)
    k = spec.kappa
    scale = max(1.0, beta) / ((1 - k ** -2) / (2 * math.log(k)))
    lam = [lambda t: scale * k ** (-2 * t)]
    tc = [math.log(scale / c) / (2 * math.log(k))] if scale * k ** -2 < c < scale else []
    g = integrate.quad(lambda t: 1 / (lam[0](t) + c), 0, 1, points=tc, epsabs=0,
                       epsrel=1e-13, limit=200)[0]
    h = integrate.quad(lambda t: lam[0](t) / (lam[0](t) + c), 0, 1, points=tc, epsabs=0,
                       epsrel=1e-13, limit=200)[0]
    return g, h


@pytest.mark.parametrize("spec", ["gaussian", EnsembleSpec("geometric", kappa=100.0)],
                         ids=["gaussian", "geometric"])
@pytest.mark.parametrize("beta", [0.3, 1.0, 2.5])
@pytest.mark.parametrize("c", [1e-12, 1e-6, 1e-2, 1.0, 1e3, 1e12])
def test_resolvent_against_quad_at_extreme_precisions(spec, beta, c):
    s = EnsembleSpec(spec) if isinstance(spec, str) else spec
    sn, sw = shape(s.canonical)
    g, h = resolvent(s.code, beta, sn, sw, sn.size, c)
    g_ref, h_ref = _oracle(spec, beta, c)
    assert g == pytest.approx(g_ref, rel=1e-9)
    assert h == pytest.approx(h_ref, rel=1e-9)


@pytest.mark.parametrize("a, b", [(1.0, 1e12), (1e12, 1.0), (1e12, 1e12), (3e-3, 7.0)])
@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_linear_averages_are_the_matrix_formulas(a, b, beta):
    """mse_h = (1/cols) tr (aI + bMᵀM)^{-1} etc. on the law's own nodes (zeros included),
    and the extrinsic precisions 1/mse − incoming."""
    spec = EnsembleSpec("empirical", values=tuple(np.linspace(0.3, 1.9, 40)))
    sn, sw = shape(spec.canonical)
    mse_h, g_h, mse_u, g_u = linear_averages(spec.code, beta, sn, sw, sn.size, a, b)
    x, w = law(spec, beta, "in")
    xo, wo = law(spec, beta, "out")
    assert mse_h == pytest.approx(np.dot(w, 1 / (a + b * x)), rel=1e-13)
    assert mse_u == pytest.approx(np.dot(wo, xo / (a + b * xo)), rel=1e-13)
    assert g_h == pytest.approx(np.dot(w, b * x / (a + b * x)) / mse_h, rel=1e-13)
    assert g_u == pytest.approx(np.dot(wo, a / (a + b * xo)) / mse_u, rel=1e-13)
    # limits: no message from above; a noiseless observation of u
    assert linear_averages(spec.code, beta, sn, sw, sn.size, a, 0.0) == (1 / a, 0.0, 1 / a, a)
    mh, gh, mu, gu = linear_averages(spec.code, beta, sn, sw, sn.size, a, math.inf)
    assert mh == pytest.approx(max(0.0, 1 - beta) / a) and mu == 0.0 and gu == math.inf


def test_ensemble_specs_validate_and_canonicalise():
    m = Model("pr", "relu", rho=2.0, depth=1,
              ensembles=(EnsembleSpec("gaussian"), {"name": "geometric", "kappa": 3}))
    assert m.ensembles == ("gaussian", EnsembleSpec("geometric", kappa=3.0))
    assert hash(m) == hash(Model("pr", "relu", rho=2.0, depth=1,
                                 ensembles=("gaussian", GEOM.__class__("geometric", 3.0))))
    for bad in ({"name": "geometric"}, {"name": "geometric", "kappa": 0.5},
                {"name": "orthogonal", "kappa": 2.0}, {"name": "empirical", "values": []},
                {"name": "empirical", "values": [1.0, -1.0]}, {"name": "nope"}):
        with pytest.raises(ModelError) as e:
            Model("cs", "linear", ensembles=(bad, "gaussian"))
        assert e.value.field == "ensembles"
    assert set(ENSEMBLES.names) == {"gaussian", "orthogonal", "geometric", "empirical"}


def test_amp_refuses_other_ensembles_and_vamp_takes_all():
    m = Model("pr", "linear", rho=2.0, depth=1, ensembles=("orthogonal", GEOM))
    with pytest.raises(ModelError, match="engine"):
        solve_se(m, 1.2, opts=SEOptions(engine="amp"))
    assert solve_se(m, 1.2, opts=VAMP).converged
    auto = solve_se(m, 1.2)  # the default engine, auto, picks the ML-VAMP SE here
    assert auto.engine == "vamp" and auto.mse == solve_se(m, 1.2, opts=VAMP).mse
    assert solve_se(Model("pr", "linear", rho=2.0), 1.2).engine == "amp"


# ---------------------------------------------------------------------------- AMP ≡ VAMP
FP_CASES = [  # (problem, prior, ρ, depth, betas, α): away from every threshold
    ("cs", "linear", 0.5, 1, (), 0.3),
    ("cs", "linear", 2.0, 2, (), 0.7),
    ("cs", "relu", 2.0, 1, (), 0.4),
    ("cs", "relu", 2.0, 2, (), 0.45),
    ("cs", "relu", 0.5, 3, (2.0, 3.0), 0.2),
    ("pr", "linear", 2.0, 1, (), 0.8),
    ("pr", "linear", 2.0, 2, (), 1.02),
    ("pr", "linear", 2.0, 3, (), 0.9),
    ("pr", "relu", 2.0, 1, (), 0.45),
    ("pr", "relu", 2.0, 2, (), 0.45),
    ("pr", "relu", 1.0, 3, (3.0, 3.0), 0.4),
    ("pr", "gaussian", 1.0, 0, (), 0.8),
    ("cs", "gauss-bernoulli", 0.3, 0, (), 0.4),
]


@pytest.mark.parametrize("case", FP_CASES, ids=lambda c: "-".join(map(str, c[:4])))
def test_vamp_fixed_points_are_the_amp_ones_for_gaussian_matrices(case):
    problem, prior, rho, depth, betas, alpha = case
    m = Model(problem, prior, rho=rho, depth=depth, betas=betas)
    for init in ("uninformed", "informed"):
        a = solve_se(m, alpha, init)
        v = solve_se(m, alpha, init, VAMP)
        assert a.status == v.status and a.status in ("converged", "perfect")
        if a.status == "converged":
            np.testing.assert_allclose(v.mses, a.mses, rtol=1e-8)
            # the message from above is the AMP conjugate m̂ (both: the replica m̂)
            np.testing.assert_allclose(v.conjugates, a.conjugates, rtol=1e-6)


@pytest.mark.parametrize("kwargs, alpha", [
    ({"prior": "relu", "rho": 2.0, "depth": 2, "noise": 0.01}, 0.6),
    ({"prior": "linear", "rho": 0.5, "depth": 1, "noise": 1e-4}, 0.4),
    ({"prior": "gauss-bernoulli", "rho": 0.3, "noise": 1e-3}, 0.5),
])
def test_vamp_noisy_cs_is_amp(kwargs, alpha):
    """The Gaussian channel's extrinsic precision 1/Δ gives AMP's noisy fixed points."""
    m = Model("cs", **kwargs)
    a, v = solve_se(m, alpha), solve_se(m, alpha, opts=VAMP)
    assert a.status == v.status == "converged"
    assert v.mse == pytest.approx(a.mse, rel=1e-8)


THR_CASES = [  # (problem, prior, ρ, depth, betas)
    ("pr", "gaussian", 1.0, 0, ()),
    ("pr", "linear", 2.0, 1, ()),
    ("pr", "linear", 2.0, 2, ()),
    ("pr", "relu", 2.0, 1, ()),
    ("cs", "relu", 2.0, 2, ()),
    ("cs", "linear", 2.0, 3, ()),
    ("cs", "linear", 0.5, 1, ()),
    ("pr", "linear", 2.0, 3, ()),
    ("cs", "relu", 1.0, 1, ()),
    ("pr", "relu", 2.0, 3, ()),
    ("cs", "gauss-bernoulli", 0.3, 0, ()),
]
THR_SLOW = [  # continuous transitions (the hard phase vanishes): slow near αalg
    ("pr", "relu", 0.5, 3, (2.0, 3.0)),
    ("cs", "relu", 0.5, 2, (2.0,)),
]


def _check_thresholds(case, tol=1e-5):
    problem, prior, rho, depth, betas = case
    m = Model(problem, prior, rho=rho, depth=depth, betas=betas)
    a = compute_thresholds(m, tol)
    v = compute_thresholds(m, tol, opts=VAMP)
    assert v.converged
    for ba, bv in zip(a.brackets, v.brackets, strict=True):
        assert (ba is None) == (bv is None)
        if ba is not None:
            # the same threshold: brackets of width tol, which touch or overlap
            assert abs(ba.mid - bv.mid) <= 1.01 * tol


@pytest.mark.parametrize("case", THR_CASES, ids=lambda c: "-".join(map(str, c[:4])))
def test_vamp_thresholds_are_the_amp_ones_for_gaussian_matrices(case):
    _check_thresholds(case)


@pytest.mark.slow
@pytest.mark.parametrize("case", THR_SLOW, ids=lambda c: "-".join(map(str, c[:4])))
def test_vamp_thresholds_are_the_amp_ones_slow(case):
    _check_thresholds(case)


# ---------------------------------------------------------------------------- reductions
def test_empirical_spectrum_of_a_large_gaussian_matrix_approaches_gaussian():
    """W ∈ R^{d×d/2} (β = 2): an empirical ensemble from one sampled W (d = 1000) gives the
    Marchenko–Pastur fixed points to the finite-size accuracy of its spectrum (measured:
    mse within 4e-4 relative at d = 1000, 2000; 2e-4 at d = 4000)."""
    rng = np.random.default_rng(3)
    W = rng.standard_normal((1000, 500)) / math.sqrt(500)
    emp = EnsembleSpec("empirical", values=tuple(np.linalg.svd(W, compute_uv=False)))
    for problem, alpha in (("cs", 0.3), ("pr", 0.35)):
        g = solve_se(Model(problem, "relu", rho=0.5, depth=1), alpha, opts=VAMP)
        e = solve_se(Model(problem, "relu", rho=0.5, depth=1, ensembles=(emp, "gaussian")),
                     alpha, opts=VAMP)
        assert g.status == e.status == "converged"
        assert e.mse == pytest.approx(g.mse, rel=2e-3)
        assert e.mse != g.mse


@pytest.mark.parametrize("problem, alphas", [("cs", (0.3, 0.8)), ("pr", (0.8, 1.05, 1.3))])
@pytest.mark.parametrize("a_ens", ["gaussian", "orthogonal", GEOM], ids=str)
def test_orthogonal_square_linear_chain_is_the_gaussian_prior(problem, alphas, a_ens):
    """x = W_2 W_1 z with Haar orthogonal square W_l is i.i.d. N(0, 1): the same SE."""
    chain = Model(problem, "linear", rho=1.0, depth=2, betas=(1.0,),
                  ensembles=("orthogonal", "orthogonal", a_ens))
    iid = Model(problem, "gaussian", depth=0, ensembles=(a_ens,))
    for alpha in alphas:
        c = solve_se(chain, alpha, opts=VAMP)
        g = solve_se(iid, alpha, opts=VAMP)
        assert c.status == g.status
        assert c.mse == pytest.approx(g.mse, rel=1e-9, abs=1e-14)


EMP = EnsembleSpec("empirical", values=tuple(np.linspace(0.2, 1.0, 50) ** 2))


@pytest.mark.parametrize("ens", ["gaussian", "orthogonal", GEOM, EMP],
                         ids=["gaussian", "orthogonal", "geometric", "empirical"])
def test_pr_gaussian_prior_alpha_it_is_one_for_every_ensemble(ens):
    m = Model("pr", "gaussian", depth=0, ensembles=(ens,))
    r = compute_thresholds(m, 1e-4, opts=VAMP)
    assert r.converged
    assert r.alpha_it.lo - 1e-4 <= 1.0 <= r.alpha_it.hi + 1e-4


@pytest.mark.parametrize("ens, alpha_c", [("gaussian", 0.5), ("orthogonal", 1.5)])
def test_pr_weak_recovery_threshold_of_orthogonal_matrices(ens, alpha_c):
    """Real PR, x i.i.d. N(0, 1): αc = 1/2 for Gaussian A, 3/2 for column-orthogonal A
    (Maillard, Loureiro, Krzakala, Zdeborová 2020, arXiv:2006.05228: αWR = 3/2 for real
    column-orthogonal sensing). From the uninformative linearisation, κ = 2(E λ²/E λ − 1)
    over the non-zero eigenvalues: 2α (MP, α < 1), 2(α − 1) (orthogonal, α > 1)."""
    r = compute_thresholds(Model("pr", "gaussian", depth=0, ensembles=(ens,)), 1e-4,
                           opts=VAMP)
    assert r.alpha_c.lo - 1e-4 <= alpha_c <= r.alpha_c.hi + 1e-4


@pytest.mark.parametrize("ens", ["gaussian", "orthogonal", GEOM, EMP],
                         ids=["gaussian", "orthogonal", "geometric", "empirical"])
@pytest.mark.parametrize("rho", [0.5, 2.0])
def test_linear_cs_alpha_it_and_alg_are_min_rho_one_for_every_ensemble(ens, rho):
    m = Model("cs", "linear", rho=rho, depth=1, ensembles=(ens, ens))
    r = compute_thresholds(m, 1e-4, opts=VAMP)
    assert r.converged
    target = min(rho, 1.0)
    assert abs(r.alpha_it.mid - target) <= 2e-4
    assert abs(r.alpha_alg.mid - target) <= 2e-4


@pytest.mark.parametrize("ens", ENSEMBLE_NAMES)
def test_every_ensemble_solves_and_warm_starts(ens):
    spec = example(ens)
    m = Model("pr", "relu", rho=2.0, depth=3, ensembles=(spec,) * 4)
    r = solve_se(m, 0.45, opts=VAMP)
    assert r.converged and len(r.messages) == 16
    # a warm start from the fixed point stays there
    w = solve_se(m, 0.45, r, VAMP)
    assert w.converged and w.n_iter < r.n_iter and w.mse == pytest.approx(r.mse, rel=1e-8)
    t = compute_thresholds(m, 1e-3, opts=VAMP)
    assert t.converged and t.alpha_c is None
    assert abs(t.alpha_it.mid - 0.5) <= 1e-3  # counting: min(1/2, ρβ_1/2, …) = 1/2
    assert t.alpha_alg.lo >= t.alpha_it.lo


@pytest.mark.parametrize("ens", ["orthogonal", GEOM, EMP],
                         ids=["orthogonal", "geometric", "empirical"])
def test_noiseless_cs_depends_only_on_the_row_space_of_a(ens):
    """y = A x with α < 1 constrains x to an affine subspace that depends only on the row
    space of A (Haar for every rotationally invariant A): the spectrum of A drops out."""
    for prior, rho, depth, alpha in (("relu", 2.0, 2, 0.45), ("gauss-bernoulli", 0.3, 0, 0.4)):
        g = solve_se(Model("cs", prior, rho=rho, depth=depth), alpha, opts=VAMP)
        e = solve_se(Model("cs", prior, rho=rho, depth=depth,
                           ensembles=("gaussian",) * depth + (ens,)), alpha, opts=VAMP)
        assert g.status == e.status == "converged"
        assert e.mse == pytest.approx(g.mse, rel=1e-9)


def test_gaussian_prior_pr_below_one_is_a_square_problem_in_the_row_space():
    """x i.i.d. N(0, 1), α < 1: y = |Ax| sees only the row-space part of x, an n-dim
    Gaussian vector measured by the square matrix U S (independent of α), and the null-space
    part stays at its prior. So mse(α) = 1 − α (1 − v*), v* the square problem's mse: (1 −
    mse)/α must not depend on α — for every ensemble (an exact, spectrum-free identity)."""
    for ens in ("geometric:10", "geometric:30", "orthogonal"):
        from phasediag.spectra import parse

        m = Model("pr", "gaussian", ensembles=(parse(ens),))
        ratios = [(1.0 - solve_se(m, a).mse) / a for a in (0.2, 0.45, 0.8)]
        assert max(ratios) - min(ratios) < 1e-7, (ens, ratios)
    assert ratios[0] < 1e-9  # orthogonal: no weak recovery below α = 1 (αc = 3/2)
