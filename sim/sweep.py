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
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import time
import tomllib
import traceback
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import indicators
from . import scenario as scen
from .errors import InputError
from .values import reject_non_finite

SPEC_KEYS = {"name", "description", "base", "replicates", "scale", "seed", "end", "indicators", "sampler", "parameters"}
SAMPLERS = ("grid", "lhs", "sobol")


@dataclass
class Spec:
    name: str
    base: str
    path: str
    replicates: int = 1
    scale: int = 200
    seed: int = 1
    end: str | None = None
    indicators: list[str] = field(default_factory=list)
    method: str = "grid"
    samples: int = 8
    sampler_seed: int = 0
    parameters: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    points: list[dict[str, Any]] | None = None   # an explicit design (e.g. from SALib): replaces sampler and parameters
    common_seeds: bool = False                   # every point uses seeds seed + r: common random numbers across points


@dataclass
class RunTask:
    run_id: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Any]


# -- the spec ------------------------------------------------------------------------------------
def _fail(where, key, msg):
    raise InputError(where, key, msg)


def load_spec(path: str | Path) -> Spec:
    """Read and check a sweep spec; every error names the file, the key and the bad value."""
    path = Path(path)
    text, doc = _read_spec(path)
    unknown = set(doc) - SPEC_KEYS
    if unknown:
        _fail(path, sorted(unknown)[0], f"unknown key; allowed {sorted(SPEC_KEYS)}")
    if not isinstance(doc.get("base"), str):
        _fail(path, "base", f"is required: a scenario name or path, got {doc.get('base')!r}")
    for key, lo, default in (("replicates", 1, 1), ("scale", 1, 200), ("seed", 0, 1)):
        _check_int(path, key, doc.get(key, default), lo)
    if "end" in doc and not isinstance(doc["end"], str):
        _fail(path, "end", f"must be a month 'YYYY-MM', got {doc['end']!r}")
    sampler = _check_sampler(path, doc.get("sampler", {}))
    keep = _check_indicators(path, doc.get("indicators", [i.id for i in indicators.INDICATORS if i.targeted]))
    params = doc.get("parameters", {})
    if not isinstance(params, dict):
        _fail(path, "parameters", f"must be a table of key = list or {{low, high}}, got {params!r}")
    spec = Spec(doc.get("name", path.stem), doc["base"], str(path), doc.get("replicates", 1), doc.get("scale", 200),
                doc.get("seed", 1), doc.get("end"), keep, sampler.get("method", "grid"), sampler.get("samples", 8),
                sampler.get("seed", 0), params, text)
    _check_parameters(spec)
    return spec


def _read_spec(path: Path) -> tuple[str, dict]:
    if not path.is_file():
        _fail(path, "", "file not found")
    text = path.read_text(encoding="utf-8")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _fail(path, "", f"malformed TOML ({exc})")
    reject_non_finite(str(path), doc)
    return text, doc


def _check_int(path: Path, key: str, value: Any, lo: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < lo:
        _fail(path, key, f"must be an integer >= {lo}, got {value!r}")
    return value


def _check_sampler(path: Path, sampler: Any) -> dict:
    if not isinstance(sampler, dict) or set(sampler) - {"method", "samples", "seed"}:
        extra = sorted(set(sampler) - {"method", "samples", "seed"}) if isinstance(sampler, dict) else sampler
        _fail(path, "sampler", f"must be a table with method, samples, seed; got {extra!r}")
    if sampler.get("method", "grid") not in SAMPLERS:
        _fail(path, "sampler.method", f"must be one of {list(SAMPLERS)}, got {sampler.get('method')!r}")
    _check_int(path, "sampler.samples", sampler.get("samples", 8), 1)
    _check_int(path, "sampler.seed", sampler.get("seed", 0), 0)
    return sampler


def _check_indicators(path: Path, keep: Any) -> list[str]:
    known = [i.id for i in indicators.INDICATORS]
    if not isinstance(keep, list) or not keep:
        _fail(path, "indicators", f"must be a non-empty list of indicator ids, got {keep!r}; known: {known}")
    bad = [k for k in keep if k not in known]
    if bad:
        _fail(path, "indicators", f"unknown indicator ids {bad}; known: {known}")
    return keep


def _check_parameters(spec: Spec) -> None:
    for key, value in spec.parameters.items():
        where = f"parameters.{key}"
        if isinstance(value, list):
            if not value:
                _fail(spec.path, where, "empty list: give at least one value")
        elif isinstance(value, dict):
            _check_range(spec, where, value)
        else:
            _fail(spec.path, where, f"must be a list of values or a range {{low, high}}, got {value!r}")


def _check_range(spec: Spec, where: str, value: dict) -> None:
    if set(value) - {"low", "high", "points"} or not {"low", "high"} <= set(value):
        _fail(spec.path, where, f"a range is {{low = ..., high = ...}} (and points = N for a grid), got {value!r}")
    lo, hi = value["low"], value["high"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)) or not lo < hi:
        _fail(spec.path, where, f"empty range: need numbers with low < high, got [{lo!r}, {hi!r}]")
    if spec.method == "grid" and not (isinstance(value.get("points"), int) and value["points"] >= 2):
        _fail(spec.path, where, f"a range on a grid needs points = N (N >= 2), got points = {value.get('points')!r}; "
              "or use method lhs or sobol")


