"""Noiseless real phase retrieval, y = |u|: output-channel block and scalar posterior.

    λ_y(m, v) = E[(y tanh(yω/v) − ω)²] / v²,   ω ~ N(0, m), u* = ω + √v ζ, y = |u*|   (SPEC §2)

depends on m and v only through κ² = m/v and the scale v: λ_y = g(κ)/v with g = v·λ_y ∈ [0, 1).
`pr_lambda` evaluates g from the table of `pr_table` (Chebyshev panels of h = g/q in
t = log(m/v), q = m/(m+v)) and exact asymptotics beyond both of its ends. Because m and v
enter separately, neither m → 0 (uninformative, λ_y ≈ 2m/ρ_x²) nor v → 0 (perfect recovery,
λ_y ≈ 1/v) loses digits. Max relative error against adaptive quadrature: see
tests/test_block_pr.py (≤ 1e-12 measured; 1e-10 asserted).

Potential ψ(m, v) = E log Z_out(y, ω), Z_out = N(y; ω, v) + N(−y; ω, v) (the density of
y ≥ 0 given ω), dψ/dm|_{m+v=ρ_x} = λ_y/2. Z_out scales as v^{−1/2}, so the log v divergence
is exact and the rest is a function of t = log(m/v) with dΨ/dt = (g − 1) q/2:

    ψ = −½ log v + log 2 − ½ log(2πe) + ½ J(t),     J(t) = ∫_{−∞}^t (g − 1) q dt'

(at m = 0, y = |u| with u ~ N(0, v)). J is cumulated over the table's panels at load time
(`pr_table.pr_kernel_table`), integrated by Gauss–Legendre inside the panel of t, and given
by the asymptotics beyond its ends: J = −9 sp(t) + 8q + 5q² below T_MIN (from
g = q(2 − 10q)), J(∞) − J(t) = −2c0 e^{−t/2} − (2/3)(c1 − c0) e^{−3t/2} above T_MAX.
J(∞) = −2 log 2 exactly (ψ → the Gaussian −½ log(2πe v) as v → 0): a check of the table.
"""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True)
def _cheb_panel(t, meta, coef):
    """h(t) on [t_min, t_max] by Clenshaw on the panel holding t."""
    t_min = meta[0]
    dt = meta[2]
    n_panels = coef.shape[0]
    p = int((t - t_min) / dt)
    if p < 0:
        p = 0
    elif p >= n_panels:
        p = n_panels - 1
    x = 2.0 * (t - t_min - p * dt) / dt - 1.0
    x2 = 2.0 * x
    b1 = 0.0
    b2 = 0.0
    for k in range(coef.shape[1] - 1, 0, -1):
        b0 = coef[p, k] + x2 * b1 - b2
        b2 = b1
        b1 = b0
    return coef[p, 0] + x * b1 - b2


@njit(cache=True)
def pr_g(m, v, tab):
    """g = v·λ_y ∈ [0, 1) of the noiseless PR channel (function of t = log(m/v) only)."""
    if not m > 0.0:
        return 0.0
    if not v > 0.0:
        return 1.0
    meta = tab[0]
    coef = tab[1]
    ratio = m / v
    if 0.0 < ratio < math.inf:
        t = math.log(ratio)
    else:  # m/v over- or underflows
        t = math.log(m) - math.log(v)
    if t > meta[1]:
        # g = 1 + c0/κ + c1/κ³ + c2/κ⁵, κ = √(m/v) > e^{t_max/2}
        ik = math.exp(-0.5 * t)
        ik2 = ik * ik
        return 1.0 + ik * (meta[5] + ik2 * (meta[6] + ik2 * meta[7]))
    q = m / (m + v)
    if t < meta[0]:
        return q * (meta[3] + meta[4] * q)  # h = 2 − 10 q + O(q²)
    return q * _cheb_panel(t, meta, coef)


@njit(cache=True)
def pr_lambda(m, v, rho_x, tab):
    """λ_y = E[(y tanh(yω/v) − ω)²]/v² = g(√(m/v))/v for y = |u|, ω ~ N(0, m), u ~ N(ω, v).

    m and v are the overlap and mse, given separately (m + v = ρ_x; ρ_x itself is not
    needed). m = 0 → 0 (the uninformative fixed point); v = 0 < m → +inf.
    """
    if not m > 0.0:
        return 0.0
    if not v > 0.0:
        return math.inf
    return pr_g(m, v, tab) / v


@njit(cache=True)
def pr_posterior(y, omega, V):
    """Mean and variance of u ∝ N(u; ω, V)·δ(y − |u|): mass on ±y with odds e^{2yω/V}.

    mean = y tanh(x), var = y² sech²(x) = (2y e^{−|x|}/(1 + e^{−2|x|}))², x = yω/V.
    V = 0: x = ±inf (or x = 0 when yω = 0); V = inf: x = 0.
    """
    y = abs(y)
    num = y * omega
    if num == 0.0:
        return 0.0, y * y
    if V > 0.0:
        x = num / V
    else:
        x = math.copysign(math.inf, num)
    if math.isnan(x):  # V = inf with num = ±inf
        x = 0.0
    ax = abs(x)
    e = math.exp(-ax)
    s = 2.0 * y * e / (1.0 + e * e)
    return y * math.tanh(x), s * s


PR_PSI0 = math.log(2.0) - 0.5 * math.log(2.0 * math.pi * math.e)  # Ψ at m = 0


@njit(cache=True)
def pr_j_tail(t, meta):
    """∫_t^∞ (g − 1) q dt' for t ≥ T_MAX (g − 1 = c0/κ + c1/κ³ + …, q = 1 − e^{−t} + …)."""
    c0 = meta[5]
    c1 = meta[6]
    e = math.exp(-0.5 * t)
    return 2.0 * c0 * e + (2.0 / 3.0) * (c1 - c0) * e * e * e


@njit(cache=True)
def pr_j(t, tab):
    """J(t) = ∫_{−∞}^t (g − 1) q dt' of the module doc; tab = (meta, coef, cum, gx, gw)."""
    meta, coef, cum, gx, gw = tab[0], tab[1], tab[2], tab[3], tab[4]
    t_min = meta[0]
    t_max = meta[1]
    if t < t_min:
        q = 1.0 / (1.0 + math.exp(-t))
        return -9.0 * math.log1p(math.exp(t)) + 8.0 * q + 5.0 * q * q
    n = coef.shape[0]
    if t >= t_max:
        return cum[n] + pr_j_tail(t_max, meta) - pr_j_tail(t, meta)
    dt = meta[2]
    p = min(int((t - t_min) / dt), n - 1)
    a = t_min + p * dt
    half = 0.5 * (t - a)
    acc = 0.0
    for k in range(gx.shape[0]):
        tk = a + half * (1.0 + gx[k])
        q = 1.0 / (1.0 + math.exp(-tk))
        acc += gw[k] * (q * _cheb_panel(tk, meta, coef) - 1.0) * q
    return cum[p] + half * acc


@njit(cache=True)
def pr_potential(m, v, tab):
    """ψ = E log Z_out = −½ log v + log 2 − ½ log(2πe) + J(log(m/v))/2 (module doc)."""
    if not v > 0.0:
        return math.inf
    if not m > 0.0:
        return -0.5 * math.log(v) + PR_PSI0
    ratio = m / v
    if 0.0 < ratio < math.inf:
        t = math.log(ratio)
    else:
        t = math.log(m) - math.log(v)
    return -0.5 * math.log(v) + PR_PSI0 + 0.5 * pr_j(t, tab)
