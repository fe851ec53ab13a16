"""The fixed-point loop and its decisions, independent of the engine that makes a step.

Statuses: converged (interior fixed point, 0 < mse < ρ_x), perfect (mse → 0),
uninformative (m → 0), max_iter (undecided within the budget), nan (a block returned nan).
The loop starts from any state (uninformed, informed, or a warm start from a neighbouring
fixed point) and reads only the output variable x of the state.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from phasediag.se.engines import engine_step

# status codes of the fixed-point loop
CONVERGED = 0  # interior fixed point (0 < mse < ρ_x), by residual + geometric extrapolation
PERFECT = 1  # mse_x/ρ_x fell below tol_perfect: perfect recovery
UNINFORMATIVE = 2  # m_x/ρ_x fell below tol_uninf: the uninformative fixed point
MAX_ITER = 3  # undecided within max_iter
NAN = 4  # a block returned nan
STATUS_NAMES = ("converged", "perfect", "uninformative", "max_iter", "nan")


class LoopOptions(NamedTuple):
    """Decision parameters of one `fixed_point` run (see its docstring)."""

    max_iter: int
    tol_fp: float
    tol_perfect: float
    tol_uninf: float
    v_extrap: float
    record: bool


@njit(cache=True)
def fixed_point(engine, alpha, st, km, tabs, lo):
    """Iterate engine_step from st (in place) until a decision.

    Decisions, checked after every step on the output variable x:
      v_x/ρ_x < tol_perfect → PERFECT;  m_x/ρ_x < tol_uninf → UNINFORMATIVE;
      interior fixed point → CONVERGED when the step d_t = |v_x(t) − v_x(t−1)| shrinks
      geometrically with a stable ratio k (|k_t − k_{t−1}| < 1e-3 (1 − k_t), 0 < k_t < 1)
      and the extrapolated remaining change d_t k/(1 − k) is below tol_fp·min(m_x, v_x),
      or d_t is below 4 ulp of v_x (exact numerical fixed point), or the relative step
      stayed below 1e-13 for 50 steps (rounding noise hides a slow geometric tail; a
      plateau of critical slowing down moves far faster unless α is within ~1e-13 of it).
    v_extrap > 0 asserts that the caller found mse = 0 linearly stable (κ_perf < 1); then a
    decreasing v_x below v_extrap·ρ_x is PERFECT at once: in the asymptotic regime
    κ(V) = κ_perf + c√V there is no fixed point below a decreasing monotone trajectory, so
    it ends at 0 (this removes the critical slowing down where the transition is continuous).
    Pass 0 otherwise.
    A plateau (critical slowing down) has k → 1, so its extrapolated distance is large and
    it is never taken for a fixed point. Returns (status, n_iter, last relative step, traj),
    traj holding v_x per iteration when lo.record is True.
    """
    m, v = st.m, st.v
    max_iter = lo.max_iter
    tol_fp, tol_perfect, tol_uninf, v_extrap = lo.tol_fp, lo.tol_perfect, lo.tol_uninf, \
        lo.v_extrap
    record = lo.record
    L = m.shape[0] - 1
    n_rec = max_iter + 1 if record else 1
    traj = np.empty(n_rec)
    traj[0] = v[L]
    rho_x = km.rho[L]
    d_prev = -1.0
    k_prev = -1.0
    rel = math.inf
    n_tiny = 0
    for t in range(1, max_iter + 1):
        v_old = v[L]
        engine_step(engine, alpha, st, km, tabs)
        vx = v[L]
        mx = m[L]
        if record:
            traj[t] = vx
        if not (vx == vx and mx == mx):
            return NAN, t, rel, traj[: t + 1]
        if vx < tol_perfect * rho_x:
            return PERFECT, t, rel, traj[: t + 1]
        if mx < tol_uninf * rho_x:
            return UNINFORMATIVE, t, rel, traj[: t + 1]
        if vx < v_extrap * rho_x and vx < v_old:
            return PERFECT, t, rel, traj[: t + 1]
        scale = min(vx, mx)
        d = abs(vx - v_old)
        rel = d / scale
        if d <= 4.0 * 2.220446049250313e-16 * vx:
            return CONVERGED, t, rel, traj[: t + 1]
        n_tiny = n_tiny + 1 if rel < 1e-13 else 0
        if n_tiny >= 50:  # within rounding noise of a fixed point for 50 steps
            return CONVERGED, t, rel, traj[: t + 1]
        if d_prev > 0.0:
            k = d / d_prev
            if 0.0 < k < 1.0 and k_prev > 0.0 and abs(k - k_prev) < 1e-3 * (1.0 - k):
                remaining = d * k / (1.0 - k)
                if remaining < tol_fp * scale:
                    return CONVERGED, t, rel, traj[: t + 1]
            k_prev = k
        d_prev = d
    return MAX_ITER, max_iter, rel, traj[: max_iter + 1]
