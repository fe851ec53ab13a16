"""Branches of SE fixed points in α, and their folds (saddle-nodes): αalg located, not searched.

Coordinates. The AMP-schedule map F acts on the overlaps m_i (v_i = ρ_i − m_i), i = 0..L.
Its fixed points are written in logit coordinates u_i = log(v_i/m_i), from which both
m_i = ρ_i/(1 + e^{u_i}) and v_i = ρ_i/(1 + e^{−u_i}) follow without cancellation (small mse
and small overlap alike); Φ(u; α) is F in these coordinates (a conjugation by a diagonal
change of variables: the same eigenvalues as D_mF).

Parametrisation. A branch is parametrised by s = log(m_x/v_x) = −u_L (s grows as mse_x falls;
the SE is monotone, so mse_x is monotone along the stable branch). At fixed s the n = L + 1
unknowns z = (u_0..u_{L−1}, α) solve R(z; s) = Φ(u; α) − u = 0 by Newton (the *corrector*).
Differentiating R = 0 along the branch, (D_uΦ − I) u' + ∂_αΦ α' = 0 with u' = du/ds: where
α'(s) = 0, u' (u'_L = −1) is a null vector of D_uΦ − I, i.e. D_uΦ has the unit eigenvalue of a
saddle-node. The fold is therefore the root of α'(s) of the extended system
{R(u, α) = 0, α'(s) = 0} in the L + 2 unknowns (u, α); the reduced Jacobian
A = [(D_uΦ − I)_{:, 0..L−1} | ∂_αΦ] stays regular there (w_L ≠ 0, ∂_αΦ ∉ range(D_uΦ − I)).

Jacobian. Central differences in u (step h, default 1e-5) and in α (step h·α): error
O(h²) ≈ 1e-10 plus rounding ε/h ≈ 1e-11, measured by `jacobian_fd_error` (Richardson,
h against h/2). The error changes only the Newton rate and α'(s), never the fixed points, and
enters the fold's α only squared: α(s) ≈ α* − c(s − s*)²/2, so an error δ in α' moves α* by
δ²/(2c).

Certified bracket. Every accepted branch point is a fixed point (Newton step in α below
`tol_newton`) of the branch the uninformed SE reaches, so αalg ≥ max α on it; the quadratic
model bounds the rest: αalg − α_best ≤ α'(s_best)²/(2c). The Bracket is
[α_best − δ, α_best + 2·α'²/(2c) + δ], δ = |last Newton step in α| + 8 ε α (for a minimum,
the informed branch's fold αsp with noise, mirrored).

Entries: `follow_branch` (either branch; also for free-entropy landscapes), `locate_fold`,
`alpha_alg_fold` (αalg above the αIT/αc brackets, the contract of `thresholds.alpha_alg`, with
continuous transitions recognised and a fallback to the bisection), `alpha_sp_fold` (αsp, the
informed branch's fold, noise > 0). AMP engine only (the VAMP state lives in its messages).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
from numba import njit

from phasediag.blocks.tables import load_tables
from phasediag.errors import ModelError
from phasediag.model import Model
from phasediag.se.engines import ENGINE_AMP, SEState, engine_code, engine_step
from phasediag.se.loop import CONVERGED, MAX_ITER, STATUS_NAMES
from phasediag.se.solve import SEOptions, initial_state, run_se

EPS = 2.220446049250313e-16


# ---------------------------------------------------------------------------- kernels
@njit(cache=True)
def _from_logit(u, rho, m, v):
    """m_i = ρ_i/(1 + e^{u_i}), v_i = ρ_i/(1 + e^{−u_i}), without cancellation."""
    for i in range(u.shape[0]):
        if u[i] > 0.0:
            e = math.exp(-u[i])
            m[i] = rho[i] * e / (1.0 + e)
            v[i] = rho[i] / (1.0 + e)
        else:
            e = math.exp(u[i])
            m[i] = rho[i] / (1.0 + e)
            v[i] = rho[i] * e / (1.0 + e)


@njit(cache=True)
def _phi(engine, alpha, u, km, tabs, st, out):
    """Φ(u; α): one engine step in logit coordinates, out_i = log(v_i/m_i) (nan if m or v ≤ 0)."""
    _from_logit(u, km.rho, st.m, st.v)
    engine_step(engine, alpha, st, km, tabs)
    for i in range(u.shape[0]):
        mi, vi = st.m[i], st.v[i]
        out[i] = math.log(vi / mi) if (mi > 0.0 and vi > 0.0) else math.nan


@njit(cache=True)
def _jacobian(engine, alpha, u, km, tabs, st, h, jac, dalpha):
    """Central differences: jac = D_uΦ (step h in u), dalpha = ∂_αΦ (step h·α)."""
    n = u.shape[0]
    up = u.copy()
    fp = np.empty(n)
    fm = np.empty(n)
    for j in range(n):
        up[j] = u[j] + h
        _phi(engine, alpha, up, km, tabs, st, fp)
        up[j] = u[j] - h
        _phi(engine, alpha, up, km, tabs, st, fm)
        up[j] = u[j]
        for i in range(n):
            jac[i, j] = (fp[i] - fm[i]) / (2.0 * h)
    ha = h * alpha
    _phi(engine, alpha + ha, u, km, tabs, st, fp)
    _phi(engine, alpha - ha, u, km, tabs, st, fm)
    for i in range(n):
        dalpha[i] = (fp[i] - fm[i]) / (2.0 * ha)


@njit(cache=True)
def _solve(a, b):
    """x with a x = b (Gaussian elimination, partial pivoting; a, b copied); nan if singular."""
    n = b.shape[0]
    a = a.copy()
    x = b.copy()
    for k in range(n):
        p = k
        for i in range(k + 1, n):
            if abs(a[i, k]) > abs(a[p, k]):
                p = i
        if a[p, k] == 0.0:
            x[:] = math.nan
            return x
        if p != k:
            for j in range(n):
                a[k, j], a[p, j] = a[p, j], a[k, j]
            x[k], x[p] = x[p], x[k]
        for i in range(k + 1, n):
            f = a[i, k] / a[k, k]
            for j in range(k, n):
                a[i, j] -= f * a[k, j]
            x[i] -= f * x[k]
    for k in range(n - 1, -1, -1):
        acc = x[k]
        for j in range(k + 1, n):
            acc -= a[k, j] * x[j]
        x[k] = acc / a[k, k]
    return x


@njit(cache=True)
def _corrector(engine, s, z, km, tabs, h, max_newton, tol):
    """Newton on R(u, α) = Φ(u; α) − u = 0 at u_L = −s, unknowns z = (u_0..u_{L−1}, α).

    Returns (z, tangent dz/ds, |R|_∞, |last Newton step in α|, n_newton, ok). The tangent
    solves A z' = (D_uΦ − I)_{:, L} with A = [(D_uΦ − I)_{:, 0..L−1} | ∂_αΦ] at the solution.
    """
    n = z.shape[0]
    L = n - 1
    z = z.copy()
    u = np.empty(n)
    f = np.empty(n)
    r = np.empty(n)
    jac = np.empty((n, n))
    da = np.empty(n)
    a = np.empty((n, n))
    st = SEState(np.empty(n), np.empty(n), np.empty(n), np.empty(0))
    step_a = math.inf
    ok = False
    n_it = 0
    for it in range(1, max_newton + 1):
        n_it = it
        u[:L] = z[:L]
        u[L] = -s
        alpha = z[L]
        if not (alpha > 0.0):
            break
        _phi(engine, alpha, u, km, tabs, st, f)
        for i in range(n):
            r[i] = f[i] - u[i]
        _jacobian(engine, alpha, u, km, tabs, st, h, jac, da)
        for i in range(n):
            for j in range(L):
                a[i, j] = jac[i, j] - (1.0 if i == j else 0.0)
            a[i, L] = da[i]
        dz = _solve(a, -r)
        if not (dz[L] == dz[L]):
            break
        big = 0.0
        for j in range(L):
            big = max(big, abs(dz[j]))
        for j in range(n):
            z[j] += dz[j]
        step_a = abs(dz[L])
        if big < tol and step_a < tol * z[L]:
            ok = True
            break
    # residual and tangent at the final iterate
    u[:L] = z[:L]
    u[L] = -s
    tangent = np.full(n, math.nan)
    res = math.nan
    if z[L] > 0.0:
        _phi(engine, z[L], u, km, tabs, st, f)
        res = 0.0
        for i in range(n):
            res = max(res, abs(f[i] - u[i]))
        _jacobian(engine, z[L], u, km, tabs, st, h, jac, da)
        rhs = np.empty(n)
        for i in range(n):
            for j in range(L):
                a[i, j] = jac[i, j] - (1.0 if i == j else 0.0)
            a[i, L] = da[i]
            rhs[i] = jac[i, L] - (1.0 if i == L else 0.0)
        tangent = _solve(a, rhs)
    ok = ok and res == res and tangent[L] == tangent[L]
    return z, tangent, res, step_a, n_it, ok


@njit(cache=True)
def _jac_at(engine, alpha, u, km, tabs, h):
    """D_uΦ(u; α) by central differences with step h (for tests and diagnostics)."""
    n = u.shape[0]
    st = SEState(np.empty(n), np.empty(n), np.empty(n), np.empty(0))
    jac = np.empty((n, n))
    da = np.empty(n)
    _jacobian(engine, alpha, u, km, tabs, st, h, jac, da)
    return jac, da


@njit(cache=True)
def _phi_at(engine, alpha, u, km, tabs):
    """Φ(u; α) as a new array."""
    n = u.shape[0]
    st = SEState(np.empty(n), np.empty(n), np.empty(n), np.empty(0))
    out = np.empty(n)
    _phi(engine, alpha, u, km, tabs, st, out)
    return out


# ---------------------------------------------------------------------------- records
@dataclass(frozen=True)
class BranchOptions:
    """Numerical options of the branch follower and fold locator (recorded in notes)."""

    h: float = 1e-5  # central-difference step in the logit coordinates (and h·α in α)
    tol_newton: float = 1e-13  # corrector converged: Newton step below this (abs in u, rel in α)
    max_newton: int = 12  # corrector iterations before a step is refused (and halved)
    ds0: float = 0.25  # first step in s = log(m_x/v_x)
    ds_max: float = 1.0  # largest step in s
    ds_min: float = 1e-6  # smallest step before the follower gives up
    grow: float = 1.6  # step growth after an easy corrector (≤ 4 Newton steps)
    max_steps: int = 400  # branch points before the follower gives up
    v_stop: float = 1e-12  # mse_x/ρ_x at which a branch without fold is called continuous
    max_refine: int = 60  # secant steps on α'(s) = 0
    max_iter_start: int = 20_000  # SE budget of the start (undecided: its last iterate)

    def __post_init__(self) -> None:
        for name in ("h", "tol_newton", "ds0", "ds_max", "ds_min", "v_stop"):
            x = getattr(self, name)
            if not (isinstance(x, (int, float)) and math.isfinite(x) and 0 < x < 10):
                raise ModelError(name, f"expected a finite number in (0, 10), got {x!r}")


@dataclass(frozen=True)
class BranchPoint:
    """One fixed point of a branch: s = log(m_x/v_x), α, α'(s), logit state u, Newton steps."""

    s: float
    alpha: float
    dalpha_ds: float
    u: tuple[float, ...]
    residual: float  # |Φ(u; α) − u|_∞
    step_alpha: float  # last Newton step in α
    n_newton: int

    @property
    def relative_mses(self) -> tuple[float, ...]:
        """v_i/ρ_i = 1/(1 + e^{−u_i}) (`Branch.mses` gives v_i)."""
        return tuple(1.0 / (1.0 + math.exp(-x)) for x in self.u)


