"""The model as a plain callable, and what a run directory holds.

`run(scenario, seed)` builds the model, steps it to the scenario's end and returns tidy tables
(EMA Workbench style: sweeps, calibration and sensitivity analysis all reuse it): the city's annual
rows (`Tables.annual`, what every summary reads) and the per-county rows (`Tables.counties`) apart.
A run directory's annual.parquet holds both, told apart by its `county` column (`CITY` for the city;
`annual_table`), and `city_rows` gives back the city's rows of it.
`run_replicates` repeats it over seeds seed, seed+1, ..., in this process or on local worker
processes (the same tables either way). `target_table` compares the annual
projections with the plans' targets. `write_run` puts everything in a directory atomically: it is
written under a temporary name and renamed only when complete, so a crash leaves nothing half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import costs, indicators, outputs
from .inputs import check_data, city_data, policy_overrides  # noqa: F401  (the library's names for them)
from .outputs import atomic_directory, code_revision, scenario_entry, write_manifest  # noqa: F401  (re-exported)
from .params import CityData, files_hash
from .scenario import Scenario
from .targets import target_id  # noqa: F401  (the library's name for it)


CITY = "all"       # the `county` of the city's rows in a written annual table


@dataclass
class Tables:
    monthly: pd.DataFrame          # scenario, replicate, seed, month, indicator, value
    annual: pd.DataFrame           # scenario, replicate, seed, year, indicator, value: the city
    counties: pd.DataFrame = field(default_factory=pd.DataFrame)   # ... year, county, indicator, value
    calibrated: dict = field(default_factory=dict)   # seed -> calibrated rates
    costs: pd.DataFrame = field(default_factory=pd.DataFrame)   # scenario, replicate, seed, year, measure, item, ...


def _tidy(rows: list[dict], time_key: str | list[str], scenario: Scenario, replicate: int, seed: int) -> pd.DataFrame:
    """Wide rows (one per `time_key`: a column name, or several) as long rows, one per indicator."""
    wide = pd.DataFrame(rows)
    long = wide.melt(id_vars=time_key, var_name="indicator", value_name="value")
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
    cost = costs.annual_table(model.cost_lines, model.world.data)
    for i, (key, value) in enumerate((("scenario", scenario.name), ("replicate", replicate), ("seed", seed))):
        cost.insert(i, key, value)
    return Tables(monthly, annual, county_rows(model, scenario, replicate, seed), {seed: model.calibrated}, cost)


def county_rows(model, scenario: Scenario, replicate: int, seed: int) -> pd.DataFrame:
    """The model's per-county annual rows (`indicators.county_annual`), tidy; a county's rate without
    a denominator (nan) has no row, as in the city's table."""
    rows = indicators.county_annual(model.county_stocks, model.world.county_names)
    counties = _tidy(rows, ["year", "county"], scenario, replicate, seed)
    return counties.dropna(subset=["value"]).reset_index(drop=True)


def annual_table(annual: pd.DataFrame, counties: pd.DataFrame) -> pd.DataFrame:
    """The annual table as a run directory holds it: the city's rows (`county` = `CITY`), then the counties'."""
    city = annual.copy()
    city.insert(int(city.columns.get_loc("year")) + 1, "county", CITY)
    return pd.concat([city, counties], ignore_index=True)


def city_rows(annual: pd.DataFrame) -> pd.DataFrame:
    """The city's rows of an annual table read from a run directory, without the `county` column: what
    `Tables.annual` held. A table without the column (a sweep's, or written before it existed) is the city's."""
    if "county" not in annual:
        return annual
    return annual[annual["county"] == CITY].drop(columns="county").reset_index(drop=True)


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
                  pd.concat([p.counties for p in ordered], ignore_index=True),
                  {k: v for p in ordered for k, v in p.calibrated.items()},
                  pd.concat([p.costs for p in ordered], ignore_index=True))


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


