"""Gauss–Bernoulli prior x ~ (1 − ρs) δ0 + ρs N(0, 1): denoiser and prior block (SPEC §2).

Channel B = r x* + √r ξ. The posterior support probability is π(B) = σ(z),
z = log(ρs/(1−ρs)) − ½ log(1+r) + B²/(2(1+r)), and since p(B)·π(B) = ρs N(B; 0, r(1+r))
both moments are single expectations over the *active* component, B = √(r(1+r))·ξ:

    m = E[E[x|B]²]   = ρs γ E_ξ[σ(z) ξ²]
    v = E[Var(x|B)]  = ρs/(1+r) + ρs γ E_ξ[σ(−z) ξ²],     z = L + r ξ²/2,  γ = r/(1+r),

with L = log(ρs/(1−ρs)) − ½ log(1+r). Both integrands are non-negative, so m and v are
each computed without cancellation (m ≈ ρs² r as r → 0, v ≈ ρs/r as r → ∞).

Quadrature: σ(z) switches at ξ* = √(−2L/r) (~ √(log r / r) → 0 at large r) over a width
~1/(r ξ*). Panels are the union of z-breakpoints (fixed in z, mapped to ξ = √(2(z−L)/r))
and a unit-scale grid in ξ for the Gaussian, up to z = 40 (beyond: σ(z) = 1 to e⁻⁴⁰,
handled in closed form) or ξ = 13; Gauss–Legendre on every panel.

Potential ψ(r) = E log Z(B, r), Z = (1 − ρs) + ρs (1+r)^{−1/2} e^{B²/(2(1+r))} = (1 − ρs)(1 + e^z):

    ψ = log(1 − ρs) + (1 − ρs) E_ξ sp(L + γ ξ²/2) + ρs E_ξ sp(L + r ξ²/2),   sp = softplus,

(B = √r ξ when x = 0, B = √(r(1+r)) ξ when x ≠ 0; for ρs > 1/2 with sp(z) = z + sp(−z)),
dψ/dr = m/2; the same panels (the kink
of sp at z = 0 is a z-breakpoint), integrated to ξ = 13 (the growth sp ≈ z is polynomial).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numba import njit

from phasediag.quadrature import gauss_legendre, ndtr

SQRT_2PI = math.sqrt(2.0 * math.pi)
N_GL = 14  # nodes per panel; 12 gives ~4e-12, 14 gives ~5e-14 (max rel. error on m and v)
Z_BREAKS = (-40.0, -20.0, -9.0, -3.5, 0.0, 3.5, 9.0, 20.0, 40.0)  # poles of σ(z) at ±iπ
XI_STEP = 3.25
XI_MAX = 13.0


@functools.lru_cache(maxsize=4)
def gb_table(n: int = N_GL) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(GL nodes on [−1, 1], GL weights, z-breakpoints, ξ-grid) for `gb_prior`."""
    x, w = gauss_legendre(n)
    zb = np.array(Z_BREAKS, dtype=np.float64)
    xib = np.arange(0.0, XI_MAX + 0.5 * XI_STEP, XI_STEP, dtype=np.float64)
    return x, w, zb, xib


@njit(cache=True)
def _sigmoid_pair(z):
    """(σ(z), σ(−z)) with σ(z) = 1/(1 + e^{−z}), each without overflow or cancellation."""
    if z >= 0.0:
        e = math.exp(-z)
        p = 1.0 / (1.0 + e)
        return p, e * p
    e = math.exp(z)
    pbar = 1.0 / (1.0 + e)
    return e * pbar, pbar


@njit(cache=True)
def _panel(a, b, L, r, gx, gw):
    """∫_a^b σ(±z) ξ² e^{−ξ²/2} dξ (both signs), z = L + r ξ²/2, Gauss–Legendre."""
    half = 0.5 * (b - a)
    mid = 0.5 * (b + a)
    s_pos = 0.0
    s_neg = 0.0
    for k in range(gx.shape[0]):
        xi = mid + half * gx[k]
        xi2 = xi * xi
        z = L + 0.5 * r * xi2
        p, pbar = _sigmoid_pair(z)
        wk = gw[k] * xi2 * math.exp(-0.5 * xi2)
        s_pos += wk * p
        s_neg += wk * pbar
    return half * s_pos, half * s_neg


