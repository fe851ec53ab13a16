"""ReLU layer block of the state evolution (SPEC §2), as numba kernels.

Scalar problem: u ~ N(ω, V), x = relu(u), observed as B = A x + √A ξ. Its posterior
p(u | ω, B) ∝ N(u; ω, V) exp(−A relu(u)²/2 + B relu(u)) is a mixture of

- N(ω, V) truncated to u < 0, weight Z₋ = Φ(−ω/√V);
- N(μ, σ²) truncated to u > 0, D = 1 + AV, μ = (ω + BV)/D, σ² = V/D, weight
  Z₊ = D^{−1/2} exp((B(2ω + BV) − Aω²)/(2D)) Φ(μ/σ) = D^{−1/2} e^{−ω²/2V} (erfcx(−μ/σ√2)/2).

`relu_posterior` is that closed form (shared by the table builder and by finite-size AMP).
`relu_layer` is the SE block: by positive homogeneity, with q = s/V and γ = rV,
v_out = V·E(q, γ) and λ_in = Λ(q, γ)/V. The table holds the smooth, bounded functions

    Ê = (1 + γ) E,   L̂ = (1 + γ) Λ / γ,   of   t = √(V/(s+V)) = (1+q)^{−1/2},
                                               y = ℓ/(ℓ + L), ℓ = log(1 + γ), L = 5,

on the closed square [0, 1]², so the limits q → ∞ (t = 0: Ê = L̂ = 1/2 exactly), s = 0
(t = 1), γ = 0 (y = 0) and γ → ∞ (y = 1: Ê = 1/2, L̂ = 1/2 + E[φ(ω)²/Φ(−ω)]) are grid
edges, not extrapolations. (In p = (1+γ)^{−1/2} the approach to γ = ∞ goes like p log²p;
in y it is flat, e^{−ℓ/2}ℓ².) Then v_out = V Ê/(1 + rV) and λ_in = r L̂/(1 + rV), both
relative-accurate down to V → 0. Ê, L̂ are piecewise polynomials (tensor degree 9 on 8 × 16
uniform patches of (t, y)), accurate to ~1e-11 absolute (values are 1/4 … 0.82), with
jumps of that size across patch edges; see `phasediag.blocks.relu_table` for the build.

Potential. ψ = E log Z is scale-free (Z is normalised over u), ψ = Ψ(q, γ), Ψ(q, 0) = 0 and
∂Ψ/∂γ = m_out/(2V) = (q+1)/4 − Ê/(2(1+γ)), so with ℓ = log(1 + γ), in the original units,

    ψ = r(s + V)/4 − ℓ/4 − R/2,     R = ∫_0^ℓ (Ê(t, ℓ') − 1/2) dℓ',

the divergent parts (r, log r) in closed form and R bounded (Ê − 1/2 ~ ℓ²e^{−ℓ/2}). R is a
1-D Gauss–Legendre integral of the table, patch by patch in y (dℓ = L dy/(1 − y)²), cut at
ℓ = ELL_CUT where Ê = 1/2 to < 1e-13. Consistent with m_out by construction; ∂ψ/∂s = λ_in/2
tests the table (tests/test_free_entropy.py).
"""

from __future__ import annotations

import math

from numba import njit

from phasediag.quadrature import SQRT2, erfcx, log_ndtr, mills, trunc_moments


@njit(cache=True)
def _trunc(a):
    """(mean, var, φ(a)/Φ(a)) of N(a, 1) truncated to (0, ∞), each without cancellation."""
    g, d = trunc_moments(a)
    if a >= -4.0:
        return g, d, mills(a)
    return g, d, g - a