@dataclass(frozen=True)
class Branch:
    """A followed branch of fixed points; status: fold (α'(s) changed sign between the last
    two points) | continuous (uninformed: mse_x/ρ_x reached v_stop, no fold) |
    uninformative_end (informed: m_x/ρ_x reached v_stop) | perfect_at_start |
    uninformative_at_start | nan_at_start | failed (corrector or step control). An SE start
    undecided at max_iter enters the branch from its last iterate (said in notes)."""

    model: Model
    points: tuple[BranchPoint, ...]
    status: str
    n_evals: int  # corrector solves
    notes: tuple[str, ...] = ()
    direction: float = 1.0  # +1: s increasing (uninformed branch), −1: decreasing (informed)

    @property
    def alphas(self) -> np.ndarray:
        return np.array([p.alpha for p in self.points])

    def mses(self, k: int = -1) -> np.ndarray:
        """mse v_i of every variable at point k."""
        rho = np.array(self.model.second_moments)
        return rho / (1.0 + np.exp(-np.array(self.points[k].u)))


@dataclass(frozen=True)
class FoldResult:
    """The algorithmic threshold of one model located as a fold, or the reason it is not.

    bracket: the threshold as a `thresholds.Bracket` (status fold | continuous | undecided
    (width above tol after max_refine) | failed, or the bisection's own status when `method` is
    "bisect"); method: fold | continuous | bisect | failed; eigenvalue: the eigenvalue of
    D_uΦ nearest 1 at the fold; null_vector: u'(s*) (u'_L = −1); fd_error: Richardson
    estimate of the Jacobian's central-difference error there (max entry)."""

    bracket: object
    method: str  # fold | continuous | bisect
    alpha: float | None
    s: float | None
    u: tuple[float, ...] | None
    eigenvalue: float | None
    null_vector: tuple[float, ...] | None
    fd_error: float | None
    curvature: float | None  # c = −α''(s*)
    branch: Branch | None = field(repr=False, default=None)
    seconds: float = 0.0
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- follower
def _amp_code(model: Model, opts: SEOptions) -> int:
    code = engine_code(opts.engine, model.matrix_ensembles)
    if code != ENGINE_AMP:
        raise ModelError("engine", "the fold locator follows the AMP state evolution only")
    return code