@njit(cache=True)
def gb_prior(r, rho_s, tab):
    """(m, v) = (E[E[x|B]²], E[Var(x|B)]) for B = r x + √r ξ, each without cancellation."""
    if rho_s >= 1.0:  # Gaussian prior
        if r == math.inf:
            return 1.0, 0.0
        return r / (1.0 + r), 1.0 / (1.0 + r)
    if not rho_s > 0.0:
        return 0.0, 0.0
    if not r > 0.0:
        return 0.0, rho_s
    if r == math.inf:
        return rho_s, 0.0
    gx, gw, zb, xib = tab[0], tab[1], tab[2], tab[3]
    gam = r / (1.0 + r)
    L = math.log(rho_s / (1.0 - rho_s)) - 0.5 * math.log1p(r)
    nz = zb.shape[0]
    z_hi = zb[nz - 1]
    xi_hi = math.sqrt(2.0 * (z_hi - L) / r) if z_hi > L else 0.0
    xi_end = min(xi_hi, xib[xib.shape[0] - 1])
    # first z-breakpoint strictly above L (ξ > 0)
    i = 0
    while i < nz and zb[i] <= L:
        i += 1
    j = 1  # xib[0] = 0
    a = 0.0
    s_pos = 0.0
    s_neg = 0.0
    while a < xi_end:
        bz = math.sqrt(2.0 * (zb[i] - L) / r) if i < nz else math.inf
        bx = xib[j] if j < xib.shape[0] else math.inf
        b = min(bz, bx, xi_end)
        if b > a:
            p, n = _panel(a, b, L, r, gx, gw)
            s_pos += p
            s_neg += n
            a = b
        if bz <= a:
            i += 1
        if bx <= a:
            j += 1
    s_pos *= 2.0 / SQRT_2PI  # E over ξ ∈ R (even integrand)
    s_neg *= 2.0 / SQRT_2PI
    if xi_hi <= xi_end:  # σ(z) = 1 beyond xi_hi: E[ξ²; |ξ| > a] = 2(a φ(a) + Φ(−a))
        s_pos += 2.0 * (xi_hi * math.exp(-0.5 * xi_hi * xi_hi) / SQRT_2PI + ndtr(-xi_hi))
    m = rho_s * gam * s_pos
    v = rho_s / (1.0 + r) + rho_s * gam * s_neg
    return m, v


@njit(cache=True)
def _softplus(z):
    """log(1 + e^z) without overflow or cancellation."""
    if z > 0.0:
        return z + math.log1p(math.exp(-z))
    return math.log1p(math.exp(z))


@njit(cache=True)
def _e_softplus(L, c, sign, tab):
    """E_ξ sp(±(L + c ξ²/2)), ξ ~ N(0, 1), c ≥ 0, sign ±1: Gauss–Legendre on [0, ξ_max] split
    at the unit ξ-grid and at the z-breakpoints mapped to ξ = √(2(z − L)/c)."""
    gx, gw, zb, xib = tab[0], tab[1], tab[2], tab[3]
    if not c > 0.0:
        return _softplus(sign * L)
    xi_max = xib[xib.shape[0] - 1]
    br = np.empty(zb.shape[0] + xib.shape[0])
    n = 0
    for k in range(xib.shape[0]):
        br[n] = xib[k]
        n += 1
    for k in range(zb.shape[0]):
        if zb[k] > L:
            x = math.sqrt(2.0 * (zb[k] - L) / c)
            if x < xi_max:
                br[n] = x
                n += 1
    br = np.sort(br[:n])
    s = 0.0
    for p in range(n - 1):
        a = br[p]
        b = br[p + 1]
        if not b > a:
            continue
        half = 0.5 * (b - a)
        mid = 0.5 * (b + a)
        acc = 0.0
        for k in range(gx.shape[0]):
            xi = mid + half * gx[k]
            acc += gw[k] * math.exp(-0.5 * xi * xi) * _softplus(sign * (L + 0.5 * c * xi * xi))
        s += half * acc
    return 2.0 * s / SQRT_2PI


@njit(cache=True)
def gb_potential(r, rho_s, tab):
    """ψ(r) = E log Z of the Gauss–Bernoulli prior block (module doc); dψ/dr = m/2."""
    if rho_s >= 1.0:  # Gaussian prior
        if r == math.inf:
            return math.inf
        return 0.5 * (r - math.log1p(r))
    if not (rho_s > 0.0 and r > 0.0):
        return 0.0
    if r == math.inf:
        return math.inf
    L = math.log(rho_s / (1.0 - rho_s)) - 0.5 * math.log1p(r)
    gam = r / (1.0 + r)
    if rho_s <= 0.5:
        return (math.log1p(-rho_s) + (1.0 - rho_s) * _e_softplus(L, gam, 1.0, tab)
                + rho_s * _e_softplus(L, r, 1.0, tab))
    # sp(z) = z + sp(−z): no cancellation of log(1 − ρs) against L as ρs → 1
    return (math.log(rho_s) - 0.5 * math.log1p(r) + 0.5 * ((1.0 - rho_s) * gam + rho_s * r)
            + (1.0 - rho_s) * _e_softplus(L, gam, -1.0, tab)
            + rho_s * _e_softplus(L, r, -1.0, tab))


@njit(cache=True)
def gb_denoiser(B, A, rho_s):
    """Mean and variance of x ∝ [(1−ρs)δ(x) + ρs N(x;0,1)]·exp(−A x²/2 + B x).

    π = σ(z), z = log(ρs/(1−ρs)) − ½ log(1+A) + (B/(1+A))·B/2;
    mean = π B/(1+A), var = π/(1+A) + π(1−π)(B/(1+A))²   (both terms ≥ 0).
    """
    a1 = 1.0 + A
    mu = B / a1
    if rho_s >= 1.0:
        return mu, 1.0 / a1
    if not rho_s > 0.0:
        return 0.0, 0.0
    z = math.log(rho_s / (1.0 - rho_s)) - 0.5 * math.log(a1) + 0.5 * mu * B
    p, pbar = _sigmoid_pair(z)
    return p * mu, p / a1 + p * pbar * mu * mu
