"""Finite-size solvers (issue 6): shared denoisers, instances and matrix ensembles,
seeding, sign-invariant mse, the solver registry, and ML-AMP's agreement with the state
evolution."""

import json
import math
import re

import numpy as np
import pytest

from phasediag import vocabulary as vocab
from phasediag.blocks.gauss_bernoulli import gb_denoiser
from phasediag.blocks.pr import pr_posterior
from phasediag.blocks.relu import relu_posterior
from phasediag.errors import ModelError
from phasediag.finite import denoisers as K
from phasediag.finite import ensembles
from phasediag.finite.experiments import amp_points, amp_vs_se, benchmark_amp, run_points
from phasediag.finite.instances import dimensions, make_instance
from phasediag.finite.mlamp import AMPOptions, AMPResult, ml_amp
from phasediag.finite.runs import Run, mse, sign_symmetric
from phasediag.finite.solvers import SOLVERS, get_solver, solve, solver_options
from phasediag.model import Model
from phasediag.spectra import example
from phasediag.vocabulary import ACT_LINEAR, ACT_RELU, CHANNEL_CS, CHANNEL_PR


# ------------------------------------------------------------------ shared denoisers
def test_kernels_call_the_blocks_closed_forms():
    """One implementation: the finite-size denoisers use the blocks' functions themselves."""
    assert K.relu_posterior is relu_posterior
    assert K.pr_posterior is pr_posterior
    assert K.gb_denoiser is gb_denoiser


def test_vectorised_loops_equal_scalar_kernels():
    rng = np.random.default_rng(1)
    k, C = 7, 3
    om = rng.standard_normal((k, C))
    B = rng.standard_normal((k, C))
    A = np.array([0.0, 0.7, 30.0])
    V = np.array([1.0, 0.3, 1e-4])
    acts = np.array([ACT_RELU, ACT_LINEAR, ACT_RELU])
    mean = np.empty((k, C))
    g = np.empty((k, C))
    svar = K.layer_forward(acts, B, A, om, V, mean)
    sdg = K.layer_backward(acts, B, A, om, V, g)
    for c in range(C):
        var_sum = dg_sum = 0.0
        for j in range(k):
            if acts[c] == ACT_RELU:
                mx, vx, mu, vu = relu_posterior(B[j, c], A[c], om[j, c], V[c])
            else:  # Gaussian product N(u; ω, V) e^{−Au²/2 + Bu}
                vu = vx = 1.0 / (1.0 / V[c] + A[c])
                mu = mx = vx * (om[j, c] / V[c] + B[j, c])
            assert mean[j, c] == pytest.approx(mx, rel=1e-12, abs=1e-14)
            assert g[j, c] == pytest.approx((mu - om[j, c]) / V[c], rel=1e-9, abs=1e-12)
            var_sum += vx
            dg_sum += (V[c] - vu) / V[c] ** 2
        assert svar[c] == pytest.approx(var_sum, rel=1e-12)
        assert sdg[c] == pytest.approx(dg_sum, rel=1e-9)
    # PR channel and Gauss–Bernoulli prior
    y = np.abs(rng.standard_normal((k, C)))
    n_rows = np.array([k, k - 2, 1])
    s = K.channel_backward(CHANNEL_PR, y, om, V, 0.0, n_rows, g)
    for c in range(C):
        tot = 0.0
        for j in range(k):
            if j >= n_rows[c]:
                assert g[j, c] == 0.0
                continue
            m, v = pr_posterior(y[j, c], om[j, c], V[c])
            assert g[j, c] == pytest.approx((m - om[j, c]) / V[c], rel=1e-12, abs=1e-14)
            tot += (V[c] - v) / V[c] ** 2
        assert s[c] == pytest.approx(tot, rel=1e-12)
    s = K.prior_forward(vocab.PRIOR_GB, 0.3, B, A, mean)
    for c in range(C):
        mv = [gb_denoiser(B[j, c], A[c], 0.3) for j in range(k)]
        assert np.allclose(mean[:, c], [m for m, _ in mv], rtol=1e-13, atol=0)
        assert s[c] == pytest.approx(sum(v for _, v in mv), rel=1e-12)


