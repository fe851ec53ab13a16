"""State evolution: one AMP-schedule step and the fixed-point loop (SPEC §2).

State: overlaps m_i and mses v_i = ρ_i − m_i of the variables i = 0..L (z, h_2, …, x),
carried as separate arrays so that both limits (m → 0, v → 0) keep their digits.

One step: m̂_x = α λ_y(m_x, v_x); m̂_l = β_l λ_in^{(l)}(m̂_{l+1}, m_l) for l = L…1 (top down),
then m_1 = prior(m̂_1) and m_{l+1} = m_out^{(l)}(m̂_{l+1}, m_l) for l = 1…L (bottom up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from phasediag.blocks.channels import channel_block
from phasediag.blocks.layers import layer_block
from phasediag.blocks.priors import prior_block
from phasediag.model import Model
from phasediag.tables import load_tables

# status codes of the fixed-point loop
CONVERGED = 0  # interior fixed point (0 < mse < ρ_x), by residual + geometric extrapolation
PERFECT = 1  # mse_x/ρ_x fell below tol_perfect: perfect recovery
UNINFORMATIVE = 2  # m_x/ρ_x fell below tol_uninf: the uninformative fixed point
MAX_ITER = 3  # undecided within max_iter
NAN = 4  # a block returned nan
STATUS_NAMES = ("converged", "perfect", "uninformative", "max_iter", "nan")


@njit(cache=True)
def se_step(alpha, m, v, mhat, act, beta, rho, prior_code, prior_param, channel, noise, tabs):
    """One AMP-schedule iteration, in place on (m, v); mhat receives m̂_1..m̂_{L+1}."""
    pr_tab, relu_tab, gb_tab = tabs
    L = act.shape[0]
    mhat[L] = alpha * channel_block(channel, m[L], v[L], rho[L], noise, pr_tab)
    for l in range(L - 1, -1, -1):
        lam = layer_block(act[l], mhat[l + 1], m[l], v[l], rho[l], relu_tab)[2]
        mhat[l] = beta[l] * lam
    m[0], v[0] = prior_block(prior_code, mhat[0], prior_param, gb_tab)
    for l in range(L):
        mo, vo, _ = layer_block(act[l], mhat[l + 1], m[l], v[l], rho[l], relu_tab)
        m[l + 1] = mo
        v[l + 1] = vo


@njit(cache=True)
def se_run(
    alpha, m, v, act, beta, rho, prior_code, prior_param, channel, noise, tabs,
    max_iter, tol_fp, tol_perfect, tol_uninf, v_extrap, record,
):
    """Iterate se_step from (m, v) (in place) until a decision.

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
    traj holding v_x per iteration when record is True.
    """
    L = act.shape[0]
    mhat = np.zeros(L + 1)
    n_rec = max_iter + 1 if record else 1
    traj = np.empty(n_rec)
    traj[0] = v[L]
    rho_x = rho[L]
    d_prev = -1.0
    k_prev = -1.0
    rel = math.inf
    n_tiny = 0
    for t in range(1, max_iter + 1):
        v_old = v[L]
        se_step(alpha, m, v, mhat, act, beta, rho, prior_code, prior_param, channel, noise, tabs)
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


@dataclass(frozen=True)
class SEResult:
    """Fixed point of the state evolution at one α."""

    model: Model
    alpha: float
    init: str
    status: str  # converged | perfect | uninformative | max_iter | nan
    n_iter: int
    mse: float  # mse of x at the fixed point: 0 when status is perfect, else the last iterate
    mse_last: float  # mse of x at the last iterate (> 0 even when perfect)
    overlaps: tuple[float, ...]  # m_1 (z) … m_{L+1} (x)
    mses: tuple[float, ...]  # ρ_l − m_l, same order
    residual: float  # last relative step |Δv_x| / min(m_x, v_x)
    trajectory: np.ndarray = field(repr=False, compare=False)  # mse_x per iteration

    @property
    def converged(self) -> bool:
        """True when the run ended in a decision (not max_iter / nan)."""
        return self.status in ("converged", "perfect", "uninformative")

    @property
    def normalized_mse(self) -> float:
        return self.mse / self.model.rho_x

    def to_dict(self) -> dict:
        out = dict(self.model.describe())
        out.update(
            alpha=self.alpha, init=self.init, mse=self.mse, normalized_mse=self.normalized_mse,
            mse_last=self.mse_last,
            overlaps=list(self.overlaps), status=self.status, converged=self.converged,
            n_iter=self.n_iter, residual=self.residual,
        )
        return out


@dataclass(frozen=True)
class SEOptions:
    """Numerical options of the fixed-point loop (all recorded in outputs)."""

    max_iter: int = 1_000_000
    tol_fp: float = 1e-10  # extrapolated remaining relative change at a fixed point
    tol_perfect: float = 1e-12  # mse_x/ρ_x below which recovery is perfect
    tol_uninf: float = 1e-13  # m_x/ρ_x below which the run sits at the uninformative point
    eps_uninformed: float = 1e-6  # uninformed start: m_l = ε ρ_l
    eps_informed: float = 1e-14  # informed start: v_l = ε ρ_l
    tol_perfect_informed: float = 1e-19  # decision depth for informed runs (SPEC §4)
    v_extrap: float = 1e-6  # if mse = 0 is stable: a decreasing mse_x/ρ_x below this is perfect


def initial_state(model: Model, init: str, opts: SEOptions) -> tuple[np.ndarray, np.ndarray]:
    """(m, v) of the uninformed (m_l = ε ρ_l) or informed (v_l = ε ρ_l) start."""
    rho = np.array(model.second_moments)
    if init == "uninformed":
        m = opts.eps_uninformed * rho
        return m, rho - m
    if init == "informed":
        v = opts.eps_informed * rho
        return rho - v, v
    raise ValueError(f"init: expected uninformed or informed, got {init!r}")


def run_se(model: Model, alpha: float, m: np.ndarray, v: np.ndarray, opts: SEOptions,
           tol_perfect: float, perfect_stable: bool = False,
           record: bool = False) -> tuple[int, int, float, np.ndarray]:
    """Run the kernel from (m, v) in place; returns (status code, n_iter, residual, traj).

    perfect_stable: the caller established κ_perf(α) < 1 (enables the v_extrap decision).
    """
    a = model.arrays()
    v_extrap = opts.v_extrap if perfect_stable else 0.0
    return se_run(
        float(alpha), m, v, a["act"], a["beta"], a["rho"], a["prior_code"], a["prior_param"],
        a["channel"], a["noise"], load_tables(), int(opts.max_iter), float(opts.tol_fp),
        float(tol_perfect), float(opts.tol_uninf), float(v_extrap), record,
    )


def solve_se(model: Model, alpha: float, init: str = "uninformed",
                    opts: SEOptions | None = None) -> SEResult:
    """Fixed point of the SE at sample ratio α from the uninformed or informed start."""
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha: expected a finite number > 0, got {alpha!r}")
    opts = opts or SEOptions()
    m, v = initial_state(model, init, opts)
    if init == "informed":
        tol_p, stable = opts.tol_perfect_informed, False
    else:
        tol_p = opts.tol_perfect
        stable = model.noise == 0 and growth(model, alpha, "perfect", decide=True) < 1
    status, n_iter, resid, traj = run_se(model, alpha, m, v, opts, tol_p, stable, record=True)
    return SEResult(
        model=model, alpha=float(alpha), init=init, status=STATUS_NAMES[status],
        n_iter=int(n_iter), mse=0.0 if status == PERFECT else float(v[-1]),
        mse_last=float(v[-1]), overlaps=tuple(float(x) for x in m),
        mses=tuple(float(x) for x in v), residual=float(resid), trajectory=traj.copy(),
    )


@njit(cache=True)
def _growth(alpha, act, beta, rho, prior_code, prior_param, channel, noise, tabs,
            scale, perfect, max_iter, tol, decide):
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
    L = act.shape[0]
    n = L + 1
    a = np.empty(n)
    m = np.empty(n)
    v = np.empty(n)
    mhat = np.empty(n)
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
        se_step(alpha, m, v, mhat, act, beta, rho, prior_code, prior_param, channel, noise, tabs)
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
           max_iter: int = 100_000, tol: float = 1e-13, decide: bool = False) -> float:
    """Linear stability factor κ(α) of the perfect (around="perfect") or uninformative
    (around="uninformative") fixed point; κ < 1 means stable. decide=True: stop once the
    side of 1 is clear (for bisections), the value is then less accurate."""
    a = model.arrays()
    perfect = around == "perfect"
    if scale is None:
        scale = 1e-20 if perfect else 1e-30
    return float(_growth(
        float(alpha), a["act"], a["beta"], a["rho"], a["prior_code"], a["prior_param"],
        a["channel"], a["noise"], load_tables(), float(scale), perfect, int(max_iter), float(tol),
        decide,
    ))


def step_from_zero(model: Model, alpha: float) -> np.ndarray:
    """Overlaps after one SE step from m = 0 exactly (is the uninformative point fixed?)."""
    a = model.arrays()
    rho = a["rho"]
    m = np.zeros_like(rho)
    v = rho.copy()
    mhat = np.empty_like(rho)
    se_step(float(alpha), m, v, mhat, a["act"], a["beta"], rho, a["prior_code"],
            a["prior_param"], a["channel"], a["noise"], load_tables())
    return m
