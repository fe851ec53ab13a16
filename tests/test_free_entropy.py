"""Free entropy Φ and mutual information (phasediag.free_entropy, the block potentials).

Normalisations (module doc of phasediag.free_entropy): dψ_P/dm̂ = m/2, ∂ψ_l/∂r = m_out/2,
∂ψ_l/∂s|_{s+V=ρ_in} = λ_in/2, dψ_out/dm|_{m+V=ρ_x} = λ_y/2. Kinds of checks:

(a) every potential's derivatives are the SE block outputs (5-point finite differences,
    in pair form: m + h with v − h, so V → 0 keeps its digits);
(b) at SE fixed points the gradient of Φ in every m_l and m̂_l vanishes (a wrong
    dimension ratio breaks it for β ≠ 1);
(c) closed forms: Gaussian x with CS noise Δ: I/d = ½ E log(1 + λ/Δ) over Marchenko–Pastur;
    a finite-matrix log det for the linear generative prior;
(d) reductions: Gauss–Bernoulli ρs → 1 is Gaussian, ρs → 0 is zero; relu at s/V → ∞ is
    half a linear layer; at V = 0 both are the known-input values;
(e) oracles: Monte Carlo of E log Z of the relu scalar problem; adaptive scipy quadrature
    for the Gauss–Bernoulli and PR potentials, down to v = 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import integrate

from phasediag import free_entropy as fe
from phasediag.blocks.channels import channel_block, channel_potential, cs_potential
from phasediag.blocks.gauss_bernoulli import gb_potential, gb_prior
from phasediag.blocks.layers import layer_block, layer_potential, linear_potential
from phasediag.blocks.pr import PR_PSI0, pr_g, pr_j, pr_lambda, pr_potential
from phasediag.blocks.priors import gaussian_potential, prior_potential
from phasediag.blocks.relu import (
    relu_layer,
    relu_posterior_full,
    relu_potential,
    relu_potential_rest,
)
from phasediag.blocks.tables import load_potential_tables, load_tables
from phasediag.model import Model
from phasediag.se.solve import SEOptions, solve_se
from phasediag.vocabulary import ACT_LINEAR, ACT_RELU, CHANNEL_CS, CHANNEL_PR, PRIOR_GB

POT = load_potential_tables()  # the potentials' tables (the SE kernels take `tabs`)


@pytest.fixture(scope="module")
def tabs():
    return load_tables()


def d5(f, x, h):
    """5-point central difference f'(x)."""
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def fd_err(f, x, h, target):
    """|f'(x) − target| by `d5`, less the rounding allowance 3e-15 (1 + |f|)/h of the stencil,
    relative to |target| (a potential is accurate in absolute, not relative, terms near 0)."""
    e = abs(d5(f, x, h) - target) - 3e-15 * (1.0 + abs(f(x))) / h
    return max(e, 0.0) / abs(target)


# ---------------------------------------------------------------------------------- (a)


@pytest.mark.parametrize("r", [1e-4, 0.3, 2.0, 50.0, 1e4])
def test_gaussian_prior_derivative(r):
    assert rel(d5(gaussian_potential, r, 1e-3 * r), 0.5 * r / (1 + r)) < 1e-9


@pytest.mark.parametrize("rho_s", [0.01, 0.2, 0.5, 0.9, 0.999])
def test_gb_prior_derivative(tabs, rho_s):
    worst = 0.0
    for r in (1e-3, 0.1, 1.0, 7.3, 138.0, 1e3, 3e4, 1e6):
        worst = max(worst, fd_err(lambda x: gb_potential(x, rho_s, tabs.gb), r, 1e-3 * r,
                                  0.5 * gb_prior(r, rho_s, tabs.gb)[0]))
    assert worst < 1e-8, worst


def test_linear_layer_derivatives(tabs):
    for rho, s_frac, r in [(1.0, 0.3, 0.7), (2.0, 1 - 1e-9, 1e6), (0.5, 1e-6, 3.0)]:
        s, v = rho * s_frac, rho * (1 - s_frac)
        mo, _, lam = layer_block(ACT_LINEAR, r, s, v, rho, tabs.relu)
        assert fd_err(lambda x, s=s, v=v: linear_potential(x, s, v), r, 1e-3 * r, 0.5 * mo) < 1e-8
        assert fd_err(lambda h, r=r, s=s, v=v: linear_potential(r, s + h, v - h), 0.0,
                      1e-3 * v, 0.5 * lam) < 1e-8


