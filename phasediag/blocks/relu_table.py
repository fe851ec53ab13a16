"""Table of the ReLU layer block: builder (accurate 2-D quadrature) and loader.

In units V = 1 (ω ~ N(0, q), u* = ω + ζ, x* = relu(u*), B = γ x* + √γ ξ) the block needs

    E(q, γ) = E[Var(x | ω, B)],    Λ(q, γ) = E[(E[u | ω, B] − ω)²]

(E is the mmse of x, = v_out/V by the Nishimori identity, so no ρ_out − m_out cancellation).
The table holds Ê = (1+γ)E and L̂ = (1+γ)Λ/γ in the coordinates t = (1+q)^{−1/2} and
y = ℓ/(ℓ + L), ℓ = log(1+γ), which map q, γ ∈ [0, ∞] onto [0, 1] (see `phasediag.blocks.relu`).

Quadrature, for one (q, γ) (`scaled_exact`):

- inner, over b = B/√γ given ω: b has the density φ(b)Φ(−ω) (x* = 0) plus
  N(b; √γω, 1+γ) Φ((ω + √γb)/√(1+γ)) (x* > 0), a bump of width √(1+γ); integrated by
  globally adaptive Gauss–Legendre on [−13, 0], [0, 13], [13, b_max] (split at the bump
  centre), against the closed-form posterior moments of `relu_posterior_full`;
- outer, over ω: the inner integral f(ω) tends to 1 as ω → +∞ and to 0 as ω → −∞, both for
  Ê and L̂, so with h = f − 1[ω > 0] (decaying like e^{−ω²/2})

      Ê or L̂ = 1/2 + ∫ N(ω; 0, q) h(ω) dω,

  integrated adaptively on [−R, 0] and [0, R], R = 12 min(1, √q): no width √q to resolve
  as q → ∞ (V → 0), the jump of h at 0 is a breakpoint, and the √V approach to the limit
  is carried by the factor N(ω; 0, q) ≈ t/√(2π) exactly.

Table (`build_relu_table`, ~100 s on one core): both functions are sampled on 32 × 56
Chebyshev points of (t, y_fit = ℓ/(ℓ + 10)) (the nodes at ℓ > 80 take the γ = ∞ values,
Ê = 1/2, L̂ = `lam_hat_inf`), fitted by a tensor Chebyshev series (max error against fresh
quadrature ~3e-12), and the series is cut into 8 × 16 uniform patches of (t, y = ℓ/(ℓ + 5))
(finer at small γ), each a tensor polynomial of degree 9 (error vs the series ~4e-12;
jumps across patch edges of the same size). Run `python -m phasediag.blocks.relu_table`.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

from phasediag.blocks.relu import PATCH_ORDER, relu_posterior_full
from phasediag.quadrature import LOG_SQRT_2PI, gauss_legendre, log_ndtr

TABLE_VERSION = "relu-table-1"
DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "relu_table.npz"

_STACK = 600  # max intervals of one adaptive integral
_NOISE = 4e-15  # a halving that changes an interval by less than this (relative) is converged


# ---------------------------------------------------------------------------------------
# globally adaptive Gauss–Legendre: each interval keeps the rule on its two halves (value),
# the halves themselves (for the next split) and |whole − halves| (error); the interval of
# largest error is split until the errors sum below tol.


@njit(cache=True)
def _err(w0, h0, h1, w1, g0, g1):
    """Error estimate of (h0 + h1) from the coarser w0 (and same for the second function)."""
    e0 = abs(h0 + h1 - w0)
    e1 = abs(g0 + g1 - w1)
    if e0 <= _NOISE * (abs(h0) + abs(h1)):
        e0 = 0.0
    if e1 <= _NOISE * (abs(g0) + abs(g1)):
        e1 = 0.0
    return max(e0, e1)


# ---------------------------------------------------------------------------------------
# inner integral over b


@njit(cache=True)
def _inner_integrand(b, omega, gamma):
    """(Ê, L̂) integrands at b = B/√γ: p(b) (1+γ) Var(x) and p(b) (1+γ)/γ (û − ω)².

    p(b) = φ(b) Φ(−ω) + N(b; √γ ω, 1+γ) Φ((ω + √γ b)/√(1+γ)), the density of b given ω
    (x* = 0, and b = √γ u* + ξ with u* > 0), written without the cancellation of
    −b²/2 + log Z₊ at large b.
    """
    sg = math.sqrt(gamma)
    d = 1.0 + gamma
    a = (omega + sg * b) / math.sqrt(d)
    z = b - sg * omega
    dens = math.exp(-0.5 * b * b - LOG_SQRT_2PI + log_ndtr(-omega)) + math.exp(
        -0.5 * z * z / d - 0.5 * math.log(d) - LOG_SQRT_2PI + log_ndtr(a)
    )
    _, _, vx, _, _, du = relu_posterior_full(sg * b, gamma, omega, 1.0)
    return dens * vx * d, dens * du * du * d / gamma


@njit(cache=True)
def _gl_inner(a, b, omega, gamma, xg, wg):
    c = 0.5 * (a + b)
    h = 0.5 * (b - a)
    se = 0.0
    sl = 0.0
    for k in range(xg.size):
        fe, fl = _inner_integrand(c + h * xg[k], omega, gamma)
        se += wg[k] * fe
        sl += wg[k] * fl
    return se * h, sl * h


@njit(cache=True)
def _inner(omega, gamma, xg, wg, tol):
    """∫ db of the (Ê, L̂) integrands given ω; globally adaptive, error ≲ tol."""
    sg = math.sqrt(gamma)
    centre = sg * max(omega, 0.0)
    bmax = sg * (max(omega, 0.0) + 13.0) + 13.0
    brk = np.empty(5)
    brk[0] = -13.0
    brk[1] = 0.0
    brk[2] = 13.0
    nb = 3
    if centre > 13.0 and centre < bmax:
        brk[nb] = centre
        nb += 1
    if bmax > 13.0:
        brk[nb] = bmax
        nb += 1
    lo = np.empty(_STACK)
    hi = np.empty(_STACK)
    half = np.empty((_STACK, 4))  # rule on left half (E, L), right half (E, L)
    er = np.empty(_STACK)
    n = 0
    for k in range(nb - 1):
        a = brk[k]
        b = brk[k + 1]
        m = 0.5 * (a + b)
        w0, w1 = _gl_inner(a, b, omega, gamma, xg, wg)
        h0, g0 = _gl_inner(a, m, omega, gamma, xg, wg)
        h1, g1 = _gl_inner(m, b, omega, gamma, xg, wg)
        lo[n] = a
        hi[n] = b
        half[n, 0] = h0
        half[n, 1] = g0
        half[n, 2] = h1
        half[n, 3] = g1
        er[n] = _err(w0, h0, h1, w1, g0, g1)
        n += 1
    while n < _STACK and er[:n].sum() > tol:
        k = int(np.argmax(er[:n]))
        a = lo[k]
        b = hi[k]
        m = 0.5 * (a + b)
        wk = half[k].copy()  # rule on the two halves, before slot k is overwritten
        for side in range(2):
            lo2 = a if side == 0 else m
            hi2 = m if side == 0 else b
            w0 = wk[2 * side]
            w1 = wk[2 * side + 1]
            m2 = 0.5 * (lo2 + hi2)
            h0, g0 = _gl_inner(lo2, m2, omega, gamma, xg, wg)
            h1, g1 = _gl_inner(m2, hi2, omega, gamma, xg, wg)
            j = k if side == 0 else n
            lo[j] = lo2
            hi[j] = hi2
            half[j, 0] = h0
            half[j, 1] = g0
            half[j, 2] = h1
            half[j, 3] = g1
            er[j] = _err(w0, h0, h1, w1, g0, g1)
        n += 1
    se = 0.0
    sl = 0.0
    for k in range(n):
        se += half[k, 0] + half[k, 2]
        sl += half[k, 1] + half[k, 3]
    return se, sl


# ---------------------------------------------------------------------------------------
# outer integral over ω


@njit(cache=True)
def _gl_outer(a, b, q, gamma, xg, wg, tol_in):
    c = 0.5 * (a + b)
    h = 0.5 * (b - a)
    se = 0.0
    sl = 0.0
    for k in range(xg.size):
        w = c + h * xg[k]
        fe, fl = _inner(w, gamma, xg, wg, tol_in)
        if w > 0.0:
            fe -= 1.0
            fl -= 1.0
        dens = math.exp(-0.5 * w * w / q - LOG_SQRT_2PI) / math.sqrt(q)
        se += wg[k] * dens * fe
        sl += wg[k] * dens * fl
    return se * h, sl * h


@njit(cache=True)
def scaled_exact(q, gamma, xg, wg, tol_out, tol_in):
    """(Ê, L̂, error estimate)(q, γ) by nested adaptive quadrature (module doc); q, γ > 0.

    The estimate (sum of |coarse − fine| over the outer intervals) bounds the outer error
    loosely; it stays ≲ tol_out only when the inner integrals were accurate too.
    """
    big_r = 12.0 * min(1.0, math.sqrt(q))
    lo = np.empty(_STACK)
    hi = np.empty(_STACK)
    half = np.empty((_STACK, 4))
    er = np.empty(_STACK)
    n = 0
    for side in range(2):
        a = -big_r if side == 0 else 0.0
        b = 0.0 if side == 0 else big_r
        m = 0.5 * (a + b)
        w0, w1 = _gl_outer(a, b, q, gamma, xg, wg, tol_in)
        h0, g0 = _gl_outer(a, m, q, gamma, xg, wg, tol_in)
        h1, g1 = _gl_outer(m, b, q, gamma, xg, wg, tol_in)
        lo[n] = a
        hi[n] = b
        half[n, 0] = h0
        half[n, 1] = g0
        half[n, 2] = h1
        half[n, 3] = g1
        er[n] = _err(w0, h0, h1, w1, g0, g1)
        n += 1
    while n < _STACK and er[:n].sum() > tol_out:
        k = int(np.argmax(er[:n]))
        a = lo[k]
        b = hi[k]
        m = 0.5 * (a + b)
        wk = half[k].copy()  # rule on the two halves, before slot k is overwritten
        for side in range(2):
            lo2 = a if side == 0 else m
            hi2 = m if side == 0 else b
            w0 = wk[2 * side]
            w1 = wk[2 * side + 1]
            m2 = 0.5 * (lo2 + hi2)
            h0, g0 = _gl_outer(lo2, m2, q, gamma, xg, wg, tol_in)
            h1, g1 = _gl_outer(m2, hi2, q, gamma, xg, wg, tol_in)
            j = k if side == 0 else n
            lo[j] = lo2
            hi[j] = hi2
            half[j, 0] = h0
            half[j, 1] = g0
            half[j, 2] = h1
            half[j, 3] = g1
            er[j] = _err(w0, h0, h1, w1, g0, g1)
        n += 1
    se = 0.5
    sl = 0.5
    for k in range(n):
        se += half[k, 0] + half[k, 2]
        sl += half[k, 1] + half[k, 3]
    return se, sl, er[:n].sum()


@njit(cache=True)
def lam_hat_inf(q, xg, wg):
    """L̂ at γ = ∞: 1/2 + E[φ(ω)²/Φ(−ω)], ω ~ N(0, q) (u* > 0 seen exactly, u* < 0 known
    only to be negative, so E[u | ·] is the mean of N(ω, 1) truncated to u < 0)."""
    big_r = 12.0 * min(1.0, math.sqrt(q))
    npan = 64
    h = big_r / npan
    s = 0.0
    for k in range(-npan, npan):
        c = (k + 0.5) * h
        for j in range(xg.size):
            w = c + 0.5 * h * xg[j]
            s += wg[j] * math.exp(
                -0.5 * w * w / q - 0.5 * math.log(q) - w * w - 3.0 * LOG_SQRT_2PI - log_ndtr(-w)
            )
    return 0.5 + 0.5 * h * s


# ---------------------------------------------------------------------------------------
# builder

L_FIT = 10.0  # sampling coordinate y = ℓ/(ℓ + L_FIT), ℓ = log(1 + γ)
L_TAB = 5.0  # kernel coordinate y = ℓ/(ℓ + L_TAB): resolves small γ better
ELL_INF = 80.0  # beyond, (Ê, L̂) equal their γ = ∞ values to < 1e-13
N_CHEB = (32, 56)  # Chebyshev points of the global fit in (t, y_fit)
PATCHES = (8, 16)  # kernel patches in (t, y), uniform
DEGREE = PATCH_ORDER - 1  # polynomial degree of a patch in each variable
GL_NODES = 20
TOL_OUT = 1e-13
TOL_IN = 1e-14


def ell_of(y: float, big_l: float) -> float:
    """ℓ = log(1 + γ) of the coordinate y = ℓ/(ℓ + L) (∞ at y = 1)."""
    return math.inf if y >= 1.0 else big_l * y / (1.0 - y)


def scaled_point(t: float, y: float) -> tuple[float, float, float]:
    """(Ê, L̂, error estimate) at t ∈ (0, 1), y = ℓ/(ℓ + L_FIT) ∈ [0, 1], by quadrature."""
    xg, wg = gauss_legendre(GL_NODES)
    if t <= 0.0:
        return 0.5, 0.5, 0.0
    q = (1.0 - t) * (1.0 + t) / (t * t)
    ell = ell_of(y, L_FIT)
    if ell > ELL_INF:
        return 0.5, lam_hat_inf(q, xg, wg), 0.0
    return scaled_exact(q, math.expm1(ell), xg, wg, TOL_OUT, TOL_IN)


def cheb_nodes(n: int) -> np.ndarray:
    """n Chebyshev points of the first kind on [0, 1], increasing."""
    k = np.arange(n)
    return np.sort(0.5 * (1.0 - np.cos(np.pi * (k + 0.5) / n)))


def _sample(nodes_t: np.ndarray, nodes_y: np.ndarray, n_jobs: int) -> np.ndarray:
    pts = [(float(t), float(y)) for t in nodes_t for y in nodes_y]
    if n_jobs > 1:
        from joblib import Parallel, delayed

        out = Parallel(n_jobs=n_jobs)(delayed(scaled_point)(t, y) for t, y in pts)
    else:
        out = [scaled_point(t, y) for t, y in pts]
    out = np.array(out).reshape(nodes_t.size, nodes_y.size, 3).transpose(2, 0, 1)
    return out[:2], out[2]


def cheb_fit(nodes_t: np.ndarray, nodes_y: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Tensor Chebyshev coefficients c[k, i, j] (on [0, 1]², x ↦ 2x − 1) interpolating vals."""
    at = np.polynomial.chebyshev.chebvander(2.0 * nodes_t - 1.0, nodes_t.size - 1)
    ay = np.polynomial.chebyshev.chebvander(2.0 * nodes_y - 1.0, nodes_y.size - 1)
    return np.stack([np.linalg.solve(at, np.linalg.solve(ay, v.T).T) for v in vals])


