"""ReLU layer block (phasediag.blocks.relu) against independent oracles.

The oracle below is written here with scipy.special (log_ndtr) and scipy.integrate
(quad_vec, quad); it shares no code with the table builder. In units V = 1 (q = s/V,
γ = rV), ω ~ N(0, q), u* = ω + ζ, x* = relu(u*), b = B/√γ = √γ x* + ξ:

    p(b | ω)  = φ(b) Φ(−ω) + N(b; √γ ω, 1+γ) Φ(a),          a = (ω + √γ b)/√(1+γ)
    w₊        = N(b; √γ ω, 1+γ) Φ(a) / p(b | ω),            w₋ = 1 − w₊
    u | u > 0 ~ N(μ, σ²) on (0, ∞),  μ = (ω + √γ b)/(1+γ),  σ² = 1/(1+γ)
    m₊ = μ + σ M(a),  v₊ = σ²(1 − M(a)(a + M(a))),          M = φ/Φ
    m₋ − ω = −M(−ω)                                          (N(ω, 1) on u < 0)
    Var(x | ω, b) = w₊ v₊ + w₊ w₋ m₊²,   E[u | ω, b] − ω = w₊ (m₊ − ω) + w₋ (m₋ − ω)

    Ê(q, γ) = (1+γ) E[Var(x | ω, b)]          (= (1+γ) v_out / V)
    L̂(q, γ) = (1+γ)/γ E[(E[u | ω, b] − ω)²]   (= (1+γ) λ_in / r)

The expectation over b is a composite Gauss–Legendre rule (12 nodes per panel, panels 1
wide on [−14, 14], 32 panels up to the end of the bump √γ u*; a rule with 3× the nodes
changes it by < 1e-14); the one over ω is adaptive (quad_vec, tolerance 1e-12) on [−R, R],
R = min(12√q, 14), plus the mass Φ(−R/√q) beyond R, where Var(x) → 1/(1+γ) and
(û − ω)² → γ/(1+γ) (ω → +∞) or 0 (ω → −∞).

Closed forms (derived in phasediag.blocks.relu's docs and here):
- r → 0: m_out = ρ_in/(2π) (sin θ + (π − θ) cos θ), cos θ = s/ρ_in (arc-cosine kernel:
  E_ω[E[x|ω]²] = E[relu(u₁) relu(u₂)], corr(u₁, u₂) = s/ρ_in); λ_in/r → E_ω[Φ(ω)²] =
  1/4 + arcsin(s/ρ_in)/(2π) (λ ≈ γ E_ω[Cov(u, x | ω)²], Cov = Φ(ω) by Stein).
- s → 0: ω ≡ 0, the block is the 1-D integral over b above at ω = 0; with r → 0 too,
  v_out = ρ_in (1/2 − 1/(2π)) and λ_in/r = 1/4.
- q → ∞ (V → 0): v_out → V/(2(1+rV)), λ_in → r/(2(1+rV)), corrections ∝ √(V/ρ_in).
- γ → ∞: (1+γ)E → 1/2 (only x* > 0 seen, with noise 1/γ), (1+γ)Λ/γ → 1/2 + E_ω[φ(ω)²/Φ(−ω)].
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pytest
from numba import njit
from scipy.integrate import quad, quad_vec
from scipy.special import log_ndtr

from phasediag.blocks.relu import relu_layer, relu_posterior, relu_posterior_full
from phasediag.blocks.relu_table import DATA_PATH, TABLE_VERSION, relu_table

LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
TOL_REL = 1e-9  # stated accuracy of v_out and lam_in against the oracle (measured: < 5e-11)


# ---------------------------------------------------------------------------------------
# oracle


def _mills(a):
    """φ(a)/Φ(a), vectorized, stable in the lower tail."""
    return np.exp(-0.5 * a * a - LOG_SQRT_2PI - log_ndtr(a))


def _b_nodes(omega: float, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(12)
    edges = list(np.arange(-14.0, 14.0 + 1e-9, 1.0))
    bmax = math.sqrt(gamma) * (max(omega, 0.0) + 13.0) + 13.0 * math.sqrt(1.0 + gamma)
    if bmax > 14.0:
        edges += list(np.linspace(14.0, bmax, 33)[1:])
    e = np.array(edges)
    c = 0.5 * (e[1:] + e[:-1])
    h = 0.5 * (e[1:] - e[:-1])
    return (c[:, None] + h[:, None] * x).ravel(), (h[:, None] * w).ravel()


def oracle_f(omega: float, gamma: float) -> np.ndarray:
    """(Ê, L̂) integrands integrated over b at fixed ω (V = 1); see module doc."""
    b, wb = _b_nodes(omega, gamma)
    sg = math.sqrt(gamma)
    d = 1.0 + gamma
    a = (omega + sg * b) / math.sqrt(d)
    lpm = -0.5 * b * b - LOG_SQRT_2PI + log_ndtr(-omega)
    lpp = -0.5 * (b - sg * omega) ** 2 / d - 0.5 * math.log(d) - LOG_SQRT_2PI + log_ndtr(a)
    lp = np.logaddexp(lpm, lpp)
    wp = np.exp(lpp - lp)
    wm = np.exp(lpm - lp)
    ma = _mills(a)
    sig = 1.0 / math.sqrt(d)
    m_plus = (omega + sg * b) / d + sig * ma
    v_plus = sig * sig * (1.0 - ma * (a + ma))
    var_x = wp * v_plus + wp * wm * m_plus**2
    du = wp * ((sg * b - gamma * omega) / d + sig * ma) - wm * float(_mills(np.array(-omega)))
    dens = np.exp(lp) * wb
    return np.array([np.sum(dens * var_x) * d, np.sum(dens * du * du) * d / gamma])


def oracle_scaled(q: float, gamma: float) -> np.ndarray:
    """(Ê, L̂)(q, γ) by quad_vec over ω of oracle_f (module doc)."""
    if q == 0.0:
        return oracle_f(0.0, gamma)
    sq = math.sqrt(q)
    big_r = min(12.0 * sq, 14.0)

    def g(w):
        return math.exp(-0.5 * w * w / q - LOG_SQRT_2PI) / sq * oracle_f(w, gamma)

    lo, _ = quad_vec(g, -big_r, 0.0, epsabs=1e-12, epsrel=1e-11, norm="max")
    hi, _ = quad_vec(g, 0.0, big_r, epsabs=1e-12, epsrel=1e-11, norm="max")
    tail = 0.5 * math.erfc(big_r / sq / math.sqrt(2.0))
    return lo + hi + tail


def oracle_layer(r: float, s: float, v: float) -> tuple[float, float]:
    """(v_out, λ_in) from the oracle."""
    g = r * v
    e_hat, l_hat = oracle_scaled(s / v, g)
    return v * e_hat / (1.0 + g), r * l_hat / (1.0 + g)


def lam_hat_inf_oracle(q: float) -> float:
    """L̂ at γ = ∞: 1/2 + E[φ(ω)²/Φ(−ω)], ω ~ N(0, q)."""
    if q == 0.0:
        return 0.5 + 1.0 / math.pi

    def f(w):
        return math.exp(-0.5 * w * w / q - 0.5 * math.log(q) - w * w - 3 * LOG_SQRT_2PI
                        - log_ndtr(-w))

    big_r = min(12.0 * math.sqrt(q), 14.0)
    return 0.5 + quad(f, -big_r, 0, epsabs=1e-15)[0] + quad(f, 0, big_r, epsabs=1e-15)[0]


# ---------------------------------------------------------------------------------------
# grid of the comparison: off the table's patch nodes (r, s are arbitrary decimals)

R_VALUES = [1e-6, 3.7e-4, 0.0213, 0.61, 13.3, 710.0, 2.9e4, 1e8]
S_FRACTIONS = [0.0, 0.137, 0.61, 0.93, 1.0 - 3.1e-5, 1.0 - 1e-9]


def _region(r: float, sfrac: float, rho: float) -> str:
    g = r * rho * (1.0 - sfrac)
    gr = "gamma<1e-2" if g < 1e-2 else ("gamma<1e2" if g < 1e2 else "gamma>=1e2")
    qr = "s=0" if sfrac == 0 else ("V/rho>1e-2" if sfrac < 0.99 else "V/rho<1e-2")
    return f"{qr}, {gr}"


@pytest.fixture(scope="module")
def tab():
    return relu_table()


def _compare(tab, points):
    """Rows (ρ, s/ρ, r, rel. err. of v_out, rel. err. of λ_in) of relu_layer vs the oracle."""
    rows = []
    for rho, sfrac, r in points:
        s = rho * sfrac
        v = rho - s if sfrac < 0.99 else rho * (1.0 - sfrac)
        vo, lo = oracle_layer(r, s, v)
        _, vt, lt = relu_layer(r, s, v, rho, tab)
        rows.append((rho, sfrac, r, abs(vt / vo - 1.0), abs(lt / lo - 1.0)))
    return rows


def _report(rows):
    worst: dict[str, list[float]] = {}
    for rho, sfrac, r, ev, el in rows:
        w = worst.setdefault(_region(r, sfrac, rho), [0.0, 0.0])
        w[0] = max(w[0], ev)
        w[1] = max(w[1], el)
    for k, (ev, el) in sorted(worst.items()):
        print(f"{k:28s} max rel err v_out {ev:.1e}  lam_in {el:.1e}")
    bad = [row for row in rows if row[3] > TOL_REL or row[4] > TOL_REL]
    assert not bad, bad


def test_layer_against_oracle(tab):
    """relu_layer (shipped table) vs the oracle: ρ_in = 1 on the full R × S grid, ρ_in = 0.5
    on every s with 4 of the r (the full ρ_in = 0.5 grid is in the slow test)."""
    pts = [(1.0, sf, r) for sf in S_FRACTIONS for r in R_VALUES]
    pts += [(0.5, sf, r) for sf in S_FRACTIONS for r in (1e-6, 0.61, 710.0, 1e8)]
    _report(_compare(tab, pts))


@pytest.mark.slow
def test_layer_against_oracle_dense(tab):
    """Full grid at ρ_in = 0.5 and 80 random points (log-uniform r ∈ [1e-6, 1e8],
    V/ρ_in ∈ [1e-12, 1]), ρ_in ∈ {1, 0.5, 2.3}."""
    rng = np.random.default_rng(2024)
    pts = [(0.5, sf, r) for sf in S_FRACTIONS for r in R_VALUES]
    for _ in range(80):
        pts.append((float(rng.choice([1.0, 0.5, 2.3])), 1.0 - 10 ** rng.uniform(-12, 0),
                    10 ** rng.uniform(-6, 8)))
    _report(_compare(tab, pts))


# ---------------------------------------------------------------------------------------
# limits and closed forms


@pytest.mark.parametrize("rho", [1.0, 0.5])
@pytest.mark.parametrize("sfrac", [0.0, 0.2, 0.7, 0.999, 1.0 - 1e-12])
def test_r_to_zero(tab, rho, sfrac):
    """r = 0: arc-cosine kernel for m_out, λ_in = 0; r → 0: λ_in/r → 1/4 + asin(s/ρ)/(2π)."""
    s = rho * sfrac
    v = rho - s if sfrac < 0.99 else rho * (1.0 - sfrac)
    cos_t = s / (s + v)
    theta = 2.0 * math.asin(math.sqrt(0.5 * v / (s + v)))  # = arccos(s/ρ), stable
    m0 = rho / (2 * math.pi) * (math.sin(theta) + (math.pi - theta) * cos_t)
    # v_out = ρ/2 − m0 without cancellation: ρ/(2π) (π(1 − cos θ) − (sin θ − θ cos θ))
    if theta > 1e-3:
        d = math.sin(theta) - theta * cos_t
    else:
        d = theta**3 / 3 - theta**5 / 30
    v0 = rho / (2 * math.pi) * (math.pi * v / (s + v) - d)
    m, vo, lam = relu_layer(0.0, s, v, rho, tab)
    assert lam == 0.0
    assert vo == pytest.approx(v0, rel=1e-10)
    assert m == pytest.approx(m0, rel=1e-10)
    r = 1e-13 / v
    _, _, lam = relu_layer(r, s, v, rho, tab)
    assert lam / r == pytest.approx(0.25 + math.asin(cos_t) / (2 * math.pi), rel=1e-10)


@pytest.mark.parametrize("rho", [1.0, 0.5])
@pytest.mark.parametrize("r", [1e-3, 0.37, 4.1, 250.0, 3e5])
def test_s_zero(tab, rho, r):
    """s = 0: ω ≡ 0, a 1-D integral over b; r → 0 end: v_out = ρ(1/2 − 1/2π), λ/r = 1/4."""
    e_hat, l_hat = oracle_f(0.0, r * rho)
    g = r * rho
    _, vo, lam = relu_layer(r, 0.0, rho, rho, tab)
    assert vo == pytest.approx(rho * e_hat / (1 + g), rel=TOL_REL)
    assert lam == pytest.approx(r * l_hat / (1 + g), rel=TOL_REL)
    _, vo, lam = relu_layer(1e-14, 0.0, rho, rho, tab)
    assert vo == pytest.approx(rho * (0.5 - 0.5 / math.pi), rel=1e-10)
    assert lam / 1e-14 == pytest.approx(0.25, rel=1e-10)


@pytest.mark.parametrize("rho", [1.0, 0.5])
@pytest.mark.parametrize("gamma", [0.0, 1e-4, 0.3, 7.0, 900.0, 1e7])
def test_q_to_infinity(tab, rho, gamma):
    """V/ρ = 1e-20: v_out = V/(2(1+rV)), λ_in = r/(2(1+rV)) up to O(√(V/ρ)) = 1e-10."""
    v = 1e-20 * rho
    s = rho - v
    r = gamma / v
    m, vo, lam = relu_layer(r, s, v, rho, tab)
    assert vo == pytest.approx(v / (2 * (1 + gamma)), rel=1e-9)
    if gamma > 0:
        assert lam == pytest.approx(r / (2 * (1 + gamma)), rel=1e-9)
    assert m == 0.5 * rho - vo


@pytest.mark.parametrize("rho", [1.0, 0.5])
@pytest.mark.parametrize("sfrac", [0.0, 0.3, 0.9, 1.0 - 1e-6])
def test_r_to_infinity(tab, rho, sfrac):
    """r = 1e300: r v_out → 1/2 and V λ_in → 1/2 + E_ω[φ(ω)²/Φ(−ω)], finite, no nan."""
    s = rho * sfrac
    v = rho - s if sfrac < 0.99 else rho * (1.0 - sfrac)
    for r in (1e300, math.inf):
        m, vo, lam = relu_layer(r, s, v, rho, tab)
        assert np.isfinite([m, vo, lam]).all()
        if r < math.inf:
            assert vo * r == pytest.approx(0.5, rel=1e-9)
        assert lam * v == pytest.approx(lam_hat_inf_oracle(s / v), rel=1e-9)


def test_edge_inputs_finite(tab):
    """r = 0, s = 0, v = 0, huge/inf r, tiny v: finite outputs and m_out + v_out = ρ/2."""
    cases = [
        (0.0, 0.0, 1.0, 1.0), (0.0, 1.0, 0.0, 1.0), (3.0, 1.0, 0.0, 1.0),
        (1e300, 0.0, 1.0, 1.0), (1e300, 1.0 - 1e-20, 1e-20, 1.0), (math.inf, 0.5, 0.5, 1.0),
        (math.inf, 1.0, 0.0, 1.0), (1e-300, 0.3, 0.7, 1.0), (5.0, 0.0, 0.0, 0.0),
        (1e8, 0.5 - 1e-30, 1e-30, 0.5), (2.0, 1e-300, 1.0, 1.0),
    ]
    for r, s, v, rho in cases:
        m, vo, lam = relu_layer(r, s, v, rho, tab)
        assert np.isfinite([m, vo, lam]).all() or (r == math.inf and v == 0.0), (r, s, v)
        assert vo >= 0.0 and lam >= 0.0
        assert m + vo == 0.5 * rho
    m, vo, lam = relu_layer(3.0, 1.0, 0.0, 1.0, tab)
    assert vo == 0.0 and lam == pytest.approx(1.5, rel=1e-12)


def test_identity_m_plus_v(tab):
    """m_out + v_out == ρ_in/2 to rounding (one ulp) over a random sweep."""
    rng = np.random.default_rng(7)
    for _ in range(2000):
        rho = rng.uniform(0.1, 3.0)
        v = rho * 10 ** rng.uniform(-20, 0)
        s = rho - v
        r = 10 ** rng.uniform(-8, 10)
        m, vo, _ = relu_layer(r, s, v, rho, tab)
        assert abs(m + vo - 0.5 * rho) <= 1.2e-16 * rho


def test_monte_carlo_planted(tab):
    """Planted-model Monte Carlo (u*, B sampled, x̂ from relu_posterior) vs the table:
    E[(x* − x̂)²] = v_out and E[(û − ω)²]/V² = λ_in (Nishimori), to 5 standard errors."""
    rho, s, r = 1.0, 0.6, 3.0
    v = rho - s
    n = 200_000
    rng = np.random.default_rng(11)
    err_x, err_u = _mc(rng.standard_normal((3, n)), r, s, v)
    _, vo, lam = relu_layer(r, s, v, rho, tab)
    assert abs(err_x.mean() - vo) < 5 * err_x.std() / math.sqrt(n)
    lu = err_u / v**2
    assert abs(lu.mean() - lam) < 5 * lu.std() / math.sqrt(n)


@njit
def _mc(z, r, s, v):
    n = z.shape[1]
    ex = np.empty(n)
    eu = np.empty(n)
    for k in range(n):
        w = math.sqrt(s) * z[0, k]
        x = max(w + math.sqrt(v) * z[1, k], 0.0)
        b = r * x + math.sqrt(r) * z[2, k]
        mx, _, mu, _ = relu_posterior(b, r, w, v)
        ex[k] = (x - mx) ** 2
        eu[k] = (mu - w) ** 2
    return ex, eu


# ---------------------------------------------------------------------------------------
# the scalar posterior


def _posterior_quad(b, a, w, v):
    """(mean_x, var_x, mean_u, var_u, log Z) by quad over u (split at 0 and the modes)."""

    def lf(u):
        x = max(u, 0.0)
        return -((u - w) ** 2) / (2 * v) - a * x * x / 2 + b * x

    sd = math.sqrt(v)
    pts = sorted({0.0, w, (w + b * v) / (1 + a * v)})
    shift = max(lf(p) for p in pts + [min(max(w, 0.0), 0.0)])
    lo, hi = pts[0] - 40 * sd, pts[-1] + 40 * sd
    edges = [lo] + pts + [hi]
    mom = np.zeros((2, 3))
    for k in range(3):
        for j in range(2):

            def f(u, j=j, k=k):
                return (u if j == 0 else max(u, 0.0)) ** k * math.exp(lf(u) - shift)

            mom[j, k] = sum(quad(f, e0, e1, epsabs=0, epsrel=1e-13, limit=400)[0]
                            for e0, e1 in zip(edges[:-1], edges[1:], strict=True) if e1 > e0)
    mu = mom[0, 1] / mom[0, 0]
    mx = mom[1, 1] / mom[1, 0]
    vu = mom[0, 2] / mom[0, 0] - mu * mu
    vx = mom[1, 2] / mom[1, 0] - mx * mx
    return mx, vx, mu, vu, math.log(mom[0, 0]) + shift - 0.5 * math.log(2 * math.pi * v)


@pytest.mark.parametrize(
    "args",
    [
        (0.3, 1.0, 0.2, 1.0), (5.0, 2.0, -3.0, 1.0), (-5.0, 2.0, 3.0, 1.0), (0.0, 0.0, 0.0, 1.0),
        (100.0, 1.0, -0.5, 1.0), (-100.0, 1.0, 0.5, 1.0), (2.0, 0.0, -8.0, 1.0),
        (0.1, 3.0, -6.0, 1.0), (1e3, 1e3, 0.01, 1e-3), (0.0, 5.0, 1e-4, 1e-8),
        (-30.0, 1.0, -1.0, 2.0), (30.0, 0.0, -30.0, 1.0), (1e4, 1e4, -3e-3, 1e-4),
        (-1e4, 1.0, 1e-6, 1e-10), (0.7, 0.0, 50.0, 1.0), (0.0, 0.0, -50.0, 1.0),
    ],
)
def test_posterior_against_quad(args):
    """relu_posterior(B, A, ω, V) vs direct integration over u (moments of x and u, log Z)."""
    ref = _posterior_quad(*args)
    got = relu_posterior(*args)
    lz = relu_posterior_full(*args)[0]
    for g, e in zip(got, ref[:4], strict=True):
        # quad's second moments lose ~1e-12 (relative to the squared mean) to cancellation
        assert g == pytest.approx(e, rel=1e-9, abs=1e-12 * (1.0 + abs(ref[2]) ** 2))
    assert lz == pytest.approx(ref[4], rel=1e-12, abs=1e-12)


def test_posterior_prior_limit():
    """A = B = 0: the prior, mean_x = ωΦ(ω/√V) + √V φ(ω/√V), mean_u = ω, var_u = V."""
    for w, v in [(0.3, 1.0), (-7.0, 0.5), (40.0, 2.0), (-1e-3, 1e-12)]:
        mx, vx, mu, vu = relu_posterior(0.0, 0.0, w, v)
        z = w / math.sqrt(v)
        phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        ex = w * 0.5 * math.erfc(-z / math.sqrt(2)) + math.sqrt(v) * phi
        # (ωΦ + √Vφ cancels like z² in the far left tail: the reference, not the kernel, limits)
        assert mx == pytest.approx(ex, rel=1e-10, abs=1e-300)
        assert mu == pytest.approx(w, rel=1e-12)
        assert vu == pytest.approx(v, rel=1e-10)


def test_posterior_extreme_finite():
    """Large |B|, tiny V, A = 0, V = 0: finite, variances ≥ 0."""
    for args in [(1e8, 1.0, 0.0, 1.0), (-1e8, 1.0, 0.0, 1.0), (1e3, 0.0, -1e3, 1e-12),
                 (0.0, 1e12, 1.0, 1e-20), (5.0, 2.0, 1.0, 0.0), (-1e6, 0.0, 1e6, 1.0)]:
        out = relu_posterior(*args)
        assert np.isfinite(out).all(), args
        assert out[1] >= 0.0 and out[3] >= 0.0


# ---------------------------------------------------------------------------------------
# table file and speed


def test_table_file():
    assert Path(DATA_PATH).stat().st_size < 3_000_000
    with np.load(DATA_PATH) as z:
        assert str(z["version"]) == TABLE_VERSION


@njit
def _bench(tab, n):
    acc = 0.0
    for k in range(n):
        r = 1e-3 + 1e-4 * (k % 1000)
        s = 0.3 + 1e-7 * (k % 997)
        m, vo, lam = relu_layer(r, s, 1.0 - s, 1.0, tab)
        acc += vo + lam
    return acc


def test_speed(tab):
    """Per-call cost inside a compiled loop (target < 0.5 µs; asserted loosely)."""
    _bench(tab, 10)
    n = 1_000_000
    t0 = time.perf_counter()
    _bench(tab, n)
    per_call = (time.perf_counter() - t0) / n
    print(f"relu_layer: {per_call * 1e9:.0f} ns per call")
    assert per_call < 2e-6


@pytest.mark.parametrize("a", [-300.0, -50.0, -10.0, -4.0001, -3.9999, -1.0, 0.0, 3.0])
def test_trunc_moments(a):
    """quadrature.trunc_moments: mean, var of N(a, 1) | > 0 vs quad of z^k e^{az − z²/2}."""
    from phasediag.quadrature import trunc_moments

    hi = 40.0 / max(1.0, -a) + max(a, 0.0) + 40.0
    mom = [quad(lambda z, k=k: z**k * math.exp(a * z - 0.5 * z * z), 0.0, hi,
                epsabs=0, epsrel=1e-13, limit=200)[0] for k in range(3)]
    mean = mom[1] / mom[0]
    var = mom[2] / mom[0] - mean**2
    g, d = trunc_moments(a)
    assert g == pytest.approx(mean, rel=1e-12)
    assert d == pytest.approx(var, rel=2e-11)