# V/ρ_in from 1e-9 to 1 − 1e-6 and γ = rV from 1e-3 to 1e5 (both ends of the table)
RELU_POINTS = [(vf, g) for vf in (1e-9, 1e-5, 0.013, 0.37, 0.8, 1 - 1e-6)
               for g in (1e-3, 0.21, 3.7, 95.0, 1e5)]


@pytest.mark.parametrize("rho_in", [1.0, 0.5])
def test_relu_layer_derivatives(tabs, rho_in):
    """∂(rest)/∂r = −v_out/2 and ∂(rest)/∂s = λ_in/2, rest = ψ − r(s+V)/4 (exact part)."""
    worst_r = worst_s = 0.0
    for vf, g in RELU_POINTS:
        v = vf * rho_in
        s = rho_in - v
        r = g / v
        _, vo, lam = relu_layer(r, s, v, rho_in, tabs.relu)
        fr = d5(lambda x, s=s, v=v: relu_potential_rest(x, s, v, POT.relu), r, 1e-3 * r)
        hs = 1e-3 * min(s, v)
        fs = d5(lambda h, r=r, s=s, v=v: relu_potential_rest(r, s + h, v - h, POT.relu), 0.0,
                hs)
        worst_r = max(worst_r, rel(-fr, 0.5 * vo))
        worst_s = max(worst_s, rel(fs, 0.5 * lam))
    # the table is piecewise polynomial with ~1e-11 jumps: derivatives of ψ are good to ~1e-7
    assert worst_r < 1e-6 and worst_s < 1e-6, (worst_r, worst_s)


def test_cs_channel_derivative():
    for noise in (0.0, 1e-3, 0.5):
        for vf in (1e-9, 0.2, 0.9):
            rho = 1.3
            v = rho * vf
            h = 1e-3 * (noise + v)
            assert fd_err(lambda x, v=v, noise=noise: cs_potential(v - x, noise), 0.0, h,
                          0.5 / (noise + v)) < 1e-8


@pytest.mark.parametrize("rho", [0.5, 1.0, 2.0])
def test_pr_channel_derivative(tabs, rho):
    """d/dm ψ(m, ρ − m) = λ_y/2 over v/ρ = 1e-9 … 1 − 1e-9 (every region of the table)."""
    worst = 0.0
    for vf in (1e-9, 3e-7, 1e-4, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-5, 1 - 1e-9):
        m, v = rho * (1 - vf), rho * vf
        h = 1e-3 * min(m, v)
        worst = max(worst, fd_err(lambda x, m=m, v=v: pr_potential(m + x, v - x, POT.pr), 0.0, h,
                                  0.5 * pr_lambda(m, v, rho, tabs.pr)))
    assert worst < 1e-8, worst


def test_pr_j_derivative(tabs):
    """dJ/dt = (g − 1) q in t = log(m/v) (well conditioned at m → 0, where the m-form is not),
    across the low asymptotics, every Chebyshev panel and the high asymptotics."""
    worst = 0.0
    for t in np.linspace(-45.0, 65.0, 233):
        q = 1.0 / (1.0 + math.exp(-t))
        g = pr_g(1.0, math.exp(-t), tabs.pr)  # m/v = e^t without forming 1 − q
        worst = max(worst, fd_err(lambda x: pr_j(x, POT.pr), t, 1e-3, (g - 1.0) * q))
    assert worst < 1e-8, worst


def test_pr_table_integral_closes(tabs):
    """J(∞) = −2 log 2: the v → 0 limit of ψ is the Gaussian −½ log(2πe v)."""
    assert abs(pr_j(1e3, POT.pr) + 2 * math.log(2)) < 1e-12
    assert abs(pr_potential(1.0, 1e-30, POT.pr) + 0.5 * math.log(2 * math.pi * math.e * 1e-30)) \
        < 1e-12


# ---------------------------------------------------------------------------------- (b)

FIXED_POINTS = [
    (Model("pr", "linear", rho=2.0), 1.0, "uninformed"),
    (Model("pr", "linear", rho=0.5, depth=2, betas=(3.0,)), 0.45, "uninformed"),
    (Model("cs", "relu", rho=0.5, depth=2, betas=(2.0,)), 0.3, "uninformed"),
    (Model("pr", "relu", rho=2.0, depth=2), 0.5, "uninformed"),
    (Model("cs", "linear", rho=0.3, noise=0.01), 0.2, "uninformed"),
    (Model("cs", "gauss-bernoulli", rho=0.3, noise=1e-3), 0.5, "uninformed"),
    (Model("pr", "gaussian"), 1.0, "uninformed"),
]


