"""Table of the noiseless real phase retrieval output block (SPEC §2, output block).

With κ² = m/v (m the overlap, v = ρ_x − m the mse) the block depends on κ only:

    g(κ) = v·λ_y = E_{b~N(0,κ²)}[ I(b) ],     I(b) = E_{ζ~N(0,1)}[(w tanh(bw) − b)²],  w = b + ζ

(substitute ω = √v·b, u = √v·w in E[(u tanh(uω/v) − ω)²]/v). I(b) is a universal even
function, 2b² − 4b⁴ + … at 0 and 1 up to ~b²Φ(−b) for b ≳ 8. The builder integrates
both levels with composite Gauss–Legendre rules whose panels resolve the tanh layer
(width π/(2b) around w = 0) and the scale κ of the outer Gaussian; every integrand is
non-negative, so there is no cancellation at either end.

Tabulated: h(t) = g/q, q = m/(m+v) = κ²/(1+κ²), against the logit coordinate t = log(m/v),
on panels of width DT covering [T_MIN, T_MAX] (q from 1.3e-14 to 1 − 2.6e-23), one
Chebyshev interpolant of degree DEG per panel. Beyond both ends exact asymptotics:

    t < T_MIN:  h = 2 − 10 q + O(q²)            (I(b) = 2b² − 4b⁴ + O(b⁶))
    t > T_MAX:  g = 1 + c0/κ + c1/κ³ + c2/κ⁵     c_k = 2φ(0)(−1)^k/(2^k k!) ∫_0^∞ b^{2k}(I − 1) db

The kernel tuple is `(meta, coef)`:
    meta = [T_MIN, T_MAX, DT, h0 = 2, h1 = −10, c0, c1, c2]   (float64, 8 entries)
    coef = Chebyshev coefficients, shape (n_panels, DEG + 1)   (float64)

Build with `python -m phasediag.blocks.pr_table` (about 20 s of one core).
"""

from __future__ import annotations

import functools
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.special import erfc

from phasediag.quadrature import gauss_legendre

VERSION = "pr-table-1 (chebyshev panels in t=log(m/v), h=v*lambda_y/q)"
T_MIN = -32.0
T_MAX = 52.0
DT = 1.0
DEG = 12
H0 = 2.0  # h(q → 0), exact: I(b) = 2b² + O(b⁴)
H1 = -10.0  # dh/dq at q = 0, exact: I(b) = 2b² − 4b⁴ + O(b⁶)
N_GL = 24  # Gauss–Legendre nodes per panel (both levels)
ZETA_MAX = 14.0  # inner range |ζ| ≤ 14: φ(14)·14² ~ 1e-41
B_CUT = 12.0  # I(b) = 1 to ~1e-30 beyond b = 12
A_MAX = 13.0  # outer range for κ < 1 in a = b/κ ~ N(0, 1)
B_SMOOTH = 0.3  # below this the tanh poles (at π/(2b) ≥ 5.2) need no grading

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "pr_table.npz"
_PHI0 = 1.0 / math.sqrt(2.0 * math.pi)


def _panel_rule(breaks: np.ndarray, n: int = N_GL) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes/weights on consecutive intervals of `breaks`."""
    x, w = gauss_legendre(n)
    lo, hi = breaks[:-1], breaks[1:]
    half, mid = 0.5 * (hi - lo), 0.5 * (hi + lo)
    return (mid[:, None] + half[:, None] * x).ravel(), (half[:, None] * w).ravel()


def _inner_breaks(b: float) -> np.ndarray:
    """ζ-breakpoints: unit grid on [−ZETA_MAX, ZETA_MAX], graded around the tanh layer."""
    br = [np.arange(-ZETA_MAX, ZETA_MAX + 0.5, 1.0)]
    if b > B_SMOOTH:
        d = math.pi / (2.0 * b)  # distance of the first tanh pole from the real axis
        steps = d * 2.0 ** np.arange(-1, 6)
        br.append(np.concatenate(([-b], -b - steps, -b + steps)))
    out = np.unique(np.concatenate(br))
    return out[(out >= -ZETA_MAX) & (out <= ZETA_MAX)]


def inner_I(b: np.ndarray, n: int = N_GL) -> np.ndarray:
    """I(b) = E_ζ[(w tanh(bw) − b)²], w = b + ζ, for an array of b ≥ 0."""
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    out = np.empty_like(b)
    small = b <= B_SMOOTH
    if small.any():
        z, w = _panel_rule(np.arange(-ZETA_MAX, ZETA_MAX + 0.5, 1.0), n)
        wz = w * _PHI0 * np.exp(-0.5 * z * z)
        bs = b[small][:, None]
        ww = bs + z[None, :]
        out[small] = ((ww * np.tanh(bs * ww) - bs) ** 2) @ wz
    for i in np.nonzero(~small)[0]:
        z, w = _panel_rule(_inner_breaks(b[i]), n)
        ww = b[i] + z
        out[i] = np.dot(w * _PHI0 * np.exp(-0.5 * z * z), (ww * np.tanh(b[i] * ww) - b[i]) ** 2)
    return out


@functools.lru_cache(maxsize=4)
def _large_kappa_nodes(n: int = N_GL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed b-nodes on [0, B_CUT] (step 0.5) and I there, shared by every κ ≥ 1."""
    b, w = _panel_rule(np.arange(0.0, B_CUT + 0.25, 0.5), n)
    return b, w, inner_I(b, n)