def cheb_eval(coef: np.ndarray, t: np.ndarray, y_tab: np.ndarray) -> np.ndarray:
    """The global fit at the grid t × y_tab (y_tab in the kernel coordinate, L_TAB)."""
    ell = np.array([ell_of(float(y), L_TAB) for y in y_tab])
    with np.errstate(invalid="ignore"):
        y_fit = np.where(np.isinf(ell), 1.0, ell / (ell + L_FIT))
    return np.stack([np.polynomial.chebyshev.chebgrid2d(2 * t - 1, 2 * y_fit - 1, c) for c in coef])


def patch_table(coef: np.ndarray) -> np.ndarray:
    """P[k, i, j, m, n]: monomial coefficients of patch (i, j), local a, b ∈ [−1, 1]:
    f ≈ Σ P[m, n] a^m b^n, interpolating the global fit at (DEGREE+1)² Chebyshev points."""
    npt, npy = PATCHES
    xk = np.cos(np.pi * (np.arange(DEGREE + 1) + 0.5) / (DEGREE + 1))
    vinv = np.linalg.inv(np.polynomial.polynomial.polyvander(xk, DEGREE))
    out = np.empty((coef.shape[0], npt, npy, DEGREE + 1, DEGREE + 1))
    for i in range(npt):
        tt = (i + 0.5 + 0.5 * xk) / npt
        for j in range(npy):
            g = cheb_eval(coef, tt, (j + 0.5 + 0.5 * xk) / npy)
            for k in range(coef.shape[0]):
                out[k, i, j] = vinv @ g[k] @ vinv.T
    return out