@pytest.mark.parametrize("model,alpha,init", FIXED_POINTS)
def test_stationary_at_fixed_points(tabs, model, alpha, init):
    res = solve_se(model, alpha, init, SEOptions(tol_fp=1e-13))
    assert res.status == "converged", res.status
    m, v = res.state()
    mhat = fe.conjugates(model, alpha, m, v)
    n = fe.weights(model)
    for i in range(m.size):
        def f_m(h, i=i):
            mm, vv = m.copy(), v.copy()
            mm[i] += h
            vv[i] -= h
            return fe.free_entropy(model, alpha, mm, mhat, vv)

        def f_mh(h, i=i):
            hh = mhat.copy()
            hh[i] += h
            return fe.free_entropy(model, alpha, m, hh, v)

        # each partial derivative is a difference of two terms of size n_i m̂_i/2 and n_i m_i/2
        g_m = d5(f_m, 0.0, 1e-4 * min(m[i], v[i]))
        g_mh = d5(f_mh, 0.0, 1e-4 * mhat[i])
        assert abs(g_m) < 1e-6 * n[i] * mhat[i], (i, g_m, n[i] * mhat[i])
        assert abs(g_mh) < 1e-6 * n[i] * m[i], (i, g_mh, n[i] * m[i])


def test_gradient_off_fixed_point(tabs):
    """Away from fixed points ∂Φ/∂m̂_i = n_i (m_i^{new} − m_i)/2: the update is the gradient."""
    model = Model("pr", "relu", rho=0.7, depth=2, betas=(1.6,))
    alpha = 0.8
    km = model.kernel()
    rho = np.array(model.second_moments)
    m = np.array([0.4, 0.2, 0.1])  # ρ = (1, 1/2, 1/4)
    v = rho - m
    mhat = np.array([1.3, 2.1, 0.7])
    n = fe.weights(model)
    from phasediag.blocks.priors import prior_block

    new_m = [prior_block(km.prior_code, mhat[0], km.prior_param, tabs.gb)[0]]
    for l in range(2):
        new_m.append(layer_block(ACT_RELU, mhat[l + 1], m[l], v[l], rho[l], tabs.relu)[0])
    for i in range(3):
        def f(h, i=i):
            hh = mhat.copy()
            hh[i] += h
            return fe.free_entropy(model, alpha, m, hh, v)

        assert abs(d5(f, 0.0, 1e-4 * mhat[i]) - 0.5 * n[i] * (new_m[i] - m[i])) < 1e-8


# ---------------------------------------------------------------------------------- (c)


def mp_mutual_information(alpha: float, noise: float) -> float:
    """½ E log(1 + λ/Δ) over the spectrum of AᵀA, A ∈ R^{n×d} i.i.d. N(0, 1/d), n = αd.

    AᵀA = α Y, Y = GᵀG/n Marchenko–Pastur of ratio c = 1/α (atom 1 − α at 0 when α < 1)."""
    c = 1.0 / alpha
    lo, hi = (1 - math.sqrt(c)) ** 2, (1 + math.sqrt(c)) ** 2

    def dens(x):
        return math.sqrt(max((hi - x) * (x - lo), 0.0)) / (2 * math.pi * c * x)

    val = integrate.quad(lambda x: dens(x) * math.log1p(alpha * x / noise), lo, hi,
                         epsabs=0, epsrel=1e-13, limit=200)[0]
    return 0.5 * val


@pytest.mark.parametrize("alpha", [0.3, 1.0, 2.5])
@pytest.mark.parametrize("noise", [1e-2, 1.0])
def test_gaussian_cs_mutual_information(alpha, noise):
    model = Model("cs", "gaussian", noise=noise)
    res = solve_se(model, alpha, "uninformed", SEOptions(tol_fp=1e-14))
    assert abs(fe.mutual_information_of(res) - mp_mutual_information(alpha, noise)) < 1e-9


def test_linear_prior_mutual_information_finite_matrix():
    """x = W z, y = A x + √Δ ξ: I = ½ log det(I + (AW)(AW)ᵀ/Δ) per instance (d = 1500)."""
    rho, alpha, noise, d = 0.5, 0.8, 0.1, 1500
    model = Model("cs", "linear", rho=rho, noise=noise)
    se = fe.mutual_information_of(solve_se(model, alpha, "uninformed", SEOptions(tol_fp=1e-14)))
    rng = np.random.default_rng(7)
    k, n = int(rho * d), int(alpha * d)
    vals = []
    for _ in range(2):
        w = rng.standard_normal((d, k)) / math.sqrt(k)
        a = rng.standard_normal((n, d)) / math.sqrt(d)
        s = np.linalg.svd(a @ w, compute_uv=False)
        vals.append(0.5 * np.log1p(s**2 / noise).sum() / d)
    assert abs(np.mean(vals) - se) < 2e-3, (vals, se)