def outcomes(annual: pd.DataFrame, data: CityData) -> pd.DataFrame:
    """One row per scenario, replicate and target: the projection (`value`) and whether it meets the
    target (`met`), with the target's id, year, period, value, comparator, source and fact id. The
    long table every summary of targets (`target_table`, an ensemble's `sim.ensemble`) reads."""
    tol = data.get("target_rules.about_tolerance")
    parts = []
    for t in data.targets:
        v = projected(annual, t.indicator, t.year, t.period).sort_index()
        if v.empty:
            continue
        rows = v.rename("value").reset_index()
        rows["met"] = met(rows["value"].to_numpy(float), t.value, t.comparator, tol)
        parts.append(rows.assign(target_id=target_id(t), indicator=t.indicator, year=t.year,
                                 period=f"{t.period[0]}-{t.period[1]}" if t.period else "", target=float(t.value),
                                 comparator=t.comparator, source=t.source, fact_id=t.fact_id))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


TARGET_KEYS = ["target_id", "indicator", "year", "period"]


def target_table(annual: pd.DataFrame, data: CityData, quantiles: tuple[int, ...] = (10, 50, 90)) -> pd.DataFrame:
    """Per scenario and target: the projection's percentiles over the replicates (columns p10, p50, ...)
    and P(met), the share of replicates meeting the target."""
    out = []
    rows = outcomes(annual, data)
    for (scen, *_), g in (rows.groupby(["scenario", *TARGET_KEYS], sort=False) if not rows.empty else []):
        v, first = g["value"].to_numpy(float), g.iloc[0]
        out.append({"scenario": scen, **{k: first[k] for k in ("indicator", "year", "period", "target", "comparator")},
                    **{f"p{q:02d}": float(np.percentile(v, q)) for q in quantiles},
                    "prob_met": float(g["met"].mean()), "replicates": int(v.size),
                    "source": first["source"], "fact_id": first["fact_id"]})
    return pd.DataFrame(out)


def assumed_targets(scenario: Scenario, data: CityData) -> set[str]:
    """Fact ids of the targets that a measure the scenario switches on takes as an input (its volume is the
    target's own figure, e.g. the 80,000 subsidised trainings the skills programme funds): such a target
    is "delivered by assumption", never "met"."""
    ids = {t.fact_id for t in data.targets if t.fact_id}
    defaults = data.raw.get("policies") or {}
    return {node["fact_id"] for name, params in scenario.policies.items() if params.get("enabled", True)
            for node in (defaults.get(name) or {}).values() if isinstance(node, dict) and node.get("fact_id") in ids}


def mark_assumed(targets: pd.DataFrame, runs) -> pd.DataFrame:
    """`targets` with a `delivered_by_assumption` column (`assumed_targets` of each row's scenario: a
    measure's volume is the target's figure) and a `status`: "met" when most runs meet the target (P(met)
    >= 0.5, the rule of the charts' and the report's verdicts), else "not met"; where the figure is an
    input, "delivered by assumption" if it is met, else "short of its input" (the seats were there, too few
    took them up: take-up is a choice)."""
    assumed = {sc.name: assumed_targets(sc, data) for sc, data, *_ in runs}
    flags = [row.fact_id in assumed.get(row.scenario, set()) for row in targets.itertuples()]
    status = [STATUS[(f, p >= 0.5)] for f, p in zip(flags, targets["prob_met"], strict=True)]
    return targets.assign(delivered_by_assumption=flags, status=status)


STATUS = {(False, True): "met", (False, False): "not met", (True, True): "delivered by assumption",
          (True, False): "short of its input"}


def delivered(t) -> bool:
    """A target row that is delivered by assumption: its figure is an input and the runs reach it."""
    return bool(t.get("delivered_by_assumption", False)) and t.get("status", "delivered by assumption") == STATUS[True, True]


