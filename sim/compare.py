"""Compare scenarios and sweeps: fan charts against the targets, P(met) and the year first met.

Inputs are run directories (`sim run`: annual.parquet, one label per scenario inside) and sweep
directories (`sim sweep`: results/*.parquet, pooled under the sweep's name, so the band spans the
swept assumptions as well as the replicates). Everything is read from tidy tables; nothing reruns. The
targets are the city's and those the runs' scenarios added (`[targets] files`, from their manifests).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .params import DEFAULT_CITY, load_city
from .outputs import atomic_directory, manifest, write_manifest
from .runner import city_rows, met, target_table


def load_annual(path: Path) -> pd.DataFrame:
    """Tidy annual rows (scenario, replicate, year, indicator, value) of the city in a run or sweep directory
    (a run's per-county rows left out, `runner.city_rows`)."""
    path = Path(path)
    if (path / "annual.parquet").is_file():
        a = city_rows(pd.read_parquet(path / "annual.parquet"))
        return a[["scenario", "replicate", "year", "indicator", "value"]]
    if (path / "results").is_dir():
        from .sweep import read_results

        a = read_results(path)
        if a.empty:
            raise InputError(path, "results", "the sweep has no finished runs yet")
        a = a.assign(scenario=a["sweep"], replicate=a["run_id"])
        return a[["scenario", "replicate", "year", "indicator", "value"]]
    raise InputError(path, "", "not a run directory (annual.parquet) or a sweep directory (results/)")


def scenario_target_files(paths: list[Path]) -> list[str]:
    """The target files the runs' scenarios added to their city's (`[targets] files`, as the manifests of
    the run directories among `paths` record them), each once, in order."""
    import json

    files: dict[str, None] = {}
    for p in map(Path, paths):
        m = p / "manifest.json"
        if (p / "annual.parquet").is_file() and m.is_file():
            for e in json.loads(m.read_text(encoding="utf-8")).get("scenarios", []):
                files.update(dict.fromkeys(e.get("resolved_scenario", {}).get("targets", {}).get("files", [])))
    return list(files)


def first_met(annual: pd.DataFrame, data) -> pd.DataFrame:
    """For each scenario and target: the first year the median projection meets the target's level."""
    tol = data.get("target_rules.about_tolerance")
    rows = []
    for t in data.targets:
        period = t.period
        a = annual[annual["indicator"] == t.indicator].sort_values("year")
        if period:
            a = a[a["year"] >= period[0]].copy()
            a["value"] = a.groupby(["scenario", "replicate"])["value"].cumsum()
        med = a[a["year"] > 2020].groupby(["scenario", "year"])["value"].median()
        for scen, s in med.groupby(level="scenario"):
            ok = met(s.to_numpy(), t.value, t.comparator, tol)
            years = s.index.get_level_values("year")[ok]
            rows.append({"scenario": scen, "indicator": t.indicator, "year": t.year,
                         "period": f"{period[0]}-{period[1]}" if period else "",
                         "first_year_met": int(years.min()) if len(years) else np.nan})
    return pd.DataFrame(rows)


def compare(paths: list[Path], out: Path, city: str = DEFAULT_CITY, charts: bool = True, lang: str = "en") -> pd.DataFrame:
    """comparison.csv (P(met), percentiles, first year met) and fan charts (PNG and SVG, `sim.charts`) in `out`."""
    annual = pd.concat([load_annual(p) for p in paths], ignore_index=True)
    data = load_city(city).with_target_files(scenario_target_files(paths), "the compared runs' manifests")
    targets = target_table(annual, data)
    table = targets.merge(first_met(annual, data), on=["scenario", "indicator", "year", "period"], how="left")
    with atomic_directory(out) as tmp:
        table.to_csv(tmp / "comparison.csv", index=False)
        write_manifest(tmp, manifest("compare", city=city, compared=[str(Path(p).resolve()) for p in paths]))
        if charts:
            from .charts import write_charts

            write_charts(annual, targets, tmp, None, data, lang=lang)
    return table
