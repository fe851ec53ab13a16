# phasediag — set-up, tests, results, benchmarks. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PD     := $(BIN)/phasediag
WORKERS ?= 2

.PHONY: help setup test test-slow lint bench results tables clean-results

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

results: setup results/thresholds_linear.csv results/thresholds_relu.csv  ## all tables and figures into results/

results/thresholds_%.csv: configs/thresholds_%.yaml
	$(PD) sweep $< --out $@ --workers $(WORKERS) --force
