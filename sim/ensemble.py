"""The draws of an uncertainty ensemble (issue 14): what we do not know, sampled once for every scenario.

Each draw gives every uncertain input a value and the run a seed:

- an `assumption` is drawn uniformly over its plausible `range` (the inputs are those `sim
  sensitivity` samples, `sim.sensitivity.factors`: lists and table columns marked `sample:
  scale|shift` move as one input, measures' parameters count only where the scenario switches the
  measure on, values a scenario sets itself are part of the question and stay fixed);
- a `calibrated` value is drawn from its calibration uncertainty, a normal distribution around the
  fitted value with the fit's standard error (`se` in the data file, written by `sim calibrate`),
  truncated to the parameter's search range; a calibrated value without a standard error is drawn
  uniformly over its range and said so (`prior` "uniform (no se)");
- the seed is the ensemble's base seed plus the draw's index.

Running them (`specs`): one sweep per scenario (`sim.sweep`: local processes or Dask, resumable), a
design point per draw with the draw's seed; `target_summary` gives each target's P(met) over the draws
with its Monte Carlo standard error, `effects` the paired difference between two scenarios;
`write_forecast` writes them (`sim forecast`, sim/cli/forecast.py).

The draws are one table for all the scenarios of a forecast (common random numbers): an input two
scenarios share has the same value in both in every draw, so plan - baseline has a distribution of
its own. Each input draws from a stream seeded by the ensemble's seed and its own key, so the same
input has the same draws whichever scenarios (and so whichever other inputs) an ensemble holds.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import truncnorm

from .outputs import check_resumable_out, work_dir
from .params import CityData
from .scenario import Scenario
from .sensitivity.inputs import Factor, factors, overrides


@dataclass(frozen=True)
class Input:
    """One sampled input of the ensemble: the sensitivity factor and the prior it is drawn from."""

    factor: Factor
    prior: str            # "uniform", "truncated normal", "uniform (no se)" for a calibrated value without one,
                          # or "fixed (se 0)"
    se: float | None = None


def inputs(runs: list[tuple[Scenario, CityData]]) -> list[Input]:
    """The union over the scenarios of what they sample, in a stable order (first seen first)."""
    seen: dict[str, Input] = {}
    for scenario, data in runs:
        for f in factors(scenario, data)[0]:
            if f.key not in seen:
                seen[f.key] = _input(f, data)
    return list(seen.values())


def _input(f: Factor, data: CityData) -> Input:
    path = f.key.removeprefix("assumptions.")
    se = data.params[path].meta.get("se") if f.provenance == "calibrated" and path in data.params else None
    if f.provenance != "calibrated":
        return Input(f, "uniform")
    if se is None:
        return Input(f, "uniform (no se)")
    return Input(f, "truncated normal", float(se)) if se > 0 else Input(f, "fixed (se 0)", 0.0)


def values(inp: Input, u: np.ndarray) -> np.ndarray:
    """The input's values at the unit-interval points `u` (its prior's quantiles)."""
    f = inp.factor
    if inp.prior == "fixed (se 0)":
        return np.full(u.shape, float(f.value))
    if inp.prior != "truncated normal":
        return f.low + u * (f.high - f.low)
    a, b = (f.low - f.value) / inp.se, (f.high - f.value) / inp.se
    return truncnorm.ppf(u, a, b, loc=f.value, scale=inp.se)


def uniforms(key: str, n: int, seed: int) -> np.ndarray:
    """n points on the unit interval for input `key`: a stream of its own, seeded by (seed, key), so an
    input's draws do not depend on which other inputs the scenarios sample."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))]).random(n)


def draws(runs: list[tuple[Scenario, CityData]], n: int, seed: int) -> pd.DataFrame:
    """n draws: one row per draw with its seed and a column per input (the factor's key)."""
    table = pd.DataFrame({inp.factor.key: values(inp, uniforms(inp.factor.key, n, seed)) for inp in inputs(runs)})
    table.insert(0, "seed", seed + np.arange(n))
    table.insert(0, "draw", np.arange(n))
    return table


def prior_table(runs: list[tuple[Scenario, CityData]]) -> pd.DataFrame:
    """What each input is drawn from (for the ensemble's report and manifest)."""
    return pd.DataFrame([{"input": i.factor.key, "provenance": i.factor.provenance, "prior": i.prior,
                          "value": i.factor.value, "se": i.se, "low": i.factor.low, "high": i.factor.high}
                         for i in inputs(runs)])


# -- running it -------------------------------------------------------------------------------------------
def specs(runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, scale: int, indicators: list[str]) -> list:
    """One sweep per scenario (`sim.sweep.Spec`): a design point per draw, with the draw's values of the
    inputs that scenario samples and the draw's seed, so every scenario runs draw d with seed d."""
    from .sweep import Spec

    out = []
    for scenario, data in runs:
        chosen = factors(scenario, data)[0]
        keys = [f.key for f in chosen]
        points = [overrides(chosen, row[keys].to_numpy(float)) | {"run.seed": int(row["seed"])}
                  for _, row in table.iterrows()]
        digest = hashlib.sha256(json.dumps(points, sort_keys=True).encode()).hexdigest()
        text = json.dumps({"forecast": {"scenario": scenario.name, "scale": scale, "draws": len(points),
                                        "inputs": keys}, "design_sha256": digest}, indent=2)
        out.append(Spec(name=f"forecast_{scenario.name}", base=scenario.name, path="sim forecast", replicates=1,
                        scale=scale, seed=int(table["seed"].iloc[0]), end=str(scenario.end), indicators=indicators,
                        text=text, points=points, common_seeds=True))
    return out


