"""Command-line interface: parse → call the library → write. Bad input exits 2 with one line."""

from __future__ import annotations

import json
import math
import sys

import click

from phasediag import __version__
from phasediag.errors import ModelError, PhasediagError
from phasediag.limits import LIMITS
from phasediag.model import Model
from phasediag.se.engines import ENGINE_CHOICES
from phasediag.templates import names as template_names
from phasediag.vocabulary import (
    ACTIVATION_NAMES,
    PRIOR_BLOCKS,
    PRIOR_NAMES,
    PRIORS,
    PROBLEM_NAMES,
    SEPARABLE_PRIORS,
)

TEMPLATE_NAMES = template_names()
PLOT_KINDS = ("phase-diagram", "gap", "mse", "kappa")  # = phasediag.plots.KINDS (tested)
DERIVED = {"beta_L": "--rho' / '--beta"}  # model fields that no single option sets


class CLIError(click.UsageError):
    """One-line usage error (exit status 2)."""


class Limited(click.ParamType):
    """A number checked against `phasediag.limits.LIMITS[name]` — the same range the
    library and the config schema enforce (no nan/inf, no out-of-range value)."""

    def __init__(self, name: str):
        self.limit = LIMITS[name]
        self.name = "integer" if self.limit.integer else "float"

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            text = value.strip()
            try:
                value = int(text) if self.limit.integer and text.lstrip("+-").isdigit() \
                    else float(text)
            except ValueError:
                self.fail(f"expected {self.limit.text()}, got {value!r}", param, ctx)
        try:
            return self.limit.check(param.name if param else "value", value)
        except ModelError as e:
            self.fail(e.message, param, ctx)

    def get_metavar(self, param, ctx=None):  # noqa: ARG002 — click's signature
        return "INTEGER" if self.limit.integer else "FLOAT"


