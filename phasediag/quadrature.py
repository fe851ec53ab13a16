"""Stable special functions and quadrature helpers for the numba kernels.

scipy.special is the test oracle; inside kernels only `math` is used (cacheable).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

SQRT2 = math.sqrt(2.0)
SQRT_PI = math.sqrt(math.pi)
SQRT_2PI = math.sqrt(2.0 * math.pi)
LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


@njit(cache=True)
def erfcx(x: float) -> float:
    """Scaled complementary error function exp(x²)·erfc(x), stable for all x.

    x < 26: direct product (erfc(26) ≈ 1e-296 is still a normal double);
    x ≥ 26: asymptotic series 1/(x√π)·Σ (−1)^n (2n−1)!!/(2x²)^n, error < 1e-15.
    """
    if x < 26.0:
        if x < -26.0:
            return math.inf
        return math.exp(x * x) * math.erfc(x)
    t = 1.0 / (2.0 * x * x)
    s = 1.0 - t * (1.0 - 3.0 * t * (1.0 - 5.0 * t * (1.0 - 7.0 * t * (1.0 - 9.0 * t))))
    return s / (x * SQRT_PI)


@njit(cache=True)
def ndtr(x: float) -> float:
    """Standard normal CDF Φ(x) = erfc(−x/√2)/2 (accurate in the lower tail)."""
    return 0.5 * math.erfc(-x / SQRT2)


@njit(cache=True)
def log_ndtr(x: float) -> float:
    """log Φ(x), stable for all x.

    x > 0: log1p(−erfc(x/√2)/2); x ≤ 0: −x²/2 + log(erfcx(−x/√2)/2).
    """
    if x > 0.0:
        return math.log1p(-0.5 * math.erfc(x / SQRT2))
    return -0.5 * x * x + math.log(0.5 * erfcx(-x / SQRT2))


@njit(cache=True)
def mills(x: float) -> float:
    """Inverse Mills ratio φ(x)/Φ(x), stable for x → −∞ (≈ −x) and x → +∞ (→ 0).

    For x ≤ 0: φ(x)/Φ(x) = √(2/π) / erfcx(−x/√2).
    """
    if x > 0.0:
        return math.exp(-0.5 * x * x) / SQRT_2PI / ndtr(x)
    return math.sqrt(2.0 / math.pi) / erfcx(-x / SQRT2)


def gauss_hermite(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the n-point rule for E_{Z~N(0,1)}[f(Z)] (weights sum to 1)."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x.astype(np.float64), (w / np.sqrt(2.0 * np.pi)).astype(np.float64)


def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the n-point Gauss–Legendre rule on [−1, 1]."""
    x, w = np.polynomial.legendre.leggauss(n)
    return x.astype(np.float64), w.astype(np.float64)


@njit(cache=True)
def trunc_moments(a: float) -> tuple[float, float]:
    """Mean and variance of Z ~ N(a, 1) conditioned on Z > 0, stable for all a.

    mean = a + φ(a)/Φ(a), var = 1 − M(a)(a + M(a)) with M = φ/Φ (mills). For a < −4 both
    cancel (mean ≈ 1/|a|, var ≈ 1/a²), so with t = −a and Laplace's continued fraction
    T_k = k/(t + T_{k+1}) (φ(t)/Φ(−t) = t + T_1) they are mean = T_1 and
    var = T_1² T_2 (t + 2T_2 − T_3)/2, free of cancellation (error < 1e-15 relative).
    """
    if a >= -4.0:
        m = mills(a)
        g = a + m
        return g, 1.0 - m * g
    t = -a
    n = 40 if t < 8.0 else 20
    tk = 0.0
    t2 = 0.0
    t3 = 0.0
    for k in range(n, 0, -1):
        tk = k / (t + tk)
        if k == 3:
            t3 = tk
        elif k == 2:
            t2 = tk
    return tk, tk * tk * t2 * (t + 2.0 * t2 - t3) * 0.5