def design(spec: Spec) -> list[dict[str, Any]]:
    """Design points: ranges sampled (grid: linspace; lhs; sobol), crossed with every list; or `spec.points`."""
    if spec.points is not None:
        return [dict(p) for p in spec.points]
    lists = {k: v for k, v in spec.parameters.items() if isinstance(v, list)}
    ranges = {k: v for k, v in spec.parameters.items() if isinstance(v, dict)}
    if spec.method == "grid":
        lists.update({k: np.linspace(v["low"], v["high"], v["points"]).tolist() for k, v in ranges.items()})
        sampled = [{}]
    elif ranges:
        from scipy.stats import qmc

        d = len(ranges)
        engine = (qmc.LatinHypercube(d=d, seed=spec.sampler_seed) if spec.method == "lhs"
                  else qmc.Sobol(d=d, scramble=True, seed=spec.sampler_seed))
        with warnings.catch_warnings():     # Sobol balance is best at powers of two; any count is valid
            warnings.simplefilter("ignore", UserWarning)
            unit = engine.random(spec.samples)
        lo = np.array([v["low"] for v in ranges.values()])
        hi = np.array([v["high"] for v in ranges.values()])
        sampled = [dict(zip(ranges, map(float, row), strict=True)) for row in qmc.scale(unit, lo, hi)]
    else:
        sampled = [{}]
    crossed = [dict(zip(lists, combo, strict=True)) for combo in itertools.product(*lists.values())] or [{}]
    return [{**c, **s} for c in crossed for s in sampled]


def tasks(spec: Spec) -> list[RunTask]:
    out = []
    for i, point in enumerate(design(spec)):
        for r in range(spec.replicates):
            seed = (spec.seed + r if spec.common_seeds
                    else int(np.random.SeedSequence([spec.seed, i, r]).generate_state(1)[0]))
            out.append(RunTask(f"{i:05d}-{r:03d}", i, r, seed, point))
    return out


RUN_KEYS = {"run.scale": "scale", "run.replicates": "replicates", "run.seed": "seed", "run.end": "end"}


def scenario_overrides(spec: Spec, task: RunTask) -> dict[str, Any]:
    """The base scenario's overrides for one run: the spec's run settings, then the design point."""
    run = {"run.scale": spec.scale, "run.replicates": 1, "run.seed": task.seed}
    return {**run, **({"run.end": spec.end} if spec.end else {}), **task.params}


def load_scenario(spec: Spec, task: RunTask) -> scen.Scenario:
    return scen.load(spec.base, scenario_overrides(spec, task), scen.Origin(spec.path, "parameters.", f"sweep {spec.path}"))


def spec_key(key: str, params: dict[str, Any]) -> str | None:
    """The spec's key that set scenario key `key` (a parameter or a run setting); None if the spec did not."""
    key = key.removeprefix("parameters.")
    if any(key == p or key.startswith((f"{p}.", f"{p}[")) for p in params):
        return f"parameters.{key}"
    return RUN_KEYS.get(key)


