"""The model's vocabulary, in one place: names ↔ the integer codes the kernels branch on.

Every other module (model validation, the block dispatchers, the finite-size denoisers, the
config schema, CLI choices, grid expansion, plots) reads these registries; nothing else
spells a code or decides what is separable. Kernels receive codes, never names (STYLE:
integer codes inside kernels); each dispatcher raises on a code it does not know.

- CHANNELS     the output channel y = φ(u) (+ noise): the problem
- PRIORS       what a user names as the prior: a generative chain (its σ on every layer,
               z ~ N(0, 1)) or a separable i.i.d. prior placed on x directly
- PRIOR_BLOCKS the scalar prior block on the first variable (z of a chain, x if separable)
- ACTIVATIONS  σ of one layer of a generative chain
- ENSEMBLES    the distribution of a matrix (A, or a weight matrix W_l)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from phasediag.errors import ModelError


@dataclass(frozen=True)
class Entry:
    """One name of the vocabulary, its kernel code and a one-line description."""

    name: str
    code: int
    doc: str


@dataclass(frozen=True)
class Channel(Entry):
    accepts_noise: bool = False  # Gaussian noise Δ > 0 on y is implemented


@dataclass(frozen=True)
class PriorBlock(Entry):
    has_param: bool = False  # the block takes ρ as a parameter (Gauss–Bernoulli density ρs)


@dataclass(frozen=True)
class Prior(Entry):
    separable: bool = False  # i.i.d. on x (no chain: depth 0, no β, no activations)
    block: str = "gaussian"  # PRIOR_BLOCKS name of the first variable's prior
    activation: str | None = None  # generative: the default σ of every layer
    rho_max: float | None = None  # upper bound of ρ (Gauss–Bernoulli: the density ρs ≤ 1)


@dataclass(frozen=True)
class Activation(Entry):
    second_moment_factor: float = 1.0  # ρ_out = factor · ρ_in (relu halves it)


@dataclass(frozen=True)
class Ensemble(Entry):
    params: tuple[str, ...] = ()  # parameters an EnsembleSpec must give (phasediag.spectra)


@dataclass(frozen=True)
class Registry:
    """Entries of one kind, with codes 0..n−1 in order; lookups by name or by code."""

    kind: str  # what the entries are ("channel", "prior", …), for messages
    entries: tuple[Entry, ...]
    _by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {e.name: e for e in self.entries}
        if len(by_name) != len(self.entries):
            raise RuntimeError(f"{self.kind}: duplicate names")
        if [e.code for e in self.entries] != list(range(len(self.entries))):
            raise RuntimeError(f"{self.kind}: codes must be 0..n−1 in order")
        object.__setattr__(self, "_by_name", by_name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Entry:
        return self.get(name)

    def get(self, name: str, field: str | None = None) -> Entry:
        """The entry called `name`; a ModelError naming `field` (default: the kind) if none."""
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            raise ModelError(field or self.kind,
                             f"expected one of {', '.join(self.names)}, got {name!r}") from None

    def code(self, name: str, field: str | None = None) -> int:
        return self.get(name, field).code

    def name(self, code: int) -> str:
        if not (isinstance(code, int) and 0 <= code < len(self.entries)):
            raise ModelError(self.kind, f"unknown code {code!r}")
        return self.entries[code].name


CHANNELS = Registry("problem", (
    Channel("cs", 0, "compressed sensing y = u (+ √Δ ξ)", accepts_noise=True),
    Channel("pr", 1, "real phase retrieval y = |u| (noiseless)"),
))

PRIOR_BLOCKS = Registry("prior block", (
    PriorBlock("gaussian", 0, "N(0, 1)"),
    PriorBlock("gauss-bernoulli", 1, "(1 − ρs) δ0 + ρs N(0, 1)", has_param=True),
))

ACTIVATIONS = Registry("activation", (
    Activation("linear", 0, "σ(u) = u"),
    Activation("relu", 1, "σ(u) = max(u, 0)", second_moment_factor=0.5),
))

PRIORS = Registry("prior", (
    Prior("linear", 0, "generative chain x = W_L ⋯ W_1 z", activation="linear"),
    Prior("relu", 1, "generative chain x = relu(W_L ⋯ relu(W_1 z))", activation="relu"),
    Prior("gaussian", 2, "x i.i.d. N(0, 1)", separable=True),
    Prior("gauss-bernoulli", 3, "x i.i.d. (1 − ρs) δ0 + ρs N(0, 1), ρ = ρs", separable=True,
          block="gauss-bernoulli", rho_max=1.0),
))

ENSEMBLES = Registry("ensemble", (
    Ensemble("gaussian", 0, "i.i.d. N(0, 1/columns) entries (Marchenko–Pastur spectrum)"),
    Ensemble("orthogonal", 1, "Haar-rotated, all non-zero singular values equal"),
    Ensemble("geometric", 2, "Haar-rotated, singular values geometrically spaced, condition "
                             "number kappa", params=("kappa",)),
    Ensemble("empirical", 3, "Haar-rotated, the distribution of given singular values "
                             "(rescaled to the second moment)", params=("values",)),
))

# Kernel codes as module constants (numba freezes integer globals as compile-time constants).
CHANNEL_CS = CHANNELS.code("cs")
CHANNEL_PR = CHANNELS.code("pr")
ACT_LINEAR = ACTIVATIONS.code("linear")
ACT_RELU = ACTIVATIONS.code("relu")
PRIOR_GAUSSIAN = PRIOR_BLOCKS.code("gaussian")
PRIOR_GB = PRIOR_BLOCKS.code("gauss-bernoulli")
ENSEMBLE_GAUSSIAN = ENSEMBLES.code("gaussian")
ENSEMBLE_ORTHOGONAL = ENSEMBLES.code("orthogonal")
ENSEMBLE_GEOMETRIC = ENSEMBLES.code("geometric")
ENSEMBLE_EMPIRICAL = ENSEMBLES.code("empirical")

PROBLEM_NAMES = CHANNELS.names
PRIOR_NAMES = PRIORS.names
ACTIVATION_NAMES = ACTIVATIONS.names
ENSEMBLE_NAMES = ENSEMBLES.names
SEPARABLE_PRIORS = tuple(p.name for p in PRIORS if p.separable)
GENERATIVE_PRIORS = tuple(p.name for p in PRIORS if not p.separable)
NOISY_CHANNELS = tuple(c.name for c in CHANNELS if c.accepts_noise)


def is_separable(prior: str) -> bool:
    """True for an i.i.d. prior placed on x directly (no generative chain)."""
    return PRIORS.get(prior).separable


def default_depth(prior: str) -> int:
    """Depth when none is given: 1 weight matrix for a chain, 0 for a separable prior."""
    return 0 if is_separable(prior) else 1
