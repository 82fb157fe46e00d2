"""The draws of an uncertainty ensemble (issue 14): what we do not know, sampled once for every scenario.

Each draw gives every uncertain input a value and the run a seed:

- an `assumption` is drawn over its plausible `range` from the prior its `prior:` names in the data
  file: uniform (the default), triangular with its peak at the value, or log-uniform (the inputs are
  those `sim sensitivity` samples, `sim.sensitivity.factors`: lists and table columns marked `sample:
  scale|shift` move as one input, drawn uniformly; measures' parameters count only where the scenario
  switches the measure on; values a scenario sets itself are part of the question and stay fixed);
- a `calibrated` value is drawn from its calibration uncertainty, a normal distribution around the
  fitted value with the fit's standard error (`se` in the data file, written by `sim calibrate`),
  truncated to the parameter's search range; a calibrated value without a standard error is drawn
  uniformly over its range and said so (`prior` "uniform (no se)");
- the seeds: draw d runs `seeds_per_draw` times, with seeds S + d * seeds_per_draw + r, so the seed's
  noise can be told from the parameters' (`variance`).

Running them (`specs`): one sweep per scenario (`sim.sweep`: local processes or Dask, resumable), a
design point per draw and seed. From the runs' outcomes (`outcome_table`: each run's projection of each
target and whether it is met), `target_summary` gives each target's P(met) with its Monte Carlo
standard error (draws are the independent units), `effects` the difference between two scenarios paired
by run, `variance` the shares of parameters and seed in each projection's variance, and
`sim.discovery` the inputs whose ranges decide an uncertain target; `sim.observed` weights the draws by
outturns an analyst has observed. `write_forecast` writes them (`sim forecast`, sim/cli/forecast.py).

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
from scipy.stats import triang, truncnorm

from .outputs import check_resumable_out, work_dir
from .params import CityData
from .runner import TARGET_KEYS
from .scenario import Scenario
from .sensitivity.inputs import Factor, factors, overrides


@dataclass(frozen=True)
class Input:
    """One sampled input of the ensemble: the sensitivity factor and the prior it is drawn from."""

    factor: Factor
    prior: str            # "uniform", "triangular", "log-uniform" (an assumption's `prior:`), "truncated normal",
                          # "uniform (no se)" for a calibrated value without one, or "fixed (se 0)"
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
    meta = data.params[path].meta if path in data.params else {}
    if f.provenance != "calibrated":
        return Input(f, meta.get("prior", "uniform") if f.how == "value" else "uniform")
    se = meta.get("se")
    if se is None:
        return Input(f, "uniform (no se)")
    return Input(f, "truncated normal", float(se)) if se > 0 else Input(f, "fixed (se 0)", 0.0)


def values(inp: Input, u: np.ndarray) -> np.ndarray:
    """The input's values at the unit-interval points `u` (its prior's quantiles)."""
    f = inp.factor
    if inp.prior == "fixed (se 0)":
        return np.full(u.shape, float(f.value))
    if inp.prior == "triangular":
        mode = min(max(float(f.value), f.low), f.high)
        return triang.ppf(u, (mode - f.low) / (f.high - f.low), loc=f.low, scale=f.high - f.low)
    if inp.prior == "log-uniform":
        return f.low * (f.high / f.low) ** u
    if inp.prior != "truncated normal":
        return f.low + u * (f.high - f.low)
    a, b = (f.low - f.value) / inp.se, (f.high - f.value) / inp.se
    return truncnorm.ppf(u, a, b, loc=f.value, scale=inp.se)


def uniforms(key: str, n: int, seed: int) -> np.ndarray:
    """n points on the unit interval for input `key`: a stream of its own, seeded by (seed, key), so an
    input's draws do not depend on which other inputs the scenarios sample."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))]).random(n)