def _correct(model: Model, s: float, z: np.ndarray, bo: BranchOptions) -> tuple:
    return _corrector(ENGINE_AMP, float(s), np.asarray(z, dtype=np.float64), model.kernel(),
                      load_tables(), float(bo.h), int(bo.max_newton), float(bo.tol_newton))


def _point(s: float, z: np.ndarray, tangent: np.ndarray, res: float, step_a: float,
           n_newton: int) -> BranchPoint:
    L = z.shape[0] - 1
    return BranchPoint(s=float(s), alpha=float(z[L]), dalpha_ds=float(tangent[L]),
                       u=tuple(float(x) for x in z[:L]) + (-float(s),), residual=float(res),
                       step_alpha=float(step_a), n_newton=int(n_newton))


def start_point(model: Model, alpha0: float, opts: SEOptions | None = None,
                perfect_stable: bool = True,
                init: str = "uninformed") -> tuple[str, np.ndarray | None]:
    """Uninformed SE at α0 → (loop status name, logit state u of its fixed point, or of its
    last iterate when undecided (max_iter), or None when perfect / uninformative / nan).

    perfect_stable: the caller established κ_perf(α0) < 1 (α0 above the αIT bracket), as
    `thresholds.alpha_alg` does (uninformed only). init="informed": the informed start,
    decided at tol_perfect_informed (SPEC §4)."""
    opts = opts or SEOptions()
    m, v = initial_state(model, init, opts)
    if init == "informed":
        status = run_se(model, alpha0, m, v, opts, opts.tol_perfect_informed)[0]
    else:
        status = run_se(model, alpha0, m, v, opts, opts.tol_perfect, perfect_stable)[0]
    if status not in (CONVERGED, MAX_ITER):
        return STATUS_NAMES[status], None
    return STATUS_NAMES[status], np.log(v / m)