def format_targets(targets: pd.DataFrame, band: tuple[str, str] = ("p10", "p90")) -> str:
    """The projected-versus-target table as aligned text: the median within the `band` columns, P(met),
    and its Monte Carlo standard error where the table has one (an ensemble's, `sim.ensemble`). A target
    delivered by assumption shows "input" instead of a P(met), with a note under the table."""
    se = "prob_met_se" in targets
    multi = targets["scenario"].nunique() > 1
    targets = targets.sort_values(["indicator", "year", "period", "scenario"], kind="stable",
                                  key=lambda c: c.map({i.id: k for k, i in enumerate(indicators.INDICATORS)})
                                  if c.name == "indicator" else c) if multi else targets
    lines = [f"{'indicator':<30} {'year':<10} " + (f"{'scenario':<14} " if multi else "")
             + f"{'target':>14} {band[0]:>12} {'median':>12} {band[1]:>12} {'P(met)':>7}" + (f" {'±se':>5}" if se else "")
             + "  source"]
    for _, t in targets.iterrows():
        lines.append(_target_line(t, band, se, multi))
    flagged = targets.get("delivered_by_assumption", pd.Series(dtype=bool))
    if flagged.any():
        lines.append("input: delivered by assumption (a measure of the scenario takes the target's figure as its "
                     "volume), not a projection that meets it")
    if flagged.any() and (targets.get("status") == STATUS[True, False]).any():
        lines.append("*: a measure's seats are the target's figure, but too few take them up (take-up is a choice): "
                     "short of its input")
    return "\n".join(lines)


def _target_line(t: pd.Series, band: tuple[str, str], se: bool, multi: bool) -> str:
    ind = indicators.BY_ID[t["indicator"]]
    fmt = (lambda v: f"{v:.2f}%") if ind.unit == "percent" else (lambda v: f"{v:,.0f}")
    when = t["period"] or str(t["year"])
    comp = {"about": "≈", "=": "="}.get(t["comparator"], t["comparator"])
    assumed = delivered(t)
    short = bool(t.get("delivered_by_assumption", False)) and not assumed
    p = f"{'input':>7}" if assumed else f"{t['prob_met']:>6.0%}" + ("*" if short else " ")
    return (f"{t['indicator']:<30} {when:<10} " + (f"{t['scenario'][:14]:<14} " if multi else "")
            + f"{comp + fmt(t['target']):>14} {fmt(t[band[0]]):>12} {fmt(t['p50']):>12} {fmt(t[band[1]]):>12} {p}"
            + ((f"{'':>5}" if assumed else f"{t['prob_met_se']:>5.0%}") if se else "") + f"  {t['source'][:48]}")


# -- writing ----------------------------------------------------------------------------------------
def manifest(runs: list[tuple[Scenario, CityData, Tables]]) -> dict:
    """What reproduces these results (`sim.outputs.manifest`, kind "run"): each scenario as resolved,
    its seeds, data file, target files and the hash of them all (`sim.params.files_hash`), provenance
    counts and calibrated rates."""
    entries = []
    for scenario, data, tables in runs:
        entries.append(scenario_entry(scenario, data_file=str(Path(data.where).resolve()),
                                      target_files=[f.path for f in data.target_files],
                                      data_hash="sha256:" + files_hash(data.files()),
                                      provenance_counts=data.provenance_counts(),
                                      calibrated={str(k): v for k, v in tables.calibrated.items()}))
    return outputs.manifest("run", city=runs[0][0].city, scenarios=entries)


def combined(runs: list[tuple[Scenario, CityData, Tables]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Monthly, annual (the city's) and target tables of several scenarios, one tidy table each."""
    monthly = pd.concat([t.monthly for _, _, t in runs], ignore_index=True)
    annual = pd.concat([t.annual for _, _, t in runs], ignore_index=True)
    targets = pd.concat([target_table(t.annual, d) for _, d, t in runs], ignore_index=True)
    return monthly, annual, mark_assumed(targets, runs)


def write_run(out: Path, runs: list[tuple[Scenario, CityData, Tables]], chart_fn=None) -> pd.DataFrame:
    """Write the run directory atomically (one or several scenarios); returns the target table. The
    annual table has the counties' rows besides the city's (`annual_table`); targets and charts read the city's."""
    with atomic_directory(out) as tmp:
        monthly, annual, targets = combined(runs)
        counties = pd.concat([t.counties for _, _, t in runs], ignore_index=True)
        monthly.to_parquet(tmp / "monthly.parquet", index=False)
        annual_table(annual, counties).to_parquet(tmp / "annual.parquet", index=False)
        targets.to_csv(tmp / "targets.csv", index=False)
        pd.concat([t.costs for _, _, t in runs], ignore_index=True).to_csv(tmp / "costs.csv", index=False)
        write_manifest(tmp, manifest(runs))
        if chart_fn is not None:
            chart_fn(annual, targets, tmp, runs[0][0], runs[0][1])
    return targets
