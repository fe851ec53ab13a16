"""Closed-form blocks (linear layer, Gaussian prior, CS channel) against independent oracles.

Oracles: the posterior of u given (ω, B) is Gaussian with precision 1/V + r and mean
(ω/V + B)/(1/V + r); m_out = E[E[u|ω,B]²] and λ_in = E[(E[u|ω,B] − ω)²]/V² are computed
by Monte Carlo over (ω, ζ, ξ) and by scipy quadrature over B | ω (Gaussian, variance
r²V + r around rω), never with the closed forms under test.
"""

import math

import numpy as np
import pytest
from scipy import integrate

from phasediag.blocks.channels import cs_lambda
from phasediag.blocks.layers import linear_layer
from phasediag.blocks.priors import gaussian_prior

RHO_IN = (0.5, 1.0, 2.0)
V_FRAC = np.logspace(-9, 0, 10)[:-1].tolist() + [1 - 1e-9]
R_VALUES = (1e-6, 1e-2, 1.0, 1e3, 1e8)


def _linear_quad(r, s, v):
    """(m_out, λ_in) by quadrature: E over ω ~ N(0,s) and B|ω ~ N(rω, r²V + r)."""
    prec = 1.0 / v + r
    var_b = r * r * v + r

    def inner(z_b, omega, which):
        b = r * omega + math.sqrt(var_b) * z_b
        shift = (b - r * omega) / prec  # posterior mean − ω, written without cancellation
        val = (omega + shift) ** 2 if which == 0 else shift * shift
        return val * math.exp(-0.5 * z_b * z_b) / math.sqrt(2 * math.pi)

    def outer(z_w, which):
        omega = math.sqrt(s) * z_w
        val = integrate.quad(inner, -12, 12, args=(omega, which), epsabs=0, epsrel=1e-11)[0]
        return val * math.exp(-0.5 * z_w * z_w) / math.sqrt(2 * math.pi)

    m = integrate.quad(outer, -12, 12, args=(0,), epsabs=0, epsrel=1e-11)[0]
    lam = integrate.quad(outer, -12, 12, args=(1,), epsabs=0, epsrel=1e-11)[0] / v**2
    return m, lam


@pytest.mark.parametrize("rho_in", RHO_IN)
@pytest.mark.parametrize("r", R_VALUES)
def test_linear_layer_against_quadrature(rho_in, r):
    """Relative tolerance 1e-8 on m_out and λ_in; v_out + m_out = ρ_in exactly."""
    for frac in V_FRAC[::2]:
        v = frac * rho_in
        s = rho_in - v
        m_out, v_out, lam = linear_layer(r, s, v, rho_in)
        m_q, lam_q = _linear_quad(r, s, v)
        assert m_out == pytest.approx(m_q, rel=1e-8, abs=1e-300)
        assert lam == pytest.approx(lam_q, rel=1e-8)
        assert m_out + v_out == pytest.approx(rho_in, rel=1e-14)


def test_linear_layer_small_v_keeps_digits():
    """v_out = V/(1 + rV) stays relative-exact at V = 1e-20 (no ρ − m cancellation)."""
    for r in (1.0, 1e10, 1e20, 1e25):
        v = 1e-20
        _, v_out, lam = linear_layer(r, 1.0 - v, v, 1.0)
        assert v_out == pytest.approx(v / (1 + r * v), rel=1e-14)
        assert lam == pytest.approx(r / (1 + r * v), rel=1e-14)


def test_linear_layer_monte_carlo():
    """Independent Monte Carlo (4e6 samples) at a moderate point, 5 standard errors."""
    rng = np.random.default_rng(1)
    n = 4_000_000
    rho_in, s, r = 1.3, 0.7, 2.5
    v = rho_in - s
    omega = math.sqrt(s) * rng.standard_normal(n)
    u = omega + math.sqrt(v) * rng.standard_normal(n)
    b = r * u + math.sqrt(r) * rng.standard_normal(n)
    mean = (omega / v + b) / (1 / v + r)
    m_out, _, lam = linear_layer(r, s, v, rho_in)
    x1, x2 = mean**2, (mean - omega) ** 2 / v**2
    assert abs(x1.mean() - m_out) < 5 * x1.std() / math.sqrt(n)
    assert abs(x2.mean() - lam) < 5 * x2.std() / math.sqrt(n)


@pytest.mark.parametrize("r", [0.0, 1e-9, 1e-3, 1.0, 1e4, 1e12, 1e30])
def test_gaussian_prior_against_quadrature(r):
    """z ~ N(0,1), B = r z + √r ξ: posterior mean B/(1 + r); m = E[(B/(1+r))²]."""
    if r == 0:
        assert gaussian_prior(r) == (0.0, 1.0)
        return
    var_b = r * r + r
    m_q = integrate.quad(
        lambda zb: (math.sqrt(var_b) * zb / (1 + r)) ** 2 * math.exp(-zb * zb / 2),
        -15, 15, epsabs=0, epsrel=1e-13)[0] / math.sqrt(2 * math.pi)
    m, v = gaussian_prior(r)
    assert m == pytest.approx(m_q, rel=1e-10)
    assert v == pytest.approx(1.0 / (1.0 + r), rel=1e-14)


@pytest.mark.parametrize("noise", [0.0, 1e-4, 0.1, 2.0])
def test_cs_channel_monte_carlo(noise):
    """y = u + √Δ ξ: E[u|ω,y] = ω + V/(V+Δ)(y − ω); λ_y = E[(E[u|ω,y] − ω)²]/V² by MC."""
    rng = np.random.default_rng(2)
    n = 2_000_000
    for v in (1e-9, 1e-3, 0.5, 1.0):
        omega = 0.3 * rng.standard_normal(n)
        u = omega + math.sqrt(v) * rng.standard_normal(n)
        y = u + math.sqrt(noise) * rng.standard_normal(n)
        est = omega + v / (v + noise) * (y - omega)
        x = (est - omega) ** 2 / v**2
        assert abs(x.mean() - cs_lambda(v, noise)) < 5 * x.std() / math.sqrt(n)