# Reference of every vocabulary code, straight from the blocks / the Gaussian closed forms.
def _layer_reference(name, B, A, om, V):
    if name == "relu":
        return relu_posterior(B, A, om, V)
    if name == "linear":  # N(u; ω, V) e^{−Au²/2 + Bu}, x = u
        v = 1.0 / (1.0 / V + A)
        m = v * (om / V + B)
        return m, v, m, v
    raise AssertionError(f"no reference for activation {name}")


def _channel_reference(name, y, om, V, noise):
    if name == "pr":
        return pr_posterior(y, om, V)
    if name == "cs":  # N(u; ω, V) N(y; u, Δ)
        return (y * V + om * noise) / (V + noise), V * noise / (V + noise)
    raise AssertionError(f"no reference for channel {name}")


def _prior_reference(name, B, A, param):
    if name == "gauss-bernoulli":
        return gb_denoiser(B, A, param)
    if name == "gaussian":  # N(0, 1) e^{−Ax²/2 + Bx}
        return B / (1.0 + A), 1.0 / (1.0 + A)
    raise AssertionError(f"no reference for prior block {name}")


@pytest.mark.parametrize("B,A,om,V", [(0.3, 0.7, -0.4, 0.9), (-1.2, 25.0, 0.8, 1e-3),
                                      (2.0, 0.0, 0.1, 3.0)])
def test_denoisers_dispatch_every_vocabulary_code(B, A, om, V):
    """Each code of ACTIVATIONS / CHANNELS / PRIOR_BLOCKS reaches its own closed form."""
    for e in vocab.ACTIVATIONS:
        got = K.layer_posterior(e.code, B, A, om, V)
        ref = _layer_reference(e.name, B, A, om, V)
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-15), e.name
    y = abs(om) + 0.5
    for e in vocab.CHANNELS:
        for noise in ((0.0, 0.2) if e.accepts_noise else (0.0,)):
            got = K.channel_posterior(e.code, y, om, V, noise)
            ref = _channel_reference(e.name, y, om, V, noise)
            assert got == pytest.approx(ref, rel=1e-12, abs=1e-15), (e.name, noise)
    for e in vocab.PRIOR_BLOCKS:
        got = K.prior_posterior(e.code, B, A, 0.3 if e.has_param else 1.0)
        ref = _prior_reference(e.name, B, A, 0.3 if e.has_param else 1.0)
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-15), e.name
    # the blocks' functions are called as they are (same bits)
    assert K.layer_posterior(ACT_RELU, B, A, om, V) == relu_posterior(B, A, om, V)
    assert K.channel_posterior(CHANNEL_PR, y, om, V, 0.0) == pr_posterior(y, om, V)
    assert K.prior_posterior(vocab.PRIOR_GB, B, A, 0.3) == gb_denoiser(B, A, 0.3)


def test_denoisers_refuse_unknown_codes():
    """No silent fallthrough: a code outside the vocabulary raises inside the kernels."""
    with pytest.raises(ValueError, match="unknown activation code"):
        K.layer_posterior(len(vocab.ACTIVATIONS.entries), 0.1, 0.2, 0.3, 1.0)
    with pytest.raises(ValueError, match="unknown channel code"):
        K.channel_posterior(len(vocab.CHANNELS.entries), 0.5, 0.3, 1.0, 0.0)
    with pytest.raises(ValueError, match="unknown prior-block code"):
        K.prior_posterior(len(vocab.PRIOR_BLOCKS.entries), 0.1, 0.2, 1.0)
    k, C = 3, 2
    om, B, V, A = np.zeros((k, C)), np.zeros((k, C)), np.ones(C), np.zeros(C)
    bad = np.array([ACT_LINEAR, len(vocab.ACTIVATIONS.entries)])
    with pytest.raises(ValueError, match="unknown activation code"):
        K.layer_forward(bad, B, A, om, V, np.empty((k, C)))
    with pytest.raises(ValueError, match="unknown channel code"):
        K.channel_backward(-1, np.ones((k, C)), om, V, 0.0, np.array([k, k]),
                           np.empty((k, C)))
    assert K.channel_posterior(CHANNEL_CS, 0.5, 0.3, 1.0, 0.0) == (0.5, 0.0)


