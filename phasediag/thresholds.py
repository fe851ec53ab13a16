"""Thresholds αc, αIT, αalg as honest brackets (SPEC §3).

- αc: uninformative fixed point m = 0 loses stability, κ_unif(α) = 1 (Jacobian of the SE
  at m = 0, by power iteration); 0 when the uninformative point is a fixed point only at
  α = 0 (CS); None when the prior alone already beats a random guess (relu).
- αIT (= spinodal of the perfect-recovery point): κ_perf(α) = 1, the growth factor of the
  SE linearised at mse → 0 (SPEC §4: deciding from the V → 0 linearisation avoids the
  finite-depth bias of informed starts). method="informed" bisects informed SE runs instead.
- αalg: smallest α at which the uninformed SE reaches perfect recovery. It is searched only
  above the αIT (and αc) brackets, where the perfect point is linearly stable (κ_perf < 1),
  so a tiny hard-phase fixed point (continuous transitions) is never mistaken for recovery.
Every threshold is bisected to `tol` and reported as [lo, hi] with its status.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from phasediag.closed_forms import alpha_c_analytic, alpha_it_analytic
from phasediag.errors import ModelError
from phasediag.limits import check
from phasediag.model import Model
from phasediag.se import (
    MAX_ITER,
    NAN,
    PERFECT,
    UNINFORMATIVE,
    SEOptions,
    growth,
    initial_state,
    run_se,
    solve_se,
    step_from_zero,
)

ALPHA_MAX = 64.0


@dataclass(frozen=True)
class Bracket:
    """Threshold in [lo, hi]; status: ok | undecided (a point ended at max_iter/nan and was
    counted as failure) | exact (known without search) | not_found (no crossing below ALPHA_MAX)."""

    lo: float
    hi: float
    n_evals: int
    status: str = "ok"

    @property
    def mid(self) -> float:
        return 0.5 * (self.lo + self.hi)

    def as_list(self) -> list[float]:
        return [self.lo, self.hi]


@dataclass(frozen=True)
class ThresholdResult:
    """αc, αIT, αalg of one model with brackets and analytic values where they exist."""

    model: Model
    alpha_c: Bracket | None
    alpha_it: Bracket | None
    alpha_alg: Bracket | None
    alpha_c_analytic: float | None
    alpha_it_analytic: float | None
    tol: float
    mse_below_alg: float | None  # uninformed fixed-point mse at alpha_alg.lo (→ 0: continuous)
    seconds: float
    notes: tuple[str, ...] = field(default=())

    @property
    def converged(self) -> bool:
        """Every bracket decided (no max_iter / nan point, no missing crossing)."""
        return all(b is None or b.status in DECIDED for b in self.brackets)

    @property
    def brackets(self) -> tuple[Bracket | None, ...]:
        return (self.alpha_c, self.alpha_it, self.alpha_alg)

    @property
    def hard_phase(self) -> bool | None:
        """True when αalg's bracket lies strictly above αIT's (a hard phase exists)."""
        if self.alpha_it is None or self.alpha_alg is None:
            return None
        return self.alpha_alg.lo > self.alpha_it.hi

    def to_dict(self) -> dict:
        def mid(b: Bracket | None) -> float | None:
            return None if b is None else b.mid

        def br(b: Bracket | None) -> list[float] | None:
            return None if b is None else b.as_list()

        out = dict(self.model.describe())
        out.update(
            alpha_c=mid(self.alpha_c), alpha_it=mid(self.alpha_it), alpha_alg=mid(self.alpha_alg),
            alpha_c_bracket=br(self.alpha_c), alpha_it_bracket=br(self.alpha_it),
            alpha_alg_bracket=br(self.alpha_alg),
            alpha_c_analytic=self.alpha_c_analytic, alpha_it_analytic=self.alpha_it_analytic,
            alpha_c_status=None if self.alpha_c is None else self.alpha_c.status,
            alpha_it_status=None if self.alpha_it is None else self.alpha_it.status,
            alpha_alg_status=None if self.alpha_alg is None else self.alpha_alg.status,
            hard_phase=self.hard_phase, mse_below_alg=self.mse_below_alg,
            converged=self.converged, tol=self.tol, seconds=self.seconds, notes=list(self.notes),
        )
        return out


# ---------------------------------------------------------------------------- search
def bisect(pred: Callable[[float], tuple[bool, bool]], lo: float, hi: float, tol: float,
           n_evals: int = 0, undecided: bool = False) -> Bracket:
    """Shrink [lo, hi] with pred(lo) false and pred(hi) true until hi − lo ≤ tol.

    pred returns (value, decided); an undecided point counts as false and marks the bracket.
    """
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        ok, decided = pred(mid)
        n_evals += 1
        undecided |= not decided
        if ok:
            hi = mid
        else:
            lo = mid
    return Bracket(lo, hi, n_evals, "undecided" if undecided else "ok")


def search_up(pred: Callable[[float], tuple[bool, bool]], lo: float, tol: float,
              start: float) -> Bracket:
    """Find the smallest α > lo with pred true: grow hi from `start` by doubling, then bisect."""
    hi = max(start, lo + tol)
    n = 0
    undecided = False
    while True:
        ok, decided = pred(hi)
        n += 1
        undecided |= not decided
        if ok:
            break
        lo = hi
        if hi >= ALPHA_MAX:
            return Bracket(lo, math.inf, n, "not_found")
        hi = min(2.0 * hi, ALPHA_MAX)
    return bisect(pred, lo, hi, tol, n, undecided)


# ---------------------------------------------------------------------------- thresholds
def alpha_c(model: Model, tol: float = 1e-4, method: str = "jacobian",
            opts: SEOptions | None = None) -> Bracket | None:
    """Weak-recovery threshold (None where the prior alone beats a random guess)."""
    opts = opts or SEOptions()
    if step_from_zero(model, 0.0, opts.engine).max() > 0.0:
        return None
    if step_from_zero(model, 1.0, opts.engine).max() > 0.0:
        return Bracket(0.0, 0.0, 0, "exact")
    if method == "jacobian":
        def pred(a: float) -> tuple[bool, bool]:
            return growth(model, a, "uninformative", decide=True, engine=opts.engine) > 1.0, True
    elif method == "se":
        def pred(a: float) -> tuple[bool, bool]:
            m, v = initial_state(model, "uninformed", opts)
            status = run_se(model, a, m, v, opts, opts.tol_perfect)[0]
            return status != UNINFORMATIVE, status not in (MAX_ITER, NAN)
    else:
        raise ModelError("method", f"expected jacobian or se, got {method!r}")
    return search_up(pred, 0.0, tol, start=0.5)


def alpha_it(model: Model, tol: float = 1e-4, method: str = "linearized",
             opts: SEOptions | None = None) -> Bracket | None:
    """Perfect-recovery (spinodal) threshold; None when mse = 0 is never a fixed point."""
    if model.noise > 0:
        return None
    opts = opts or SEOptions()
    if method == "linearized":
        def pred(a: float) -> tuple[bool, bool]:
            return growth(model, a, "perfect", decide=True, engine=opts.engine) < 1.0, True
    elif method == "informed":
        def pred(a: float) -> tuple[bool, bool]:
            m, v = initial_state(model, "informed", opts)
            status = run_se(model, a, m, v, opts, opts.tol_perfect_informed)[0]
            return status == PERFECT, status not in (MAX_ITER, NAN)
    else:
        raise ModelError("method", f"expected linearized or informed, got {method!r}")
    return search_up(pred, 0.0, tol, start=0.25)


def alpha_alg(model: Model, lo: float, tol: float = 1e-4,
              opts: SEOptions | None = None) -> Bracket:
    """Algorithmic threshold above `lo`, which must be ≥ the upper ends of the αIT bracket
    (so mse = 0 is linearly stable at every probed α: κ_perf decreases with α) and of the
    αc bracket when m = 0 is a fixed point (so the uninformed start is not stuck at m = 0).
    A probe is easy when the uninformed SE ends at mse = 0."""
    opts = opts or SEOptions()

    def pred(a: float) -> tuple[bool, bool]:
        m, v = initial_state(model, "uninformed", opts)
        status = run_se(model, a, m, v, opts, opts.tol_perfect, perfect_stable=True)[0]
        return status == PERFECT, status not in (MAX_ITER, NAN)

    return search_up(pred, lo, tol, start=max(1.5 * lo, lo + 0.25))


ALG_METHODS = ("bisect", "fold")
DECIDED = ("ok", "exact", "fold", "continuous")  # statuses of a decided bracket


def compute_thresholds(model: Model, tol: float = 1e-4, opts: SEOptions | None = None,
                       alg_method: str = "bisect") -> ThresholdResult:
    """αc, αIT and αalg of `model`, each to `tol`: αc and αIT bisected, αalg bisected
    ("bisect") or located as the fold of the uninformed branch ("fold",
    `phasediag.se.branches`: a certified bracket, status fold | continuous, or the bisection
    when no fold can be reached — the notes say why)."""
    tol = check("tol", tol)
    if alg_method not in ALG_METHODS:
        raise ModelError("alg_method", f"expected one of {', '.join(ALG_METHODS)}, got "
                                       f"{alg_method!r}")
    opts = opts or SEOptions()
    t0 = time.perf_counter()
    notes: list[str] = []
    b_c = alpha_c(model, tol, opts=opts)
    b_it = alpha_it(model, tol, opts=opts)
    b_alg = None
    mse_below = None
    if b_it is None:
        notes.append("noise > 0: mse = 0 is never a fixed point, αIT and αalg undefined")
    else:
        lo = max(b_it.hi, b_c.hi) if b_c is not None else b_it.hi
        if alg_method == "fold":
            from phasediag.se.branches import alpha_alg_fold

            fr = alpha_alg_fold(model, lo, tol, opts)
            b_alg = fr.bracket
            notes.extend(f"αalg ({fr.method}): {n}" for n in fr.notes)
        else:
            b_alg = alpha_alg(model, lo, tol, opts)
        if b_alg.lo > 0:
            # the uninformed trajectory decreases monotonically: its last iterate bounds the
            # fixed-point mse from above even if the run stops at max_iter
            capped = replace(opts, max_iter=min(opts.max_iter, 100_000))
            mse_below = solve_se(model, b_alg.lo, "uninformed", capped).mse_last
    if b_c is None:
        notes.append("αc none: the prior alone beats a random guess (no uninformative fixed point)")
    analytic_it = None if model.noise > 0 else alpha_it_analytic(model)
    return ThresholdResult(
        model=model, alpha_c=b_c, alpha_it=b_it, alpha_alg=b_alg,
        alpha_c_analytic=alpha_c_analytic(model), alpha_it_analytic=analytic_it, tol=tol,
        mse_below_alg=mse_below, seconds=time.perf_counter() - t0, notes=tuple(notes),
    )
