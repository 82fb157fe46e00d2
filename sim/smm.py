"""Calibration by the method of simulated moments (SMM) against the 2016-2020 record.

Which parameters: every parameter the city file marks `calibrated` (a friction or propensity no
source gives), searched within its `range`: the separation scale and the monthly withdrawal rate of
unfilled openings.
Which moments: the `fitted` rows of the back-cast (sim/backcast.py CHECKS), urban new employment
2016-2020 (250,051) and the registered urban unemployment rate at end-2020 (2.33%), both in [003]
第一章第一节. The other rows are identified at build time (sim/calibration.py), inputs, or held out
for validation - among them re-employment of the registered unemployed (100,005), which a first
version also fitted: no point in the parameters' ranges then matched the registered rate, because the
model's registered jobseekers find work about twice as fast as the record implies (see docs/ODD.md).
The report lists every row with its role, so a fitted moment is never shown as validation.

Method (McFadden 1989; Gourieroux & Monfort 1996): the model is simulated from the end-2015 city for
2016-2020 with a fixed set of seeds (common random numbers: every candidate sees the same random
streams, so differences between candidates are not noise), and the objective is the sum of squared
relative errors J = sum_k ((m_k - d_k) / d_k)^2 (a diagonal weight of 1/d_k^2: every moment counts in
percent). Nelder-Mead searches the unit cube of the parameters' ranges for at most `budget` evaluations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import minimize

from . import backcast
from .errors import InputError
from .outputs import atomic_write_text
from .params import DEFAULT_CITY, CityData, load_city


@dataclass
class Fit:
    """The result of a calibration: parameters, moments and every evaluation."""

    names: list[str]
    start: dict[str, float]
    best: dict[str, float]
    objective_start: float
    objective_best: float
    table_start: pd.DataFrame
    table_best: pd.DataFrame
    history: list[dict] = field(default_factory=list)


def calibrated_parameters(data: CityData) -> dict[str, tuple[float, float]]:
    """Every scalar `calibrated` parameter and its search range."""
    out = {}
    for path, p in data.params.items():
        if p.provenance != "calibrated" or isinstance(p.value, list):
            continue
        if p.range is None:
            raise InputError(data.where, path, "a calibrated parameter needs a 'range' to search within")
        out[path] = (float(p.range[0]), float(p.range[1]))
    return out


def fitted_checks() -> list[backcast.Check]:
    return [c for c in backcast.CHECKS if c.role == "fitted"]


def objective(table: pd.DataFrame) -> float:
    fitted = table[table["role"] == "fitted"]
    return float(((fitted["simulated"] - fitted["observed"]) / fitted["observed"]).pow(2).sum())


class Problem:
    """Maps points of the unit cube to parameter values and back-cast tables (memoised)."""

    def __init__(self, data: CityData, scale: int, seeds: list[int], city: str):
        self.data, self.scale, self.seeds, self.city = data, scale, seeds, city
        self.ranges = calibrated_parameters(data)
        self.names = list(self.ranges)
        self.history: list[dict] = []
        self.tables: dict[tuple, pd.DataFrame] = {}

    def values(self, x: np.ndarray) -> dict[str, float]:
        x = np.clip(x, 0.0, 1.0)
        return {n: lo + float(xi) * (hi - lo) for n, xi, (lo, hi) in zip(self.names, x, self.ranges.values(), strict=True)}

    def unit(self, values: dict[str, float]) -> np.ndarray:
        return np.array([(values[n] - lo) / (hi - lo) for n, (lo, hi) in self.ranges.items()])

    def table(self, values: dict[str, float]) -> pd.DataFrame:
        """The back-cast comparison at `values`; each candidate is simulated once (same seeds, same table)."""
        key = tuple(values[n] for n in self.names)
        if key not in self.tables:
            data = self.data.with_overrides(values, self.data.where, prefix="")
            self.tables[key] = backcast.compare(backcast.simulate(data, self.scale, self.seeds, self.city), data)
        return self.tables[key]

    def __call__(self, x: np.ndarray) -> float:
        values = self.values(x)
        j = objective(self.table(values))
        self.history.append({"evaluation": len(self.history) + 1, **values, "objective": j})
        return j


def calibrate(city: str = DEFAULT_CITY, scale: int = 20, seeds: list[int] | None = None, budget: int = 30,
              progress=None) -> Fit:
    """Fit the calibrated parameters; `progress(evaluation, objective)` is called after each run."""
    data = load_city(city)
    problem = Problem(data, scale, seeds or [1, 2], city)
    if not problem.names:
        raise InputError(data.where, "", "no parameter has provenance 'calibrated': nothing to fit")
    start = {n: float(data.get(n)) for n in problem.names}
    x0 = problem.unit(start)
    wrapped = _with_progress(problem, progress)
    simplex = np.vstack([x0] + [np.clip(x0 + 0.2 * np.eye(len(x0))[i] * (1 if x0[i] < 0.8 else -1), 0, 1)
                                for i in range(len(x0))])
    result = minimize(wrapped, x0, method="Nelder-Mead",
                      options={"maxfev": budget, "initial_simplex": simplex, "xatol": 0.01, "fatol": 1e-4})
    best = {n: written(v) for n, v in problem.values(result.x).items()}   # what the data file will hold
    table_best = problem.table(best)           # the report describes the written values, not the optimiser's
    j0 = problem.history[0]["objective"]
    return Fit(problem.names, start, best, j0, objective(table_best), problem.table(problem.values(x0)),
               table_best, problem.history)


def _with_progress(problem: Problem, progress):
    def f(x):
        j = problem(x)
        if progress:
            progress(len(problem.history), j)
        return j
    return f


# -- reporting and writing --------------------------------------------------------------------------
def fit_report(fit: Fit) -> pd.DataFrame:
    """Each moment: role, observed, model before and after fitting, error after (percent)."""
    before = fit.table_start.set_index("indicator")["simulated"]
    t = fit.table_best.copy()
    t.insert(3, "simulated_before", t["indicator"].map(before))
    return t.rename(columns={"simulated": "simulated_after"})


def parameter_report(fit: Fit, data: CityData) -> pd.DataFrame:
    return pd.DataFrame([{"parameter": n, "before": fit.start[n], "after": fit.best[n],
                          "range_low": data.params[n].range[0], "range_high": data.params[n].range[1],
                          "unit": data.params[n].unit} for n in fit.names])


def note_text(fit: Fit, scale: int, seeds: list[int]) -> str:
    return (f"fitted by `sim calibrate` on {dt.date.today().isoformat()}: back-cast 2016-2020 at scale {scale}, "
            f"seeds {seeds}, {len(fit.history)} evaluations, objective {fit.objective_start:.2g} -> {fit.objective_best:.2g}")


def write_values(path: Path, values: dict[str, float], note: str) -> None:
    """Replace each parameter's `value:` (and `note:`) line in the YAML text, keeping comments; atomic."""
    text = Path(path).read_text(encoding="utf-8")
    for name, value in values.items():
        text = _replace_in_block(text, name, "value", _fmt(value), path)
        text = _replace_in_block(text, name, "note", _quote(note), path, insert_after="value")
    CityData(yaml.safe_load(text), str(path))          # the result must still load
    atomic_write_text(Path(path), text)


