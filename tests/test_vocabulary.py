"""One vocabulary (names ↔ kernel codes), read by every layer; dispatchers refuse unknown
codes; one error family; the registries of engines and compute kinds."""

import dataclasses
import typing

import numpy as np
import pytest

from phasediag import errors, thresholds, vocabulary
from phasediag.blocks.channels import channel_block, cs_lambda
from phasediag.blocks.gauss_bernoulli import gb_prior
from phasediag.blocks.layers import layer_block, linear_layer
from phasediag.blocks.pr import pr_lambda
from phasediag.blocks.priors import gaussian_prior, prior_block
from phasediag.blocks.relu import relu_layer
from phasediag.blocks.tables import load_tables
from phasediag.cli import cli
from phasediag.errors import ModelError, PhasediagError
from phasediag.model import KernelModel, Model
from phasediag.se import ENGINES, SEState, engine_step

REGISTRIES = [vocabulary.CHANNELS, vocabulary.PRIORS, vocabulary.PRIOR_BLOCKS,
              vocabulary.ACTIVATIONS, vocabulary.ENSEMBLES, ENGINES]


@pytest.mark.parametrize("reg", REGISTRIES, ids=lambda r: r.kind)
def test_every_entry_round_trips(reg):
    assert [e.code for e in reg] == list(range(len(reg.entries)))
    for e in reg:
        assert reg.name(reg.code(e.name)) == e.name
        assert reg[e.name] is e
    with pytest.raises(ModelError, match=f"^{reg.kind}: expected one of"):
        reg.code("no-such-name")
    with pytest.raises(ModelError):
        reg.name(len(reg.entries))


TABS = load_tables()


def test_every_prior_block_code_is_dispatched():
    direct = {"gaussian": lambda r, p: gaussian_prior(r),
              "gauss-bernoulli": lambda r, p: gb_prior(r, p, TABS.gb)}
    assert set(direct) == set(vocabulary.PRIOR_BLOCKS.names)
    for e in vocabulary.PRIOR_BLOCKS:
        for r in (0.3, 7.0):
            assert prior_block(e.code, r, 0.4, TABS.gb) == direct[e.name](r, 0.4)
    with pytest.raises(ValueError, match="unknown"):
        prior_block(len(vocabulary.PRIOR_BLOCKS.entries), 1.0, 0.4, TABS.gb)


def test_every_activation_code_is_dispatched():
    direct = {"linear": lambda *a: linear_layer(*a),
              "relu": lambda *a: relu_layer(*a, TABS.relu)}
    assert set(direct) == set(vocabulary.ACTIVATIONS.names)
    for e in vocabulary.ACTIVATIONS:
        args = (2.0, 0.3, 0.7, 1.0)
        assert layer_block(e.code, *args, TABS.relu) == direct[e.name](*args)
    with pytest.raises(ValueError, match="unknown"):
        layer_block(len(vocabulary.ACTIVATIONS.entries), 2.0, 0.3, 0.7, 1.0, TABS.relu)


def test_every_channel_code_is_dispatched():
    direct = {"cs": lambda m, v, rho, noise: cs_lambda(v, noise),
              "pr": lambda m, v, rho, noise: pr_lambda(m, v, rho, TABS.pr)}
    assert set(direct) == set(vocabulary.CHANNELS.names)
    for e in vocabulary.CHANNELS:
        assert channel_block(e.code, 0.4, 0.6, 1.0, 0.0, TABS.pr) == \
            direct[e.name](0.4, 0.6, 1.0, 0.0)
    with pytest.raises(ValueError, match="unknown"):
        channel_block(len(vocabulary.CHANNELS.entries), 0.4, 0.6, 1.0, 0.0, TABS.pr)


def test_every_engine_code_is_dispatched_and_unknown_refused():
    km = Model("pr", "relu", rho=2.0, depth=2).kernel()
    for e in ENGINES:
        st = SEState(km.rho * 0.5, km.rho * 0.5, np.zeros_like(km.rho))
        engine_step(e.code, 0.7, st, km, TABS)
        assert np.all(np.isfinite(st.m)) and np.all(st.mhat > 0)
    st = SEState(km.rho * 0.5, km.rho * 0.5, np.zeros_like(km.rho))
    with pytest.raises(ValueError, match="unknown engine"):
        engine_step(len(ENGINES.entries), 0.7, st, km, TABS)


