"""The state evolution from Python: options, starts, the result record, `solve_se`.

A run starts from the uninformed point (m_l = ε ρ_l: what AMP does), the informed point
(v_l = ε ρ_l) or a warm start (the state of a previous `SEResult`, e.g. the fixed point at
a neighbouring α, to follow one branch of fixed points), and iterates the engine's step in
the loop of `phasediag.se.loop` until a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from phasediag.blocks.tables import load_tables
from phasediag.errors import ModelError
from phasediag.limits import LIMITS, check
from phasediag.model import Model
from phasediag.se.engines import (
    ENGINE_CHOICES,
    SEState,
    engine_aux,
    engine_code,
    resolve_engine,
)
from phasediag.se.loop import PERFECT, STATUS_NAMES, LoopOptions, fixed_point
from phasediag.se.stability import growth

INITS = ("uninformed", "informed")


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
    engine: str = "auto"  # auto (AMP SE on Gaussian matrices, else ML-VAMP SE) | amp | vamp

    def __post_init__(self) -> None:
        if self.engine not in ENGINE_CHOICES:
            raise ModelError("engine", f"expected one of {', '.join(ENGINE_CHOICES)}, got "
                                       f"{self.engine!r}")
        if not isinstance(self.max_iter, (int, np.integer)) or isinstance(self.max_iter, bool):
            raise ModelError("max_iter", f"expected {LIMITS['max_iter'].text()}, got "
                                         f"{self.max_iter!r}")
        check("max_iter", self.max_iter)
        for f in fields(self):
            if f.name not in ("max_iter", "engine"):
                _check_option(f.name, getattr(self, f.name))


def _check_option(name: str, x: object) -> None:
    """ModelError naming the option unless x is in its range: `limits.LIMITS[name]`, else
    the range shared by the tolerances and starts (`limits.LIMITS["se_fraction"]`)."""
    check(name if name in LIMITS else "se_fraction", x, name)


@dataclass(frozen=True)
class SEResult:
    """Fixed point of the state evolution at one α."""

    model: Model
    alpha: float
    init: str  # uninformed | informed: the start, or the branch a warm start continues
    status: str  # converged | perfect | uninformative | max_iter | nan
    n_iter: int
    mse: float  # mse of x at the fixed point: 0 when status is perfect, else the last iterate
    mse_last: float  # mse of x at the last iterate (> 0 even when perfect)
    overlaps: tuple[float, ...]  # m_1 (z) … m_{L+1} (x)
    mses: tuple[float, ...]  # ρ_l − m_l, same order
    residual: float  # last relative step |Δv_x| / min(m_x, v_x)
    trajectory: np.ndarray = field(repr=False, compare=False)  # mse_x per iteration
    conjugates: tuple[float, ...] = ()  # m̂_1 … m̂_{L+1} of the last step (m̂_x = α λ_y)
    engine: str = "amp"
    warm: bool = False  # started from a previous result's state
    messages: tuple[float, ...] = field(default=(), repr=False)  # engine-private state (aux)

    @property
    def converged(self) -> bool:
        """True when the run ended in a decision (not max_iter / nan)."""
        return self.status in ("converged", "perfect", "uninformative")

    @property
    def normalized_mse(self) -> float:
        return self.mse / self.model.rho_x

    def state(self) -> tuple[np.ndarray, np.ndarray]:
        """(m, v) of the last iterate, as new arrays (a warm start for a neighbouring α)."""
        return np.array(self.overlaps), np.array(self.mses)

    def to_dict(self) -> dict:
        out = dict(self.model.describe())
        out.update(
            alpha=self.alpha, init=self.init, mse=self.mse, normalized_mse=self.normalized_mse,
            mse_last=self.mse_last,
            overlaps=list(self.overlaps), status=self.status, converged=self.converged,
            n_iter=self.n_iter, residual=self.residual, conjugates=list(self.conjugates),
            engine=self.engine, warm_start=self.warm,
        )
        return out


def initial_state(model: Model, init: str, opts: SEOptions) -> tuple[np.ndarray, np.ndarray]:
    """(m, v) of the uninformed (m_l = ε ρ_l) or informed (v_l = ε ρ_l) start."""
    rho = np.array(model.second_moments)
    if init == "uninformed":
        m = opts.eps_uninformed * rho
        return m, rho - m
    if init == "informed":
        v = opts.eps_informed * rho
        return rho - v, v
    raise ModelError("init", f"expected {' or '.join(INITS)}, got {init!r}")


def run_se(model: Model, alpha: float, m: np.ndarray, v: np.ndarray, opts: SEOptions,
           tol_perfect: float, perfect_stable: bool = False, record: bool = False,
           mhat: np.ndarray | None = None,
           aux: np.ndarray | None = None) -> tuple[int, int, float, np.ndarray]:
    """Run the loop from (m, v) in place; returns (status code, n_iter, residual, traj).

    perfect_stable: the caller established κ_perf(α) < 1 (enables the v_extrap decision);
    mhat: an array receiving m̂ of the last step (default: discarded); aux: the engine's
    private state, updated in place (default: a fresh one, started from (m, v)).
    """
    v_extrap = opts.v_extrap if perfect_stable else 0.0
    code = engine_code(opts.engine, model.matrix_ensembles)
    if aux is None:
        aux = engine_aux(code, model.L)
    st = SEState(m, v, np.zeros_like(m) if mhat is None else mhat, aux)
    lo = LoopOptions(int(opts.max_iter), float(opts.tol_fp), float(tol_perfect),
                     float(opts.tol_uninf), float(v_extrap), bool(record))
    return fixed_point(code, float(alpha), st, model.kernel(), load_tables(), lo)


def check_alpha(alpha: float) -> float:
    """α as a float, or a ModelError: a finite number > 0."""
    return float(check("alpha", alpha))


def solve_se(model: Model, alpha: float, init: str | SEResult = "uninformed",
             opts: SEOptions | None = None) -> SEResult:
    """Fixed point of the SE at sample ratio α from the uninformed or informed start, or
    from the state of a previous result (warm start: follows that result's branch)."""
    alpha = check_alpha(alpha)
    opts = opts or SEOptions()
    warm = isinstance(init, SEResult)
    aux = None
    engine = resolve_engine(opts.engine, model.matrix_ensembles)
    if warm:
        if init.model != model:
            raise ModelError("init", "a warm start must come from a result of the same model")
        m, v = init.state()
        branch = init.init
        if init.engine == engine and init.messages:
            aux = np.array(init.messages)
    else:
        m, v = initial_state(model, init, opts)
        branch = init
    if branch == "informed":
        tol_p, stable = opts.tol_perfect_informed, False
    else:
        tol_p = opts.tol_perfect
        stable = model.noise == 0 and growth(model, alpha, "perfect", decide=True,
                                             engine=opts.engine) < 1
    mhat = np.zeros_like(m)
    if aux is None:
        aux = engine_aux(engine_code(opts.engine, model.matrix_ensembles), model.L)
    status, n_iter, resid, traj = run_se(model, alpha, m, v, opts, tol_p, stable, record=True,
                                         mhat=mhat, aux=aux)
    return SEResult(
        model=model, alpha=alpha, init=branch, status=STATUS_NAMES[status],
        n_iter=int(n_iter), mse=0.0 if status == PERFECT else float(v[-1]),
        mse_last=float(v[-1]), overlaps=tuple(float(x) for x in m),
        mses=tuple(float(x) for x in v), residual=float(resid), trajectory=traj.copy(),
        conjugates=tuple(float(x) for x in mhat), engine=engine, warm=warm,
        messages=tuple(float(x) for x in aux),
    )