def _block(lines: list[str], name: str, where) -> tuple[int, int, str]:
    """Line span of parameter `a.b.c`'s block in a block-style YAML file, and its key indent."""
    start, end, indent = 0, len(lines), ""
    for depth, key in enumerate(name.split(".")):
        indent = "  " * depth
        pattern = re.compile(rf"^{indent}{re.escape(key)}:\s*(#.*)?$")
        hit = next((i for i in range(start, end) if pattern.match(lines[i])), None)
        if hit is None:
            raise InputError(where, name, "not found as a block-style parameter; edit the file by hand")
        start = hit + 1
        end = next((i for i in range(start, end) if lines[i].strip() and not lines[i].startswith(indent + " ")), end)
    return start, end, indent + "  "


def _replace_in_block(text: str, name: str, key: str, value: str, where, insert_after: str | None = None) -> str:
    lines = text.split("\n")
    start, end, indent = _block(lines, name, where)
    for i in range(start, end):
        if lines[i].startswith(f"{indent}{key}:"):
            lines[i] = f"{indent}{key}: {value}"
            return "\n".join(lines)
    if insert_after is None:
        raise InputError(where, name, f"has no '{key}:' line")
    after = next(i for i in range(start, end) if lines[i].startswith(f"{indent}{insert_after}:"))
    lines.insert(after + 1, f"{indent}{key}: {value}")
    return "\n".join(lines)


def written(value: float) -> float:
    """A fitted value at the precision written into the data file (4 significant digits)."""
    return float(f"{value:.4g}")


def _fmt(value: float) -> str:
    return repr(written(value))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fit_markdown(fit: Fit, report: pd.DataFrame, params: pd.DataFrame, note: str) -> str:
    """fit.md (template fit.md.j2): the parameters before and after, and every moment with its role."""
    from .render import render

    return render("fit.md.j2", note=note, parameters=params.to_dict("records"), moments=report.to_dict("records"))


def write_calibration(out, fit: Fit, city: str, scale: int, seeds: list[int], write_data: bool = True) -> str:
    """The fit report (atomic directory) and, unless told not to, the fitted values in the data file."""
    from .backcast import provenance_manifest
    from .outputs import atomic_directory, write_manifest
    from .params import resolve_city_path

    data = load_city(city)
    note = note_text(fit, scale, seeds)
    report, params = fit_report(fit), parameter_report(fit, data)
    text = fit_markdown(fit, report, params, note)
    manifest = provenance_manifest(city, scale, seeds, kind="calibration", budget=len(fit.history),
                                   objective=fit.objective_best, fitted=fit.best, wrote_data_file=write_data)
    with atomic_directory(Path(out)) as tmp:
        report.to_csv(tmp / "fit.csv", index=False)
        params.to_csv(tmp / "parameters.csv", index=False)
        pd.DataFrame(fit.history).to_csv(tmp / "evaluations.csv", index=False)
        (tmp / "fit.md").write_text(text, encoding="utf-8")
        write_manifest(tmp, manifest)
    if write_data:
        write_values(resolve_city_path(city), fit.best, note)
    return text