def model_options(f):
    """Options shared by every command that describes one model."""
    opts = [
        click.option("--problem", type=click.Choice(PROBLEM_NAMES), required=True,
                     help="cs: y = Ax (compressed sensing); pr: y = |Ax| (real phase retrieval)."),
        click.option("--prior", type=click.Choice(PRIOR_NAMES), required=True,
                     help="Generative chain (linear, relu) or i.i.d. prior on x "
                          f"({', '.join(SEPARABLE_PRIORS)})."),
        click.option("--rho", type=Limited("rho"), default=1.0, show_default=True,
                     help="ρ = k/d (latent ratio); for gauss-bernoulli the density ρs ∈ (0, 1]."),
        click.option("--depth", "-L", type=Limited("depth"), default=None,
                     help="Number of weight matrices L (default 1; 0 = prior directly on x). "
                          f"Not used by {' / '.join(SEPARABLE_PRIORS)}."),
        click.option("--beta", "betas", type=Limited("beta"), multiple=True,
                     help="β_1..β_{L−1}, repeated in order (default 1 each; β_L is fixed by ρ)."),
        click.option("--activation", "activations", type=click.Choice(ACTIVATION_NAMES),
                     multiple=True, help="Per-layer σ override, repeated L times (e.g. linear "
                                         "then relu); default: the prior's σ on every layer."),
        click.option("--noise", type=Limited("noise"), default=0.0, show_default=True,
                     help="Gaussian noise variance Δ on y (cs only)."),
        click.option("--ensemble-a", "ensemble_a", default="gaussian", show_default=True,
                     metavar="ENSEMBLE",
                     help="Sensing matrix A: gaussian (i.i.d.), orthogonal, geometric:KAPPA "
                          "(singular values geometrically spaced, condition number KAPPA) "
                          "or empirical:FILE (.npy singular values or matrix, or a text "
                          "file). Non-Gaussian matrices use the ML-VAMP state evolution."),
        click.option("--ensemble-w", "ensemble_w", multiple=True, metavar="ENSEMBLE",
                     help="Weight matrices W_l, same forms as --ensemble-a: once for every "
                          "layer, or repeated L times (default gaussian)."),
        click.option("--kappa", type=Limited("kappa"), default=None,
                     help="Condition number of every ensemble given as plain 'geometric'."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def build_model(problem: str, prior: str, rho: float, depth: int | None, betas: tuple,
                activations: tuple, noise: float, ensemble_a: str = "gaussian",
                ensemble_w: tuple = (), kappa: float | None = None) -> Model:
    """Model from CLI options (its defaults are the Model's); an error becomes a one-line
    usage error naming the option."""
    from phasediag.spectra import parse

    try:
        base = Model(problem, prior, rho=rho, depth=depth, betas=tuple(betas), noise=noise,
                     activations=tuple(activations) if activations else None)
        ensembles = None
        if ensemble_a != "gaussian" or ensemble_w:
            if ensemble_w and base.L == 0:
                raise ModelError("ensemble_w", f"prior {prior} has no weight matrices")
            if len(ensemble_w) not in (0, 1, base.L):
                raise ModelError("ensemble_w", f"expected 1 or L = {base.L} values, got "
                                               f"{len(ensemble_w)}")
            ws = [parse(w, kappa, "ensemble_w") for w in ensemble_w] or ["gaussian"]
            ws = ws * base.L if len(ws) == 1 else ws
            ensembles = (*ws[:base.L], parse(ensemble_a, kappa, "ensemble_a"))
        return Model(problem, prior, rho=rho, depth=depth, betas=tuple(betas), noise=noise,
                     activations=tuple(activations) if activations else None,
                     ensembles=ensembles)
    except PhasediagError as e:
        option = DERIVED.get(e.field, f"--{e.field.split('[')[0].replace('_', '-')}")
        raise CLIError(f"Invalid value for '{option}': {e.message}") from None


def describe_model(model: Model) -> str:
    """The model in words, naming only what it uses: "pr, relu chain (L = 2, ρ = 2,
    β = [1.0, 0.5])", "cs, linear then relu chain (…)", "pr, gaussian i.i.d. prior on x",
    "cs, gauss-bernoulli prior on x (ρs = 0.5)"."""
    if model.separable:
        what = f"{model.problem}, {model.prior} i.i.d. prior on x"
        if PRIOR_BLOCKS.get(PRIORS.get(model.prior).block).has_param:
            what += f" (ρs = {model.rho:g})"
        return what
    acts = model.layer_activations
    chain = acts[0] if len(set(acts)) == 1 else " then ".join(acts)
    if model.L == 0:
        return f"{model.problem}, Gaussian prior on x = z (L = 0)"
    return (f"{model.problem}, {chain} chain (L = {model.L}, ρ = {model.rho:g}, "
            f"β = {list(model.full_betas)})")


def _ensembles_text(model: Model) -> str:
    """", A orthogonal, W geometric:10" — only when some matrix is not i.i.d. Gaussian."""
    from phasediag.spectra import label

    labels = [label(e) for e in model.matrix_ensembles]
    if set(labels) == {"gaussian"}:
        return ""
    w = labels[:-1]
    w_text = "" if not w else (f", W {w[0]}" if len(set(w)) == 1 else f", W {'/'.join(w)}")
    return f", A {labels[-1]}{w_text}"


def _header(model: Model, extra: str) -> str:
    """First line of a plain-text report: version and the model."""
    return f"phasediag {__version__}: {describe_model(model)}{_ensembles_text(model)}, {extra}"


def _unused_rho_note(model: Model) -> None:
    """Say so when --rho was given to a prior that has no ρ (it is ignored)."""
    ctx = click.get_current_context()
    given = ctx.get_parameter_source("rho") not in (None, click.core.ParameterSource.DEFAULT)
    if given and model.separable and not PRIOR_BLOCKS.get(PRIORS.get(model.prior).block) \
            .has_param:
        click.echo(f"note: --rho is not used by the {model.prior} prior (x is i.i.d. "
                   "N(0, 1), ρ_x = 1)", err=True)


def _free_entropy_fields(res) -> dict:
    """free_entropy and mutual_information (nats per component of x) at an SE fixed point;
    JSON has no infinity: an infinite value is null with `…_infinite: true`."""
    from phasediag.free_entropy import free_entropy_of, mutual_information_of

    try:
        fe, mi = free_entropy_of(res), mutual_information_of(res)
    except PhasediagError as e:
        return {"free_entropy": None, "mutual_information": None,
                "free_entropy_note": e.message}
    out = {}
    for key, x in (("free_entropy", fe), ("mutual_information", mi)):
        inf = math.isinf(x)
        out[key] = None if inf else float(x)
        out[f"{key}_infinite"] = inf
    return out


def _fmt(x: float | None, digits: int = 6) -> str:
    if x is None:
        return "none"
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    return f"{x:.{digits}f}"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="phasediag")
def cli() -> None:
    """Exact phase diagrams of compressed sensing and phase retrieval with generative priors.

    Computes state-evolution fixed points of Bayes-optimal AMP and the thresholds
    αc (weak recovery), αIT (perfect recovery possible) and αalg (AMP succeeds).
    """


@cli.command("thresholds")
@model_options
@click.option("--tol", type=Limited("tol"), default=1e-4, show_default=True,
              help="Bracket width of every threshold.")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True,
              help="State evolution: auto = AMP SE when every matrix is Gaussian, else ML-VAMP "
                   "SE; amp; vamp (any ensemble).")