def follow_branch(model: Model, alpha0: float, opts: SEOptions | None = None,
                  bo: BranchOptions | None = None, perfect_stable: bool = True,
                  stop_at_fold: bool = True, init: str = "uninformed") -> Branch:
    """Follow the uninformed branch of fixed points from α0 towards smaller mse_x (larger α),
    or with init="informed" the informed branch towards larger mse_x (smaller α).

    Start: the fixed point the uninformed SE reaches at α0. Steps in s = log(m_x/v_x) with a
    tangent predictor z + Δs·z' and the Newton corrector; Δs grows by `grow` after an easy
    corrector, halves after a failed one. Stops at the first sign change of α'(s) (fold),
    when mse_x/ρ_x < v_stop (continuous: the branch runs into mse = 0; informed: m_x/ρ_x <
    v_stop, the branch runs into m = 0), or on failure. On both branches α'(s) > 0 on the
    stable side; the uninformed fold is a maximum of α(s), the informed one a minimum.
    """
    opts = opts or SEOptions()
    bo = bo or BranchOptions()
    _amp_code(model, opts)
    direction = -1.0 if init == "informed" else 1.0
    start, u0 = start_point(model, alpha0, opts, perfect_stable, init)
    if u0 is None:
        return Branch(model, (), f"{start}_at_start", 0,
                      (f"{init} SE at α0 = {alpha0:.12g} ended {start}",), direction)
    L = model.L
    z = np.concatenate([u0[:L], [alpha0]])
    s = -float(u0[L])
    z, tan, res, sa, k, ok = _correct(model, s, z, bo)
    n_evals = 1
    notes = [] if start == "converged" else \
        [f"{init} SE undecided at α0 = {alpha0:.12g}: branch entered from its last iterate"]
    if not ok:
        return Branch(model, (), "failed", n_evals, (*notes, "corrector failed at the start"),
                      direction)
    pts = [_point(s, z, tan, res, sa, k)]
    if pts[0].dalpha_ds <= 0:
        return Branch(model, tuple(pts), "failed", n_evals,
                      (*notes, "α'(s) ≤ 0 at the start: not on the stable side of a fold"),
                      direction)
    s_stop = math.log(1.0 / bo.v_stop)
    ds = bo.ds0
    status = "failed"
    note = "max_steps reached"
    for _ in range(bo.max_steps):
        step = direction * ds
        zp = z + step * tan
        z1, tan1, res1, sa1, k1, ok1 = _correct(model, s + step, zp, bo)
        n_evals += 1
        if not ok1 or not z1[L] > 0:
            ds *= 0.5
            if ds < bo.ds_min:
                note = f"step in s below ds_min at s = {s:.6g}"
                break
            continue
        s, z, tan = s + step, z1, tan1
        pts.append(_point(s, z, tan, res1, sa1, k1))
        if tan[L] <= 0.0 and stop_at_fold:
            status, note = "fold", ""
            break
        if direction * s >= s_stop:
            status = "continuous" if direction > 0 else "uninformative_end"
            note = f"{'mse' if direction > 0 else 'm'}_x/ρ_x < {bo.v_stop:g} without a fold"
            break
        if k1 <= 4:
            ds = min(ds * bo.grow, bo.ds_max)
    return Branch(model, tuple(pts), status, n_evals, (*notes, note) if note else tuple(notes),
                  direction)