@njit(cache=True)
def relu_posterior_full(B, A, omega, V):
    """Posterior of u given (ω, B): (log Z, mean_x, var_x, mean_u, var_u, mean_u − ω).

    Z = ∫ N(u; ω, V) exp(−A relu(u)²/2 + B relu(u)) du. Moments of x = relu(u):
    mean_x = w₊m₊, var_x = w₊(v₊ + w₋m₊²); of u: mean_u = w₊m₊ + w₋m₋,
    var_u = w₊v₊ + w₋v₋ + w₊w₋(m₊ − m₋)², with w± = Z±/(Z₋ + Z₊) (see module doc).
    Requires A ≥ 0, V ≥ 0 finite; V = 0 is the point mass u = ω.
    """
    if not V > 0.0:
        x = omega if omega > 0.0 else 0.0
        return -0.5 * A * x * x + B * x, x, 0.0, omega, 0.0, 0.0
    sv = math.sqrt(V)
    # negative branch: N(ω, V) on u < 0, standardized upper limit bm = −ω/√V
    bm = -omega / sv
    logzm = log_ndtr(bm)
    gm, dm, mm = _trunc(bm)
    m_minus = -sv * gm
    v_minus = V * dm
    dmu_minus = -sv * mm  # m₋ − ω
    # positive branch: N(μ, σ²) on u > 0
    D = 1.0 + A * V
    sig = math.sqrt(V / D)
    a = (omega + B * V) / (sv * math.sqrt(D))
    if a > 0.0:
        logzp = -0.5 * math.log(D) + (B * (2.0 * omega + B * V) - A * omega * omega) / (
            2.0 * D
        ) + log_ndtr(a)
    else:
        logzp = -0.5 * math.log(D) - 0.5 * omega * omega / V + math.log(
            0.5 * erfcx(-a / SQRT2)
        )
    gp, dp, mp = _trunc(a)
    m_plus = sig * gp
    v_plus = sig * sig * dp
    dmu_plus = V * (B - A * omega) / D + sig * mp  # m₊ − ω = μ − ω + σ M(a)
    # mixture weights
    d = logzp - logzm
    if d > 0.0:
        e = math.exp(-d)
        wp = 1.0 / (1.0 + e)
        wm = e / (1.0 + e)
        logz = logzp + math.log1p(e)
    else:
        e = math.exp(d)
        wp = e / (1.0 + e)
        wm = 1.0 / (1.0 + e)
        logz = logzm + math.log1p(e)
    mean_x = wp * m_plus
    var_x = wp * (v_plus + wm * m_plus * m_plus)
    mean_u = wp * m_plus + wm * m_minus
    dd = m_plus - m_minus
    var_u = wp * v_plus + wm * v_minus + wp * wm * dd * dd
    du = wp * dmu_plus + wm * dmu_minus
    return logz, mean_x, var_x, mean_u, var_u, du


@njit(cache=True)
def relu_posterior(B, A, omega, V):
    """(mean_x, var_x, mean_u, var_u) of p(u) ∝ N(u; ω, V) exp(−A relu(u)²/2 + B relu(u))."""
    _, mx, vx, mu, vu, _ = relu_posterior_full(B, A, omega, V)
    return mx, vx, mu, vu


# Patch degree + 1 in each variable: a format constant of the table (relu_table() checks it);
# a compile-time loop bound lets LLVM unroll the evaluation (≈ 2× faster than a runtime one).
PATCH_ORDER = 10


@njit(cache=True)
def relu_scaled(t, y, tab):
    """(Ê, L̂) at (t, y) ∈ [0, 1]²: piecewise polynomial (tensor patches of degree 9).

    tab = (P, meta), meta = [L, nt, ny]; P = flattened [k, i, j, m, n]: on patch (i, j) of
    the uniform nt × ny patch grid, f_k ≈ Σ_mn P[k, i, j, m, n] a^m b^n with local
    a = 2(t nt − i) − 1, b = 2(y ny − j) − 1 ∈ [−1, 1].
    """
    P = tab[0]
    meta = tab[1]
    nt = int(meta[1])
    ny = int(meta[2])
    x = t * nt
    z = y * ny
    i = min(max(int(x), 0), nt - 1)
    j = min(max(int(z), 0), ny - 1)
    a = 2.0 * (x - i) - 1.0
    b = 2.0 * (z - j) - 1.0
    size = PATCH_ORDER * PATCH_ORDER
    o0 = (i * ny + j) * size
    o1 = o0 + nt * ny * size
    out0 = 0.0
    out1 = 0.0
    am = 1.0
    for _ in range(PATCH_ORDER):
        r0 = 0.0
        r1 = 0.0
        for n in range(PATCH_ORDER - 1, -1, -1):
            r0 = r0 * b + P[o0 + n]
            r1 = r1 * b + P[o1 + n]
        out0 += am * r0
        out1 += am * r1
        am *= a
        o0 += PATCH_ORDER
        o1 += PATCH_ORDER
    return out0, out1