@click.option("--alpha-alg-method", "alg_method", type=click.Choice(("bisect", "fold")),
              default="bisect", show_default=True,
              help="αalg by bisection over SE runs, or located as the fold (saddle-node) of "
                   "the uninformed branch: milliseconds and a certified bracket at any tol "
                   "(status fold | continuous; falls back to bisection, saying so).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def thresholds_cmd(problem, prior, rho, depth, betas, activations, noise, ensemble_a,
                   ensemble_w, kappa, tol, engine, alg_method, as_json):
    """αc, αIT and αalg of one model, as brackets [lo, hi] of width ≤ TOL.

    \b
    Example (paper, Fig. 1: αc = 1/3, αalg ≈ 1.056):
      phasediag thresholds --problem pr --prior linear --rho 2 --depth 1
    """
    from phasediag.thresholds import compute_thresholds

    model = build_model(problem, prior, rho, depth, betas, activations, noise, ensemble_a,
                        ensemble_w, kappa)
    from phasediag.se import SEOptions

    res = compute_thresholds(model, tol=tol, opts=SEOptions(engine=engine),
                             alg_method=alg_method)
    d = res.to_dict()
    if as_json:
        click.echo(json.dumps(d))
        return
    _unused_rho_note(model)
    click.echo(_header(model, f"Δ = {noise:g}, tol = {tol:g}"))
    click.echo(f"{'threshold':<10} {'value':>10} {'bracket':>25} {'status':>10} {'analytic':>10}")
    rows = (("alpha_c", res.alpha_c, res.alpha_c_analytic),
            ("alpha_IT", res.alpha_it, res.alpha_it_analytic),
            ("alpha_alg", res.alpha_alg, None))
    for name, b, ana in rows:
        if b is None:
            click.echo(f"{name:<10} {'none':>10} {'':>25} {'':>10} {_fmt(ana):>10}")
        else:
            br = f"[{_fmt(b.lo)}, {_fmt(b.hi)}]"
            click.echo(f"{name:<10} {_fmt(b.mid):>10} {br:>25} {b.status:>10} {_fmt(ana):>10}")
    if res.hard_phase is not None:
        if res.hard_phase:  # αalg's bracket lies above αIT's: the gap is resolved
            lo = res.alpha_alg.lo - res.alpha_it.hi
            hi = res.alpha_alg.hi - res.alpha_it.lo
            mid = res.alpha_alg.mid - res.alpha_it.mid
            gap = f"yes (Δalg = {mid:.6f}, in [{lo:.6f}, {hi:.6f}])"
        else:  # the brackets touch: no gap is resolved at this tolerance
            gap = f"no (Δalg < {2 * tol:g}: the αIT and αalg brackets touch)"
        click.echo(f"hard phase: {gap}; uninformed mse at αalg lo: "
                   f"{_fmt(res.mse_below_alg, 3)}")
    for n in res.notes:
        click.echo(f"note: {n}")
    click.echo(f"converged: {res.converged}   ({res.seconds:.3f} s)")


@cli.command("se")
@model_options
@click.option("--alpha", type=Limited("alpha"), required=True, help="Sample ratio α = n/d.")
@click.option("--init", type=click.Choice(("uninformed", "informed")), default="uninformed",
              show_default=True, help="Uninformed (AMP) or informed (m ≈ ρ) start.")
