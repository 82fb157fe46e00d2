"""The whole city, person by person: `plan_2025` at scale 1 for its 60 months (a measurement, not a test).

    .venv/bin/python benchmarks/bench_full_scale.py                 # scale 1, seed 1
    .venv/bin/python benchmarks/bench_full_scale.py --scale 20      # any other scale

Run it in a fresh process (peak memory is the process's own high-water mark). It does what
`sim run plan_2025 --scale 1 --no-charts` does in memory - build the city, step every month with
all of the plan's measures on, record every indicator, make the monthly and annual tables (the counties' too) - and
prints, as its last line,

    persons=<simulated persons> wall_s=<seconds> worker_steps_per_s=<n> peak_rss_mb=<MB>

persons: everyone simulated at some point of the run (rows x scale: the end-2020 residents and
Shenzhen workers plus every later entrant); wall_s: from importing the package to the finished
tables (the line before splits it into imports, building the city, the monthly steps and tables);
worker_steps_per_s: agent-months of agents still in the population (not exited) per
second of wall time (at scale 1 an agent is a person); peak_rss_mb: resource.getrusage(RUSAGE_SELF).ru_maxrss.
Goal (issue 7): <= 60 s and <= 2 GB for the whole city on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1, help="persons per agent (1 = the full city)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", default="plan_2025")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from sim import indicators, runner, scenario
    from sim.agents.workers import EXITED
    from sim.model import LabourMarketModel

    imported = time.perf_counter() - t0
    sc = scenario.load(args.scenario, overrides={"run.scale": args.scale})
    model = LabourMarketModel(sc, seed=args.seed, data=runner.city_data(sc))
    built = time.perf_counter() - t0
    worker_steps = 0
    for _ in range(model.n_steps):
        worker_steps += int(np.count_nonzero(model.pop.status != EXITED))
        model.step()
    stepped = time.perf_counter() - t0
    runner._tidy(model.monthly, "month", sc, 0, args.seed)
    runner._tidy(indicators.annual(model.monthly, model.initial, model.world.base_year), "year", sc, 0, args.seed)
    runner.county_rows(model, sc, 0, args.seed)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.scenario} scale {args.scale} seed {args.seed}: {model.pop.n:,} agents, {model.n_steps} months; "
          f"imports {imported:.1f} s, build {built - imported:.1f} s, steps {stepped - built:.1f} s, "
          f"tables {wall - stepped:.1f} s", flush=True)
    line = (f"persons={model.pop.n * args.scale} wall_s={wall:.1f} "
            f"worker_steps_per_s={worker_steps / wall:.0f} peak_rss_mb={peak_mb:.0f}")
    print(line, flush=True)
    return line


if __name__ == "__main__":
    main()
