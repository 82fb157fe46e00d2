"""Sweep throughput and overhead (a measurement, not a test).

    .venv/bin/python benchmarks/bench_sweep.py [SPEC]      # default scenarios/sweeps/example.toml

Prints runs per second with 1 and 2 local workers, with a Dask LocalCluster of 2 workers, and the
per-run overhead of each executor against bare `execute` calls in this process.
Goal (issue 4): 2 workers >= 1.8x one worker for runs of a second or more; overhead < 5% of a run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from sim import sweep as sw


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(spec_path: str) -> None:
    spec = sw.load_spec(spec_path)
    tasks = sw.tasks(spec)
    n = len(tasks)
    bare = timed(lambda: [sw.execute(spec, t) for t in tasks])
    print(f"{n} runs of {spec.name!r} (scale {spec.scale}); bare in-process: {bare / n:.2f} s per run")
    tmp = Path(tempfile.mkdtemp())
    try:
        results = {}
        for label, kwargs in (("1 local worker", {"workers": 1}), ("2 local workers", {"workers": 2})):
            results[label] = timed(lambda: sw.sweep(spec, tmp / label.replace(" ", "_"), progress=False, **kwargs))  # noqa: B023
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
            results["dask, 2 workers"] = timed(lambda: sw.sweep(spec, tmp / "dask", scheduler=cluster.scheduler_address,
                                                                progress=False))
        for label, seconds in results.items():
            workers = 1 if label.startswith("1") else 2
            overhead = (seconds * workers - bare) / n
            print(f"{label:<16} {n / seconds:5.2f} runs/s  speed-up vs 1 worker {results['1 local worker'] / seconds:4.2f}x  "
                  f"overhead {overhead:+.3f} s per run ({100 * overhead / (bare / n):+.1f}% of a run)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "scenarios/sweeps/example.toml")