# ------------------------------------------------------------------ instances, seeding
def test_instance_dimensions_and_prefix_rows():
    m = Model("pr", "relu", rho=2.0, depth=2)
    assert dimensions(m, 100) == (200, 200, 100)
    big = make_instance(m, 1.0, 100, 3)
    small = make_instance(m, 0.5, 100, 3)
    assert [W.shape for W in big.weights] == [(200, 200), (100, 200)]
    assert big.A.shape == (100, 100) and small.A.shape == (50, 100)
    np.testing.assert_array_equal(small.A, big.A[:50])  # rows of A are drawn in order
    np.testing.assert_allclose(small.y, big.y[:50], 1e-13)
    np.testing.assert_allclose(big.x, np.maximum(big.weights[1] @ big.signals[1], 0.0), 1e-12)
    np.testing.assert_allclose(big.y, np.abs(big.A @ big.x), 1e-12)


def _old_instance_draw(model, alpha, d, seed, dtype):
    """The draw of the former `phasediag.amp.instances`, written out: W_1 … W_L, z (or x),
    A, noise from one Generator, each matrix standard normal scaled in place by 1/√cols."""
    rng = np.random.default_rng(seed)
    ks = dimensions(model, d)
    weights = []
    for l in range(model.L):
        W = rng.standard_normal((ks[l + 1], ks[l]), dtype=dtype)
        W *= dtype(1.0 / math.sqrt(ks[l]))
        weights.append(W)
    if model.prior == "gauss-bernoulli":
        g = rng.standard_normal(d)
        z = np.where(rng.random(d) < model.rho, g, 0.0)
    else:
        z = rng.standard_normal(ks[0])
    n = max(1, round(alpha * d))
    A = rng.standard_normal((n, d), dtype=dtype)
    A *= dtype(1.0 / math.sqrt(d))
    x = z
    for act, W in zip(model.layer_activations, weights, strict=True):
        u = (W @ x.astype(W.dtype)).astype(np.float64)
        x = np.maximum(u, 0.0) if act == "relu" else u
    y = (A @ x.astype(A.dtype)).astype(np.float64)
    y = np.abs(y) if model.problem == "pr" else y
    if model.noise > 0:
        y = y + math.sqrt(model.noise) * rng.standard_normal(n)
    return weights, z, x, A, y


@pytest.mark.parametrize("model,dtype", [
    (Model("pr", "relu", rho=2.0, depth=2), np.float64),
    (Model("pr", "linear", rho=0.5, depth=3, betas=(2.0, 1.5)), np.float32),
    (Model("cs", "relu", rho=2.0, depth=1, noise=0.01), np.float64),
    (Model("cs", "gauss-bernoulli", rho=0.3, depth=0, noise=0.001), np.float32),
    (Model("pr", "gaussian", depth=0), np.float64),
])
def test_instance_draw_is_bit_identical_to_the_former_draw(model, dtype):
    inst = make_instance(model, 0.7, 90, 5, dtype=dtype)
    weights, z, x, A, y = _old_instance_draw(model, 0.7, 90, 5, dtype)
    assert len(inst.weights) == len(weights)
    for W, W_ref in zip(inst.weights, weights, strict=True):
        assert W.dtype == W_ref.dtype
        np.testing.assert_array_equal(W, W_ref)
    np.testing.assert_array_equal(inst.signals[0], z)
    np.testing.assert_array_equal(inst.x, x)
    assert inst.A.dtype == A.dtype
    np.testing.assert_array_equal(inst.A, A)
    np.testing.assert_array_equal(inst.y, y)
    # naming the default ensemble explicitly draws the same instance
    named = Model(model.problem, model.prior, rho=model.rho, depth=model.depth,
                  betas=model.betas, noise=model.noise,
                  ensembles=("gaussian",) * (model.L + 1))
    np.testing.assert_array_equal(make_instance(named, 0.7, 90, 5, dtype=dtype).A, A)


def test_ensemble_registry_covers_the_vocabulary(monkeypatch):
    assert set(ensembles.SAMPLERS) == set(vocab.ENSEMBLES.names)
    for name in vocab.ENSEMBLES.names:
        draw = ensembles.sampler(example(name))  # with its parameters (geometric κ, …)
        for dtype in (np.float64, np.float32):
            M = draw(300, 200, np.random.default_rng(0), dtype)
            assert M.shape == (300, 200) and M.dtype == dtype
            np.testing.assert_array_equal(M, draw(300, 200, np.random.default_rng(0), dtype))
            assert np.trace(M @ M.T) / 300 == pytest.approx(1.0, abs=0.02)  # E tr(MMᵀ)/rows
    with pytest.raises(ModelError) as e:
        ensembles.sampler("no-such-ensemble")
    assert e.value.field == "ensembles"
    # an ensemble of the vocabulary without a sampler is refused by name
    monkeypatch.delitem(ensembles.SAMPLERS, "gaussian")
    with pytest.raises(ModelError, match="no finite-size sampler") as e:
        make_instance(Model("pr", "relu", rho=2.0, depth=1), 1.0, 20, 0)
    assert e.value.field == "ensembles"