def test_noiseless_mutual_information_is_infinite():
    model = Model("pr", "linear", rho=2.0)
    res = solve_se(model, 1.0)
    assert fe.mutual_information_of(res) == math.inf
    assert math.isfinite(fe.free_entropy_of(res))


# ---------------------------------------------------------------------------------- (d)


def test_gb_reductions(tabs):
    for r in (1e-3, 0.7, 40.0, 1e5):
        assert abs(gb_potential(r, 1 - 1e-10, tabs.gb) - gaussian_potential(r)) \
            < 1e-8 * (1 + gaussian_potential(r))
        assert prior_potential(PRIOR_GB, r, 1.0, tabs.gb) == gaussian_potential(r)
        assert abs(gb_potential(r, 1e-12, tabs.gb)) < 1e-10 * (1 + r)
        assert gb_potential(0.0, 0.3, tabs.gb) == 0.0


def test_relu_reductions(tabs):
    # s/V → ∞: the sign of u is known, half the units are linear, half are 0
    for r in (0.1, 3.0, 1e4):
        s, v = 1.0, 1e-14
        assert abs(relu_potential(r, s, v, POT.relu) - 0.5 * linear_potential(r, s, v)) \
            < 1e-6 * abs(linear_potential(r, s, v))
    # V = 0: ψ = E[−r x²/2 + B x] = r ρ_out/2 for both (ρ_out = s/2 for relu, s for linear)
    assert relu_potential(2.0, 0.6, 0.0, POT.relu) == pytest.approx(0.5 * 2.0 * 0.3, rel=1e-14)
    assert layer_potential(ACT_LINEAR, 2.0, 0.6, 0.0, POT.relu) == pytest.approx(0.6, rel=1e-14)
    assert relu_potential(0.0, 0.3, 0.7, POT.relu) == 0.0


def test_dispatchers(tabs):
    assert channel_potential(CHANNEL_CS, 0.5, 0.5, 0.1, POT.pr) == cs_potential(0.5, 0.1)
    assert channel_potential(CHANNEL_PR, 0.5, 0.5, 0.0, POT.pr) == pr_potential(0.5, 0.5, POT.pr)
    assert pr_potential(0.0, 2.0, POT.pr) == pytest.approx(-0.5 * math.log(2.0) + PR_PSI0)
    assert channel_block(CHANNEL_PR, 0.5, 0.5, 1.0, 0.0, tabs.pr) == pr_lambda(0.5, 0.5, 1.0,
                                                                               tabs.pr)


# ---------------------------------------------------------------------------------- (e)


@njit(cache=True)
def _relu_logz_mc(r, s, v, n, seed):
    np.random.seed(seed)
    acc = 0.0
    acc2 = 0.0
    for _ in range(n):
        om = math.sqrt(s) * np.random.standard_normal()
        u = om + math.sqrt(v) * np.random.standard_normal()
        x = u if u > 0.0 else 0.0
        b = r * x + math.sqrt(r) * np.random.standard_normal()
        lz = relu_posterior_full(b, r, om, v)[0]
        acc += lz
        acc2 += lz * lz
    mean = acc / n
    return mean, math.sqrt(max(acc2 / n - mean * mean, 0.0) / n)


@pytest.mark.parametrize("r,s,v", [(0.5, 0.4, 0.6), (4.0, 0.9, 0.1), (300.0, 0.99, 0.01),
                                   (2.0, 1e-3, 1.0)])
def test_relu_potential_monte_carlo(tabs, r, s, v):
    mean, se = _relu_logz_mc(r, s, v, 400_000, 11)
    assert abs(relu_potential(r, s, v, POT.relu) - mean) < 5 * se + 1e-12, (mean, se)


def _gb_quad(r: float, rho_s: float) -> float:
    """ψ_GB by scipy quad of E log Z over both components of B (original variable B)."""
    def logz(b):
        z = math.log(rho_s / (1 - rho_s)) - 0.5 * math.log1p(r) + b * b / (2 * (1 + r))
        return math.log1p(-rho_s) + np.logaddexp(0.0, z)

    out = 0.0
    for w, var in ((1 - rho_s, r), (rho_s, r * (1 + r))):
        sd = math.sqrt(var)
        zstar = -2 * (1 + r) * (math.log(rho_s / (1 - rho_s)) - 0.5 * math.log1p(r))
        pts = [math.sqrt(zstar)] if zstar > 0 and math.sqrt(zstar) < 14 * sd else None
        f = lambda b, sd=sd: 2 * math.exp(-0.5 * (b / sd) ** 2) / (sd * math.sqrt(2 * math.pi)) \
            * logz(b)  # noqa: E731
        out += w * integrate.quad(f, 0, 14 * sd, points=pts, epsabs=1e-14, epsrel=1e-13,
                                  limit=400)[0]
    return out