def draws(runs: list[tuple[Scenario, CityData]], n: int, seed: int, seeds_per_draw: int = 1) -> pd.DataFrame:
    """n draws: one row per draw with its first seed and a column per input (the factor's key). Draw d
    runs with seeds seed + d * seeds_per_draw + r, r = 0..seeds_per_draw-1 (no two draws share one)."""
    table = pd.DataFrame({inp.factor.key: values(inp, uniforms(inp.factor.key, n, seed)) for inp in inputs(runs)})
    table.insert(0, "seed", seed + seeds_per_draw * np.arange(n))
    table.insert(0, "draw", np.arange(n))
    return table


def prior_table(runs: list[tuple[Scenario, CityData]]) -> pd.DataFrame:
    """What each input is drawn from (for the ensemble's report and manifest)."""
    return pd.DataFrame([{"input": i.factor.key, "provenance": i.factor.provenance, "prior": i.prior,
                          "value": i.factor.value, "se": i.se, "low": i.factor.low, "high": i.factor.high}
                         for i in inputs(runs)])


def draw_points(scenario: Scenario, data: CityData, table: pd.DataFrame) -> list[tuple[dict, int]]:
    """Each draw of `table` as the scenario overrides of the inputs this scenario samples (`--set` keys:
    lists and columns expanded, integers rounded, `sim.sensitivity.inputs.overrides`) and the draw's seed.
    What every tool running the ensemble (forecast, attribute --draws, what-it-takes) gives each run."""
    chosen = factors(scenario, data)[0]
    keys = [f.key for f in chosen]
    return [(overrides(chosen, row[keys].to_numpy(float)), int(row["seed"])) for _, row in table.iterrows()]


# -- running it -------------------------------------------------------------------------------------------
def specs(runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, scale: int, indicators: list[str],
          seeds_per_draw: int = 1) -> list:
    """One sweep per scenario (`sim.sweep.Spec`): design point d * seeds_per_draw + r runs draw d (the
    values of the inputs that scenario samples) with the draw's seed + r, so every scenario runs every
    draw with the same seeds (common random numbers)."""
    from .sweep import Spec

    out = []
    for scenario, data in runs:
        keys = [f.key for f in factors(scenario, data)[0]]
        points = [draw | {"run.seed": seed + r} for draw, seed in draw_points(scenario, data, table)
                  for r in range(seeds_per_draw)]
        digest = hashlib.sha256(json.dumps(points, sort_keys=True).encode()).hexdigest()
        text = json.dumps({"forecast": {"scenario": scenario.name, "scale": scale, "draws": len(table),
                                        "seeds_per_draw": seeds_per_draw, "inputs": keys},
                           "design_sha256": digest}, indent=2)
        out.append(Spec(name=f"forecast_{scenario.name}", base=scenario.ref, path="sim forecast", replicates=1,
                        scale=scale, seed=int(table["seed"].iloc[0]), end=str(scenario.end), indicators=indicators,
                        text=text, points=points, common_seeds=True))
    return out


