"""Gauss–Bernoulli prior block (phasediag.blocks.gauss_bernoulli) against independent oracles.

Oracles (none reuses the kernel's single-component reduction or its panels):

- adaptive quadrature of the two-component definition: with B = r x* + √r ξ,
      m = (1−ρ) E_{B~N(0,r)}[f(B)²] + ρ E_{B~N(0,r(1+r))}[f(B)²],     f = E[x|B] = π(B) B/(1+r)
      v = (1−ρ) E_{B~N(0,r)}[s(B)]  + ρ E_{B~N(0,r(1+r))}[s(B)],      s = Var(x|B)
  with π(B) = expit(log(ρ/(1−ρ)) − ½log(1+r) + B²/(2(1+r))), s = π/(1+r) + π(1−π)B²/(1+r)²;
  each component integrated by `scipy.integrate.quad` in its standardised variable, with
  breakpoints around the switch of π;
- Monte Carlo, 2·10⁶ draws of (x*, B), of E[f(B)²], E[s(B)] and E[(x* − f(B))²];
- closed forms: ρ = 1 gives m = r/(1+r), v = 1/(1+r); r → 0: m ≈ ρ² r; r → ∞: v ≈ ρ/r;
- the denoiser: posterior of x ∝ [(1−ρ)δ(x) + ρN(x;0,1)]·exp(−Ax²/2 + Bx) by quad of the
  continuous part around its peak B/(1+A), in log-scaled form, plus the point mass at 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special

from phasediag.blocks.gauss_bernoulli import gb_denoiser, gb_prior, gb_table

TOL = 1e-10  # asserted max relative error on m and on v (measured ≲ 1e-13)


@pytest.fixture(scope="module")
def tab():
    return gb_table()


def gb_quad(r: float, rho: float) -> tuple[float, float]:
    """(m, v) from the two-component definition, quad in ξ = B/sd per component."""
    L0 = math.log(rho / (1.0 - rho)) - 0.5 * math.log1p(r)

    def moments(B: float) -> tuple[float, float]:
        z = L0 + B * B / (2.0 * (1.0 + r))
        p, pb = special.expit(z), special.expit(-z)
        mu = B / (1.0 + r)
        return (p * mu) ** 2, p / (1.0 + r) + p * pb * mu * mu

    m = v = 0.0
    for wgt, sd in ((1.0 - rho, math.sqrt(r)), (rho, math.sqrt(r * (1.0 + r)))):
        pts = [1.0, 3.0]
        if L0 < 0.0:
            xs = math.sqrt(-2.0 * L0 * (1.0 + r)) / sd  # π = 1/2 here
            width = (1.0 + r) / (sd * sd * xs)
            pts += [xs + k * width for k in (-20, -5, -1, 0, 1, 5, 20)]
        pts = sorted({p for p in pts if 0.0 < p < 40.0})
        for k in (0, 1):

            def f(x: float, k=k, sd=sd) -> float:
                return 2.0 * moments(sd * x)[k] * math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)

            val = integrate.quad(f, 0.0, 40.0, points=pts, epsabs=0.0, epsrel=1e-13, limit=500)[0]
            if k == 0:
                m += wgt * val
            else:
                v += wgt * val
    return m, v


R_GRID = np.logspace(-6, 8, 15) * 1.37  # off any special value


@pytest.mark.parametrize("rho", [0.01, 0.1, 0.5])
def test_prior_against_quadrature(tab, rho):
    worst = 0.0
    for r in R_GRID:
        m, v = gb_prior(r, rho, tab)
        rm, rv = gb_quad(r, rho)
        worst = max(worst, abs(m / rm - 1.0), abs(v / rv - 1.0))
    assert worst < TOL, worst


def test_prior_extreme_r_against_quadrature(tab):
    """The switch of π at ξ* ~ √(log r / r): r up to 1e30, ρs down to 1e-3."""
    worst = 0.0
    for rho in (1e-3, 0.03, 0.97):
        for r in (3.1e10, 4.7e14, 2.2e20, 1e30, 7.7e-3, 0.61, 4.4):
            m, v = gb_prior(r, rho, tab)
            rm, rv = gb_quad(r, rho)
            worst = max(worst, abs(m / rm - 1.0), abs(v / rv - 1.0))
    assert worst < TOL, worst


def test_gaussian_reduction(tab):
    for r in (0.0, 1e-300, 1e-8, 0.3, 1.0, 7.0, 1e8, 1e30):
        m, v = gb_prior(r, 1.0, tab)
        assert m == r / (1.0 + r) and v == 1.0 / (1.0 + r)
    # ρs → 1 from below joins the Gaussian closed form continuously
    for r in (1e-4, 0.5, 3.0, 1e6):
        m, v = gb_prior(r, 1.0 - 1e-12, tab)
        assert abs(m / (r / (1.0 + r)) - 1.0) < 1e-10 and abs(v * (1.0 + r) - 1.0) < 1e-10


def test_limits(tab):
    """r → 0: m ≈ ρ² r (1 + O(r)), v = ρ − m; r → ∞: v ≈ ρ/r; m + v = ρ throughout."""
    for rho in (1e-3, 0.01, 0.1, 0.5, 1.0):
        assert gb_prior(0.0, rho, tab) == (0.0, rho)
        m, v = gb_prior(1e-14, rho, tab)
        assert abs(m / (rho * rho * 1e-14) - 1.0) < 1e-11
        m, v = gb_prior(1e-300, rho, tab)
        assert abs(m / (rho * rho * 1e-300) - 1.0) < 1e-12 and v == rho
        for r in np.logspace(-8, 30, 39):
            m, v = gb_prior(r, rho, tab)
            assert abs((m + v) / rho - 1.0) < 1e-13
    for rho in (1e-3, 0.01, 0.1, 0.5, 1.0 - 1e-9):
        for r in (1e20, 1e30):
            m, v = gb_prior(r, rho, tab)
            # v = ρ/(1+r) + ρ E[σ(−z)ξ²] with σ(−z) ≈ 1 on |ξ| < ξ* = √(−2L/r):
            # relative correction ≈ (2φ(0)/3)(−2L)^{3/2}/√r, L = log(ρ/(1−ρ)) − ½ log(1+r)
            c = (2.0 * (0.5 * math.log1p(r) - math.log(rho / (1.0 - rho)))) ** 1.5 / math.sqrt(r)
            assert 0.0 <= v * (1.0 + r) / rho - 1.0 < c
            assert m == pytest.approx(rho, rel=1e-15)


@pytest.mark.parametrize("r, rho", [(2.0, 0.1), (20.0, 0.5)])
def test_prior_monte_carlo(tab, r, rho):
    rng = np.random.default_rng(5)
    n = 2_000_000
    x = np.where(rng.uniform(size=n) < rho, rng.standard_normal(n), 0.0)
    B = r * x + math.sqrt(r) * rng.standard_normal(n)
    z = math.log(rho / (1 - rho)) - 0.5 * math.log1p(r) + B * B / (2 * (1 + r))
    p = special.expit(z)
    f = p * B / (1 + r)
    s = p / (1 + r) + p * (1 - p) * (B / (1 + r)) ** 2
    m, v = gb_prior(r, rho, tab)
    for sample, ref in ((f * f, m), (s, v), ((x - f) ** 2, v)):
        assert abs(sample.mean() - ref) < 5.0 * sample.std() / math.sqrt(n)


def denoiser_quad(B: float, A: float, rho: float) -> tuple[float, float]:
    """Posterior mean/var of x ∝ [(1−ρ)δ(x) + ρN(x;0,1)]·exp(−Ax²/2 + Bx) by quad.

    Continuous part in the standardised variable t = (x − x0)/sd, x0 = B/(1+A),
    sd = (1+A)^{−1/2}: its log-weight is log ρ + g(x0) + log(sd ∫ e^{−t²/2} dt) with
    g(x) = −(1+A)x²/2 + Bx − ½log 2π, and its moments are x0 + sd T₁/T₀, sd² T₂/T₀ with
    T_k = ∫ t^k e^{−t²/2} dt (quad on [−40, 0] and [0, 40]). With π = P(x ≠ 0 | B) the posterior is
    the mixture (1−π)δ0 + π·(that Gaussian), so mean = π μ_c and
    var = (1−π)mean² + π[(μ_c − mean)² + σ_c²].
    """
    a1 = 1.0 + A
    x0, sd = B / a1, 1.0 / math.sqrt(a1)
    gmax = 0.5 * B * x0 - 0.5 * math.log(2 * math.pi)
    t = [
        sum(
            integrate.quad(
                lambda u, k=k: u**k * math.exp(-0.5 * u * u),
                lo,
                hi,
                epsabs=0.0,
                epsrel=1e-13,
                limit=200,
            )[0]
            for lo, hi in ((-40.0, 0.0), (0.0, 40.0))
        )
        for k in range(3)
    ]
    logw = math.log(rho) + gmax + math.log(sd * t[0]) - math.log(1.0 - rho)
    p = special.expit(logw)
    mu_c, var_c = x0 + sd * t[1] / t[0], sd * sd * t[2] / t[0]
    mean = p * mu_c
    # μ_c − mean = (1 − π) μ_c, written so that it does not cancel
    return mean, (1.0 - p) * mean * mean + p * (((1.0 - p) * mu_c) ** 2 + var_c)


def test_denoiser_against_quadrature():
    cases = [
        (0.3, 0.5, 0.1),
        (-2.0, 1.0, 0.5),
        (5.0, 3.0, 0.01),
        (30.0, 10.0, 1e-3),
        (1e3, 1e6, 0.1),
        (1e8, 1e4, 0.5),
        (-1e8, 1e4, 0.5),
        (50.0, 1e10, 0.2),
        (0.0, 1e30, 0.3),
        (1e-3, 1e-3, 0.999),
        (40.0, 200.0, 0.05),
        (1e5, 1e6, 0.02),
        (4266.0, 1e6, 0.1),
    ]
    for B, A, rho in cases:
        mean, var = gb_denoiser(B, A, rho)
        rm, rv = denoiser_quad(B, A, rho)
        assert math.isfinite(mean) and math.isfinite(var) and var > 0.0
        assert abs(mean - rm) <= 1e-11 * abs(rm) + 1e-300, (B, A, rho, mean, rm)
        assert abs(var / rv - 1.0) < 1e-10, (B, A, rho, var, rv)


def test_denoiser_edges():
    assert gb_denoiser(3.0, 1.0, 1.0) == (1.5, 0.5)
    assert gb_denoiser(3.0, 1.0, 0.0) == (0.0, 0.0)
    mean, var = gb_denoiser(1e200, 0.0, 0.5)  # z = +inf: π = 1
    assert mean == 1e200
    mean, var = gb_denoiser(1e-3, 1e300, 0.5)  # π → 0
    assert mean == 0.0 and var == 0.0 or (mean < 1e-300 and var < 1e-300)


@pytest.mark.slow
def test_cost(tab):
    """Per-call cost inside a compiled loop; < 5 µs asserted (shared CPU: min of 5 runs)."""
    import time

    from numba import njit

    @njit
    def loop(rs, rhos, tab):
        s = 0.0
        for k in range(rs.shape[0]):
            m, v = gb_prior(rs[k], rhos[k], tab)
            s += m + v
        return s

    rng = np.random.default_rng(2)
    rs = 10.0 ** rng.uniform(-6, 30, 20000)
    rhos = 10.0 ** rng.uniform(-3, 0, 20000)
    loop(rs[:3], rhos[:3], tab)
    best = math.inf
    for _ in range(5):
        t0 = time.process_time()
        loop(rs, rhos, tab)
        best = min(best, (time.process_time() - t0) / rs.shape[0])
    assert best < 5e-6
