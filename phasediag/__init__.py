"""phasediag: exact phase diagrams of compressed sensing and phase retrieval with
multi-layer generative priors, from the state evolution of Bayes-optimal AMP."""

__version__ = "0.1.0"

from phasediag.api import state_evolution, sweep, thresholds  # noqa: E402
from phasediag.errors import ModelError, PhasediagError  # noqa: E402
from phasediag.model import Model  # noqa: E402
from phasediag.results import read_results  # noqa: E402
from phasediag.se import SEOptions, SEResult  # noqa: E402
from phasediag.thresholds import Bracket, ThresholdResult  # noqa: E402

__all__ = [
    "Bracket", "Model", "ModelError", "PhasediagError", "SEOptions", "SEResult", "ThresholdResult",
    "read_results", "state_evolution", "sweep", "thresholds", "__version__",
]