def by_draw(results: pd.DataFrame) -> pd.DataFrame:
    """A forecast's runs as an annual table whose `replicate` is the draw (what `runner.target_table` reads)."""
    done = results.drop(columns=[c for c in results.columns if c.startswith("param:")])
    return done.assign(replicate=done["point"])


def target_summary(annual: pd.DataFrame, data: CityData) -> pd.DataFrame:
    """`runner.target_table` over the draws (each draw one replicate), with the 5th to 95th percentiles of
    each projection and the Monte Carlo standard error of each P(met), sqrt(p (1 - p) / draws)."""
    from .runner import target_table

    t = target_table(annual, data, quantiles=(5, 10, 50, 90, 95))
    p, n = t["prob_met"], t["replicates"]
    return t.assign(prob_met_se=np.sqrt(p * (1 - p) / n), draws=n)


def effects(annual: pd.DataFrame, data: CityData, treated: str, control: str) -> pd.DataFrame:
    """Per target: the distribution over the draws of treated - control (paired by draw) and P(effect > 0)."""
    from .runner import projected

    rows = []
    for t in data.targets:
        v = projected(annual, t.indicator, t.year, t.period)
        both = v.unstack(level="scenario").dropna(subset=[treated, control]) if not v.empty else None
        if both is None or both.empty:
            continue
        d = (both[treated] - both[control]).to_numpy(float)
        rows.append({"indicator": t.indicator, "year": t.year, "period": f"{t.period[0]}-{t.period[1]}" if t.period else "",
                     "treated": treated, "control": control, "draws": d.size,
                     "p05": float(np.percentile(d, 5)), "p50": float(np.percentile(d, 50)),
                     "p95": float(np.percentile(d, 95)), "prob_effect_positive": float((d > 0).mean())})
    return pd.DataFrame(rows)


# -- a forecast: the ensemble's runs and its tables -------------------------------------------------------
def check_out(out: Path, resume: bool) -> None:
    check_resumable_out(out, resume, "forecast", "forecast")


def run_forecast(runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, scale: int, out: Path,
                 workers: int | None = None, scheduler: str | None = None, resume: bool = False,
                 progress: bool = True) -> tuple[pd.DataFrame, dict]:
    """Run (or resume) every scenario's sweep in work_dir(out); returns the runs as an annual table by draw
    and the summed sweep summary. With `resume`, the runs of an interrupted forecast, or of a finished one
    in `out/runs`, are reused."""
    import shutil

    from .sweep import read_results, sweep

    keep = sorted({t.indicator for _, data in runs for t in data.targets})
    work, parts, total = work_dir(out), [], {}
    if resume and not work.exists() and (Path(out) / "runs").is_dir():
        shutil.copytree(Path(out) / "runs", work)
    for spec in specs(runs, table, scale, keep):
        summary = sweep(spec, work / spec.name, workers, scheduler, resume=resume, progress=progress)
        total = {k: total.get(k, 0) + v for k, v in summary.items()}
        parts.append(read_results(work / spec.name))
    done = [p for p in parts if not p.empty]
    return (by_draw(pd.concat(done, ignore_index=True)) if done else pd.DataFrame()), total


def write_forecast(out: Path, runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, annual: pd.DataFrame,
                   settings: dict) -> dict[str, pd.DataFrame]:
    """DIR/targets.csv (P(met) and its standard error, p05-p95), effects.csv (each scenario against the
    baseline, paired by draw), priors.csv (what each input is drawn from), draws.csv and manifest.json,
    written under a temporary name and renamed when complete; the runs move into DIR/runs last."""
    import os

    from .outputs import atomic_directory, manifest, scenario_entry, write_manifest

    data = runs[0][1]
    targets = target_summary(annual, data)
    names = [sc.name for sc, _ in runs]
    control = "baseline" if "baseline" in names else names[0]
    eff = [effects(annual, data, n, control) for n in names if n != control]
    tables = {"targets": targets, "effects": pd.concat(eff, ignore_index=True) if eff else pd.DataFrame(),
              "priors": prior_table(runs), "draws": table}
    entries = [scenario_entry(sc, provenance_counts=d.provenance_counts()) for sc, d in runs]
    with atomic_directory(Path(out)) as tmp:
        for name, t in tables.items():
            t.to_csv(tmp / f"{name}.csv", index=False)
        write_manifest(tmp, manifest("forecast", city=runs[0][0].city, scenarios=entries, ensemble=settings))
        os.replace(work_dir(out), tmp / "runs")       # last: nothing above may fail after the runs moved
    return tables