def test_seeded_reproducibility():
    m = Model("pr", "relu", rho=2.0, depth=1)
    opts = AMPOptions(max_iter=60)
    a = amp_vs_se(m, 0.6, d=120, samples=3, seed=11, options=opts)
    b = amp_vs_se(m, 0.6, d=120, samples=3, seed=11, options=opts)
    assert [r.mse for r in a.runs] == [r.mse for r in b.runs]
    assert a.mse_mean == b.mse_mean and a.mse_stderr == b.mse_stderr
    # sample s does not depend on how many samples run, nor on the other α of the batch
    c = amp_points([m], [0.4, 0.6], d=120, samples=2, seed=11, options=opts, with_se=False)
    assert [r.mse for r in c[0][1].runs] == [r.mse for r in a.runs[:2]]
    other = amp_vs_se(m, 0.6, d=120, samples=3, seed=12, options=opts)
    assert [r.mse for r in other.runs] != [r.mse for r in a.runs]


def test_sign_invariant_mse():
    x = np.random.default_rng(0).standard_normal((50, 1))
    assert mse(-x, x, np.array([True]))[0] == 0.0
    assert mse(-x, x, np.array([False]))[0] == pytest.approx(4 * np.mean(x**2))
    assert sign_symmetric(Model("pr", "linear", rho=2.0, depth=2))
    assert sign_symmetric(Model("pr", "gauss-bernoulli", rho=0.4, depth=0))
    assert not sign_symmetric(Model("pr", "relu", rho=2.0, depth=1))
    assert not sign_symmetric(Model("cs", "linear", rho=2.0, depth=1))
    # AMP itself picks a sign at random for PR with a linear prior: the mse ignores it
    inst = make_instance(Model("pr", "linear", rho=2.0, depth=1), 1.4, 300, 0)
    found = [ml_amp(inst, seed=s) for s in range(4)]
    assert all(r.status == "perfect" and r.mse < 1e-8 for r in found)


def test_options_are_validated():
    for bad in ({"damping": 1.0}, {"max_iter": 0}, {"tol": 0.0}, {"init_overlap": -0.1},
                {"blas_threads": 0}):
        with pytest.raises(ModelError) as e:  # a ValueError naming the option
            AMPOptions(**bad).validate()
        assert e.value.field == next(iter(bad))
    with pytest.raises(ModelError) as e:
        make_instance(Model("cs", "linear", rho=2.0, depth=1), 1.0, 0, 0)
    assert e.value.field == "d"
    with pytest.raises(ValueError, match="alpha"):
        amp_vs_se(Model("cs", "linear", rho=2.0, depth=1), -1.0, d=50, samples=1)
    with pytest.raises(ValueError, match="batch"):
        amp_points([Model("pr", "linear", rho=2.0, depth=1), Model("pr", "linear", rho=2.0,
                                                                   depth=2)], [1.0], d=50)


