"""Wall time and peak memory of `run(baseline)` at several scales (a measurement, not a test).

    .venv/bin/python benchmarks/bench_run.py     # scales 100, 20, 5
    .venv/bin/python benchmarks/bench_run.py 1   # the full city, one agent per person

(`make bench` runs the issue-7 benchmarks instead: bench_full_scale.py and compare_naive.py.)

Prints one line per scale: agents, worker-steps per second, seconds, peak resident memory.
Goal (issue 2): scale 100 well under 30 s including charts; scale 1 practical on a laptop.
"""

from __future__ import annotations

import resource
import sys
import time

from sim import scenario
from sim.model import LabourMarketModel


def bench(scale: int) -> str:
    sc = scenario.load("baseline", overrides={"run.scale": scale})
    t0 = time.perf_counter()
    model = LabourMarketModel(sc, seed=1)
    built = time.perf_counter() - t0
    model.run()
    total = time.perf_counter() - t0
    steps = model.pop.n * model.n_steps
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"scale {scale:>4}: {model.pop.n:>9,} agents, build {built:6.1f} s, total {total:7.1f} s, "
            f"{steps / total / 1e6:5.2f} M worker-steps/s, peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    for k in [int(a) for a in sys.argv[1:]] or [100, 20, 5]:
        print(bench(k), flush=True)