@click.option("--max-iter", type=Limited("max_iter"), default=1_000_000, show_default=True)
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True,
              help="State evolution: auto = AMP SE when every matrix is Gaussian, else ML-VAMP "
                   "SE; amp; vamp (any ensemble).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def se_cmd(problem, prior, rho, depth, betas, activations, noise, ensemble_a, ensemble_w,
           kappa, alpha, init, max_iter, engine, as_json):
    """State-evolution fixed point at one α: mse, overlaps per layer, iterations, status."""
    from phasediag.se import SEOptions, solve_se

    model = build_model(problem, prior, rho, depth, betas, activations, noise, ensemble_a,
                        ensemble_w, kappa)
    res = solve_se(model, alpha, init=init, opts=SEOptions(max_iter=max_iter, engine=engine))
    d = res.to_dict()
    d.update(_free_entropy_fields(res))
    if as_json:
        click.echo(json.dumps(d))
        return
    _unused_rho_note(model)
    click.echo(_header(model, f"Δ = {noise:g}, α = {alpha:g}, {init} start"))
    click.echo(f"mse = {res.mse:.10g}   (mse/ρ_x = {res.normalized_mse:.6g}; "
               f"last iterate {res.mse_last:.3g})")
    names = ["z"] + [f"h{i + 2}" for i in range(model.L - 1)] + ["x"] if model.L else ["x"]
    for name, m, v, r in zip(names, res.overlaps, res.mses, model.second_moments, strict=True):
        click.echo(f"  {name:<4} overlap m = {m:.10g}   mse = {v:.6g}   (ρ = {r:g})")
    fe, mi = d["free_entropy"], d["mutual_information"]
    if fe is not None:
        mi_text = "+inf (noiseless channel)" if d["mutual_information_infinite"] else \
            f"{mi:.10g}"
        click.echo(f"free entropy Φ = {fe:.10g}   mutual information I(x; y)/d = {mi_text}")
    elif d.get("free_entropy_note"):
        click.echo(f"free entropy: {d['free_entropy_note']}")
    click.echo(f"status: {res.status}   iterations: {res.n_iter}   converged: {res.converged}")


@cli.command("sweep")
@click.argument("config", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--template", type=click.Choice(TEMPLATE_NAMES), default=None,
              help="Print a commented config of this compute kind to start from, then stop.")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="Output CSV (FILE.csv.meta.json is written beside it). Required unless "
                   "--dry-run.")
@click.option("--workers", "-j", type=Limited("workers"), default=None,
              help="Processes computing: this one and N−1 local workers (default: CPU "
                   "count; 1 = this process only).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on a dask.distributed scheduler (tcp://HOST:PORT) instead of the "
                   "local pool; needs `pip install phasediag[dask]`.")
@click.option("--resume", is_flag=True,
              help="Keep the rows already in --out (same config only) and compute the rest.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out.")
@click.option("--dry-run", is_flag=True,
              help="Print the number of points and an estimated cost, then stop.")
@click.option("--chunk-size", type=Limited("chunk_size"), default=None,
              help="Points per task (default: automatic, ≈ 0.1 s of work per task).")
def sweep_cmd(config, template, out, workers, scheduler, resume, force, dry_run, chunk_size):
    """Compute a grid from a YAML CONFIG into a CSV, one row per point.

    The config's `compute` kind says what a row is: thresholds (αc, αIT, αalg per
    model), mse (the SE fixed point per α) or amp (finite-size ML-AMP per α over seeded
    instances). Every key is shown, commented, by `--template KIND`. Rows are appended as
    points finish: an interrupted sweep keeps its rows and `--resume` computes only the
    missing ones. A failed point is a row with its error. The output's directory is
    created; FILE.csv.meta.json beside it records the config, versions and options.

    \b
    Example:
      phasediag sweep --template thresholds > my.yaml
      phasediag sweep my.yaml --out results/my.csv --dry-run
      phasediag sweep my.yaml --out results/my.csv
    """
    from phasediag.config import load_config
    from phasediag.runner import plan_sweep, run_sweep

    if template is not None:
        from phasediag.templates import template as template_text

        if config is not None:
            raise CLIError("--template prints a config: give it without CONFIG")
        click.echo(template_text(template), nl=False)
        return
    if config is None:
        raise CLIError("Missing argument 'CONFIG' (a YAML file; `phasediag sweep --template "
                       "thresholds` prints one to start from)")
    if resume and force:
        raise CLIError("--resume and --force exclude each other")
    cfg = load_config(config)
    if dry_run:
        plan = plan_sweep(cfg, out=out, workers=workers, resume=resume, chunk_size=chunk_size,
                          force=force)
        click.echo(f"dry run: {plan.describe(cfg.compute)}; nothing written")
        return
    if out is None:
        raise CLIError("Missing option '--out' (the CSV to write)")
    try:
        st = run_sweep(cfg, out, workers=workers, scheduler=scheduler, resume=resume,
                       force=force, chunk_size=chunk_size, config_file=config)
    except KeyboardInterrupt:
        click.echo(f"phasediag: interrupted; the completed rows are in {out}: rerun with "
                   "--resume to compute the rest", err=True)
        sys.exit(130)  # (click returns, not raises, an Exit code outside standalone mode)
    except OSError as e:
        raise CLIError(f"{e.filename or out}: {e.strerror or e}") from None
    failed = f", {st.n_failed} failed (see the error column)" if st.n_failed else ""
    kept = f" ({st.n_existing} kept from before)" if st.n_existing else ""
    click.echo(f"wrote {st.n_existing + st.n_computed} rows to {st.out}{kept}: "
               f"{st.n_computed} computed in {st.seconds:.1f} s "
               f"({st.points_per_second:.1f} points/s, {st.backend}, {st.workers} worker(s))"
               f"{failed}")


