"""Helpers for the analyst notebooks (and any script): run scenarios, measure effects, trade-offs, sweeps.

Each function is a thin layer over the library the CLI uses (`sim.scenario.load`,
`sim.runner.run_replicates`, `sim.runner.target_table`, `sim.sweep.read_results`), so a notebook's
numbers are the ones `sim run` and `sim sweep` would give with the same scale, seed and replicates.
Results are tidy tables; `sim.charts` draws them and `show` displays a figure inline.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import scenario as scen
from .params import CityData
from .runner import city_data, met, projected, run_replicates, target_table


@dataclass
class Runs:
    annual: pd.DataFrame             # scenario, replicate, seed, year, indicator, value
    targets: pd.DataFrame            # the target table (runner.target_table) of every scenario
    data: CityData                   # the first scenario's city data (labels, targets, assumptions)
    items: list                      # (Scenario, CityData, Tables) per scenario, as runner.write_run takes them


def run_settings(scale: int, seed: int, replicates: int, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Scenario overrides for scale, seed and replicates, plus any others (which win)."""
    return {"run.scale": scale, "run.seed": seed, "run.replicates": replicates, **(overrides or {})}


def run_scenarios(refs, scale: int, seed: int = 1, replicates: int = 1, overrides: Mapping[str, Any] | None = None) -> Runs:
    """Run scenarios (names in scenarios/ or paths) side by side with the same seeds; `overrides`
    ({dotted key: value}) change every one of them."""
    items = []
    for ref in refs:
        sc = scen.load(ref, run_settings(scale, seed, replicates, overrides))
        data = city_data(sc)
        items.append((sc, data, run_replicates(sc, data=data)))
    annual = pd.concat([t.annual for _, _, t in items], ignore_index=True)
    targets = pd.concat([target_table(t.annual, d) for _, d, t in items], ignore_index=True)
    return Runs(annual, targets, items[0][1], items)


def outcome_means(annual: pd.DataFrame, indicators: list[str], year: int = 2025) -> pd.DataFrame:
    """Mean across replicates of each indicator in `year`: one row per scenario."""
    rows = annual[(annual["year"] == year) & annual["indicator"].isin(indicators)]
    return rows.groupby(["scenario", "indicator"])["value"].mean().unstack()[indicators]


def measure_effects(measures: list[str], indicators: list[str], scale: int, seed: int = 1, replicates: int = 1,
                    year: int = 2025) -> pd.DataFrame:
    """Each measure alone (scenarios/measure_NAME.toml) minus the baseline, with common seeds."""
    runs = run_scenarios(["baseline"] + [f"measure_{m}" for m in measures], scale, seed, replicates)
    means = outcome_means(runs.annual, indicators, year)
    effects = means.drop(index="baseline") - means.loc["baseline"]
    effects.index = [s.removeprefix("measure_") for s in effects.index]
    return effects.loc[measures]


def tradeoff(ref: str, key: str, values: list, indicators: list[str], scale: int, seed: int = 1,
             replicates: int = 1, year: int = 2025) -> pd.DataFrame:
    """Outcomes as one lever or assumption (a dotted scenario key) takes `values`; the first row is `ref` as it is."""
    rows = []
    for value in [None, *values]:
        runs = run_scenarios([ref], scale, seed, replicates, None if value is None else {key: value})
        means = outcome_means(runs.annual, indicators, year).iloc[0]
        rows.append({key: "default" if value is None else value, **means.to_dict()})
    return pd.DataFrame(rows).set_index(key)


def met_by_run(results: pd.DataFrame, data: CityData) -> pd.DataFrame:
    """For a sweep's results (sweep.read_results): one row per run and target, whether it is met,
    with the run's swept parameters, so P(met) can be read against any of them."""
    tol = data.get("target_rules.about_tolerance")
    params = [c for c in results.columns if c.startswith("param:")]
    runs = results.drop_duplicates("run_id").set_index("run_id")[params]
    rows = []
    annual = results.assign(scenario=results["sweep"], replicate=results["run_id"])
    for t in data.targets:
        if t.indicator not in set(results["indicator"]):
            continue
        v = projected(annual, t.indicator, t.year, t.period)
        ok = met(v.to_numpy(float), t.value, t.comparator, tol)
        label = f"{t.indicator} {t.period[0]}-{t.period[1]}" if t.period else f"{t.indicator} {t.year}"
        rows.append(pd.DataFrame({"run_id": v.index.get_level_values("replicate"), "target": label, "met": ok}))
    out = pd.concat(rows, ignore_index=True)
    return out.join(runs, on="run_id").rename(columns=lambda c: c.removeprefix("param:"))


def p_met_by(table: pd.DataFrame, parameter: str, bins: int | None = None) -> pd.DataFrame:
    """P(met) of each target by a swept parameter (binned into `bins` equal ranges for a continuous one)."""
    x = table[parameter]
    if bins:
        x = pd.cut(x, bins=np.linspace(x.min(), x.max(), bins + 1), include_lowest=True)
    return table.assign(**{parameter: x}).groupby([parameter, "target"], observed=True)["met"].mean().unstack()


def show(fig, dpi: int = 100):
    """A figure as an inline image (the charts use a non-interactive backend)."""
    from IPython.display import Image

    from .charts.style import plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return Image(data=buf.getvalue())


def sweep_spec(path: str | Path, **changes):
    """A sweep spec with fields replaced (e.g. scale, replicates, samples) for a quick local run."""
    import dataclasses

    from .sweep import load_spec

    return dataclasses.replace(load_spec(path), **changes)
