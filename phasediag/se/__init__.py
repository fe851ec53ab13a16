"""State evolution: engines (one step of the SE map), the engine-independent fixed-point
loop, linear stability of the trivial points, and the Python-level solver.

    engines.py    engine registry and `engine_step` dispatcher; SEState
    amp.py        the AMP-schedule step (i.i.d. Gaussian matrices)
    vamp.py       the ML-VAMP step, MMSE estimators (any rotationally invariant ensemble)
    loop.py       fixed-point loop and its decisions → status codes
    stability.py  growth factors κ_perf, κ_unif (power iteration on the linearised map)
    solve.py      SEOptions, starts (uninformed / informed / warm), SEResult, solve_se
"""

from phasediag.se.engines import ENGINES, SEState, engine_step
from phasediag.se.loop import CONVERGED, MAX_ITER, NAN, PERFECT, STATUS_NAMES, UNINFORMATIVE
from phasediag.se.solve import INITS, SEOptions, SEResult, initial_state, run_se, solve_se
from phasediag.se.stability import growth, step_from_zero

__all__ = [
    "CONVERGED", "ENGINES", "INITS", "MAX_ITER", "NAN", "PERFECT", "STATUS_NAMES",
    "UNINFORMATIVE", "SEOptions", "SEResult", "SEState", "engine_step", "growth",
    "initial_state", "run_se", "solve_se", "step_from_zero",
]
