"""Executors: a local pool of worker processes (or in-process) and a Dask cluster, the progress line,
and `sweep`, which validates, prepares the store and runs what is left."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .spec import RunTask, Spec, tasks, validate
from .store import Store
from .worker import execute, execute_batch


class Progress:
    def __init__(self, total: int, stream=None):
        stream = stream if stream is not None else sys.stderr     # looked up now: sys.stderr may have been replaced
        self.total, self.done, self.failed, self.t0, self.stream = total, 0, 0, time.time(), stream
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.last_line = 0.0

    def update(self, result: dict) -> None:
        self.done += result["status"] == "done"
        self.failed += result["status"] == "failed"
        finished = self.done + self.failed
        rate = finished / max(time.time() - self.t0, 1e-9)
        eta = (self.total - finished) / rate if rate > 0 else float("inf")
        bar = "#" * int(30 * finished / max(self.total, 1))
        line = (f"[{bar:<30}] {finished}/{self.total} runs, {self.done} done, {self.failed} failed, "
                f"{rate:.2f} runs/s, ETA {eta:.0f} s")
        if self.tty:
            print("\r" + line, end="", file=self.stream, flush=True)
        elif time.time() - self.last_line > 5 or finished == self.total:
            print(line, file=self.stream, flush=True)
            self.last_line = time.time()

    def close(self) -> None:
        if self.tty:
            print(file=self.stream)


def _batches(todo: list[RunTask], workers: int) -> list[list[RunTask]]:
    size = max(1, min(8, len(todo) // max(1, 4 * workers)))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def run_local(spec: Spec, todo: list[RunTask], workers: int, on_result) -> None:
    """A pool of worker processes that stay alive across runs and take batches (workers=0: in-process)."""
    if workers == 0:
        for task in todo:
            on_result(execute(spec, task))
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver")) as pool:
        futures = [pool.submit(execute_batch, spec, b) for b in _batches(todo, workers)]
        try:
            for fut in as_completed(futures):
                for result in fut.result():
                    on_result(result)
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def connect(address: str):
    """A Dask client for an existing scheduler; an unreachable one is bad input."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("command line", "--scheduler", "dask.distributed is not installed") from None
    try:
        return Client(address, timeout="5s", set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
        raise InputError("command line", "--scheduler", f"cannot reach the Dask scheduler at {address} "
                         f"({type(exc).__name__}); start one with `dask scheduler`") from None


def run_dask(spec: Spec, todo: list[RunTask], client, on_result) -> None:
    from distributed import as_completed

    n = max(1, len(client.scheduler_info().get("workers", {})))
    with client.as_current():                   # scoped: no process-wide default client
        futures = [client.submit(execute_batch, spec, b, pure=False) for b in _batches(todo, n)]
        try:
            for fut in as_completed(futures):
                for result in fut.result():
                    on_result(result)
        except BaseException:
            client.cancel(futures)
            raise


def sweep(spec: Spec, out: Path, workers: int | None = None, scheduler: str | None = None, resume: bool = False,
          progress: bool = True) -> dict:
    """Run a sweep; returns a summary. Validation happens before anything runs or is written."""
    all_tasks = tasks(spec)
    validate(spec, all_tasks)
    client = connect(scheduler) if scheduler else None
    store = Store(out, spec, all_tasks)
    done = store.prepare(resume)
    todo = [t for t in all_tasks if t.run_id not in done]
    bar = Progress(len(todo)) if progress else None

    def on_result(result):
        store.save(result)
        if bar:
            bar.update(result)

    t0 = time.time()
    light = replace(spec, points=None)          # each task carries its own point: don't ship the design with every batch
    try:
        if client is not None:
            run_dask(light, todo, client, on_result)
        else:
            run_local(light, todo, (os.cpu_count() or 1) if workers is None else workers, on_result)
    finally:
        store.write_runs()
        if bar:
            bar.close()
        if client is not None:
            client.close()
    statuses = pd.Series([r["status"] for r in store.records.values()])
    return {"runs": len(all_tasks), "skipped_as_done": len(done), "ran": len(todo),
            "done": int((statuses == "done").sum()), "failed": int((statuses == "failed").sum()),
            "seconds": time.time() - t0}
