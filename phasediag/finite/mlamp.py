"""Multi-layer AMP (Manoel, Krzakala, Mézard, Zdeborová 2017) on finite instances: the
"ml-amp" solver of `phasediag.finite.solvers` (`run_batch` on a `Batch`, `ml_amp` on one
`Instance`).

Each weight matrix of the chain z = h_1 → h_2 → … → h_{L+1} = x → y is a G-AMP factor
(factor f = 0…L−1 is W_{f+1}, factor L is A). Factor f keeps, per column,

    output side (dim k_{f+1}, or n):  V_f = mean(Var h_f),  ω_f = W_f ĥ_f − V_f g_f,
                                       g_f = (E[u] − ω_f)/V_f,  −∂_ω g_f = (V_f − Var u)/V_f²,
    input side  (dim k_f):             A_f = Σ_μ (−∂_ω g_f)_μ / k_f,  B_f = W_f^T g_f + A_f ĥ_f,

with variances averaged over components (W_f has i.i.d. entries of variance 1/k_f, so
Σ_j W_{μj}² Var_j → mean(Var): the scalar-variance form of G-AMP, whose state evolution is
SPEC §2). A_f is clipped at 0: for PR, −∂_ω g can be negative, and at finite d its average
occasionally is too (the SE's m̂ is never), which would make posterior variances negative.
The posterior of variable f+1 (and of u_f = W_f h_f) is the joint scalar problem

    p(u) ∝ N(u; ω_f, V_f) · exp(−A_{f+1} σ(u)²/2 + B_{f+1} σ(u)),   h_{f+1} = σ(u),

(for the output factor: N(u; ω_L, V_L) P(y | u)), evaluated by the shared closed forms
(`phasediag.finite.denoisers`). The schedule is the state evolution's (SPEC §2): one iteration
computes the messages top down (g_L from y, then A_l, B_l for l = L…0: the "hats"), then
the estimates bottom up (ĥ_1 from the prior, ĥ_{l+1} from the joint posterior with ω_l
recomputed from the new ĥ_l: the "overlaps").

Start (t = 0): ĥ_1 from `AMPOptions.start`, with ξ ~ N(0, I_{k_1}) one draw from the start
Generator shared by all columns of a batch — random (ĥ_1 = ε √ρ_1 ξ with the prior variance:
the uninformed start) or planted with a small Bayes-consistent overlap η (the SE's m = q = η ρ),
g = 0, and ĥ_2, …, x̂ from one forward pass with no message from above (the prior predictive;
for relu chains it carries the nonzero mean of x, as the SE's first step does).

Damping D ∈ [0, 1) mixes the output-side messages, g ← (1 − D) g_new + D g_old (fixed points
unchanged). Only g is damped: damping the estimates ĥ as well was measured to stall the escape
from the uninformative point of sign-symmetric PR at finite d. Adaptive restarts: finite-size
AMP can grow an unstable mode (e.g. near α = 1 in CS, in PR's easy phase); a column whose
estimate leaves every Bayes-consistent state (‖x̂‖²/d > `blowup` ρ_x) is restarted from its
start with D ← (1 + D)/2, at most `max_restarts` times (then: diverged).

Stopping rule, per column, after each iteration t (v_x = mean(Var x), AMP's own mse estimate):
  perfect   — v_x/ρ_x < tol_perfect (precisions diverge) and x̂ has stopped moving,
              ‖x̂_t − x̂_{t−1}‖²/(d ρ_x) < tol_perfect_step (a finite system can grow an
              unstable mode while v_x collapses: that run is not perfect);
  converged — ‖x̂_t − x̂_{t−1}‖²/(d v_x) < tol (the step is small against the uncertainty);
  plateau   — over the last `plateau_window` iterations both v_x and ‖x̂‖²/d stayed within
              a relative band `plateau_tol` (finite-size AMP often ends in a small limit
              cycle around its fixed point, or stalls near the uninformative point; its mse
              then no longer changes to that accuracy, the step never gets below tol);
  diverged  — the blow-up guard fired after max_restarts restarts;
  nan       — a non-finite estimate;
  max_iter  — none of these within max_iter iterations (counting restarted iterations).
A finished column is frozen (removed from the matrix products) with its last estimate.
The mse is ‖x̂ − x*‖²/d, the minimum over x̂ → ±x̂ where the posterior is sign symmetric
(PR with a linear chain or a separable prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from phasediag.errors import ModelError
from phasediag.finite import denoisers as K
from phasediag.finite.blas import blas_threads
from phasediag.finite.instances import Batch, Instance
from phasediag.finite.runs import (
    CONVERGED,
    DIVERGED,
    MAX_ITER,
    NAN,
    PERFECT,
    PLATEAU,
    STATUS_NAMES,
    Run,
    mse,
    sign_symmetric,
)

NAME = "ml-amp"  # the solver's name in `phasediag.finite.solvers.SOLVERS`


@dataclass(frozen=True)
class AMPOptions:
    """Numerical options of the AMP loop (all recorded in outputs)."""

    max_iter: int = 500
    tol: float = 1e-7  # ‖x̂_t − x̂_{t−1}‖²/(d v_x) at which a column has converged
    tol_perfect: float = 1e-10  # v_x/ρ_x below which recovery is perfect …
    tol_perfect_step: float = 1e-6  # … if also ‖x̂_t − x̂_{t−1}‖²/(d ρ_x) is below this
    plateau_window: int = 20  # iterations over which a plateau is judged (0: never)
    plateau_tol: float = 1e-3  # plateau: v_x and ‖x̂‖²/d each vary < this (relative)
    damping: float = 0.0  # initial damping D of g (doubled towards 1 on each restart)
    init_scale: float = 1e-2  # random start: ĥ_1 = ε √ρ_1 ξ
    init_overlap: float = 0.0  # η > 0: planted start with overlap m_1 = η ρ_1 (see `start`)
    blowup: float = 2.0  # restart when ‖x̂‖²/d > blowup · ρ_x
    max_restarts: int = 3
    blas_threads: int | None = 1  # BLAS threads during the run (None: leave as is; `blas`)

    def validate(self) -> None:
        """ModelError naming the first invalid option."""
        for name in ("max_iter", "max_restarts", "plateau_window"):
            v = getattr(self, name)
            lo = 1 if name == "max_iter" else 0
            if not (isinstance(v, (int, np.integer)) and v >= lo):
                raise ModelError(name, f"expected an integer ≥ {lo}, got {v!r}")
        if not 0.0 <= self.damping < 1.0:
            raise ModelError("damping", f"expected 0 ≤ D < 1, got {self.damping!r}")
        for name in ("tol", "tol_perfect", "tol_perfect_step", "init_scale", "blowup",
                     "plateau_tol"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ModelError(name, f"expected a finite number > 0, got {v!r}")
        if not 0.0 <= self.init_overlap < 1.0:
            raise ModelError("init_overlap", f"expected 0 ≤ η < 1, got {self.init_overlap!r}")
        if self.blas_threads is not None and not (
                isinstance(self.blas_threads, (int, np.integer)) and self.blas_threads >= 1):
            raise ModelError("blas_threads", f"expected None or an integer ≥ 1, "
                                             f"got {self.blas_threads!r}")

    def start(self, xi: np.ndarray, h1: np.ndarray, rho1: float) -> tuple[np.ndarray, float]:
        """(ĥ_1, Var h_1) at t = 0. Random start (η = 0): ĥ_1 = ε √ρ_1 ξ with the prior
        variance ρ_1. Planted start (η > 0), Bayes-consistent like the SE's m = q = η ρ_1:
        ĥ_1 = η h_1* + √(η(1 − η) ρ_1) ξ, variance (1 − η) ρ_1."""
        eta = self.init_overlap
        if eta > 0:
            return eta * h1 + math.sqrt(eta * (1 - eta) * rho1) * xi, (1 - eta) * rho1
        return self.init_scale * math.sqrt(rho1) * xi, rho1


@dataclass(frozen=True, kw_only=True)
class AMPResult(Run):
    """One ML-AMP run (one column of a batch): a `Run` with AMP's own scalars.

    residual: the last ‖x̂_t − x̂_{t−1}‖²/(d v_x)."""

    solver: str = NAME
    restarts: int
    damping: float  # damping of g at the end (after restarts)
    mse_estimate: float  # AMP's own estimate v_x = mean(Var x) at the last iterate


def _dot(W: np.ndarray, H: np.ndarray) -> np.ndarray:
    """W @ H in W's precision, returned in float64. For 2–3 columns one matrix–vector
    product per column is ~2× faster than BLAS gemm (which packs W; measured, OpenBLAS)."""
    Hw = H if W.dtype == H.dtype else H.astype(W.dtype)
    C = Hw.shape[1]
    if 1 < C <= 3:
        out = np.empty((W.shape[0], C), dtype=W.dtype)
        for c in range(C):
            out[:, c] = W @ Hw[:, c]
    else:
        out = W @ Hw
    return out if out.dtype == np.float64 else out.astype(np.float64)


class _State:
    """AMP variables of the active columns: per variable i = 0..L (ĥ, v = mean Var), per
    factor f = 0..L (ω, V, g); columns are removed as they finish."""

    def __init__(self, weights, A, Y, n_rows, acts, H0, var0, channel, noise, prior,
                 prior_param, damping):
        self.W = weights
        self.A = A
        self.L = len(weights)
        self.ks = [W.shape[1] for W in weights] + [A.shape[1]]
        self.channel, self.noise = channel, noise
        self.prior, self.prior_param = prior, prior_param
        self.Y, self.n_rows, self.acts = Y, n_rows, acts
        self.H0, self.var0 = H0, var0
        self.D = damping
        C = Y.shape[1]
        L = self.L
        self.h = [None] * (L + 1)
        self.v = [None] * (L + 1)
        self.om = [None] * (L + 1)
        self.V = [None] * (L + 1)
        self.g = [None] * (L + 1)
        self.h[0] = H0.copy()
        self.v[0] = np.full(C, var0)
        for f in range(L):
            self.g[f] = np.zeros((self.ks[f + 1], C))
        self.g[L] = np.zeros((A.shape[0], C))
        self._forward(np.arange(C))

    def _forward(self, cols: np.ndarray) -> None:
        """Prior-predictive pass over the given columns (no message from above, g = 0)."""
        for f in range(self.L):
            V = self.v[f][cols]
            om = _dot(self.W[f], self.h[f][:, cols])
            mean = np.empty_like(om)
            z = np.zeros_like(om)
            s = K.layer_forward(np.ascontiguousarray(self.acts[f][cols]), z,
                                np.zeros(len(cols)), om, V, mean)
            if self.om[f] is None:
                self.om[f], self.V[f] = om, V.copy()
                self.h[f + 1], self.v[f + 1] = mean, s / self.ks[f + 1]
            else:
                self.om[f][:, cols], self.V[f][cols] = om, V
                self.h[f + 1][:, cols], self.v[f + 1][cols] = mean, s / self.ks[f + 1]

    def restart(self, cols: np.ndarray) -> None:
        """Back to the start for the given (active-index) columns, g = 0."""
        self.h[0][:, cols] = self.H0[:, cols]
        self.v[0][cols] = self.var0
        for f in range(self.L + 1):
            self.g[f][:, cols] = 0.0
        self._forward(cols)

    def _damp(self, f: int, g_new: np.ndarray) -> None:
        D = self.D
        self.g[f] = g_new if not D.any() else (1.0 - D) * g_new + D * self.g[f]

    def step(self) -> None:
        """One iteration: messages top down, then estimates bottom up."""
        L, ks = self.L, self.ks
        h, v, om, V, g = self.h, self.v, self.om, self.V, self.g
        Ah = [None] * (L + 1)
        Bh = [None] * (L + 1)
        # top down: the output factor, then every layer
        V[L] = v[L].copy()
        om[L] = _dot(self.A, h[L]) - V[L] * g[L]
        g_new = np.empty_like(om[L])
        s = K.channel_backward(self.channel, self.Y, om[L], V[L], self.noise, self.n_rows, g_new)
        self._damp(L, g_new)
        Ah[L] = np.maximum(s / ks[L], 0.0)
        Bh[L] = _dot(self.A.T, g[L]) + Ah[L] * h[L]
        for f in range(L - 1, -1, -1):
            g_new = np.empty_like(om[f])
            s = K.layer_backward(self.acts[f], Bh[f + 1], Ah[f + 1], om[f], V[f], g_new)
            self._damp(f, g_new)
            Ah[f] = np.maximum(s / ks[f], 0.0)
            Bh[f] = _dot(self.W[f].T, g[f]) + Ah[f] * h[f]
        # bottom up: the prior, then every layer with ω_f from the new ĥ_f
        h[0] = np.empty_like(Bh[0])
        v[0] = K.prior_forward(self.prior, self.prior_param, Bh[0], Ah[0], h[0]) / ks[0]
        for f in range(L):
            V[f] = v[f].copy()
            om[f] = _dot(self.W[f], h[f]) - V[f] * g[f]
            h[f + 1] = np.empty_like(om[f])
            v[f + 1] = K.layer_forward(self.acts[f], Bh[f + 1], Ah[f + 1], om[f], V[f],
                                       h[f + 1]) / ks[f + 1]

    def keep(self, mask: np.ndarray) -> None:
        """Drop the finished columns (mask False)."""
        def cols(a):
            return np.ascontiguousarray(a[:, mask])
        self.Y, self.H0 = cols(self.Y), cols(self.H0)
        self.n_rows, self.D = self.n_rows[mask], self.D[mask]
        self.acts = np.ascontiguousarray(self.acts[:, mask])
        for i in range(self.L + 1):
            self.h[i], self.g[i], self.om[i] = cols(self.h[i]), cols(self.g[i]), cols(self.om[i])
            self.v[i], self.V[i] = self.v[i][mask], self.V[i][mask]


def run_batch(batch: Batch, rng: np.random.Generator, options: AMPOptions) -> list[AMPResult]:
    """ML-AMP on the C columns of `batch` (the solver entry of `solvers.SOLVERS`).

    The start ξ ~ N(0, I_{k_1}) is one draw from `rng`, shared by every column; (ĥ_1, Var h_1)
    from `AMPOptions.start` with the batch's z and ρ_1 of its first model.
    """
    options.validate()
    xi = rng.standard_normal((batch.z.shape[0], 1))
    H0, var0 = options.start(xi, batch.z[:, None], batch.models[0].second_moments[0])
    return run_from(batch, np.repeat(H0, batch.C, axis=1), var0, options)


def run_from(batch: Batch, H0: np.ndarray, var0: float,
             options: AMPOptions) -> list[AMPResult]:
    """ML-AMP on the columns of `batch` from the given start: (H0, var0) the (k_1, C) ĥ_1
    and its variance Var h_1."""
    options.validate()
    with blas_threads(options.blas_threads):
        return _run_batch(batch, H0, var0, options)


def _run_batch(batch, H0, var0, options):
    weights, A, models, X_true = batch.weights, batch.A, batch.models, batch.X
    n_rows = batch.n_rows
    L = len(weights)
    d = A.shape[1]
    C = batch.C
    km = models[0].kernel()
    rho_x = np.array([m.rho_x for m in models])
    sym = np.array([sign_symmetric(m) for m in models])
    T = options.max_iter
    st = _State(
        weights, A, np.ascontiguousarray(batch.Y, dtype=np.float64),
        np.asarray(n_rows, dtype=np.int64).copy(),
        np.ascontiguousarray(batch.act_codes(), dtype=np.int64).reshape(L, C),
        np.ascontiguousarray(H0, dtype=np.float64), float(var0),
        km.channel, km.noise, km.prior_code, km.prior_param,
        np.full(C, float(options.damping)),
    )

    # per-column records (full index c) and the active columns' index idx
    traj = np.full((T + 1, C), np.nan)
    status = np.full(C, MAX_ITER)
    n_iter = np.full(C, T)
    restarts = np.zeros(C, dtype=np.int64)
    damping = np.full(C, float(options.damping))
    resid = np.full(C, np.inf)
    est = np.full(C, np.nan)
    xhat = np.zeros((d, C))
    idx = np.arange(C)
    Xw, rw, symw = X_true, rho_x, sym

    traj[0] = mse(st.h[L], Xw, symw)
    W_p = options.plateau_window
    hist = np.full((max(W_p, 1), 2, C), np.nan)  # ring buffer of (v_x, ‖x̂‖²/d), active cols
    for t in range(1, T + 1):
        x_old = st.h[L]
        st.step()
        xh, vx = st.h[L], st.v[L]
        traj[t, idx] = mse(xh, Xw, symw)
        step = np.mean((xh - x_old) ** 2, axis=0)
        r = step / np.maximum(vx, 1e-300)
        finite = np.all(np.isfinite(xh), axis=0) & np.isfinite(vx)
        qx = np.mean(xh * xh, axis=0)
        perfect = (vx < options.tol_perfect * rw) & (step < options.tol_perfect_step * rw)
        blown = qx > options.blowup * rw
        # restarts (with more damping) before any decision
        again = finite & blown & (restarts[idx] < options.max_restarts)
        if again.any():
            cols = np.flatnonzero(again)
            restarts[idx[cols]] += 1
            st.D[cols] = 0.5 * (1.0 + st.D[cols])
            damping[idx[cols]] = st.D[cols]
            st.restart(cols)
            hist[:, :, cols] = np.nan
        code = np.full(idx.shape[0], -1)
        if W_p:
            hist[t % W_p, 0], hist[t % W_p, 1] = vx, qx
            lo, hi = hist.min(axis=0), hist.max(axis=0)  # nan until the window is full
            flat = np.all(hi - lo < options.plateau_tol * np.abs(hi), axis=0)
            code[flat] = PLATEAU
        code[r < options.tol] = CONVERGED
        code[perfect] = PERFECT
        code[again] = -1
        code[blown & ~again] = DIVERGED
        code[~finite] = NAN
        if t == T:
            code[code < 0] = MAX_ITER
        done = code >= 0
        if not done.any():
            continue
        cols = idx[done]
        status[cols] = code[done]
        n_iter[cols] = t
        resid[cols] = r[done]
        est[cols] = vx[done]
        xhat[:, cols] = xh[:, done]
        keep = ~done
        if not keep.any():
            break
        idx = idx[keep]
        hist = hist[:, :, keep]
        Xw, rw, symw = np.ascontiguousarray(Xw[:, keep]), rw[keep], symw[keep]
        st.keep(keep)

    out = []
    for c in range(C):
        tr = traj[: n_iter[c] + 1, c].copy()
        out.append(AMPResult(
            alpha=float(n_rows[c] / d), status=STATUS_NAMES[status[c]], n_iter=int(n_iter[c]),
            restarts=int(restarts[c]), damping=float(damping[c]), mse=float(tr[-1]),
            mse_estimate=float(est[c]), residual=float(resid[c]), mse_trajectory=tr,
            x_hat=xhat[:, c].copy(),
        ))
    return out


def ml_amp(instance: Instance, options: AMPOptions | None = None,
           seed: int | np.random.Generator = 0) -> AMPResult:
    """Run ML-AMP (G-AMP for separable priors) on one instance; `seed` draws the random part
    ξ of the start."""
    return run_batch(instance.batch(), np.random.default_rng(seed), options or AMPOptions())[0]
