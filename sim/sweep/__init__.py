"""Batch sweeps: a spec of parameters to vary, run on local processes or a Dask cluster, streamed to disk.

A sweep spec (TOML) names a base scenario, the parameters to vary, the sampler, replicates, scale
and the indicators to keep:

    name = "example"
    base = "plan_2025"                   # a scenario in scenarios/ or a path
    replicates = 2
    scale = 200
    seed = 1
    indicators = ["skilled_talent", "registered_unemployment_rate"]   # default: the targeted ones

    [sampler]
    method = "lhs"                       # grid | lhs | sobol
    samples = 8                          # design points for lhs / sobol
    seed = 7

    [parameters]                         # any key `sim run --set` accepts
    "assumptions.outside_market.wage_premium" = {low = 0.3, high = 0.8}
    "policies.order_training.seats_per_year" = [1000, 3000]     # a list is crossed with the rest

Each run is (design point, replicate); its seed comes from SeedSequence([seed, point, replicate]),
so results never depend on the executor or on the order runs finish. Library callers (`sim sensitivity`)
may instead give an explicit list of design points (`Spec.points`) and common random numbers
(`Spec.common_seeds`: replicate r of every point uses seed + r, as `sim run` does). Every finished run is written
atomically as its own Parquet part under DIR/results/; DIR/runs.csv records every run (id,
parameters, seed, status, error, seconds; rewritten at once after a failure, otherwise at most every
2 s and at the end, so long sweeps do not rewrite it after every run). `--resume` runs only what has
no part yet. Rows hold only
deterministic columns; timings live in runs.csv.

The package: `spec` (loading and checking the spec, the design, the runs and their seeds, validation),
`worker` (one run, a batch of runs: what a worker process executes), `store` (the resumable results
store and `read_results`), `executors` (local process pool, Dask, the progress line and `sweep`).
"""

from __future__ import annotations

from .executors import Progress, connect, run_dask, run_local, sweep
from .spec import (RUN_KEYS, SAMPLERS, SPEC_KEYS, RunTask, Spec, design, load_scenario, load_spec, scenario_overrides,
                   spec_key, tasks, validate)
from .store import Store, read_results
from .worker import execute, execute_batch

__all__ = ["RUN_KEYS", "SAMPLERS", "SPEC_KEYS", "Progress", "RunTask", "Spec", "Store", "connect", "design", "execute",
           "execute_batch", "load_scenario", "load_spec", "read_results", "run_dask", "run_local", "scenario_overrides",
           "spec_key", "sweep", "tasks", "validate"]