@njit(cache=True)
def relu_coords(r, s, v, big_l):
    """Table coordinates (t, y) and γ = rv of the block at (r, s, v) (module doc)."""
    t = math.sqrt(v / (s + v))
    g = r * v if v > 0.0 else 0.0
    ell = math.log1p(g)
    return t, 1.0 - big_l / (ell + big_l), g


@njit(cache=True)
def relu_layer(r, s, v, rho_in, tab):
    """ReLU layer block: (m_out, v_out, λ_in) = (ρ_in/2 − v_out, V Ê/(1+rV), r L̂/(1+rV)).

    s = overlap of the input, v = V = its mse (given exactly, not ρ_in − s), r = precision
    from above; Ê, L̂ interpolated at (t, y) of (s, v, γ = rv) (module doc).
    r = 0 gives λ_in = 0, v = 0 gives v_out = 0 and λ_in = r/2; r → ∞ gives finite limits.
    """
    if not s > 0.0:
        s = 0.0
    if not v > 0.0:
        v = 0.0
    if not r > 0.0:
        r = 0.0
    if not s + v > 0.0:
        return 0.5 * rho_in, 0.0, 0.0
    t, y, g = relu_coords(r, s, v, tab[1][0])
    e_hat, l_hat = relu_scaled(t, y, tab)
    if g <= 1.0:
        v_out = v * e_hat / (1.0 + g)
        lam = r * l_hat / (1.0 + g)
    else:
        v_out = e_hat / (1.0 / v + r)
        lam = l_hat / (v + 1.0 / r)
    return 0.5 * rho_in - v_out, v_out, lam


ELL_CUT = 80.0  # beyond, Ê = 1/2 to < 1e-13 (phasediag.blocks.relu_table.ELL_INF)


@njit(cache=True)
def relu_potential_rest(r, s, v, tab):
    """−ℓ/4 − R/2: the relu potential less its exact linear part r(s+V)/4 (module doc).

    Bounded by log terms, so finite differences of it stay well conditioned down to V → 0
    (∂/∂s at fixed s + V: λ_in/2; ∂/∂r: −v_out/2). tab = (P, meta, gx, gw)."""
    if not s > 0.0:
        s = 0.0
    if not v > 0.0:
        v = 0.0
    if not (r > 0.0 and s + v > 0.0):
        return 0.0
    if r == math.inf:
        return -math.inf
    big_l = tab[1][0]
    ny = int(tab[1][2])
    gx = tab[2]
    gw = tab[3]
    t, _, g = relu_coords(r, s, v, big_l)
    ell = math.log1p(g)
    ell_end = min(ell, ELL_CUT)
    y_end = ell_end / (ell_end + big_l)
    big_r = 0.0
    j = 0
    while j < ny and j / ny < y_end:
        a = j / ny
        b = min((j + 1) / ny, y_end)
        half = 0.5 * (b - a)
        mid = 0.5 * (b + a)
        acc = 0.0
        for k in range(gx.shape[0]):
            y = mid + half * gx[k]
            w = 1.0 - y
            acc += gw[k] * (relu_scaled(t, y, tab)[0] - 0.5) / (w * w)
        big_r += half * big_l * acc
        j += 1
    return -0.25 * ell - 0.5 * big_r


@njit(cache=True)
def relu_potential(r, s, v, tab):
    """ψ = r(s+V)/4 − ℓ/4 − R/2 of the ReLU layer (module doc); tab = (P, meta, gx, gw)."""
    if not (r > 0.0 and s + v > 0.0):
        return 0.0
    if r == math.inf:
        return math.inf
    return 0.25 * r * (max(s, 0.0) + max(v, 0.0)) + relu_potential_rest(r, s, v, tab)
