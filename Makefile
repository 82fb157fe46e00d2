# Two entry points (see README): `make run` and `make test`. Both create .venv first.
SHELL := /bin/bash
VENV := .venv
MAIN_SCALE ?= 20
MAIN_REPLICATES ?= 10

.PHONY: run test setup bench clean

setup:
	@bash scripts/bootstrap.sh

# The main job: baseline and the full plan side by side against the plans' targets
# (table on screen; tables and charts in runs/main/).
run: setup
	$(VENV)/bin/sim run baseline plan_2025 --scale $(MAIN_SCALE) --replicates $(MAIN_REPLICATES) --out runs/main

# The whole test suite (what CI runs).
test: setup
	$(VENV)/bin/python -m pytest -q

# Speed and memory, measured (not part of the test suite).
bench: setup
	$(VENV)/bin/python benchmarks/bench_run.py

clean:
	rm -rf runs .pytest_cache