def build_relu_table(path: str | Path = DATA_PATH, n_jobs: int = 1) -> dict:
    """Sample (Ê, L̂) on Chebyshev points by quadrature, fit, cut into patches; write npz."""
    t0 = time.time()
    nodes_t = cheb_nodes(N_CHEB[0])
    nodes_y = cheb_nodes(N_CHEB[1])
    vals, errs = _sample(nodes_t, nodes_y, n_jobs)
    if errs.max() > 100 * TOL_OUT:
        print(f"warning: quadrature error estimate up to {errs.max():.1e}", file=sys.stderr)
    coef = cheb_fit(nodes_t, nodes_y, vals)
    info = {
        "version": np.array(TABLE_VERSION),
        "P": patch_table(coef),
        "params": np.array([L_TAB]),
        "cheb_coef": coef,
        "cheb_nodes_t": nodes_t,
        "cheb_nodes_y": nodes_y,
        "cheb_values": vals,
        "quad_err_est": errs,
        "L_fit": np.array(L_FIT),
        "coords": np.array(
            "t = sqrt(V/(s+V)) = (1+q)^-1/2, q = s/V; y = l/(l+L), l = log(1+gamma), "
            "gamma = r V; L = params[0] in P, L_fit in cheb_*. k = 0: E_hat = (1+gamma) v_out/V,"
            " k = 1: L_hat = (1+gamma) lam_in/r. P[k, i, j, m, n]: patch i of t (uniform), "
            "j of y (uniform), monomials a^m b^n of the local coordinates in [-1, 1]"
        ),
        "quadrature": np.array(
            f"nested globally adaptive Gauss-Legendre ({GL_NODES} nodes), tol_out={TOL_OUT}, "
            f"tol_in={TOL_IN}; gamma = inf beyond l = {ELL_INF}"
        ),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **info)
    info["seconds"] = time.time() - t0
    return info


