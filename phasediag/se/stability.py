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
from phasediag.se.engines import SEState, engine_code, engine_step


@njit(cache=True)
def _growth(engine, alpha, km, tabs, scale, perfect, max_iter, tol, decide):
    """Growth factor κ of the SE map linearised at a trivial point of x (power iteration).

    perfect=True: around mse_x = 0 (the map is positively homogeneous of degree 1 in the
    vanishing mses as v → 0); perfect=False: around the uninformative point m = 0 (linear
    in the vanishing overlaps). The small coordinate a_i (v_i, resp. m_i) starts at
    scale·ρ_i on every variable; after each step κ_t = a_x'/a_x and every coordinate still
    below √scale·ρ_i is divided by κ_t (kept at scale), while variables that do not vanish
    at that point (e.g. z when ρ > 1: x is recovered, z is not) grow out of the small set
    and relax freely to their limit. κ = lim κ_t; the point is stable iff κ < 1.

    Equal layer widths (β_l = 1) make the linearised map defective (a Jordan block), where
    κ_t → κ only like κ + c/t with c ≤ L: the loop stops when κ_t changes by < tol, else at
    max_iter with the Richardson estimate 2κ_T − κ_{T/2} (removes the 1/t term).
    decide=True only asks for the side of 1: stop once |κ_t − 1| > 4(L + 1)/t (t ≥ 50).
    """
    rho = km.rho
    n = rho.shape[0]
    L = n - 1
    a = np.empty(n)
    st = SEState(np.empty(n), np.empty(n), np.empty(n))
    m, v = st.m, st.v
    for i in range(n):
        a[i] = scale * rho[i]
    small = math.sqrt(scale)
    g_prev = -1.0
    g = math.inf
    g_half = math.inf
    half = max_iter // 2
    for t in range(1, max_iter + 1):
        for i in range(n):
            if perfect:
                v[i] = a[i]
                m[i] = rho[i] - a[i]
            else:
                m[i] = a[i]
                v[i] = rho[i] - a[i]
        engine_step(engine, alpha, st, km, tabs)
        g = (v[L] if perfect else m[L]) / a[L]
        if not (g == g) or g <= 0.0 or g > 1e12:
            return g
        for i in range(n):
            x = v[i] if perfect else m[i]
            if x < small * rho[i]:
                x = max(x / g, 1e-300)
            a[i] = x
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
    if scale is None:
        scale = 1e-20 if perfect else 1e-30
    return float(_growth(
        engine_code(engine, model.matrix_ensembles), float(alpha), model.kernel(),
        load_tables(), float(scale), perfect, int(max_iter), float(tol), decide,
    ))


def step_from_zero(model: Model, alpha: float, engine: str = "amp") -> np.ndarray:
    """Overlaps after one SE step from m = 0 exactly (is the uninformative point fixed?)."""
    km = model.kernel()
    m = np.zeros_like(km.rho)
    st = SEState(m, km.rho.copy(), np.empty_like(km.rho))
    engine_step(engine_code(engine, model.matrix_ensembles), float(alpha), st, km,
                load_tables())
    return m
