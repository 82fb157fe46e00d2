"""The model as a plain callable, and what a run directory holds.

`run(scenario, seed)` builds the model, steps it to the scenario's end and returns tidy tables
(EMA Workbench style: sweeps, calibration and sensitivity analysis all reuse it).
`run_replicates` repeats it over seeds seed, seed+1, ..., in this process or on local worker
processes (the same tables either way). `target_table` compares the annual
projections with the plans' targets. `write_run` puts everything in a directory atomically: it is
written under a temporary name and renamed only when complete, so a crash leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, indicators
from .calendar import parse_month
from .errors import InputError
from .params import CityData, file_hash, load_city, resolve_city_path
from .scenario import Scenario


@dataclass
class Tables:
    monthly: pd.DataFrame          # scenario, replicate, seed, month, indicator, value
    annual: pd.DataFrame           # scenario, replicate, seed, year, indicator, value
    calibrated: dict = field(default_factory=dict)   # seed -> calibrated rates


def city_data(scenario: Scenario) -> CityData:
    """The scenario's city data with its overrides, checked for consistency before any run."""
    data = load_city(scenario.city).with_overrides(scenario.assumptions, scenario.path)
    data = data.with_overrides(policy_overrides(data, scenario), scenario.path, prefix="")
    check_data(data, scenario)
    return data


def policy_overrides(data: CityData, scenario: Scenario) -> dict:
    """`[policies.NAME] key = value` as data overrides `policies.NAME.key`; unknown keys are errors."""
    from .policies import parameters_of

    out = {}
    for name, params in scenario.policies.items():
        allowed = parameters_of(data, name)
        for key, value in params.items():
            if key == "enabled":
                continue
            if key not in allowed:
                raise InputError(scenario.path, f"policies.{name}.{key}",
                                 f"unknown parameter; allowed {sorted(allowed) + ['enabled']}")
            out[f"policies.{name}.{key}"] = value
    return out


def _check_policy_references(data: CityData, scenario: Scenario, fail) -> None:
    """Place and sector ids named in policy parameters must exist in the city."""
    places, sectors = set(data.table("places")), set(data.table("sectors"))
    for path, p in data.params.items():
        if not path.startswith("policies."):
            continue
        name = path.split(".")[1]
        if name not in scenario.policies:
            continue
        values = p.value if isinstance(p.value, list) else [p.value]
        known = places if path.endswith(("sites", "places", "ninth_site")) else sectors if path.endswith("sectors") else None
        bad = [v for v in values if known is not None and v not in known and v not in ("none", None)]
        if bad:
            where = scenario.path if path.split(".")[-1] in scenario.policies[name] else data.where
            raise InputError(where, path, f"unknown ids {bad}; known: {sorted(known)}")
        if path.endswith(("start", "end", "opening_months")):
            for v in values:
                parse_month(scenario.path if path.split(".")[-1] in scenario.policies[name] else data.where, path, v)


def check_data(data: CityData, scenario: Scenario) -> None:
    """Cross-field checks the schema cannot express; errors name the file that set the value."""
    def fail(key: str, message: str):
        overridden = key in scenario.assumptions
        raise InputError(scenario.path if overridden else data.where, ("assumptions." if overridden else "") + key, message)

    lo, hi = data.get("outside_market.age_range")
    if not 16 <= lo < hi <= 64:
        fail("outside_market.age_range", f"must be [low, high] with 16 <= low < high <= 64, got {[lo, hi]}")
    u, r = data.get("labour_market.unemployment_rate_2020"), data.get("labour_market.registered_unemployment_rate_2020") / 100
    if u < 1.5 * r:
        fail("labour_market.unemployment_rate_2020", f"{u} is too low: the 2020 registered rate {r:.2%} needs "
             f"at least {1.5 * r:.3f} (registered unemployed are a subset of the unemployed)")
    _check_policy_references(data, scenario, fail)
    known = list(data.table("sectors"))
    for i, shock in enumerate(scenario.shocks):
        unknown = sorted(set(shock.sectors or []) - set(known))
        if unknown:
            raise InputError(scenario.path, f"shocks[{i}].sectors", f"unknown sectors {unknown}; known: {known}")


