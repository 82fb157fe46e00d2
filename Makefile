# Two entry points (see README): `make run` and `make test`. Both create .venv first.
SHELL := /bin/bash
VENV := .venv
MAIN_SCALE ?= 200
MAIN_DRAWS ?= 40

.PHONY: run test test-slow lint setup bench clean

setup:
	@bash scripts/bootstrap.sh

# The main job: baseline and the full plan against the plans' targets over what we do not know: an
# ensemble of 40 draws of the uncertain inputs x 2 seeds each (P(met) with its standard error on
# screen; tables, forecast.md and charts in runs/main/; about 1.5-2 minutes on two cores).
run: setup
	$(VENV)/bin/sim forecast baseline plan_2025 --draws $(MAIN_DRAWS) --scale $(MAIN_SCALE) --out runs/main

# The whole test suite (what CI runs, after `make lint`).
test: setup
	$(VENV)/bin/python -m pytest -q

# The slow checks kept out of `make test` (the stylised facts on the shared demand sweep, about 2 minutes).
test-slow: setup
	$(VENV)/bin/python -m pytest -q -m slow

# Lint: ruff, configured in pyproject.toml ([tool.ruff]); the tree is kept clean.
lint: setup
	$(VENV)/bin/ruff check .

# Speed and memory, measured (not part of the test suite; 1-4 minutes). See benchmarks/README.md.
bench: setup
	for k in 100 20 5 1; do $(VENV)/bin/python benchmarks/bench_full_scale.py --scale $$k; done
	$(VENV)/bin/python benchmarks/compare_naive.py --workers 100000

clean:
	rm -rf runs .pytest_cache