def test_solver_registry_and_generic_runner():
    """ "ml-amp" is a registered solver; the generic runner's run of sample 0 is the direct
    ml_amp run on the instance and start drawn from sample 0's two streams."""
    assert "ml-amp" in SOLVERS.names
    s = get_solver("ml-amp")
    assert s.options is AMPOptions
    with pytest.raises(ModelError) as e:
        get_solver("no-such-solver")
    assert e.value.field == "solver"
    with pytest.raises(ModelError) as e:
        solver_options("ml-amp", object())
    assert e.value.field == "options"
    with pytest.raises(ModelError) as e:
        run_points([Model("cs", "relu", rho=2.0, depth=1)], [0.5], d=40, samples=1,
                   solver="no-such-solver")
    assert e.value.field == "solver"

    model, alpha, d, seed = Model("cs", "relu", rho=2.0, depth=2), 0.7, 150, 3
    opts = AMPOptions(max_iter=80)
    runs = run_points([model], [alpha], d=d, samples=2, seed=seed, options=opts,
                      with_se=False, solver="ml-amp")[0][0].runs
    inst_ss, start_ss = np.random.SeedSequence(seed).spawn(2)[0].spawn(2)
    inst = make_instance(model, alpha, d, np.random.default_rng(inst_ss))
    direct = ml_amp(inst, opts, seed=np.random.default_rng(start_ss))
    for r in (runs[0], solve(inst, "ml-amp", opts, seed=np.random.default_rng(start_ss))):
        assert isinstance(r, Run) and isinstance(r, AMPResult) and r.solver == "ml-amp"
        assert r.to_dict() == direct.to_dict()
        np.testing.assert_array_equal(r.mse_trajectory, direct.mse_trajectory)
        np.testing.assert_array_equal(r.x_hat, direct.x_hat)
    assert runs[1].mse != runs[0].mse
    # the record: generic fields, ML-AMP's own scalars as extras, arrays left out of to_dict
    d0 = direct.to_dict()
    assert set(d0) == {"solver", "alpha", "status", "n_iter", "mse", "residual", "restarts",
                       "damping", "mse_estimate", "converged"}
    assert set(direct.extras) == {"restarts", "damping", "mse_estimate"}
    assert direct.alpha == inst.n / d and direct.mse == direct.mse_trajectory[-1]


def test_planted_start_is_bayes_consistent():
    h = np.random.default_rng(0).standard_normal((20000, 1))
    xi = np.random.default_rng(1).standard_normal((20000, 1))
    h0, v0 = AMPOptions(init_overlap=0.2).start(xi, h, 1.0)
    assert v0 == pytest.approx(0.8)
    assert np.mean(h0 * h) == pytest.approx(0.2, abs=0.02)  # overlap m = ηρ
    assert np.mean(h0 * h0) == pytest.approx(0.2, abs=0.02)  # q = m (Nishimori)


# ------------------------------------------------------------------ CLI
def test_cli_amp_json_and_errors(run_cli):
    code, out, _ = run_cli("amp", "--problem", "cs", "--prior", "gauss-bernoulli",
                       "--rho", "0.3", "--alpha", "0.7", "--d", "200", "--samples", "2",
                       "--json")
    assert code == 0
    d = json.loads(out)
    assert {"mse_amp", "mse_amp_stderr", "mse_se", "amp_status", "options", "seed"} <= set(d)
    assert d["mse_se"] == 0.0 and d["mse_amp"] < 0.02
    code, out, _ = run_cli("amp", "--problem", "pr", "--prior", "relu", "--alpha", "0.8",
                       "--d", "100", "--samples", "1")
    assert code == 0 and "ML-AMP mse" in out and "state evolution mse" in out
    for bad in (("--damping", "1"), ("--d", "0"), ("--samples", "0"), ("--alpha", "0")):
        code, _, err = run_cli("amp", "--problem", "pr", "--prior", "relu",
                           *(("--alpha", "0.8") if bad[0] != "--alpha" else ()), *bad)
        assert code == 2 and err.count("\n") == 1 and "error" in err
    code, _, err = run_cli("amp", "--problem", "pr", "--prior", "gauss-bernoulli",
                       "--rho", "2", "--alpha", "1")
    assert code == 2 and "--rho" in err


def test_convergence_split_diagnostic(run_cli):
    """The converged / unconverged split partitions the runs: sizes add up, the weighted
    means give the overall mean; the CLI prints it only when both parts are non-empty."""
    model = Model("pr", "gaussian", depth=0)
    p = amp_vs_se(model, 0.8, d=300, samples=6, seed=0, options=AMPOptions(max_iter=40))
    (n_ok, m_ok), (n_bad, m_bad) = p.split_by_convergence()
    assert n_ok + n_bad == 6 and n_ok >= 1 and n_bad >= 1, p.statuses
    assert (n_ok * m_ok + n_bad * m_bad) / 6 == pytest.approx(p.mse_mean, rel=1e-12)
    d = p.to_dict()
    assert d["amp_converged"] == n_ok and d["mse_amp_unconverged"] == pytest.approx(m_bad)
    code, out, _ = run_cli("amp", "--problem", "pr", "--prior", "gaussian", "--alpha", "0.8",
                           "--d", "300", "--samples", "6", "--max-iter", "40")
    assert code == 0 and "mean mse by outcome" in out
    counts = [int(x) for x in re.findall(r"\((\d+) runs?\)", out)]
    assert sum(counts) == 6 and len(counts) >= 2  # the outcome groups partition the runs
    code, out, _ = run_cli("amp", "--problem", "pr", "--prior", "gaussian", "--alpha", "0.8",
                           "--d", "300", "--samples", "6", "--max-iter", "40", "--json")
    assert json.loads(out)["amp_converged"] == n_ok