def g_kappa(kappa: float, n: int = N_GL) -> float:
    """g(κ) = v·λ_y = E_{b~N(0,κ²)}[I(b)] by composite Gauss–Legendre (non-negative sums).

    κ ≥ 1: b-nodes on [0, B_CUT] + the tail erfc(B_CUT/(κ√2)) where I = 1;
    κ < 1: a = b/κ ~ N(0,1) on [0, A_MAX], unit panels.
    """
    if kappa >= 1.0:
        b, w, ib = _large_kappa_nodes(n)
        dens = 2.0 * _PHI0 / kappa * np.exp(-0.5 * (b / kappa) ** 2)
        return float(np.dot(w * dens, ib) + erfc(B_CUT / (kappa * math.sqrt(2.0))))
    a, w = _panel_rule(np.arange(0.0, A_MAX + 0.5, 1.0), n)
    return float(np.dot(w * 2.0 * _PHI0 * np.exp(-0.5 * a * a), inner_I(kappa * a, n)))


def asymptotic_coefficients(n: int = N_GL) -> tuple[float, float, float]:
    """(c0, c1, c2) of g = 1 + c0/κ + c1/κ³ + c2/κ⁵ + O(κ⁻⁷) as κ → ∞ (v → 0)."""
    b, w, ib = _large_kappa_nodes(n)
    d = ib - 1.0
    m0, m2, m4 = np.dot(w, d), np.dot(w, b**2 * d), np.dot(w, b**4 * d)
    # ∫_{B_CUT}^∞ (I − 1) = −0 to 1e-30: the tail beyond B_CUT is dropped.
    return 2.0 * _PHI0 * m0, -_PHI0 * m2, 2.0 * _PHI0 * m4 / 8.0


def _cheb_points(deg: int) -> np.ndarray:
    n = deg + 1
    return np.cos(np.pi * (np.arange(n) + 0.5) / n)


def _cheb_coefficients(values: np.ndarray) -> np.ndarray:
    """Interpolation coefficients at first-kind Chebyshev points (last axis)."""
    n = values.shape[-1]
    k = np.arange(n)
    j = np.arange(n) + 0.5
    c = (2.0 / n) * values @ np.cos(np.pi * np.outer(j, k) / n)
    c[..., 0] *= 0.5
    return c


def _h_of_t(t: float, n: int = N_GL) -> float:
    kappa = math.exp(0.5 * t)
    q = 1.0 / (1.0 + math.exp(-t))
    return g_kappa(kappa, n) / q


