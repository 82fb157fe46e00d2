"""The project's vectorised model against the same core rules written the plain Mesa way (a measurement).

    .venv/bin/python benchmarks/compare_naive.py --workers 100000          # 60 months
    .venv/bin/python benchmarks/compare_naive.py --workers 20000 --months 24

Both models run the core rule set of `benchmarks/naive_model.py` (wages, ageing and exits, course
progress, firm demand, quits and layoffs, subsidised training, PES registration, search through
the channels, matching with the conflict rule of `sim.matching`) on the same synthetic city
(baseline scenario, same seed, the scale chosen so the city has about N workers), in this process.
Timed: the monthly steps, data collection included (the project model records all its indicators
every month, the naive one two counts with a `mesa.DataCollector`); building the city is reported
apart. The project's model is timed `--repeat` times (median). Also printed: the project's full
model (every phase of the baseline) for scale, and the two unemployment paths side by side.
The last line is `ratio=<naive time / project time>`. Goal (issue 7): >= 20 at 100,000 workers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from naive_model import CoreModel, NaiveModel, naive_path, project_path  # noqa: E402
from sim import runner, scenario  # noqa: E402
from sim.agents.workers import EXITED  # noqa: E402
from sim.model import LabourMarketModel  # noqa: E402


def scale_for(workers: int, seed: int) -> int:
    """Persons per agent giving about `workers` worker agents (residents aged 16-64 and Shenzhen workers)."""
    probe_scale = 200
    sc = scenario.load("baseline", overrides={"run.scale": probe_scale})
    pop = LabourMarketModel(sc, seed=seed, data=runner.city_data(sc)).pop
    persons = np.count_nonzero(pop.status != EXITED) * probe_scale
    return max(1, round(persons / workers))


def timed_steps(model, months: int) -> float:
    t0 = time.perf_counter()
    for _ in range(months):
        model.step()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=100_000, help="worker agents in each model (approximately)")
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="timings of the project's model (median)")
    args = ap.parse_args(argv)

    scale = scale_for(args.workers, args.seed)
    sc = scenario.load("baseline", overrides={"run.scale": scale})
    data = runner.city_data(sc)
    t0 = time.perf_counter()
    naive = NaiveModel(sc, seed=args.seed, data=data)
    naive_build = time.perf_counter() - t0
    n_workers = len(naive.workers)
    naive_s = timed_steps(naive, args.months)

    project_times, full_times = [], []
    for _ in range(args.repeat):
        project = CoreModel(sc, seed=args.seed, data=data)
        project_times.append(timed_steps(project, args.months))
        full_times.append(timed_steps(LabourMarketModel(sc, seed=args.seed, data=data), args.months))
    project_s, full_s = statistics.median(project_times), statistics.median(full_times)

    steps = n_workers * args.months
    print(f"scale {scale}: {n_workers:,} workers, {args.months} months, seed {args.seed}")
    print(f"naive Mesa (one agent per worker): {naive_s:8.2f} s  ({steps / naive_s:12,.0f} worker-steps/s; "
          f"building {naive_build:.1f} s)")
    print(f"project model, same core rules:    {project_s:8.2f} s  ({steps / project_s:12,.0f} worker-steps/s; "
          f"runs {', '.join(f'{t:.2f}' for t in project_times)})")
    print(f"project model, every phase:        {full_s:8.2f} s  (naive / full model = {naive_s / full_s:.1f})")
    u_project, u_naive = project_path(project), naive_path(naive)
    print("unemployment rate, % (every 6th month): project "
          + " ".join(f"{u:.2f}" for u in u_project[5::6]) + " | naive " + " ".join(f"{u:.2f}" for u in u_naive[5::6]))
    ratio = naive_s / project_s
    print(f"ratio={ratio:.1f}", flush=True)
    return ratio


if __name__ == "__main__":
    main()