# ---------------------------------------------------------------------------- fold
def jacobian_fd_error(model: Model, alpha: float, u: np.ndarray, h: float = 1e-5) -> float:
    """Richardson estimate of the central-difference error of D_uΦ at (u, α):
    (4/3)·max|J_h − J_{h/2}| (the error is c h² + rounding)."""
    km, tabs = model.kernel(), load_tables()
    u = np.asarray(u, dtype=np.float64)
    j1, _ = _jac_at(ENGINE_AMP, float(alpha), u, km, tabs, float(h))
    j2, _ = _jac_at(ENGINE_AMP, float(alpha), u, km, tabs, float(h) / 2)
    return float(4.0 / 3.0 * np.max(np.abs(j1 - j2)))


def fold_residual(model: Model, alpha: float, u: np.ndarray) -> float:
    """|Φ(u; α) − u|_∞ (logit coordinates)."""
    u = np.asarray(u, dtype=np.float64)
    return float(np.max(np.abs(_phi_at(ENGINE_AMP, float(alpha), u, model.kernel(),
                                       load_tables()) - u)))


def locate_fold(model: Model, branch: Branch, tol: float, bo: BranchOptions | None = None):
    """Refine a branch that ended in a fold: safeguarded secant (Illinois) on α'(s) = 0
    between the last two points, until the certified width (module doc) is ≤ tol/2. The
    fold is a maximum of α(s) on the uninformed branch (direction +1), a minimum on the
    informed one (−1): the bracket extends above, resp. below, the best point.

    Returns (Bracket, best BranchPoint, curvature c, n_evals, notes)."""
    from phasediag.thresholds import Bracket

    bo = bo or BranchOptions()
    pa, pb = branch.points[-2], branch.points[-1]
    L = model.L
    n_evals = 0
    pts = [pa, pb]
    fa, fb = pa.dalpha_ds, pb.dalpha_ds
    sa, sb = pa.s, pb.s
    side = 0
    notes: list[str] = []

    sense = branch.direction  # +1: α* = max α(s); −1: α* = min α(s)

    def width(best: BranchPoint, c: float) -> tuple[float, float, float]:
        delta = best.step_alpha + 8 * EPS * best.alpha
        gap = best.dalpha_ds ** 2 / (2 * c) if c > 0 else math.inf
        if sense > 0:
            return best.alpha - delta, best.alpha + 2 * gap + delta, gap
        return best.alpha - 2 * gap - delta, best.alpha + delta, gap

    def pick(pts: list[BranchPoint]) -> BranchPoint:
        return max(pts, key=lambda p: sense * p.alpha)

    for _ in range(bo.max_refine):
        c = (fa - fb) / abs(sb - sa)  # |α''(s*)|
        best = pick(pts)
        lo, hi, _ = width(best, c)
        if hi - lo <= 0.5 * tol:
            break
        s_new = sb - fb * (sb - sa) / (fb - fa)
        if not min(sa, sb) < s_new < max(sa, sb):
            s_new = 0.5 * (sa + sb)
        near = pa if abs(s_new - pa.s) < abs(s_new - pb.s) else pb
        # predictor from the nearer end along its tangent
        zn = np.array(near.u[:L] + (near.alpha,))
        _, tan, *_ = _correct(model, near.s, zn, bo)
        z, tan, res, st_a, k, ok = _correct(model, s_new, zn + (s_new - near.s) * tan, bo)
        n_evals += 2
        if not ok:
            notes.append(f"corrector failed at s = {s_new:.12g} during refinement")
            break
        p = _point(s_new, z, tan, res, st_a, k)
        pts.append(p)
        if p.dalpha_ds > 0:
            pa, sa, fa = p, s_new, p.dalpha_ds
            if side == 1:
                fb *= 0.5
            side = 1
        else:
            pb, sb, fb = p, s_new, p.dalpha_ds
            if side == -1:
                fa *= 0.5
            side = -1
    c = (pa.dalpha_ds - pb.dalpha_ds) / abs(pb.s - pa.s)
    best = pick(pts)
    lo, hi, _ = width(best, c)
    status = "fold" if hi - lo <= tol else "undecided"
    if status == "undecided":
        notes.append(f"certified width {hi - lo:.3g} above tol {tol:g}")
    return Bracket(lo, hi, branch.n_evals + n_evals, status), best, c, n_evals, tuple(notes)