# ---------------------------------------------------------------------------- model
@pytest.mark.parametrize("prior", vocabulary.PRIOR_NAMES)
def test_model_defaults_follow_the_vocabulary(prior):
    m = Model("pr", prior, rho=0.5)
    entry = vocabulary.PRIORS[prior]
    assert m.separable == entry.separable == (prior in vocabulary.SEPARABLE_PRIORS)
    assert m.depth == vocabulary.default_depth(prior) == (0 if entry.separable else 1)
    assert m.layer_activations == (() if entry.separable else (entry.activation,))
    assert m.matrix_ensembles == ("gaussian",) * (m.L + 1)
    km = m.kernel()
    assert isinstance(km, KernelModel)
    assert km.prior_code == vocabulary.PRIOR_BLOCKS.code(entry.block)
    assert km.channel == vocabulary.CHANNEL_PR
    assert list(km.act) == [vocabulary.ACTIVATIONS.code(a) for a in m.layer_activations]


def test_separable_prior_from_python_without_depth():
    """The Model owns the default depth: the Python API works as the CLI does."""
    r = thresholds(problem="pr", prior="gaussian", tol=1e-3)
    assert r.model.depth == 0 and r.alpha_it.lo <= 1.0 <= r.alpha_it.hi + 1e-3


@pytest.mark.parametrize("kwargs, field", [
    ({"betas": 3, "depth": 2}, "betas"),
    ({"activations": "relu"}, "activations"),
    ({"depth": 1.5}, "depth"),
    ({"depth": True}, "depth"),
    ({"rho": "1"}, "rho"),
    ({"noise": float("nan")}, "noise"),
    ({"ensembles": ("haar", "gaussian")}, "ensembles"),
    ({"ensembles": ("gaussian",)}, "ensembles"),
])
def test_bad_python_arguments_raise_the_family_error(kwargs, field):
    with pytest.raises(ModelError) as exc:
        Model("cs", "linear", **kwargs)
    assert exc.value.field == field and "\n" not in str(exc.value)


def test_noise_follows_the_channel_entry():
    for c in vocabulary.CHANNELS:
        if c.accepts_noise:
            Model(c.name, "linear", noise=0.1)
        else:
            with pytest.raises(ModelError, match="noise"):
                Model(c.name, "linear", noise=0.1)


def test_every_error_class_is_in_the_family():
    from phasediag.computes import ComputeKind  # noqa: F401 — imports every kind

    classes = [c for c in vars(errors).values() if isinstance(c, type)
               and issubclass(c, Exception)]
    assert len(classes) >= 6
    assert all(issubclass(c, PhasediagError) for c in classes)


# ---------------------------------------------------------------------------- consumers
def _choices(command: str, option: str) -> tuple[str, ...]:
    cmd = cli.commands[command]
    (opt,) = [p for p in cmd.params if p.name == option]
    return tuple(opt.type.choices)


@pytest.mark.parametrize("command", ["thresholds", "se", "amp"])
def test_cli_choices_are_the_vocabulary(command):
    assert _choices(command, "problem") == vocabulary.PROBLEM_NAMES
    assert _choices(command, "prior") == vocabulary.PRIOR_NAMES
    assert _choices(command, "activations") == vocabulary.ACTIVATION_NAMES


def test_config_schema_choices_are_the_vocabulary():
    from phasediag import computes
    from phasediag.config import Act, ConfigSpec, PriorAxis, ProblemAxis

    def literal_values(axis):
        lits = [a for a in typing.get_args(typing.get_args(axis)[0])]
        return typing.get_args(typing.get_args(lits[0])[0])

    assert literal_values(ProblemAxis) == vocabulary.PROBLEM_NAMES
    assert literal_values(PriorAxis) == vocabulary.PRIOR_NAMES
    assert typing.get_args(Act) == vocabulary.ACTIVATION_NAMES
    assert typing.get_args(ConfigSpec.model_fields["compute"].annotation) == computes.NAMES


def test_compute_kind_registry():
    from phasediag import computes
    from phasediag.plots import KINDS as PLOT_KINDS
    from phasediag.records import INPUT_COLUMNS

    for name, kind in computes.KINDS.items():
        assert kind.name == name
        cols = computes.columns(name)
        assert cols[: len(INPUT_COLUMNS)] == INPUT_COLUMNS
        assert cols[-3:] == ("seconds", "error", "checksum") and len(set(cols)) == len(cols)
        assert kind.alpha in ("required", "forbidden")
        assert kind.plots and set(kind.plots) <= set(PLOT_KINDS)
    with pytest.raises(errors.ConfigError, match="compute: expected one of"):
        computes.get("nope")


def test_kernel_model_is_a_plain_bundle():
    km = Model("cs", "relu", rho=0.5, depth=3, betas=(2, 3)).kernel()
    assert [f for f in KernelModel._fields] == ["act", "beta", "rho", "prior_code",
                                                "prior_param", "channel", "noise", "ensemble",
                                                "spec_nodes", "spec_weights", "spec_count"]
    assert km.beta.dtype == np.float64 and km.act.dtype == np.int64
    assert dataclasses.is_dataclass(Model)
