"""Global sensitivity analysis: which uncertain inputs move each final-year (2025) target gap most.

The inputs are every scalar parameter of the city data whose provenance is `assumption` (sampled
over its plausible `range`) or `calibrated` (its `range`, else its `bounds`), plus the parameters of
the measures the scenario switches on (`policies.NAME.*`, same rule). Each input is sampled
uniformly over its interval; integer-valued inputs (months, counts, levels: an integer in the data
file) are rounded to the nearest integer when applied. Lists, months, place ids, table cells and
zero-width ranges cannot be sampled as one number, and a value the scenario sets itself is part of
the question; `factors` returns them as excluded with the reason, and the output lists them
(excluded.csv), so nothing is skipped silently.

The outcome of a run is, for every target of the final target year, the *gap*
    gap = projected value - target
in the target's unit (persons, percent); cumulative targets (2021-2025 totals) use the sum over the
period. Positive = above the target: good for '>=', '=' and 'about' targets, bad for '<=' ones (the
registered unemployment rate).

Methods (through SALib, Herman & Usher 2017; Iwanaga et al. 2022):

- ``morris``: elementary effects on r trajectories over a 4-level grid (Morris 1991). ``mu_star``,
  the mean absolute effect (Campolongo, Cariboni & Saltelli 2007), is in the gap's unit: the change
  of the gap when the input moves across its whole range (a step of 2/3 of the range, rescaled);
  ``sigma`` large against ``mu_star`` means non-linearity or interactions; ``mu`` keeps the sign.
  r (k + 1) runs for k inputs.
- ``sobol``: first-order ``S1`` and total ``ST`` variance shares from Saltelli's sampling scheme
  (Saltelli 2002; estimators of Saltelli et al. 2010 / Jansen), N (k + 2) runs (no second order).

Common random numbers: every design point runs with the same seeds (seed, seed + 1, ... for the
replicates, averaged), so the difference between two points is the effect of the inputs, not of
the model's own randomness; this makes the elementary effects far less noisy than independent
seeds would. Runs go through `sim.sweep` (local process pool or Dask, one atomic Parquet part per
run, resume).

Noise floor: a few extra runs at the data's own values with different seeds give the standard
deviation sigma of each gap due to the model's randomness alone. For Morris, an input with no effect
would still show mu_star of about 2 sigma / (sqrt(pi R) delta) if the randomness were independent
between points (R replicates averaged, delta = 2/3 the step); under common random numbers this is an
upper bound. For Sobol the floor is the share of the gap's variance that noise (sigma^2 / R) could
explain. `above_noise` says whether an input's index minus its confidence half-width clears the floor.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .calendar import parse_month
from .errors import InputError
from .params import CityData
from .scenario import Scenario

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4                 # grid levels per input (SALib default; Morris 1991 uses p = 4)
INDEX_COLUMNS = {"morris": ["mu", "mu_star", "sigma", "mu_star_conf"], "sobol": ["S1", "S1_conf", "ST", "ST_conf"]}
RANK_BY = {"morris": "mu_star", "sobol": "ST"}


@dataclass(frozen=True)
class Factor:
    """One sampled input: its `--set` key, provenance, interval, and whether it is rounded.

    A list or a table column marked `sample: scale|shift` in the data file is one factor too: then
    `how` says so, the sampled number is the common multiplier (data's own: 1) or shift (0), and
    `cells` holds the `--set` keys it sets with their own values and the range each must stay in."""

    key: str
    provenance: str
    low: float
    high: float
    integer: bool
    value: Any
    unit: str = ""
    how: str = "value"
    cells: tuple = ()             # ((key, own value, (range low, range high)), ...) for scale / shift


@dataclass(frozen=True)
class Excluded:
    key: str
    provenance: str
    value: str
    reason: str


# -- the problem --------------------------------------------------------------------------------------
def active_policies(scenario: Scenario) -> set[str]:
    return {name for name, p in scenario.policies.items() if p.get("enabled", True)}


def _set_key(path: str) -> str:
    """The key `--set` and sweep specs use for a data parameter."""
    return path if path.startswith("policies.") else f"assumptions.{path}"


def _why_not_scalar(value: Any) -> str | None:
    if isinstance(value, list):
        return (f"a list of {len(value)} values: the range bounds every element; vary it in a sweep spec, or mark "
                "it `sample: scale` or `shift` in the data file")
    if isinstance(value, bool) or value is None:
        return "not a number"
    if isinstance(value, str):
        if len(value) == 7 and value[4] == "-" and value[:4].isdigit():
            return "a month (YYYY-MM), not a number; vary it in a sweep spec with a list of months"
        return f"an id or label ({value!r}), not a number"
    return None


def _interval(p) -> tuple[float, float] | None:
    if p.range:
        return float(p.range[0]), float(p.range[1])
    if p.provenance == "calibrated" and p.bounds and None not in p.bounds:
        return float(p.bounds[0]), float(p.bounds[1])
    return None


def factors(scenario: Scenario, data: CityData, only: list[str] | None = None) -> tuple[list[Factor], list[Excluded]]:
    """The inputs to sample and the assumption/calibrated parameters left out, each with its reason."""
    active = active_policies(scenario)
    fixed = {f"assumptions.{k}": v for k, v in scenario.assumptions.items()}
    fixed |= {f"policies.{n}.{k}": v for n, ps in scenario.policies.items() for k, v in ps.items() if k != "enabled"}
    keep, out = [], []
    for path, p in data.params.items():
        if p.provenance not in ("assumption", "calibrated"):
            continue
        key = _set_key(path)
        group = p.meta.get("sample") if isinstance(p.value, list) else None
        cells = [(key, p.value, p.range)]
        reason = None if group else _why_not_scalar(p.value)
        interval = _group_interval(group, cells) if group and p.range else _interval(p)
        if reason is None and path.startswith("backcast."):
            reason = "an end-2015 stock used only by the 2016-2020 back-cast (sim backcast), not by this scenario"
        if reason is None and path.startswith("policies.") and path.split(".")[1] not in active:
            reason = f"measure {path.split('.')[1]!r} is not switched on in scenario {scenario.name!r}"
        if reason is None and key in fixed:
            reason = (f"set by scenario {scenario.name!r} to {fixed[key]!r}: part of the question, not an uncertainty "
                      "(remove it from the scenario to sample it)")
        if reason is None and interval is None:
            reason = "no range (and no finite bounds) to sample"
        if reason is None and not interval[0] < interval[1]:
            reason = f"range {list(interval)} has zero width: nothing to vary"
        if reason is None and only and not any(key.startswith(o) or path.startswith(o) for o in only):
            reason = "not selected by --only"
        if reason:
            out.append(Excluded(key, p.provenance, str(p.value), reason))
            continue
        if group:
            keep.append(_group_factor(key, p.provenance, group, interval, cells, p.unit))
            continue
        integer = isinstance(p.value, int) and not isinstance(p.value, bool)
        keep.append(Factor(key, p.provenance, interval[0], interval[1], integer, p.value, p.unit))
    columns, left = _table_columns(data, only, set(fixed), scenario.name)
    return keep + columns, out + left


def _elements(cells) -> list[tuple[Any, float, float]]:
    """(value, range low, range high) of every cell, a list cell's elements one by one."""
    return [(x, lo, hi) for _, v, (lo, hi) in cells for x in (v if isinstance(v, list) else [v])]


def _group_interval(how: str, cells) -> tuple[float, float]:
    """The common multiplier (scale) or shift that keeps every cell inside its own range."""
    if how == "shift":
        bounds = [(lo - x, hi - x) for x, lo, hi in _elements(cells)]
    else:
        bounds = [(max(lo, 0) / x, hi / x) for x, lo, hi in _elements(cells) if x > 0]
    return (max(b[0] for b in bounds), min(b[1] for b in bounds)) if bounds else (1.0, 1.0)


def _group_factor(key: str, provenance: str, how: str, interval, cells, unit: str) -> Factor:
    integer = all(isinstance(x, int) and not isinstance(x, bool) for x, _, _ in _elements(cells))
    own = 0.0 if how == "shift" else 1.0
    return Factor(key, provenance, float(interval[0]), float(interval[1]), integer, own,
                  f"{'common shift' if how == 'shift' else 'common multiplier'} of {unit}".strip(), how, tuple(cells))


def _table_columns(data: CityData, only: list[str] | None = None, fixed: set[str] = frozenset(),
                   scenario: str = "") -> tuple[list[Factor], list[Excluded]]:
    """Table columns (sectors, places, ...): one factor each when marked `sample: scale|shift` (every
    row moved together, each cell inside the column's range), else listed once as left out. A column
    with a cell the scenario sets is part of the question, not an uncertainty."""
    keep, out = [], []
    for table, cols in data.columns.items():
        for col, spec in cols.items():
            if spec.get("provenance") not in ("assumption", "calibrated") or spec.get("kind") == "label":
                continue
            key, how = f"assumptions.{table}.<row>.{col}", spec.get("sample")
            if how is None:
                out.append(Excluded(key, spec["provenance"], f"range {spec.get('range')}",
                                    "table column: its range spans all rows (and shares must add up), not one cell's "
                                    "uncertainty; vary cells in a sweep spec, or mark the column `sample: scale` or "
                                    "`shift` in the data file"))
                continue
            cells = [(f"assumptions.{table}.{row}.{col}", values[col], tuple(spec["range"]))
                     for row, values in data.table(table).items()]
            interval = _group_interval(how, cells)
            if set_cells := sorted(c for c, _, _ in cells if c in fixed):
                out.append(Excluded(key, spec["provenance"], f"range {spec.get('range')}",
                                    f"set by scenario {scenario!r} ({', '.join(set_cells)}): part of the question, "
                                    "not an uncertainty"))
            elif not interval[0] < interval[1]:
                out.append(Excluded(key, spec["provenance"], f"range {spec.get('range')}",
                                    f"a common {how} has no room inside the range: nothing to vary"))
            elif only and not any(key.startswith(o) or key.removeprefix("assumptions.").startswith(o) for o in only):
                out.append(Excluded(key, spec["provenance"], f"range {spec.get('range')}", "not selected by --only"))
            else:
                keep.append(_group_factor(key, spec["provenance"], how, interval, cells, spec.get("unit", "")))
    return keep, out


def problem(chosen: list[Factor]) -> dict:
    """The SALib problem definition."""
    return {"num_vars": len(chosen), "names": [f.key for f in chosen], "bounds": [[f.low, f.high] for f in chosen]}


def sample(prob: dict, method: str, n: int, seed: int) -> np.ndarray:
    """Morris trajectories (n = r) or Saltelli samples (n = N, a power of two), from a seeded generator."""
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(prob, N=n, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol

    return sobol.sample(prob, n, calc_second_order=False, seed=seed)


def runs_needed(method: str, n: int, k: int) -> int:
    return n * (k + 1) if method == "morris" else n * (k + 2)


def overrides(chosen: list[Factor], row: np.ndarray) -> dict[str, Any]:
    """One sample as typed scenario overrides {key: value}; integer inputs rounded (and kept inside their range).
    A scale or shift factor sets each of its cells (every element of a list) from its own value."""
    out: dict[str, Any] = {}
    for f, x in zip(chosen, row, strict=True):
        if f.how == "value":
            out[f.key] = int(np.clip(np.rint(x), np.ceil(f.low), np.floor(f.high))) if f.integer else float(x)
            continue
        for key, own, (lo, hi) in f.cells:
            moved = [_move(v, f.how, float(x), lo, hi, f.integer) for v in (own if isinstance(own, list) else [own])]
            out[key] = moved if isinstance(own, list) else moved[0]
    return out


def _move(v: float, how: str, x: float, lo: float, hi: float, integer: bool) -> int | float:
    y = float(np.clip(v + x if how == "shift" else v * x, lo, hi))   # the clip only absorbs rounding error
    return int(np.clip(np.rint(y), np.ceil(lo), np.floor(hi))) if integer else float(f"{y:.10g}")


# -- outcomes -----------------------------------------------------------------------------------------
def final_year(data: CityData) -> int | None:
    return max((t.year for t in data.targets), default=None)


def outcome_targets(data: CityData, year: int) -> list[dict]:
    """The targets of `year`, each with an outcome label ('skilled_talent 2025', 'certificates_issued 2021-2025')."""
    out = []
    for t in data.targets:
        if t.year == year:
            period = f"{t.period[0]}-{t.period[1]}" if t.period else ""
            out.append({**asdict(t), "outcome": f"{t.indicator} {period or year}", "period": period})
    return out


def gaps(results: pd.DataFrame, targets: list[dict], n_points: int) -> pd.DataFrame:
    """Gap (projected - target) per design point (rows, in point order) and outcome (columns),
    averaged over replicates. A point without a finished run is NaN."""
    from .runner import projected

    annual = results.assign(scenario=results["point"])
    cols = {}
    for t in targets:
        period = [int(y) for y in t["period"].split("-")] if t["period"] else None
        v = projected(annual, t["indicator"], t["year"], period)
        cols[t["outcome"]] = (v.groupby(level="scenario").mean() - float(t["value"])).reindex(range(n_points))
    return pd.DataFrame(cols, index=pd.RangeIndex(n_points, name="point"))


# -- analysis -----------------------------------------------------------------------------------------
def analyse(prob: dict, method: str, X: np.ndarray, Y: np.ndarray, seed: int) -> pd.DataFrame:
    """SALib's indices for one outcome, one row per input. An outcome that does not vary at all gets
    zeros (no variance to apportion) rather than Sobol's 0/0."""
    cols = INDEX_COLUMNS[method]
    Y = np.asarray(Y, dtype=float)
    if not np.all(np.isfinite(Y)):
        raise ValueError("every design point needs a finished run (the gap has missing values)")
    if np.ptp(Y) == 0:
        return pd.DataFrame(0.0, index=prob["names"], columns=cols)
    if method == "morris":
        from SALib.analyze import morris

        si = morris.analyze(prob, X, Y, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        from SALib.analyze import sobol

        si = sobol.analyze(prob, Y, calc_second_order=False, seed=seed)
    return pd.DataFrame({c: np.asarray(si[c], dtype=float) for c in cols}, index=prob["names"])


def sensitivity_table(chosen: list[Factor], method: str, X: np.ndarray, Y: pd.DataFrame, targets: list[dict],
                      seed: int, floors: dict[str, float] | None = None) -> pd.DataFrame:
    """Tidy table: outcome, target, parameter, provenance, interval, indices, rank (1 = moves the gap most),
    and the outcome's noise floor with whether the index clears it (NaN / empty without noise runs)."""
    prob, parts = problem(chosen), []
    meta = pd.DataFrame([{"parameter": f.key, "provenance": f.provenance, "how": f.how, "low": f.low, "high": f.high,
                          "integer": f.integer, "value": f.value} for f in chosen])
    for t in targets:
        idx = analyse(prob, method, X, Y[t["outcome"]].to_numpy(), seed).reset_index(drop=True)
        part = pd.concat([meta, idx], axis=1)
        key = RANK_BY[method]
        part["rank"] = part[key].rank(ascending=False, method="min").astype(int)
        floor = (floors or {}).get(t["outcome"], np.nan)
        part["noise_floor"] = floor
        part["above_noise"] = (part[key] - part[f"{key}_conf"] > floor) if np.isfinite(floor) else pd.NA
        part.insert(0, "comparator", t["comparator"])
        part.insert(0, "target", float(t["value"]))
        part.insert(0, "period", t["period"])
        part.insert(0, "year", t["year"])
        part.insert(0, "indicator", t["indicator"])
        part.insert(0, "outcome", t["outcome"])
        parts.append(part.sort_values("rank", kind="stable"))
    return pd.concat(parts, ignore_index=True)


def noise_sd(results: pd.DataFrame, targets: list[dict]) -> dict[str, float]:
    """Standard deviation of each gap over the seeds of the noise runs (one point, several seeds)."""
    from .runner import projected

    annual = results.assign(scenario=results["point"])
    out = {}
    for t in targets:
        period = [int(y) for y in t["period"].split("-")] if t["period"] else None
        out[t["outcome"]] = float(projected(annual, t["indicator"], t["year"], period).std(ddof=1))
    return out


def noise_floor(method: str, sd: float, replicates: int, y: np.ndarray) -> float:
    """What an input without effect would score: mu_star (Morris) or a variance share (Sobol)."""
    if method == "morris":
        delta = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
        return 2 * sd / (np.sqrt(np.pi * replicates) * delta)
    var = float(np.var(y))
    return min(1.0, sd ** 2 / replicates / var) if var > 0 else 0.0


def outcome_summary(Y: pd.DataFrame, targets: list[dict]) -> pd.DataFrame:
    """How far each gap spreads over the sampled inputs (the design points are not a random sample for
    Morris: read the spread as a range explored, not a probability)."""
    rows = []
    for t in targets:
        y = Y[t["outcome"]].to_numpy(float)
        rows.append({"outcome": t["outcome"], "indicator": t["indicator"], "year": t["year"], "period": t["period"],
                     "target": float(t["value"]), "comparator": t["comparator"], "gap_mean": float(np.mean(y)),
                     "gap_min": float(np.min(y)), "gap_p10": float(np.percentile(y, 10)),
                     "gap_p50": float(np.median(y)), "gap_p90": float(np.percentile(y, 90)),
                     "gap_max": float(np.max(y)), "points": int(y.size), "varies": bool(np.ptp(y) > 0)})
    return pd.DataFrame(rows)


# -- the study: settings -> design -> runs (sim.sweep) -> indices -> files --------------------------
@dataclass
class Settings:
    scenario: str                 # a scenario name in scenarios/ or a path
    method: str = "morris"
    n: int = 4                    # trajectories (morris) or base samples N (sobol, a power of two)
    scale: int = 400
    replicates: int = 1
    seed: int = 1                 # model seeds seed..seed+replicates-1 at every point; also the sampler's seed
    end: str | None = None        # default: the scenario's end
    only: tuple[str, ...] = ()
    noise_runs: int = 8           # extra runs at the data's own values, seeds seed.., for the noise floor (0: none)


@dataclass
class Plan:
    settings: Settings
    scenario: Scenario
    data: CityData
    chosen: list[Factor]
    excluded: list[Excluded]
    targets: list[dict]
    X: np.ndarray


def plan(s: Settings) -> Plan:
    """Check the settings, choose the inputs, draw the design. Raises InputError on bad input."""
    from . import scenario as scen
    from .runner import city_data

    if s.method not in METHODS:
        raise InputError("command line", "--method", f"must be one of {list(METHODS)}, got {s.method!r}")
    for name, value, lo in (("--trajectories" if s.method == "morris" else "--samples", s.n, 1 if s.method == "sobol" else 2),
                            ("--scale", s.scale, 1), ("--replicates", s.replicates, 1), ("--seed", s.seed, 0),
                            ("--noise-runs", s.noise_runs, 0)):
        if not isinstance(value, int) or value < lo:
            raise InputError("command line", name, f"{value} is out of range; must be an integer >= {lo}")
    if s.noise_runs == 1:
        raise InputError("command line", "--noise-runs", "1 run has no spread: give 0 (no noise floor) or at least 2")
    if s.method == "sobol" and s.n & (s.n - 1):
        raise InputError("command line", "--samples",
                         f"{s.n} is not a power of two (Saltelli/Sobol' sampling needs 2, 4, 8, 16, ...)")
    if s.end is not None:
        parse_month("command line", "--end", s.end)
    sc = scen.load(s.scenario, run_overrides(s), scen.Origin("command line", "", "sensitivity settings"))
    data = city_data(sc)
    year = final_year(data)
    if year is None:
        raise InputError(data.where, "targets", "the city data has no targets: no gap to explain")
    if sc.end.index < year * 12 + 11:
        raise InputError("command line", "--end", f"{sc.end} is too early: the {year} targets need the whole of {year} "
                         f"(use {year}-12 or later)")
    chosen, excluded = factors(sc, data, list(s.only))
    if not chosen:
        raise InputError("command line", "--only" if s.only else "SCENARIO",
                         f"{list(s.only) if s.only else s.scenario!r} selects no assumption or calibrated parameter "
                         "with a range; see `sim list parameters`")
    X = sample(problem(chosen), s.method, s.n, s.seed)
    return Plan(s, sc, data, chosen, excluded, outcome_targets(data, year), X)


def run_overrides(s: Settings) -> dict[str, Any]:
    """The scenario's run settings from the study's settings."""
    run = {"run.scale": s.scale, "run.replicates": s.replicates, "run.seed": s.seed}
    return run | ({"run.end": s.end} if s.end else {})


def spec(p: Plan):
    """The sweep: one design point per SALib sample, the same seeds at every point."""
    from .sweep import Spec

    s = p.settings
    points = [overrides(p.chosen, row) for row in p.X]
    digest = hashlib.sha256(json.dumps(points, sort_keys=True).encode()).hexdigest()
    settings = {k: v for k, v in asdict(s).items() if k != "noise_runs"}
    text = json.dumps({"sensitivity": settings, "factors": [f.key for f in p.chosen], "design_sha256": digest},
                      indent=2, default=str)
    return Spec(name=f"sensitivity_{p.scenario.name}_{s.method}", base=s.scenario, path="sim sensitivity",
                replicates=s.replicates, scale=s.scale, seed=s.seed, end=str(p.scenario.end),
                indicators=sorted({t["indicator"] for t in p.targets}), text=text, points=points, common_seeds=True)


def noise_spec(p: Plan):
    """The noise runs: the scenario as it is (no override), `noise_runs` seeds."""
    from .sweep import Spec

    s = p.settings
    text = json.dumps({"noise": {k: getattr(s, k) for k in ("scenario", "scale", "seed", "end", "noise_runs")}}, indent=2)
    return Spec(name=f"sensitivity_{p.scenario.name}_noise", base=s.scenario, path="sim sensitivity", replicates=s.noise_runs,
                scale=s.scale, seed=s.seed, end=str(p.scenario.end), indicators=sorted({t["indicator"] for t in p.targets}),
                text=text, points=[{}], common_seeds=True)


def work_dir(out: Path) -> Path:
    """Where the runs accumulate until the analysis is written: beside `out`, hidden."""
    return Path(out).parent / f".{Path(out).name}.runs"


def check_out(out: Path, resume: bool) -> None:
    out = Path(out)
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / "sensitivity.json").is_file())):
        raise InputError("command line", "--out", f"{out} exists and is not an earlier sensitivity directory; "
                         "choose a new or empty directory")
    if work_dir(out).exists() and not resume:
        raise InputError("command line", "--resume", f"{work_dir(out)} holds the runs of an interrupted study for {out}; "
                         "add --resume to continue it, or delete it to start again")


