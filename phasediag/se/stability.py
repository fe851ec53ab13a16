"""Linear stability of the trivial fixed points of the SE map, for any engine.

κ_perf(α): growth factor of the map linearised at mse_x = 0 (perfect recovery), κ_unif(α):
at the uninformative point m = 0; a point is stable iff κ < 1 (SPEC §3–4).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from phasediag.blocks.tables import load_tables
from phasediag.errors import ModelError
from phasediag.model import Model
from phasediag.se.engines import ENGINE_VAMP, SEState, engine_aux, engine_code, engine_step

UNINF_SCALE_VAMP = 1e-8  # default scale of VAMP's uninformative linearisation (see growth)


@njit(cache=True)
def _n_small(engine, n):
    """Number of small coordinates of the engine's state (AMP: h_i; VAMP: h_i and u_i)."""
    return 2 * n if engine == ENGINE_VAMP else n


@njit(cache=True)
def _ref(km, k):
    """Second moment of small coordinate k (h_i for k < n; u_{f+1}, of moment ρ_f, after)."""
    n = km.rho.shape[0]
    return km.rho[k] if k < n else km.rho[k - n]


@njit(cache=True)
def _put(engine, st, km, a, perfect):
    """Set the state from its small coordinates a: the mses v_i (perfect) or overlaps m_i
    of h_i (AMP); the flat variances 1/γ⁺ (perfect) or ρ − 1/γ⁺ of h_i and u_i (VAMP)."""
    m, v, rho = st.m, st.v, km.rho
    n = rho.shape[0]
    if engine == ENGINE_VAMP:
        for k in range(2 * n):
            d = a[k] if perfect else _ref(km, k) - a[k]
            st.aux[k] = 1.0 / d if d > 0.0 else math.inf
        return
    for i in range(n):
        if perfect:
            v[i] = a[i]
            m[i] = rho[i] - a[i]
        else:
            m[i] = a[i]
            v[i] = rho[i] - a[i]


@njit(cache=True)
def _get(engine, st, km, k, perfect):
    """Small coordinate k of the state (the inverse of `_put`)."""
    if engine == ENGINE_VAMP:
        g = st.aux[k]
        if g <= 0.0:
            return math.inf if perfect else -math.inf
        return 1.0 / g if perfect else _ref(km, k) - 1.0 / g
    return st.v[k] if perfect else st.m[k]


@njit(cache=True)
def _growth(engine, alpha, km, tabs, scale, perfect, max_iter, tol, decide):
    """Growth factor κ of the SE map linearised at a trivial point of x (power iteration).

    perfect=True: around mse_x = 0 (the map is positively homogeneous of degree 1 in the
    vanishing mses as v → 0); perfect=False: around the uninformative point m = 0 (linear
    in the vanishing overlaps). The small coordinates a_k (`_put`: mses, resp. overlaps, of
    the engine's state) start at scale·ρ_k; after each step κ_t = a_x'/a_x (x: the mse,
    resp. overlap, of x; for VAMP the ratio of x's belief to its value one step before,
    rescaled, from the second step on) and every coordinate still below √scale·ρ_k is
    divided by κ_t (kept at scale), while
    variables that do not vanish at that point (e.g. z when ρ > 1: x is recovered, z is
    not) grow out of the small set and relax freely to their limit. κ = lim κ_t; the point
    is stable iff κ < 1.

    Equal layer widths (β_l = 1) make the linearised map defective (a Jordan block), where
    κ_t → κ only like κ + c/t with c ≤ L: the loop stops when κ_t changes by < tol, else at
    max_iter with the Richardson estimate 2κ_T − κ_{T/2} (removes the 1/t term).
    decide=True only asks for the side of 1: stop once |κ_t − 1| > 4(L + 1)/t (t ≥ 50).
    """
    rho = km.rho
    n = rho.shape[0]
    L = n - 1
    K = _n_small(engine, n)
    a = np.empty(K)
    aux = np.full(4 * n, np.nan) if engine == ENGINE_VAMP else np.empty(0)
    st = SEState(np.empty(n), np.empty(n), np.empty(n), aux)
    for k in range(K):
        a[k] = scale * _ref(km, k)
    small = math.sqrt(scale)
    x_ref = 1.0
    g_prev = -1.0
    g = math.inf
    g_half = math.inf
    half = max_iter // 2
    for t in range(1, max_iter + 1):
        _put(engine, st, km, a, perfect)
        engine_step(engine, alpha, st, km, tabs)
        if engine == ENGINE_VAMP:
            # κ on x's belief (mse, resp. overlap), which vanishes where the messages need
            # not (the prior side of x when z is not recovered, u = A x of noiseless CS)
            x_now = st.v[L] if perfect else st.m[L]
            if t == 1 and x_now == 0.0:
                return 0.0  # x exact after one step (noiseless CS with full column rank)
            g = x_now / x_ref if t > 1 else 1.0
        else:
            g = _get(engine, st, km, L, perfect) / a[L]
        if not (g == g) or g <= 0.0 or g > 1e12:
            return g
        for k in range(K):
            x = _get(engine, st, km, k, perfect)
            if x < small * _ref(km, k):
                x = max(x / g, 1e-300)
            a[k] = x
        if engine == ENGINE_VAMP:
            x_ref = x_now / g
            if t == 1:
                continue
        if abs(g - g_prev) <= tol * g:
            return g
        if decide and t >= 50 and abs(g - 1.0) > 4.0 * (L + 1) / t:
            return g
        if t == half:
            g_half = g
        g_prev = g
    return 2.0 * g - g_half


def growth(model: Model, alpha: float, around: str, scale: float | None = None,
           max_iter: int = 100_000, tol: float = 1e-13, decide: bool = False,
           engine: str = "amp") -> float:
    """Linear stability factor κ(α) of the perfect (around="perfect") or uninformative
    (around="uninformative") fixed point; κ < 1 means stable. decide=True: stop once the
    side of 1 is clear (for bisections), the value is then less accurate."""
    if around not in ("perfect", "uninformative"):
        raise ModelError("around", f"expected perfect or uninformative, got {around!r}")
    perfect = around == "perfect"
    code = engine_code(engine, model.matrix_ensembles)
    if scale is None:
        # VAMP's overlaps are ρ − 1/γ⁺: below ~1e-8·ρ rounding would dominate them
        scale = 1e-20 if perfect else (UNINF_SCALE_VAMP if code == ENGINE_VAMP else 1e-30)
    if code == ENGINE_VAMP and not perfect:
        tol = max(tol, 1e-7)  # κ_t carries ~1e-8 relative rounding at that scale
    return float(_growth(
        code, float(alpha), model.kernel(),
        load_tables(), float(scale), perfect, int(max_iter), float(tol), decide,
    ))


def step_from_zero(model: Model, alpha: float, engine: str = "amp") -> np.ndarray:
    """Overlaps after one SE step from m = 0 exactly (is the uninformative point fixed?)."""
    km = model.kernel()
    m = np.zeros_like(km.rho)
    code = engine_code(engine, model.matrix_ensembles)
    st = SEState(m, km.rho.copy(), np.empty_like(km.rho), engine_aux(code, model.L))
    engine_step(code, float(alpha), st, km, load_tables())
    return m