@cli.command("plot")
@click.argument("csv", type=click.Path(dir_okay=False))
@click.option("--out", "-o", "outs", type=click.Path(dir_okay=False), multiple=True,
              help="Output file(s), format from the suffix (.png, .pdf, .svg); repeat for "
                   "several. Default: CSV with the suffix .png.")
@click.option("--kind", type=click.Choice(PLOT_KINDS), default=None,
              help="phase-diagram: regions and thresholds in the (ρ, α) plane; gap: "
                   "Δalg = αalg − αIT against ρ (thresholds tables); mse: mse against α "
                   "(mse and amp tables); kappa: thresholds against the condition number of "
                   "a geometric sensing matrix. Default: the first kind of the table's compute "
                   "kind, read from FILE.csv.meta.json (or its columns).")
@click.option("--log-y", is_flag=True, help="Logarithmic y axis (e.g. Δalg of a gap plot).")
@click.option("--compare", type=click.Path(dir_okay=False), default=None,
              help="A second table drawn with the first: for phase diagrams a thresholds "
                   "CSV whose αalg are comparison curves (dash-dot, e.g. the sparse "
                   "Gauss–Bernoulli baseline); under an amp table an mse CSV whose SE "
                   "curves the finite-size dots sit on.")
@click.option("--figure", "figure", default=None, metavar="NAME",
              help="The paper's panel layout (fig1, fig3 … fig7) instead of one panel per "
                   "(problem, prior); overrides --kind.")
@click.option("--title", default=None, help="Figure title.")
def plot_cmd(csv, outs, kind, log_y, compare, figure, title):
    """Draw a sweep CSV as a figure; plotting never computes.

    Points whose brackets are undecided, or runs that did not converge, are drawn as
    hollow markers; failed rows as crosses on the ρ axis.

    \b
    Example:
      phasediag plot results/fig3.csv --figure fig3 --out fig3.png --out fig3.pdf
    """
    from pathlib import Path

    from phasediag.plots import PlotError, plot_csv

    outs = outs or (str(Path(csv).with_suffix(".png")),)
    try:
        written = plot_csv(csv, outs, kind=kind, compare=compare, figure=figure, title=title,
                           log_y=log_y)
    except PlotError as e:
        raise CLIError(str(e)) from None
    except OSError as e:
        raise CLIError(f"{e.filename or outs[0]}: {e.strerror or e}") from None
    click.echo(f"wrote {', '.join(str(p) for p in written)}")


@cli.command("amp")
@model_options
@click.option("--alpha", type=Limited("alpha"), required=True, help="Sample ratio α = n/d.")
@click.option("--d", "d", type=Limited("d"), default=2000, show_default=True,
              help="Signal dimension d (k_l = round(d·k_l/d), n = round(α d)).")
@click.option("--samples", type=Limited("samples"), default=10, show_default=True,
              help="Independent instances; mean and standard error over them.")
@click.option("--seed", type=Limited("seed"), default=0, show_default=True,
              help="Seed of numpy's SeedSequence; sample s uses its s-th child.")