def alpha_alg_fold(model: Model, lo: float, tol: float = 1e-8, opts: SEOptions | None = None,
                   bo: BranchOptions | None = None, fallback: bool = True) -> FoldResult:
    """αalg above `lo` (the same contract as `thresholds.alpha_alg`: lo ≥ the αIT bracket's
    upper end, and αc's when m = 0 is a fixed point) as a located fold of the uninformed branch.
    With noise > 0 (no αIT): any lo on the uninformed branch below its fold; no fallback
    applies there (today's bisection needs mse = 0).

    - fold: the branch from the uninformed fixed point at lo folds; bracket certified (module doc).
    - continuous: the uninformed SE is already perfect at lo (the branch ran into mse = 0 at
      or below lo: hard phase narrower than lo − αIT) → Bracket(lo, lo), or the branch reaches
      mse_x/ρ_x < v_stop without a fold → the bisection between its last α and above.
    - otherwise (undecided start, failed follower, another engine): today's bisection
      (`thresholds.alpha_alg`) when `fallback`, method "bisect", the reason in notes.
    """
    from phasediag.thresholds import Bracket, alpha_alg

    t0 = time.perf_counter()
    opts = opts or SEOptions()
    bo = bo or BranchOptions()

    def bisect(reason: str, start: float = lo) -> FoldResult:
        if not fallback:
            return FoldResult(Bracket(start, math.inf, 0, "failed"), "failed", None, None, None,
                              None, None, None, None, branch, time.perf_counter() - t0,
                              (reason,))
        b = alpha_alg(model, start, tol, opts)
        return FoldResult(b, "bisect", b.mid, None, None, None, None, None, None, branch,
                          time.perf_counter() - t0, (reason, "fell back to bisection"))

    branch = None
    if engine_code(opts.engine, model.matrix_ensembles) != ENGINE_AMP:
        return bisect(f"fold locator: AMP engine only, not {opts.engine}")
    # the start's SE budget is capped: an undecided run (critical slowing down just above αc,
    # or near mse = 0) hands its last iterate to the corrector, which puts it on the branch
    branch = follow_branch(model, lo, replace(opts, max_iter=min(opts.max_iter,
                                                                bo.max_iter_start)), bo,
                           perfect_stable=model.noise == 0)
    if branch.status == "perfect_at_start":
        b = Bracket(lo, lo, 1, "continuous")
        return FoldResult(b, "continuous", lo, None, None, None, None, None, None, branch,
                          time.perf_counter() - t0,
                          ("uninformed SE perfect at lo: no fold above lo (continuous "
                           "transition, or a hard phase narrower than lo − αIT)",))
    if branch.status == "continuous":
        last = branch.points[-1].alpha
        if last <= lo:  # the branch reaches mse ≈ 0 below lo: the SE at lo is perfect
            return FoldResult(Bracket(lo, lo, branch.n_evals, "continuous"), "continuous", lo,
                              None, None, None, None, None, None, branch,
                              time.perf_counter() - t0,
                              (*branch.notes, f"branch reaches mse_x/ρ_x < {bo.v_stop:g} at "
                               f"α = {last:.12g} ≤ lo: continuous, no fold above lo"))
        res = bisect("branch reached mse_x/ρ_x < v_stop without a fold: continuous",
                     max(lo, last))
        return FoldResult(res.bracket, "continuous", res.alpha, None, None, None, None, None,
                          None, branch, time.perf_counter() - t0, res.notes)
    if branch.status != "fold":
        return bisect(f"follower: {branch.status}; " + "; ".join(branch.notes))
    res = _fold_result(model, branch, tol, bo, t0)
    if res.bracket.hi < lo:  # e.g. linear CS: the branch turns at mse ≈ 0, α = αIT, below lo
        return FoldResult(Bracket(lo, lo, res.bracket.n_evals, "continuous"), "continuous", lo,
                          None, None, None, None, None, None, branch, time.perf_counter() - t0,
                          (*branch.notes, f"the branch turns at α = {res.bracket.mid:.12g} < "
                           f"lo (mse_x = {branch.mses()[-1]:.3g}): no fold above lo"))
    return res