@pytest.mark.parametrize("rho_s", [0.05, 0.3, 0.8])
def test_gb_potential_quadrature(tabs, rho_s):
    for r in (1e-2, 1.0, 20.0, 138.0, 1e4):
        ref = _gb_quad(r, rho_s)
        assert abs(gb_potential(r, rho_s, tabs.gb) - ref) < 1e-11 * (1 + abs(ref)), (r, ref)


def _pr_psi_quad(kappa: float) -> float:
    """Ψ = ψ + ½ log v = −½ log(2π) − ½ + E sp(−2b(b+ζ)), b ~ N(0, κ²), by nested quad."""
    def inner(b):
        if b == 0.0:
            return math.log(2.0)
        f = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) \
            * np.logaddexp(0.0, -2 * b * (b + z))  # noqa: E731
        pts = [-b + k / b for k in (-3, -1, 0, 1, 3) if abs(-b + k / b) < 40]
        return integrate.quad(f, -40, 40, points=pts, epsabs=1e-15, epsrel=1e-13, limit=400)[0]

    top = 14 * kappa
    pts = [p for p in (0.3, 1, 3, 8, kappa) if p < top]
    val = integrate.quad(lambda b: 2 * math.exp(-0.5 * (b / kappa) ** 2)
                         / (kappa * math.sqrt(2 * math.pi)) * inner(b),
                         0, top, points=pts, epsabs=1e-14, epsrel=1e-12, limit=400)[0]
    return -0.5 * math.log(2 * math.pi) - 0.5 + val


@pytest.mark.parametrize("vf", [1e-9, 1e-4, 0.3, 0.9, 1 - 1e-7])
def test_pr_potential_quadrature(tabs, vf):
    rho = 1.0
    m, v = rho * (1 - vf), rho * vf
    ref = _pr_psi_quad(math.sqrt(m / v))
    assert abs(pr_potential(m, v, POT.pr) + 0.5 * math.log(v) - ref) < 1e-10, ref


def test_free_entropy_terms_and_timing():
    """Terms add up; weights are the dims; Φ at a fixed point takes < 1 ms after compile."""
    import time

    model = Model("pr", "relu", rho=2.0, depth=3, betas=(1.5, 2.0))
    res = solve_se(model, 1.0)
    m, v = res.state()
    mhat = fe.conjugates(model, 1.0, m, v)
    t = fe.free_entropy_terms(model, 1.0, m, mhat, v)
    assert t.total == pytest.approx(t.prior + sum(t.layers) + t.channel + t.coupling, abs=1e-12)
    assert np.allclose(fe.weights(model), [2.0, 3.0, 6.0, 1.0])
    fe.free_entropy_of(res)
    t0 = time.perf_counter()
    for _ in range(50):
        fe.free_entropy_of(res)
    assert (time.perf_counter() - t0) / 50 < 1e-3


def test_se_reports_free_entropy_and_mutual_information(run_cli):
    import json

    from phasediag.free_entropy import mutual_information_of
    from phasediag.se import solve_se

    args = ("se", "--problem", "cs", "--prior", "linear", "--rho", "0.5", "--alpha", "0.8",
            "--noise", "0.1", "--json")
    code, out, _ = run_cli(*args)
    d = json.loads(out)
    want = mutual_information_of(solve_se(Model("cs", "linear", rho=0.5, noise=0.1), 0.8))
    assert code == 0 and d["mutual_information"] == pytest.approx(want, rel=1e-12)
    assert d["free_entropy"] < 0 and d["mutual_information_infinite"] is False
    code, out, _ = run_cli("se", "--problem", "pr", "--prior", "linear", "--rho", "2",
                           "--alpha", "0.8", "--json")
    d = json.loads(out)  # noiseless: I = +inf, written as null + the flag (valid JSON)
    assert d["mutual_information"] is None and d["mutual_information_infinite"] is True
    assert d["free_entropy"] is not None
    code, out, _ = run_cli("se", "--problem", "pr", "--prior", "linear", "--rho", "2",
                           "--alpha", "0.8", "--ensemble-a", "orthogonal", "--json")
    d = json.loads(out)
    assert d["free_entropy"] is None and "Gaussian matrices only" in d["free_entropy_note"]