def validate(spec: Spec, all_tasks: list[RunTask]) -> None:
    """Every design point must be a valid scenario before any run starts. An error in a value the spec
    set names the spec file and its key; any other names the file it is in (the base scenario's
    errors then say 'with sweep SPEC')."""
    from .runner import city_data

    for task in all_tasks:
        if task.replicate:
            continue
        try:
            city_data(load_scenario(spec, task))
        except InputError as exc:
            if not exc.key:                                # the base scenario or its city file
                raise InputError(spec.path, "base", f"{exc.where}: {exc.message}") from None
            key = spec_key(exc.key, task.params)
            if key is None:                                # not a value the spec set: the error names its file
                raise
            raise InputError(spec.path, key, exc.message) from None


# -- one run (in a worker) ---------------------------------------------------------------------------
def execute(spec: Spec, task: RunTask) -> dict:
    """Run one task; never raises: errors come back as data."""
    t0 = time.perf_counter()
    try:
        from .runner import run

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


# -- the store ---------------------------------------------------------------------------------------
class Store:
    """DIR/results/<run_id>.parquet (atomic), DIR/runs.csv (rewritten atomically), DIR/sweep.json."""

    LOG_INTERVAL = 2.0      # seconds between rewrites of runs.csv while runs finish (failures: at once)

    def __init__(self, out: Path, spec: Spec, all_tasks: list[RunTask]):
        self.out, self.spec = Path(out), spec
        self.last_log = 0.0
        self.results = self.out / "results"
        self.records = {t.run_id: {"run_id": t.run_id, "point": t.point, "replicate": t.replicate, "seed": t.seed,
                                   **{f"param:{k}": v for k, v in t.params.items()},
                                   "status": "pending", "error": "", "seconds": ""} for t in all_tasks}

    def spec_hash(self) -> str:
        return hashlib.sha256(self.spec.text.encode()).hexdigest()

    def prepare(self, resume: bool) -> set[str]:
        """Create or check the directory; returns run ids already done."""
        meta = self.out / "sweep.json"
        if self.out.exists() and any(self.out.iterdir()):
            if not resume:
                raise InputError("command line", "--out", f"{self.out} already holds a sweep; use --resume or a new directory")
            if not meta.is_file() or json.loads(meta.read_text())["spec_hash"] != self.spec_hash():
                raise InputError("command line", "--resume", f"{self.out} holds a different sweep (spec changed)")
            old = self.out / "runs.csv"
            if old.is_file():
                for r in pd.read_csv(old, dtype=str, keep_default_na=False).to_dict("records"):
                    if r["run_id"] in self.records and r["status"] == "failed":
                        self.records[r["run_id"]].update(status="failed", error=r["error"], seconds=r["seconds"])
        self.results.mkdir(parents=True, exist_ok=True)
        _atomic_write(meta, json.dumps({"name": self.spec.name, "spec_file": self.spec.path,
                                        "spec_hash": self.spec_hash(), "spec": self.spec.text}, indent=2))
        done = {p.stem for p in self.results.glob("*.parquet")}
        for run_id in done & set(self.records):
            self.records[run_id]["status"] = "done"
        self.write_runs()
        return done

    def save(self, result: dict) -> None:
        rec = self.records[result["run_id"]]
        if result["status"] == "done":
            part = self.results / f"{result['run_id']}.parquet"
            tmp = part.with_suffix(".parquet.tmp")
            result["rows"].to_parquet(tmp, index=False)
            os.replace(tmp, part)
        rec.update(status=result["status"], error=result["error"], seconds=f"{result['seconds']:.3f}")
        if result["status"] != "done" or time.monotonic() - self.last_log >= self.LOG_INTERVAL:
            self.write_runs()         # finished runs are on disk as parts; the log catches up (and at the end)

    def write_runs(self) -> None:
        _atomic_write(self.out / "runs.csv", pd.DataFrame(list(self.records.values())).to_csv(index=False))
        self.last_log = time.monotonic()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def read_results(out: Path) -> pd.DataFrame:
    """All finished runs of a sweep as one table."""
    parts = sorted((Path(out) / "results").glob("*.parquet"))
    if not parts:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)


# -- executors ---------------------------------------------------------------------------------------
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
