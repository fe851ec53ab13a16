"""Model specification: (problem, prior, σ per layer, ρ, β, Δ) → integer codes and arrays.

The state-evolution kernel only sees what `Model.arrays()` returns; names are resolved
to small integer codes here (STYLE: integer codes, not Python objects, inside kernels).

Variables of the chain: h_1 = z (dim k_1 = k), …, h_{L+1} = x (dim d). Layer l maps
h_l → h_{l+1} with ratio β_l = k_{l+1}/k_l, so ρ = k/d = 1/(β_1⋯β_L) and the last ratio
is fixed by ρ: β_L = 1/(ρ β_1⋯β_{L−1}).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PROBLEMS = ("cs", "pr")
PRIORS = ("linear", "relu", "gaussian", "gauss-bernoulli")
ACTIVATIONS = ("linear", "relu")

CHANNEL_CODES = {"cs": 0, "pr": 1}
ACT_CODES = {"linear": 0, "relu": 1}
PRIOR_GAUSSIAN = 0  # z ~ N(0, 1) (or x ~ N(0, 1) when L = 0)
PRIOR_GB = 1  # x ~ (1 − ρs) δ0 + ρs N(0, 1)


class ModelError(ValueError):
    """Invalid model parameters; `field` names the offending input."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Model:
    """One inference problem.

    problem: "cs" (y = Ax) or "pr" (y = |Ax|); prior: "linear"/"relu" generative chain of
    `depth` weight matrices, "gaussian" (x i.i.d. N(0,1)) or "gauss-bernoulli" (ρ = ρs);
    betas: β_1..β_{L−1} (default 1 each); activations: optional per-layer override of σ;
    noise: Gaussian noise variance Δ ≥ 0 on y (CS only).
    """

    problem: str
    prior: str
    rho: float = 1.0
    depth: int = 1
    betas: tuple[float, ...] = ()
    noise: float = 0.0
    activations: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        self._validate()

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        if self.problem not in PROBLEMS:
            raise ModelError(
                "problem", f"expected one of {', '.join(PROBLEMS)}, got {self.problem!r}")
        if self.prior not in PRIORS:
            raise ModelError("prior", f"expected one of {', '.join(PRIORS)}, got {self.prior!r}")
        if not _finite_positive(self.rho):
            raise ModelError("rho", f"expected a finite number > 0, got {self.rho!r}")
        if not isinstance(self.depth, (int, np.integer)) or self.depth < 0:
            raise ModelError("depth", f"expected an integer ≥ 0, got {self.depth!r}")
        noise_ok = isinstance(self.noise, (int, float)) and math.isfinite(self.noise)
        if not (noise_ok and self.noise >= 0):
            raise ModelError("noise", f"expected a finite number ≥ 0, got {self.noise!r}")
        if self.noise > 0 and self.problem != "cs":
            raise ModelError("noise", "noise > 0 is implemented for problem cs only")
        for i, b in enumerate(self.betas):
            if not _finite_positive(b):
                raise ModelError(f"beta[{i + 1}]", f"expected a finite number > 0, got {b!r}")
        if self.separable:
            if self.depth != 0:
                raise ModelError("depth", f"prior {self.prior} is separable: depth must be 0")
            if self.betas:
                raise ModelError("beta", f"prior {self.prior} is separable: no beta")
            if self.prior == "gauss-bernoulli" and self.rho > 1:
                raise ModelError(
                    "rho", f"for gauss-bernoulli rho is the density ρs ∈ (0, 1], got {self.rho}")
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
                    if a not in ACTIVATIONS:
                        raise ModelError("activations", f"expected linear or relu, got {a!r}")

    # ------------------------------------------------------------------ derived
    @property
    def separable(self) -> bool:
        """True for the i.i.d. priors placed on x directly (no generative chain)."""
        return self.prior in ("gaussian", "gauss-bernoulli")

    @property
    def L(self) -> int:  # noqa: N802 — the paper's symbol
        return 0 if self.separable else self.depth

    @property
    def layer_activations(self) -> tuple[str, ...]:
        if self.separable or self.depth == 0:
            return ()
        if self.activations is not None:
            return tuple(self.activations)
        return (self.prior,) * self.depth

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
        """ρ_1..ρ_{L+1}: 1 for z (ρs for Gauss–Bernoulli); halved by each relu layer."""
        if self.prior == "gauss-bernoulli":
            return (float(self.rho),)
        out = [1.0]
        for a in self.layer_activations:
            out.append(out[-1] / 2.0 if a == "relu" else out[-1])
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

    def arrays(self) -> dict:
        """Integer codes and float arrays consumed by the numba SE kernel."""
        return {
            "act": np.array([ACT_CODES[a] for a in self.layer_activations], dtype=np.int64),
            "beta": np.array(self.full_betas, dtype=np.float64),
            "rho": np.array(self.second_moments, dtype=np.float64),
            "prior_code": PRIOR_GB if self.prior == "gauss-bernoulli" else PRIOR_GAUSSIAN,
            "prior_param": float(self.rho) if self.prior == "gauss-bernoulli" else 1.0,
            "channel": CHANNEL_CODES[self.problem],
            "noise": float(self.noise),
        }

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
        }


def _finite_positive(x: object) -> bool:
    return isinstance(x, (int, float, np.floating, np.integer)) and math.isfinite(x) and x > 0