# ------------------------------------------------------------------ agreement with the SE
# d = 500, 16 seeded samples: the mean AMP mse is within 0.02 of the SE (uninformed start)
# at points ≥ 0.05 from αalg, in the weak / hard and the easy phases. Thresholds (SE):
# cs relu ρ=2 L=1: αIT 1/2, αalg 0.585; cs gauss-bernoulli ρs=0.3: αIT 0.3, αalg 0.480;
# pr relu ρ=2 L=1: αIT 1/2, αalg 0.656; pr linear ρ=2 L=1: αc 1/3, αalg 1.056;
# cs linear ρ=2 L=1: no hard phase (αIT = αalg = 1).
AGREEMENT = [
    ("cs", "linear", 2.0, 1, (0.5, 1.2)),
    ("cs", "relu", 2.0, 1, (0.3, 0.53, 0.8)),
    ("cs", "gauss-bernoulli", 0.3, 0, (0.4, 0.6)),
    ("pr", "relu", 2.0, 1, (0.3, 0.55, 0.9)),
    ("pr", "linear", 2.0, 1, (1.3,)),
]


@pytest.mark.parametrize("problem,prior,rho,depth,alphas", AGREEMENT)
def test_amp_agrees_with_se(problem, prior, rho, depth, alphas):
    model = Model(problem, prior, rho=rho, depth=depth)
    pts = amp_points([model], alphas, d=500, samples=16, seed=0,
                     options=AMPOptions(max_iter=150))[0]
    for p in pts:
        assert abs(p.mse_mean - p.se_mse) <= 0.02, (p.alpha, p.mse_mean, p.se_mse)


@pytest.mark.slow
@pytest.mark.parametrize("prior,depth,alpha,tol", [
    ("relu", 2, 0.45, 0.02),
    ("relu", 3, 0.3, 0.02),
    # PR with a sign-symmetric (linear) prior: in its weak phase the finite-d AMP mse has a
    # large sample-to-sample spread (measured std per sample ≈ 0.15 at d = 500, ≈ 0.06 at
    # d = 2000) and is biased upwards (instances on which AMP never converges and wanders
    # far above the SE; the effect shrinks with d, README "Finite-size AMP"): 0.02 does not
    # hold at d = 2000 with 10 samples (results/fig1.csv, up to +0.076); this checks the
    # weaker bound measured there.
    ("linear", 1, 0.85, 0.08),
])
def test_amp_agrees_with_se_fig1_setting(prior, depth, alpha, tol):
    """PR at the Fig. 1 setting (ρ = 2, β = 1), d = 2000, 10 samples, float32 matrices."""
    model = Model("pr", prior, rho=2.0, depth=depth)
    p = amp_vs_se(model, alpha, d=2000, samples=10, seed=0, dtype=np.float32,
                  options=AMPOptions(max_iter=300))
    assert abs(p.mse_mean - p.se_mse) <= tol, (p.mse_mean, p.mse_stderr, p.se_mse)


@pytest.mark.slow
def test_linear_pr_weak_phase_reaches_se_at_large_d():
    """The weak-phase gap of linear-prior PR is finite size: at d = 8000 (PR, ρ = 2, L = 1,
    α = 0.95, SE 0.2404) every run converges and the mean is within 0.02 of the SE (measured
    0.2384 ± 0.0021, 4 samples, ≈ 40 s on 2 workers; at d = 2000 a run in two does not
    converge)."""
    model = Model("pr", "linear", rho=2.0, depth=1)
    p = amp_vs_se(model, 0.95, d=8000, samples=4, seed=0, dtype=np.float32,
                  options=AMPOptions(max_iter=600), workers=2)
    assert abs(p.mse_mean - p.se_mse) <= 0.02, (p.mse_mean, p.mse_stderr, p.se_mse)
    assert p.split_by_convergence()[1][0] == 0, p.statuses


@pytest.mark.slow
def test_benchmark_amp_runs():
    assert benchmark_amp() < 30.0  # ≈ 1.9 s measured (float32, 1 BLAS thread)
