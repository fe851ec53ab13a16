"""Model specification: (problem, prior, σ per layer, ρ, β, Δ) → one typed bundle for kernels.

`Model` owns every default (the depth of a separable prior, β_l = 1, the prior's σ on every
layer, i.i.d. Gaussian matrices) and validates against `phasediag.vocabulary`; the kernels
only see `Model.kernel()`, a `KernelModel` NamedTuple of integer codes and float arrays.

Variables of the chain: h_1 = z (dim k_1 = k), …, h_{L+1} = x (dim d). Layer l maps
h_l → h_{l+1} with ratio β_l = k_{l+1}/k_l, so ρ = k/d = 1/(β_1⋯β_L) and the last ratio
is fixed by ρ: β_L = 1/(ρ β_1⋯β_{L−1}).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from phasediag.errors import ModelError
from phasediag.limits import LIMITS, check
from phasediag.spectra import EnsembleSpec, as_spec, shape
from phasediag.spectra import label as spectra_label
from phasediag.vocabulary import (
    ACTIVATIONS,
    CHANNELS,
    ENSEMBLES,
    PRIOR_BLOCKS,
    PRIORS,
    default_depth,
)

__all__ = ["KernelModel", "Model", "ModelError"]


class KernelModel(NamedTuple):
    """What a state-evolution kernel reads of a model (numba accepts NamedTuples).

    act[l]: activation code of layer l+1 (L,); beta[l]: β_{l+1} (L,); rho[i]: second moment
    ρ_i of variable i = 0..L (z … x); prior_code/prior_param: the prior block on variable 0;
    channel: output channel code; noise: Δ; ensemble[f]: matrix ensemble code of factor f
    (W_1 … W_L, then A) (L + 1,); spec_nodes[f], spec_weights[f], spec_count[f]: the
    aspect-free spectrum shape of factor f (`phasediag.spectra.shape`, padded with zeros
    to the longest; (L + 1, K), (L + 1, K), (L + 1,)).
    """

    act: np.ndarray
    beta: np.ndarray
    rho: np.ndarray
    prior_code: int
    prior_param: float
    channel: int
    noise: float
    ensemble: np.ndarray
    spec_nodes: np.ndarray
    spec_weights: np.ndarray
    spec_count: np.ndarray


@dataclass(frozen=True)
class Model:
    """One inference problem.

    problem: a channel name, "cs" (y = Ax) or "pr" (y = |Ax|); prior: a generative chain
    ("linear", "relu") of `depth` weight matrices, or a separable prior on x ("gaussian",
    "gauss-bernoulli" with ρ = ρs); depth: None = the prior's default (1 for a chain, 0 for
    a separable prior); betas: β_1..β_{L−1} (default 1 each); activations: optional
    per-layer σ; noise: Gaussian noise variance Δ ≥ 0 on y (channels that accept it);
    ensembles: matrix ensemble per factor (W_1 … W_L, A), None = all i.i.d. Gaussian; each
    a name, an `EnsembleSpec` (geometric κ, empirical values) or a dict {name, kappa,
    values}, stored in canonical form (the bare name when the ensemble has no parameters).
    """

    problem: str
    prior: str
    rho: float = 1.0
    depth: int | None = None
    betas: tuple[float, ...] = ()
    noise: float = 0.0
    activations: tuple[str, ...] | None = None
    ensembles: tuple[str | EnsembleSpec, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("betas", "activations", "ensembles"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, tuple):
                if isinstance(v, (list, np.ndarray)):
                    object.__setattr__(self, name, tuple(v))
                else:
                    raise ModelError(name, f"expected a sequence, got {v!r}")
        if self.ensembles is not None:
            object.__setattr__(self, "ensembles",
                               tuple(as_spec(e).canonical for e in self.ensembles))
        if self.depth is None:
            object.__setattr__(self, "depth", default_depth(self._prior.name))
        self._validate()

    # ------------------------------------------------------------------ validation
    @property
    def _prior(self):
        return PRIORS.get(self.prior, "prior")

    def _validate(self) -> None:
        channel = CHANNELS.get(self.problem, "problem")
        prior = self._prior
        check("rho", self.rho)
        if not isinstance(self.depth, (int, np.integer)) or isinstance(self.depth, bool):
            raise ModelError("depth", f"expected {LIMITS['depth'].text()}, got {self.depth!r}")
        check("depth", self.depth)
        check("noise", self.noise)
        if self.noise > 0 and not channel.accepts_noise:
            ok = ", ".join(c.name for c in CHANNELS if c.accepts_noise)
            raise ModelError("noise", f"noise > 0 is implemented for problem {ok} only")
        for i, b in enumerate(self.betas):
            check("beta", b, f"beta[{i + 1}]")
        if prior.separable:
            if self.depth != 0:
                raise ModelError("depth", f"prior {self.prior} is separable: depth must be 0")
            if self.betas:
                raise ModelError("beta", f"prior {self.prior} is separable: no beta")
            if self.activations:
                raise ModelError("activations", f"prior {self.prior} is separable: no layers")
            if prior.rho_max is not None and self.rho > prior.rho_max:
                raise ModelError(
                    "rho", f"for {self.prior} rho is the density ρs ∈ (0, {prior.rho_max:g}], "
                           f"got {self.rho}")
        else:
            if len(self.betas) > max(self.depth - 1, 0):
                raise ModelError(
                    "beta",
                    f"expected at most depth − 1 = {max(self.depth - 1, 0)} values "
                    f"(β_L is fixed by rho), got {len(self.betas)}",
                )
            if self.activations is not None:
                if len(self.activations) != self.depth:
                    raise ModelError(
                        "activations", f"expected {self.depth} values, got {len(self.activations)}"
                    )
                for a in self.activations:
                    ACTIVATIONS.get(a, "activations")
            if self.depth >= 1:  # derived: the last ratio, fixed by ρ
                b_last = 1.0 / (self.rho * math.prod(self.betas or (1.0,)))
                if not LIMITS["beta_L"].lo <= b_last <= LIMITS["beta_L"].hi:
                    raise ModelError(
                        "beta_L", f"β_L = 1/(ρ β_1⋯β_{{L−1}}) = {b_last:.3g} is outside "
                                  f"[{LIMITS['beta_L'].lo:g}, {LIMITS['beta_L'].hi:g}]: "
                                  "change rho or beta")
        if self.ensembles is not None:
            if len(self.ensembles) != self.L + 1:
                raise ModelError("ensembles", f"expected one per matrix (W_1 … W_L, A): "
                                              f"{self.L + 1} values, got {len(self.ensembles)}")
            for e in self.ensembles:
                ENSEMBLES.get(getattr(e, "name", e), "ensembles")

    # ------------------------------------------------------------------ derived
    @property
    def separable(self) -> bool:
        """True for the i.i.d. priors placed on x directly (no generative chain)."""
        return self._prior.separable

    @property
    def L(self) -> int:  # noqa: N802 — the paper's symbol
        return 0 if self.separable else self.depth

    @property
    def layer_activations(self) -> tuple[str, ...]:
        if self.separable or self.depth == 0:
            return ()
        if self.activations is not None:
            return tuple(self.activations)
        return (self._prior.activation,) * self.depth

    @property
    def matrix_ensembles(self) -> tuple[str | EnsembleSpec, ...]:
        """Ensemble of each matrix W_1 … W_L, A (default: i.i.d. Gaussian), canonical form."""
        return self.ensembles if self.ensembles is not None else ("gaussian",) * (self.L + 1)

    @property
    def matrix_specs(self) -> tuple[EnsembleSpec, ...]:
        """`matrix_ensembles` as EnsembleSpecs."""
        return tuple(as_spec(e) for e in self.matrix_ensembles)

    @property
    def full_betas(self) -> tuple[float, ...]:
        """β_1..β_L, with β_L = 1/(ρ β_1⋯β_{L−1}) and missing β_l = 1."""
        L = self.L
        if L == 0:
            return ()
        given = list(self.betas) + [1.0] * (L - 1 - len(self.betas))
        return tuple(given) + (1.0 / (self.rho * math.prod(given)),)

    @property
    def second_moments(self) -> tuple[float, ...]:
        """ρ_1..ρ_{L+1}: 1 for z (ρs for a prior block with a parameter); each layer
        multiplies by its activation's factor (relu halves it)."""
        if PRIOR_BLOCKS.get(self._prior.block).has_param:
            return (float(self.rho),)
        out = [1.0]
        for a in self.layer_activations:
            out.append(out[-1] * ACTIVATIONS.get(a).second_moment_factor)
        return tuple(out)

    @property
    def rho_x(self) -> float:
        return self.second_moments[-1]

    @property
    def dims(self) -> tuple[float, ...]:
        """k_l/d for l = 1..L+1 (z, h_2, …, x); 1 for a separable prior."""
        if self.L == 0:
            return (1.0,)
        out = [float(self.rho)]
        for b in self.full_betas:
            out.append(out[-1] * b)
        return tuple(out)

    def kernel(self) -> KernelModel:
        """The typed bundle of codes and arrays consumed by the numba kernels."""
        block = PRIOR_BLOCKS.get(self._prior.block)
        return KernelModel(
            act=np.array([ACTIVATIONS.code(a) for a in self.layer_activations], dtype=np.int64),
            beta=np.array(self.full_betas, dtype=np.float64),
            rho=np.array(self.second_moments, dtype=np.float64),
            prior_code=block.code,
            prior_param=float(self.rho) if block.has_param else 1.0,
            channel=CHANNELS.code(self.problem),
            noise=float(self.noise),
            ensemble=np.array([s.code for s in self.matrix_specs], dtype=np.int64),
            **_spectrum_arrays(self.matrix_ensembles),
        )

    def describe(self) -> dict:
        """Inputs as a flat dict (for records and provenance)."""
        return {
            "problem": self.problem,
            "prior": self.prior,
            "rho": float(self.rho),
            "depth": self.L,
            "betas": list(self.full_betas[:-1]) if self.L else [],
            "activations": list(self.layer_activations),
            "noise": float(self.noise),
            "ensembles": [spectra_label(e) for e in self.matrix_ensembles],
        }


def _spectrum_arrays(ensembles: tuple) -> dict[str, np.ndarray]:
    """Padded (F, K) arrays of the spectrum shapes of the F factors, and their counts."""
    shapes = [shape(e) for e in ensembles]
    k = max(sn.size for sn, _ in shapes)
    nodes = np.zeros((len(shapes), k))
    weights = np.zeros((len(shapes), k))
    for f, (sn, sw) in enumerate(shapes):
        nodes[f, : sn.size] = sn
        weights[f, : sw.size] = sw
    return {"spec_nodes": nodes, "spec_weights": weights,
            "spec_count": np.array([sn.size for sn, _ in shapes], dtype=np.int64)}