def execute(p: Plan, out: Path, workers: int | None = None, scheduler: str | None = None, resume: bool = False,
            progress: bool = True) -> dict:
    """Run (or resume) every design point through sim.sweep in work_dir(out); returns the sweep summary.
    With `resume`, runs already in an interrupted study or in a finished `out/runs` are reused."""
    import shutil

    from .sweep import sweep

    out, work = Path(out), work_dir(out)
    copied = resume and not work.exists() and (out / "runs" / "results").is_dir()
    if copied:
        shutil.copytree(out / "runs", work)
    try:
        summary = sweep(spec(p), work, workers, scheduler, resume=resume, progress=progress)
        if p.settings.noise_runs:
            noise = sweep(noise_spec(p), work / "noise", workers, scheduler, resume=resume, progress=progress)
            summary = {k: summary[k] + noise[k] for k in summary}
        return summary
    except InputError:
        if copied:
            shutil.rmtree(work, ignore_errors=True)
        raise


def analyse_runs(p: Plan, out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sensitivity table and the spread of each gap, from the finished runs."""
    from .sweep import read_results

    Y = gaps(read_results(work_dir(out)), p.targets, len(p.X))
    missing = int(Y.isna().any(axis=1).sum())
    if missing:
        raise InputError(work_dir(out) / "runs.csv", "status", f"{missing} design points have no finished run; "
                         "see the errors there, then continue with --resume")
    s, floors, summary = p.settings, {}, outcome_summary(Y, p.targets)
    if s.noise_runs:
        sd = noise_sd(read_results(work_dir(out) / "noise"), p.targets)
        floors = {o: noise_floor(s.method, sd[o], s.replicates, Y[o].to_numpy()) for o in sd}
        summary["noise_sd"] = summary["outcome"].map(sd)
        summary["noise_floor"] = summary["outcome"].map(floors)
    return sensitivity_table(p.chosen, s.method, p.X, Y, p.targets, s.seed, floors), summary


def write(p: Plan, out: Path, table: pd.DataFrame, summary: pd.DataFrame, seconds: float, charts: bool = True) -> None:
    """DIR/sensitivity.csv, outcomes.csv, excluded.csv, sensitivity.json, sensitivity.png/.svg and runs/,
    written under a temporary name and renamed when complete."""
    import os

    from .runner import atomic_directory

    with atomic_directory(Path(out)) as tmp:
        table.to_csv(tmp / "sensitivity.csv", index=False)
        summary.to_csv(tmp / "outcomes.csv", index=False)
        pd.DataFrame([asdict(e) for e in p.excluded], columns=["key", "provenance", "value", "reason"]).to_csv(
            tmp / "excluded.csv", index=False)
        text = json.dumps(manifest(p, seconds), ensure_ascii=False, indent=2, allow_nan=False, default=str)
        (tmp / "sensitivity.json").write_text(text, encoding="utf-8")
        if charts:
            from .charts import sensitivity_chart

            sensitivity_chart(table, summary, p.settings.method, tmp / "sensitivity")
        os.replace(work_dir(out), tmp / "runs")       # last: nothing above may fail after the runs moved


def manifest(p: Plan, seconds: float) -> dict:
    """runner.manifest (scenario as resolved, seeds, scale, data hash, code revision) plus the design."""
    from importlib.metadata import version

    from .runner import Tables, manifest as run_manifest

    s = p.settings
    m = run_manifest([(p.scenario, p.data, Tables(pd.DataFrame(), pd.DataFrame()))])
    m["scenarios"][0].pop("calibrated", None)
    m["sensitivity"] = {
        "method": s.method, "trajectories" if s.method == "morris" else "samples": s.n,
        "levels": MORRIS_LEVELS if s.method == "morris" else None, "sampler_seed": s.seed,
        "model_seeds": [s.seed + r for r in range(s.replicates)], "common_random_numbers": True,
        "scale": s.scale, "end": str(p.scenario.end), "only": list(s.only), "inputs": len(p.chosen),
        "excluded": len(p.excluded), "design_points": int(len(p.X)), "runs": int(len(p.X)) * s.replicates,
        "outcomes": [t["outcome"] for t in p.targets], "salib": version("SALib"), "seconds": round(seconds, 1),
        "noise_runs": s.noise_runs, "noise_seeds": list(range(s.seed, s.seed + s.noise_runs)),
        "gap": "projected - target, in the target's unit; cumulative targets use the period total; positive = above "
               "the target (good for >=, =, about; bad for <=)",
        "references": ["Morris (1991) Technometrics 33(2)", "Campolongo, Cariboni & Saltelli (2007) EMS 22(10)",
                       "Saltelli (2002) CPC 145(2)", "Saltelli et al. (2010) CPC 181(2)"],
    }
    return m


def top(table: pd.DataFrame, n: int = 3) -> dict[str, pd.DataFrame]:
    """The n inputs that move each outcome most (by mu_star or ST)."""
    return {o: t.nsmallest(n, "rank") for o, t in table.groupby("outcome", sort=False)}


def format_sensitivity(table: pd.DataFrame, outcomes: pd.DataFrame, method: str) -> str:
    """The top inputs of each target gap, as the text `sim sensitivity` prints."""
    from .indicators import BY_ID

    key, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    lines = []
    for outcome, t in top(table).items():
        o = outcomes[outcomes["outcome"] == outcome].iloc[0]
        pct = BY_ID[o["indicator"]].unit == "percent"
        fmt = (lambda v: f"{v:.2f} pp") if pct else (lambda v: f"{v:,.0f}")
        fmt = fmt if method == "morris" else (lambda v: f"{v:.2f}")
        comp = {"about": "≈", "=": "=", ">=": "≥", "<=": "≤"}.get(o["comparator"], o["comparator"])
        target = f"{o['target']:.2f}%" if pct else f"{o['target']:,.0f}"
        lines.append(f"{outcome} (target {comp}{target}): mean gap "
                     + (f"{o['gap_mean']:+.2f} pp" if pct else f"{o['gap_mean']:+,.0f}")
                     + (f", noise floor {fmt(o['noise_floor'])}" if "noise_floor" in o else "") + ", top inputs:")
        for i, (_, r) in enumerate(t.iterrows(), start=1):
            noise = "" if pd.isna(r["above_noise"]) or r["above_noise"] else "  (not clearly above the noise floor)"
            lines.append(f"    {i}. {r['parameter']:<58} {key} {fmt(r[key])} ± {fmt(r[conf])}{noise}")
    return "\n".join(lines)