def by_draw(results: pd.DataFrame, seeds_per_draw: int = 1) -> pd.DataFrame:
    """A forecast's runs as an annual table: `replicate` is the design point (what `runner.outcomes`
    reads), `draw` the ensemble draw it ran."""
    done = results.drop(columns=[c for c in results.columns if c.startswith("param:")])
    return done.assign(replicate=done["point"], draw=done["point"] // seeds_per_draw)


def outcome_table(annual: pd.DataFrame, data: CityData, seeds_per_draw: int = 1) -> pd.DataFrame:
    """`runner.outcomes` (one row per scenario, run and target: projection and met) with each run's draw."""
    from .runner import outcomes

    rows = outcomes(annual, data)
    return rows.assign(draw=rows["replicate"] // seeds_per_draw)


def _weights(rows: pd.DataFrame, weights: pd.Series | None) -> np.ndarray:
    """Each run's weight: its draw's weight (1 without conditioning) shared among the draw's runs."""
    if weights is None:
        return np.ones(len(rows))
    per_run = rows.groupby("draw")["draw"].transform("size").to_numpy(float)
    return weights.reindex(rows["draw"]).to_numpy(float) / per_run


def _percentiles(v: np.ndarray, w: np.ndarray, qs) -> dict[str, float]:
    """Percentiles of v; weighted ones (inverted CDF) when the weights are not all equal."""
    if np.allclose(w, w[0]):
        return {f"p{q:02d}": float(np.percentile(v, q)) for q in qs}
    return {f"p{q:02d}": float(np.percentile(v, q, weights=w, method="inverted_cdf")) for q in qs}


def share_and_se(x: np.ndarray, draw: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """The weighted share of runs with x true and its Monte Carlo standard error, treating draws as the
    independent units (runs of one draw share its parameters): sqrt(sum W_d^2 (m_d - p)^2) / sum W_d, with
    m_d the draw's share and W_d its weight; with one run per draw and equal weights, sqrt(p (1 - p) / n)."""
    frame = pd.DataFrame({"x": x.astype(float) * w, "w": w, "d": draw}).groupby("d").sum()
    p = float(frame["x"].sum() / frame["w"].sum())
    m = frame["x"] / frame["w"]
    return p, float(np.sqrt(((frame["w"] * (m - p)) ** 2).sum()) / frame["w"].sum())


QUANTILES = (5, 10, 50, 90, 95)


def target_summary(rows: pd.DataFrame, weights: pd.Series | None = None) -> pd.DataFrame:
    """Per scenario and target over the ensemble's runs (`outcome_table`): the 5th to 95th percentiles of
    the projection, P(met) and its Monte Carlo standard error (`share_and_se`), the number of draws and of
    runs. `weights` (by draw, from conditioning on observed outturns) weight every statistic."""
    out = []
    for (scen, *_), g in rows.groupby(["scenario", *TARGET_KEYS], sort=False):
        w, first = _weights(g, weights), g.iloc[0]
        p, se = share_and_se(g["met"].to_numpy(), g["draw"].to_numpy(), w)
        out.append({"scenario": scen, **{k: first[k] for k in ("target_id", "indicator", "year", "period", "target",
                                                               "comparator")},
                    **_percentiles(g["value"].to_numpy(float), w, QUANTILES), "prob_met": p, "prob_met_se": se,
                    "draws": g["draw"].nunique(), "replicates": len(g), "source": first["source"],
                    "fact_id": first["fact_id"]})
    return pd.DataFrame(out)


def effects(rows: pd.DataFrame, treated: str, control: str, weights: pd.Series | None = None) -> pd.DataFrame:
    """Per target: the distribution over the runs of treated - control, paired by run (the same draw and
    seed), and P(effect > 0) with its standard error."""
    out = []
    both = rows[rows["scenario"].isin([treated, control])]
    for keys, g in both.groupby(TARGET_KEYS, sort=False):
        wide = g.pivot_table(index=["replicate", "draw"], columns="scenario", values="value").dropna()
        if treated not in wide or control not in wide or wide.empty:
            continue
        d, w = (wide[treated] - wide[control]).to_numpy(float), _weights(wide.reset_index(), weights)
        p, se = share_and_se(d > 0, wide.index.get_level_values("draw").to_numpy(), w)
        out.append({**dict(zip(TARGET_KEYS, keys, strict=True)), "treated": treated, "control": control,
                    "draws": wide.index.get_level_values("draw").nunique(), "replicates": d.size,
                    **_percentiles(d, w, (5, 50, 95)), "prob_effect_positive": p, "prob_effect_positive_se": se})
    return pd.DataFrame(out)


def variance(rows: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and target, how much of the projection's variance over the ensemble comes from the
    parameters and how much from the seed: a one-way random-effects analysis of variance with the draw as
    the group (Searle, Casella and McCulloch 1992, ch. 3). The seed's variance is the mean within-draw
    variance; the parameters' is the variance of the draw means less the seed's variance over the seeds
    per draw (floored at 0). With one seed per draw neither is estimable (NaN). Over the prior draws,
    unweighted."""
    out = []
    for (scen, *keys), g in rows.groupby(["scenario", *TARGET_KEYS], sort=False):
        by = g.groupby("draw")["value"]
        r = int(by.size().min())
        seed = float(by.var(ddof=1).mean()) if r > 1 else np.nan
        param = max(0.0, float(by.mean().var(ddof=1)) - seed / r) if r > 1 else np.nan
        total = param + seed
        out.append({"scenario": scen, **dict(zip(TARGET_KEYS, keys, strict=True)), "draws": by.ngroups, "seeds_per_draw": r,
                    "mean": float(g["value"].mean()), "sd_parameters": np.sqrt(param), "sd_seed": np.sqrt(seed),
                    "share_parameters": param / total if total > 0 else np.nan,
                    "share_seed": seed / total if total > 0 else np.nan})
    return pd.DataFrame(out)


# -- a forecast: the ensemble's runs and its tables -------------------------------------------------------
def check_out(out: Path, resume: bool) -> None:
    check_resumable_out(out, resume, "forecast", "forecast")


def run_forecast(runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, scale: int, out: Path,
                 workers: int | None = None, scheduler: str | None = None, resume: bool = False,
                 progress: bool = True, seeds_per_draw: int = 1) -> tuple[pd.DataFrame, dict]:
    """Run (or resume) every scenario's sweep in work_dir(out); returns the runs as an annual table
    (`by_draw`) and the summed sweep summary. With `resume`, the runs of an interrupted forecast, or of a
    finished one in `out/runs`, are reused."""
    import shutil

    from .sweep import read_results, sweep

    keep = sorted({t.indicator for _, data in runs for t in data.targets})
    work, parts, total = work_dir(out), [], {}
    if resume and not work.exists() and (Path(out) / "runs").is_dir():
        shutil.copytree(Path(out) / "runs", work)
    for spec in specs(runs, table, scale, keep, seeds_per_draw):
        summary = sweep(spec, work / spec.name, workers, scheduler, resume=resume, progress=progress)
        total = {k: total.get(k, 0) + v for k, v in summary.items()}
        parts.append(read_results(work / spec.name))
    done = [p for p in parts if not p.empty]
    return (by_draw(pd.concat(done, ignore_index=True), seeds_per_draw) if done else pd.DataFrame()), total


def summarise(runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, rows: pd.DataFrame,
              weights: pd.Series | None = None, discover: bool = True) -> dict[str, pd.DataFrame]:
    """A forecast's tables from its runs' outcomes (`outcome_table`): targets (P(met) and its standard
    error, p05-p95), effects (each scenario against the baseline, paired by run), variance (parameters
    against seed) and discovery (the inputs that decide each uncertain target, `sim.discovery`);
    `weights` (conditioning on observed outturns) weight targets and effects."""
    from . import discovery

    names = [sc.name for sc, _ in runs]
    control = "baseline" if "baseline" in names else names[0]
    eff = [effects(rows, n, control, weights) for n in names if n != control]
    inputs_of = {sc.name: [f.key for f in factors(sc, data)[0]] for sc, data in runs}
    return {"targets": target_summary(rows, weights),
            "effects": pd.concat(eff, ignore_index=True) if eff else pd.DataFrame(),
            "variance": variance(rows),
            "discovery": discovery.discover(rows, table, inputs_of) if discover else pd.DataFrame()}


def write_forecast(out: Path, runs: list[tuple[Scenario, CityData]], table: pd.DataFrame, tables: dict[str, pd.DataFrame],
                   settings: dict, extra_files=None) -> None:
    """DIR/NAME.csv for every table (`summarise`'s, plus priors.csv and draws.csv) and manifest.json,
    written under a temporary name and renamed when complete; `extra_files(tmp)` may add files (charts,
    the report); the runs move into DIR/runs last."""
    import os

    from .outputs import atomic_directory, manifest, scenario_entry, write_manifest

    tables = {**tables, "priors": prior_table(runs), "draws": table}
    entries = [scenario_entry(sc, provenance_counts=d.provenance_counts()) for sc, d in runs]
    with atomic_directory(Path(out)) as tmp:
        for name, t in tables.items():
            t.to_csv(tmp / f"{name}.csv", index=False)
        write_manifest(tmp, manifest("forecast", city=runs[0][0].city, scenarios=entries, ensemble=settings))
        if extra_files is not None:
            extra_files(tmp)
        os.replace(work_dir(out), tmp / "runs")       # last: nothing above may fail after the runs moved