def _tidy(rows: list[dict], time_key: str, scenario: Scenario, replicate: int, seed: int) -> pd.DataFrame:
    wide = pd.DataFrame(rows)
    long = wide.melt(id_vars=[time_key], var_name="indicator", value_name="value")
    long.insert(0, "seed", seed)
    long.insert(0, "replicate", replicate)
    long.insert(0, "scenario", scenario.name)
    long["value"] = long["value"].astype(float)
    return long


def run(scenario: Scenario, seed: int | None = None, replicate: int = 0, data: CityData | None = None) -> Tables:
    """One simulation of `scenario` with `seed` (default: the scenario's seed)."""
    from .model import LabourMarketModel

    seed = scenario.seed if seed is None else seed
    model = LabourMarketModel(scenario, seed=seed, data=data if data is not None else city_data(scenario))
    model.run()
    base_year = model.world.base_year
    monthly = _tidy(model.monthly, "month", scenario, replicate, seed)
    annual = _tidy(indicators.annual(model.monthly, model.initial, base_year), "year", scenario, replicate, seed)
    annual = annual.dropna(subset=["value"]).reset_index(drop=True)
    return Tables(monthly, annual, {seed: model.calibrated})


def default_workers() -> int:
    """Local worker processes when none are asked for: one per core (as `sim sweep`)."""
    return os.cpu_count() or 1


def run_replicates(scenario: Scenario, progress=None, workers: int = 0, data: CityData | None = None) -> Tables:
    """Replicates 0..R-1 with seeds seed..seed+R-1, in this process (`workers` 0) or on a pool of
    `workers` local processes. The tables are the same whatever the number of workers: each replicate
    depends only on its seed, and its rows are put in replicate order. `progress(done, total)` is
    called as replicates finish."""
    data = city_data(scenario) if data is None else data
    parts: dict[int, Tables] = {}
    for r, tables in _replicates(scenario, data, workers):
        parts[r] = tables
        if progress:
            progress(len(parts), scenario.replicates)
    ordered = [parts[r] for r in sorted(parts)]
    return Tables(pd.concat([p.monthly for p in ordered], ignore_index=True),
                  pd.concat([p.annual for p in ordered], ignore_index=True),
                  {k: v for p in ordered for k, v in p.calibrated.items()})


def _replicates(scenario: Scenario, data: CityData, workers: int):
    """(replicate, Tables) as each finishes: in this process (also for a single replicate: a pool would
    only add its start-up time), or on a forkserver process pool."""
    if workers < 0:
        raise ValueError(f"workers must be >= 0, got {workers}")
    if workers == 0 or scenario.replicates == 1:
        for r in range(scenario.replicates):
            yield r, run(scenario, scenario.seed + r, r, data)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(workers, scenario.replicates), mp_context=mp.get_context("forkserver")) as pool:
        futures = {pool.submit(run, scenario, scenario.seed + r, r, data): r for r in range(scenario.replicates)}
        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# -- targets --------------------------------------------------------------------------------------
def met(value: np.ndarray, target: float, comparator: str, about_tol: float) -> np.ndarray:
    """Whether projections meet a target. A bare table figure ('=') and '左右' ('about') are levels to
    reach, met within `about_tol` below them; '>=', '>', '<=', '<' are read literally."""
    if comparator == "<=":
        return value <= target
    if comparator == "<":
        return value < target
    if comparator == ">":
        return value > target
    if comparator in ("about", "="):
        return value >= target * (1 - about_tol)
    return value >= target


def projected(annual: pd.DataFrame, indicator: str, year: int, period) -> pd.Series:
    """Per-replicate projection: the year's value, or the sum over `period` for cumulative targets."""
    rows = annual[annual["indicator"] == indicator]
    if period:
        rows = rows[(rows["year"] >= period[0]) & (rows["year"] <= period[1])]
        return rows.groupby(["scenario", "replicate"])["value"].sum()
    return rows[rows["year"] == year].set_index(["scenario", "replicate"])["value"]


def target_table(annual: pd.DataFrame, data: CityData) -> pd.DataFrame:
    tol = data.get("target_rules.about_tolerance")
    out = []
    for t in data.targets:
        for scen, vals in projected(annual, t.indicator, t.year, t.period).groupby(level="scenario"):
            v = vals.to_numpy(float)
            if v.size == 0:
                continue
            out.append({"scenario": scen, "indicator": t.indicator, "year": t.year,
                        "period": f"{t.period[0]}-{t.period[1]}" if t.period else "",
                        "target": float(t.value), "comparator": t.comparator,
                        "p10": float(np.percentile(v, 10)), "p50": float(np.percentile(v, 50)),
                        "p90": float(np.percentile(v, 90)),
                        "prob_met": float(met(v, t.value, t.comparator, tol).mean()),
                        "replicates": int(v.size), "source": t.source, "fact_id": t.fact_id})
    return pd.DataFrame(out)


