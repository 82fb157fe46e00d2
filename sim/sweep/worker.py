"""One run of a sweep, in a worker process (or in-process): never raises, errors come back as data.
`execute_batch` is what the executors send to a worker, so it stays a top-level function (pickled by name)."""

from __future__ import annotations

import time
import traceback

import pandas as pd

from .spec import RunTask, Spec, load_scenario


def execute(spec: Spec, task: RunTask) -> dict:
    """Run one task; never raises: errors come back as data."""
    t0 = time.perf_counter()
    try:
        from ..runner import run

        sc = load_scenario(spec, task)
        annual = run(sc).annual
        annual = annual[annual["indicator"].isin(spec.indicators)].reset_index(drop=True)
        annual = annual.drop(columns=["replicate"]).assign(run_id=task.run_id, point=task.point,
                                                           replicate=task.replicate, sweep=spec.name)
        params = pd.DataFrame({f"param:{k}": [v] * len(annual) for k, v in task.params.items()}, index=annual.index)
        annual = pd.concat([annual, params], axis=1)      # at once: one insert per column fragments the frame
        return {"run_id": task.run_id, "status": "done", "error": "", "rows": annual,
                "seconds": time.perf_counter() - t0}
    except Exception as exc:  # a failing run is recorded, the sweep goes on
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return {"run_id": task.run_id, "status": "failed", "error": last, "rows": None,
                "seconds": time.perf_counter() - t0}


def execute_batch(spec: Spec, batch: list[RunTask]) -> list[dict]:
    return [execute(spec, t) for t in batch]
