"""The sweep spec: loading and checking the TOML file, the design points, the runs (tasks) and their
seeds, each run's scenario, and validating every design point before anything runs."""

from __future__ import annotations

import itertools
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import indicators
from .. import scenario as scen
from ..errors import InputError
from ..values import reject_non_finite

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
    from ..runner import city_data

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

