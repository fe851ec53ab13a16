# phasediag — set-up, tests, results, benchmarks. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PD     := $(BIN)/phasediag
WORKERS ?= 2
FIGURES := fig1 fig3 fig4 fig5 fig6 fig7
ENSEMBLES := cs pr kappa  # Figs. 3, 4 with orthogonal / geometric sensing matrices; κ sweep
# every result depends on the package source (and shipped tables): edit the code, results rebuild
SRC := $(shell find phasediag -name '*.py' -o -name '*.npz' -o -name '*.mplstyle')

.PHONY: help setup test test-slow lint bench results update tables clean-results

help:  ## list targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

setup: $(BIN)/.installed  ## create .venv and install phasediag with test extras

test: setup  ## run the default test suite (< 5 min on 2 cores)
	$(BIN)/python -m pytest -q

test-slow: setup  ## run the long checks marked slow
	$(BIN)/python -m pytest -q -m slow

lint: setup  ## ruff
	$(BIN)/ruff check phasediag tests benchmarks

bench: setup  ## speed benchmarks → benchmarks/results.md
	$(BIN)/python benchmarks/bench.py --out benchmarks/results.md

tables: setup  ## rebuild the shipped block tables (phasediag/data/*.npz)
	$(BIN)/python -m phasediag.blocks.pr_table
	$(BIN)/python -m phasediag.blocks.relu_table

# `make results` recomputes every table and figure, whatever the files' dates (a fresh clone
# gives results and sources the same modification time); `make update` only what is stale.
RESULTS := results/thresholds_linear.csv results/thresholds_relu.csv \
           $(foreach f,$(FIGURES),results/$(f).png) results/fig7_log.png \
           $(foreach f,$(ENSEMBLES),results/ensembles_$(f).png)

results: setup  ## recompute every table and figure into results/ (≈ 4 min on 2 cores)
	$(MAKE) --always-make $(RESULTS)

update: setup $(RESULTS)  ## recompute only the results older than their configs or sources

results/thresholds_%.csv: configs/thresholds_%.yaml $(SRC)
	$(PD) sweep $< --out $@ --workers $(WORKERS) --force

# ---------------------------------------------------------------- paper figures
# configs/figN.yaml → results/figN.csv (+ .meta.json) → results/figN.{png,pdf}; plotting
# never computes (docs/figures.md).
.PHONY: figures $(FIGURES)

figures: $(FIGURES)  ## paper Figs. 1, 3–7 → results/figN.{csv,png,pdf}

$(FIGURES): %: setup results/%.csv results/%.png results/%.pdf
fig1: results/fig1_se.csv
fig7: results/fig7_log.png

# a figure's table depends on the numerics (not on the plotting code)
NUMERICS := $(filter-out phasediag/plots/% phasediag/styles/%,$(SRC))
PLOTTING := $(filter phasediag/plots/% phasediag/styles/%,$(SRC))

results/fig%.csv: configs/fig%.yaml $(NUMERICS)
	$(PD) sweep $< --out $@ --workers $(WORKERS) --force

# Fig. 1: finite-size ML-AMP dots (configs/fig1.yaml, compute: amp) on the SE curves
# (configs/fig1_se.yaml, compute: mse)
results/fig1.png results/fig1.pdf &: results/fig1.csv results/fig1_se.csv $(PLOTTING)
	$(PD) plot $< --compare results/fig1_se.csv --figure fig1 --out results/fig1.png --out results/fig1.pdf

# Fig. 7 again with a log Δalg axis: Δalg ∝ ρ at small ρ (a zero-gap curve is named, not drawn)
results/fig7_log.png: results/fig7.csv $(PLOTTING)
	$(PD) plot $< --figure fig7 --log-y --out $@

# rotationally invariant sensing matrices (ML-VAMP SE): configs/ensembles_*.yaml
.PHONY: ensembles
ensembles: setup $(foreach f,$(ENSEMBLES),results/ensembles_$(f).png)  ## Figs. 3, 4 with other sensing-matrix spectra, and αalg against κ

results/ensembles_%.csv: configs/ensembles_%.yaml $(NUMERICS)
	$(PD) sweep $< --out $@ --workers $(WORKERS) --force

results/ensembles_%.png results/ensembles_%.pdf &: results/ensembles_%.csv $(PLOTTING)
	$(PD) plot $< --figure ensembles-$* --out results/ensembles_$*.png --out results/ensembles_$*.pdf

results/fig%.png results/fig%.pdf: results/fig%.csv $(PLOTTING)
	$(PD) plot $< --figure fig$* --out results/fig$*.png --out results/fig$*.pdf