def _fold_result(model: Model, branch: Branch, tol: float, bo: BranchOptions,
                 t0: float) -> FoldResult:
    """Refine the fold of `branch` and describe it (eigenvalue, null vector, FD error)."""
    bracket, best, c, _, notes = locate_fold(model, branch, tol, bo)
    u = np.array(best.u)
    jac, _ = _jac_at(ENGINE_AMP, best.alpha, u, model.kernel(), load_tables(), float(bo.h))
    ev = np.linalg.eigvals(jac)
    eig = float(np.real(ev[np.argmin(np.abs(ev - 1.0))]))
    z = np.array(best.u[:model.L] + (best.alpha,))
    _, tan, *_ = _correct(model, best.s, z, bo)
    null = tuple(float(x) for x in tan[:model.L]) + (-1.0,)
    fd = jacobian_fd_error(model, best.alpha, u, bo.h)
    return FoldResult(bracket, "fold", bracket.mid, best.s, best.u, eig, null, fd, c, branch,
                      time.perf_counter() - t0, (*branch.notes, *notes))


def alpha_sp_fold(model: Model, alpha0: float, tol: float = 1e-8,
                  opts: SEOptions | None = None, bo: BranchOptions | None = None) -> FoldResult:
    """Spinodal αsp (noise > 0): the fold of the informed branch, followed downwards in α from
    the informed fixed point at α0 (which must lie on that branch, e.g. α0 above αalg).
    method "failed" with the reason in notes when the branch has no fold (noiseless: the
    informed point is mse = 0 exactly, and αsp = αIT comes from `thresholds.alpha_it`)."""
    from phasediag.thresholds import Bracket

    t0 = time.perf_counter()
    opts = opts or SEOptions()
    bo = bo or BranchOptions()
    branch = follow_branch(model, alpha0, opts, bo, init="informed")
    if branch.status != "fold":
        return FoldResult(Bracket(-math.inf, alpha0, branch.n_evals, "failed"), "failed", None,
                          None, None, None, None, None, None, branch, time.perf_counter() - t0,
                          (f"informed branch: {branch.status}", *branch.notes))
    return _fold_result(model, branch, tol, bo, t0)
