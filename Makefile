# Two entry points (see README): `make run` and `make test`. Both create .venv first.
SHELL := /bin/bash
VENV := .venv
MAIN_SCALE ?= 20
MAIN_REPLICATES ?= 10

.PHONY: run test setup bench clean

setup:
	@bash scripts/bootstrap.sh

# The main job: baseline projections against the plans' targets (table on screen, charts in runs/).
run: setup
	$(VENV)/bin/sim run baseline --scale $(MAIN_SCALE) --replicates $(MAIN_REPLICATES) --out runs/baseline

# The whole test suite (what CI runs).
test: setup
	$(VENV)/bin/python -m pytest -q

# Speed and memory, measured (not part of the test suite).
bench: setup
	$(VENV)/bin/python benchmarks/bench_run.py

clean:
	rm -rf runs .pytest_cache