# ---------------------------------------------------------------------------------------
# loader

_TABLE: tuple | None = None


def relu_table() -> tuple:
    """The kernel's table argument `tab` (tuple of float64 arrays), loaded once from the npz.

    tab = (P, meta): P = the npz's P[k, i, j, m, n] flattened (k = 0 for Ê, 1 for L̂; monomial
    coefficients of the polynomial patches (i, j) of the uniform patch grid of [0, 1]² in
    (t, y)), meta = [L, nt, ny] (see `phasediag.blocks.relu.relu_scaled`).
    """
    global _TABLE
    if _TABLE is None:
        with np.load(DATA_PATH) as z:
            version = str(z["version"])
            if version != TABLE_VERSION:
                raise RuntimeError(
                    f"{DATA_PATH}: table version {version!r}, expected {TABLE_VERSION!r}; "
                    "rebuild with `python -m phasediag.blocks.relu_table`"
                )
            patches = np.asarray(z["P"], dtype=np.float64)
            big_l = float(z["params"][0])
        if patches.shape[3:] != (PATCH_ORDER, PATCH_ORDER) or patches.shape[0] != 2:
            raise RuntimeError(f"{DATA_PATH}: patch shape {patches.shape} does not fit the kernel")
        meta = np.array([big_l, patches.shape[1], patches.shape[2]], dtype=np.float64)
        _TABLE = (np.ascontiguousarray(patches.ravel()), meta)
    return _TABLE


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Build the ReLU layer-block table.")
    ap.add_argument("path", nargs="?", default=str(DATA_PATH))
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    print("compiling kernels (one-time) and sampling the table ...", file=sys.stderr)
    info = build_relu_table(args.path, n_jobs=args.jobs)
    print(f"wrote {args.path} in {info['seconds']:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
