"""The study: settings -> design -> runs (through sim.sweep, resumable, in a hidden work directory
beside the output) -> indices."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..calendar import parse_month
from ..errors import InputError
from ..outputs import check_resumable_out, work_dir
from ..params import CityData
from ..scenario import Scenario
from .inputs import Excluded, Factor, factors, overrides
from .methods import METHODS, noise_floor, problem, sample, sensitivity_table
from .outcomes import final_year, gaps, noise_sd, outcome_summary, outcome_targets


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
    from .. import scenario as scen
    from ..runner import city_data

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
    from ..sweep import Spec

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
    from ..sweep import Spec

    s = p.settings
    text = json.dumps({"noise": {k: getattr(s, k) for k in ("scenario", "scale", "seed", "end", "noise_runs")}}, indent=2)
    return Spec(name=f"sensitivity_{p.scenario.name}_noise", base=s.scenario, path="sim sensitivity", replicates=s.noise_runs,
                scale=s.scale, seed=s.seed, end=str(p.scenario.end), indicators=sorted({t["indicator"] for t in p.targets}),
                text=text, points=[{}], common_seeds=True)


def check_out(out: Path, resume: bool) -> None:
    check_resumable_out(out, resume, "sensitivity", "study", ("manifest.json", "sensitivity.json"))


def execute(p: Plan, out: Path, workers: int | None = None, scheduler: str | None = None, resume: bool = False,
            progress: bool = True) -> dict:
    """Run (or resume) every design point through sim.sweep in work_dir(out); returns the sweep summary.
    With `resume`, runs already in an interrupted study or in a finished `out/runs` are reused."""
    import shutil

    from ..sweep import sweep

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
    from ..sweep import read_results

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