def _eval_table(t: float, coef: np.ndarray) -> float:
    p = min(int((t - T_MIN) // DT), coef.shape[0] - 1)
    x = 2.0 * (t - T_MIN - p * DT) / DT - 1.0
    return float(np.polynomial.chebyshev.chebval(x, coef[p]))


def build_pr_table(path: str | Path = DEFAULT_PATH, verbose: bool = True) -> dict:
    """Compute the table, self-check it off the nodes, and write it to `path` (npz)."""
    t0 = time.perf_counter()
    n_panels = int(round((T_MAX - T_MIN) / DT))
    x = _cheb_points(DEG)
    t_nodes = T_MIN + DT * (np.arange(n_panels)[:, None] + 0.5 * (x[None, :] + 1.0))
    h_nodes = np.array([[_h_of_t(t) for t in row] for row in t_nodes])
    coef = _cheb_coefficients(h_nodes)
    c0, c1, c2 = asymptotic_coefficients()

    # self-checks: interpolation off the nodes; quadrature against a finer rule
    rng = np.random.default_rng(12345)
    t_chk = T_MIN + DT * (np.arange(n_panels) + rng.uniform(size=n_panels))
    interp_err = max(abs(_eval_table(t, coef) / _h_of_t(t) - 1.0) for t in t_chk)
    t_quad = np.linspace(T_MIN + 0.3, T_MAX - 0.3, 15)
    quad_err = max(abs(_h_of_t(t, 32) / _h_of_t(t) - 1.0) for t in t_quad)
    k_asym = math.exp(0.5 * T_MAX)
    g_asym = 1.0 + c0 / k_asym + c1 / k_asym**3 + c2 / k_asym**5
    q_top = 1.0 / (1.0 + math.exp(-T_MAX))
    join_hi = abs(_eval_table(T_MAX, coef) * q_top / g_asym - 1.0)
    q_bot = 1.0 / (1.0 + math.exp(-T_MIN))
    join_lo = abs(_eval_table(T_MIN, coef) / (H0 + H1 * q_bot) - 1.0)

    meta = np.array([T_MIN, T_MAX, DT, H0, H1, c0, c1, c2], dtype=np.float64)
    report = {
        "version": VERSION,
        "n_panels": n_panels,
        "deg": DEG,
        "interp_max_rel_err": interp_err,
        "quad_refine_max_rel_diff": quad_err,
        "join_lo_rel": join_lo,
        "join_hi_rel": join_hi,
        "c": (c0, c1, c2),
        "seconds": time.perf_counter() - t0,
    }
    np.savez(
        path,
        version=np.array(VERSION),
        meta=meta,
        meta_names=np.array(["t_min", "t_max", "dt", "h0", "h1", "c0", "c1", "c2"]),
        coef=coef,
        t_nodes=t_nodes,
        h_nodes=h_nodes,
        checks=np.array([interp_err, quad_err, join_lo, join_hi]),
        check_names=np.array(
            ["interp_max_rel_err", "quad_refine_max_rel_diff", "join_lo_rel", "join_hi_rel"]
        ),
        n_gl=np.array(N_GL),
    )
    if verbose:
        for k, v in report.items():
            print(f"{k}: {v}", file=sys.stderr)
    return report


@functools.lru_cache(maxsize=1)
def pr_table() -> tuple[np.ndarray, np.ndarray]:
    """(meta, coef) float64 arrays for `pr_lambda`, loaded once from data/pr_table.npz."""
    with np.load(DEFAULT_PATH) as f:
        if str(f["version"]) != VERSION:
            raise RuntimeError(
                f"{DEFAULT_PATH}: version {f['version']!s} != {VERSION}; "
                "rebuild with `python -m phasediag.blocks.pr_table`"
            )
        meta = np.ascontiguousarray(f["meta"], dtype=np.float64)
        coef = np.ascontiguousarray(f["coef"], dtype=np.float64)
    return meta, coef


N_GL_POT = 24  # Gauss–Legendre nodes of the potential's integral J (per panel)
N_GL_NOISY = 12  # Gauss–Legendre nodes per interval of the noisy block's adaptive rules


def pr_cumulative(meta: np.ndarray, coef: np.ndarray, n: int = N_GL_POT) -> np.ndarray:
    """J at the panel edges T_MIN + p·DT, p = 0..n_panels: J(t) = ∫_{−∞}^t (g − 1) q dt'
    with g = q·h from the Chebyshev panels (below T_MIN: J = −9 sp(t) + 8q + 5q²)."""
    x, w = gauss_legendre(n)
    t_min, dt = float(meta[0]), float(meta[2])
    q0 = 1.0 / (1.0 + math.exp(-t_min))
    out = np.empty(coef.shape[0] + 1)
    out[0] = -9.0 * math.log1p(math.exp(t_min)) + 8.0 * q0 + 5.0 * q0 * q0
    tk = 0.5 * dt * (x + 1.0)
    for p in range(coef.shape[0]):
        t = t_min + p * dt + tk
        q = 1.0 / (1.0 + np.exp(-t))
        h = np.polynomial.chebyshev.chebval(x, coef[p])
        out[p + 1] = out[p] + 0.5 * dt * float(np.dot(w, (q * h - 1.0) * q))
    return out


@functools.lru_cache(maxsize=1)
def pr_kernel_table() -> tuple[np.ndarray, ...]:
    """(meta, coef, cum, gx, gw, gx_noisy, gw_noisy): `pr_table()` plus what the potential
    `pr_potential` (J at the panel edges, its Gauss–Legendre rule) and the noisy block
    `pr_noisy` (its Gauss–Legendre rule) need."""
    meta, coef = pr_table()
    gx, gw = gauss_legendre(N_GL_POT)
    nx, nw = gauss_legendre(N_GL_NOISY)
    return meta, coef, pr_cumulative(meta, coef), gx, gw, nx, nw


if __name__ == "__main__":
    build_pr_table(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH)