def format_targets(targets: pd.DataFrame) -> str:
    """The projected-versus-target table as aligned text."""
    multi = targets["scenario"].nunique() > 1
    targets = targets.sort_values(["indicator", "year", "period", "scenario"], kind="stable",
                                  key=lambda c: c.map({i.id: k for k, i in enumerate(indicators.INDICATORS)})
                                  if c.name == "indicator" else c) if multi else targets
    lines = [f"{'indicator':<30} {'year':<10} " + (f"{'scenario':<14} " if multi else "")
             + f"{'target':>14} {'p10':>12} {'median':>12} {'p90':>12} {'P(met)':>7}  source"]
    for _, t in targets.iterrows():
        ind = indicators.BY_ID[t["indicator"]]
        fmt = (lambda v: f"{v:.2f}%") if ind.unit == "percent" else (lambda v: f"{v:,.0f}")
        when = t["period"] or str(t["year"])
        comp = {"about": "≈", "=": "="}.get(t["comparator"], t["comparator"])
        lines.append(f"{t['indicator']:<30} {when:<10} " + (f"{t['scenario'][:14]:<14} " if multi else "")
                     + f"{comp + fmt(t['target']):>14} {fmt(t['p10']):>12} "
                     f"{fmt(t['p50']):>12} {fmt(t['p90']):>12} {t['prob_met']:>6.0%}  {t['source'][:48]}")
    return "\n".join(lines)


# -- writing ----------------------------------------------------------------------------------------
def code_revision() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if rev.returncode != 0:
        return "unknown"
    return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def manifest(runs: list[tuple[Scenario, CityData, Tables]]) -> dict:
    """What reproduces these results: scenarios as resolved, seeds, code revision, data hashes."""
    entries = []
    for scenario, data, tables in runs:
        city_path = resolve_city_path(scenario.city)
        entries.append({
            "scenario": scenario.name, "scenario_file": scenario.path, "resolved_scenario": scenario.resolved,
            "seeds": [scenario.seed + r for r in range(scenario.replicates)], "scale": scenario.scale,
            "policies": sorted(n for n, p in scenario.policies.items() if p.get("enabled", True)),
            "data_file": str(city_path), "data_hash": "sha256:" + file_hash(city_path),
            "assumption_overrides": scenario.assumptions, "provenance_counts": data.provenance_counts(),
            "calibrated": {str(k): v for k, v in tables.calibrated.items()},
        })
    return {"scenarios": entries, "package_version": __version__, "code_revision": code_revision(),
            "python": platform.python_version(), "numpy": np.__version__}


def combined(runs: list[tuple[Scenario, CityData, Tables]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Monthly, annual and target tables of several scenarios, one tidy table each."""
    monthly = pd.concat([t.monthly for _, _, t in runs], ignore_index=True)
    annual = pd.concat([t.annual for _, _, t in runs], ignore_index=True)
    targets = pd.concat([target_table(t.annual, d) for _, d, t in runs], ignore_index=True)
    return monthly, annual, targets


@contextmanager
def atomic_directory(out: Path):
    """Yield a temporary directory beside `out`; it becomes `out` only if the block completes."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)          # mkdtemp makes it private; a run directory is not
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(out: Path, runs: list[tuple[Scenario, CityData, Tables]], chart_fn=None) -> pd.DataFrame:
    """Write the run directory atomically (one or several scenarios); returns the target table."""
    with atomic_directory(out) as tmp:
        monthly, annual, targets = combined(runs)
        monthly.to_parquet(tmp / "monthly.parquet", index=False)
        annual.to_parquet(tmp / "annual.parquet", index=False)
        targets.to_csv(tmp / "targets.csv", index=False)
        (tmp / "manifest.json").write_text(json.dumps(manifest(runs), ensure_ascii=False, indent=2, allow_nan=False,
                                                      default=_json_default), encoding="utf-8")
        if chart_fn is not None:
            chart_fn(annual, targets, tmp, runs[0][0], runs[0][1])
    return targets


def _replace_dir(tmp: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


def _json_default(obj):
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    return str(obj)