@click.option("--max-iter", type=Limited("amp_max_iter"), default=500, show_default=True)
@click.option("--damping", type=Limited("damping"), default=0.0,
              show_default=True, help="Initial damping D of the output messages g.")
@click.option("--init-overlap", type=Limited("init_overlap"), default=0.0,
              show_default=True, help="0: random (uninformed) start; η > 0: planted start "
                                      "with overlap η ρ_1, like the SE's m = ε.")
@click.option("--float32", "f32", is_flag=True,
              help="Store the matrices in float32 (about 2× faster, mse floor ~1e-10).")
@click.option("--workers", "-j", type=Limited("workers"), default=1, show_default=True,
              help="Processes over the samples.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def amp_cmd(problem, prior, rho, depth, betas, activations, noise, ensemble_a, ensemble_w,
            kappa, alpha, d, samples, seed, max_iter, damping, init_overlap, f32, workers,
            as_json):
    """Finite-size multi-layer AMP at one α, beside the SE prediction (uninformed start).

    Reports the mean and standard error over SAMPLES of the final mse ‖x̂ − x*‖²/d
    (up to the global sign for PR with a linear or separable prior).

    \b
    Example (paper, Fig. 1):
      phasediag amp --problem pr --prior relu --rho 2 --depth 2 --alpha 0.45 --d 2000
    """
    import time
    from dataclasses import asdict

    import numpy as np

    from phasediag.finite.experiments import amp_vs_se
    from phasediag.finite.mlamp import AMPOptions

    model = build_model(problem, prior, rho, depth, betas, activations, noise, ensemble_a,
                        ensemble_w, kappa)
    opts = AMPOptions(max_iter=max_iter, damping=damping, init_overlap=init_overlap)
    t0 = time.perf_counter()
    p = amp_vs_se(model, alpha, d=d, samples=samples, seed=seed, options=opts,
                  dtype=np.float32 if f32 else np.float64, workers=workers)
    seconds = time.perf_counter() - t0
    if as_json:
        out = p.to_dict()
        out.update(options=asdict(opts), seed=seed, seconds=seconds,
                   matrix_dtype="float32" if f32 else "float64")
        click.echo(json.dumps(out))
        return
    _unused_rho_note(model)
    click.echo(_header(model, f"Δ = {noise:g}, α = {alpha:g}, d = {d}, {samples} "
                              f"instance(s), seed {seed}"))
    err = "" if samples == 1 else f" ± {p.mse_stderr:.4f} (standard error of the mean)"
    med = np.median([r.mse for r in p.runs])
    click.echo(f"ML-AMP mse = {p.mse_mean:.6f}{err}; median {med:.6f}; ρ_x = {model.rho_x:g}")
    click.echo(f"state evolution mse = {p.se_mse:.6f}   ({p.se.status}, uninformed start)")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(p.statuses.items()))
    its = np.mean([r.n_iter for r in p.runs])
    click.echo(f"ML-AMP runs: {counts}; mean iterations {its:.0f}   ({seconds:.1f} s)")
    groups = [(what, [r.mse for r in p.runs if r.status in sts]) for what, sts in (
        ("fixed point (converged, perfect)", ("converged", "perfect")),
        ("stalled on a plateau", ("plateau",)),
        ("did not stop (max_iter, diverged, nan)", ("max_iter", "diverged", "nan")))]
    groups = [(w, ms) for w, ms in groups if ms]
    if len(groups) > 1:
        click.echo("mean mse by outcome:")
        for w, ms in groups:
            click.echo(f"  {w:<40} {np.mean(ms):.6f}   ({len(ms)} run{'s' * (len(ms) > 1)})")


def one_line(text: str) -> str:
    """A message as one printable line: control characters and escape sequences (from a
    user's key, value or file name) are shown escaped, never sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(
        str(text).splitlines()))


def main(argv: list[str] | None = None) -> None:
    """Entry point: every error becomes one escaped line on stderr with exit status 2."""
    try:
        cli.main(args=argv, prog_name="phasediag", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        click.echo(f"phasediag: error: {one_line(e.format_message())}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("phasediag: aborted", err=True)
        sys.exit(130)
    except PhasediagError as e:  # input validation inside the library (one error family)
        click.echo(f"phasediag: error: {one_line(str(e))}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
