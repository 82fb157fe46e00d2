"""What `sim report` reads: run, sweep, forecast and compare directories (`load_inputs`).

Each directory becomes tidy annual rows and a `ScenarioInfo` per scenario (its measures, overrides,
scale and number of runs), from the files it holds (annual.parquet, or a sweep's results/*.parquet,
or a forecast's runs/; manifest.json); a compare directory stands for the directories it compared. A
forecast's own target table (P(met) weighted when conditioned, its standard error, delivered by
assumption) is `forecast_targets`. Nothing reruns; an unreadable directory is one InputError.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .compare import load_annual, scenario_target_files
from .errors import InputError
from .params import DEFAULT_CITY, CityData, load_city


@dataclass
class ScenarioInfo:
    """What one scenario (or sweep) in the inputs used: measures, overrides, scale, replicates."""
    name: str
    source: Path
    kind: str                                        # run | sweep | forecast
    policies: dict[str, dict] = field(default_factory=dict)   # enabled measure -> its overrides
    overrides: dict = field(default_factory=dict)    # assumption path -> value (or swept spec)
    scale: int | None = None
    replicates: int | None = None


# -- reading the inputs ------------------------------------------------------------------------------
def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, "", f"cannot read ({exc.__class__.__name__}); is the directory complete?") from None


def _run_infos(path: Path) -> list[ScenarioInfo]:
    out = []
    for e in _read_json(path / "manifest.json").get("scenarios", []):
        resolved = e.get("resolved_scenario", {})
        chosen = {k: v for k, v in resolved.get("policies", {}).items() if v.get("enabled", True)}
        out.append(ScenarioInfo(e["scenario"], path, "run", chosen, dict(e.get("assumption_overrides", {})),
                                e.get("scale"), len(e.get("seeds", []))))
    return out


def _is_forecast(path: Path) -> bool:
    return (path / "manifest.json").is_file() and _read_json(path / "manifest.json").get("kind") == "forecast"


def _forecast_infos(path: Path) -> list[ScenarioInfo]:
    """A forecast's scenarios (`sim forecast`): as a run's, each with its draws x seeds runs."""
    settings = _read_json(path / "manifest.json").get("settings", {}).get("ensemble", {})
    runs = settings.get("draws", 0) * settings.get("seeds_per_draw", 1)
    return [replace(i, kind="forecast", replicates=runs) for i in _run_infos(path)]


def forecast_targets(dirs: list[Path]) -> pd.DataFrame:
    """The target tables of the forecasts among `dirs` (P(met) weighted when conditioned, with its standard
    error and whether a target is delivered by assumption), or an empty table."""
    parts = [pd.read_csv(p / "targets.csv", keep_default_na=False, na_values=[""]) for p in dirs if _is_forecast(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _sweep_info(path: Path) -> ScenarioInfo:
    m = path / "manifest.json"       # 0.3.0: the spec is in its settings; before, in sweep.json
    meta = _read_json(m).get("settings", {}) if m.is_file() else _read_json(path / "sweep.json")
    try:
        spec = tomllib.loads(meta.get("spec", ""))
    except tomllib.TOMLDecodeError:
        spec = {}
    policies = {}
    if spec.get("base"):
        from . import scenario as scen
        try:
            base = scen.load(spec["base"], [])
            policies = {k: v for k, v in base.policies.items() if v.get("enabled", True)}
        except InputError:
            pass                                     # base scenario no longer at hand: measures unknown
    swept = {k.removeprefix("assumptions."): v for k, v in spec.get("parameters", {}).items()}
    runs = pd.read_csv(path / "runs.csv") if (path / "runs.csv").is_file() else pd.DataFrame()
    done = int((runs["status"] == "done").sum()) if "status" in runs else None
    return ScenarioInfo(meta.get("name", path.name), path, "sweep", policies, swept, spec.get("scale"), done)


def _expand(paths: list[Path]) -> list[Path]:
    """Check each directory; a compare directory stands for the directories it compared."""
    out = []
    for p in map(Path, paths):
        if not p.is_dir():
            raise InputError(p, "", "no such directory; give run, sweep or compare directories "
                             "(written by sim run, sim sweep, sim compare)")
        manifest = p / "manifest.json"
        if (p / "comparison.csv").is_file() and manifest.is_file():
            m = _read_json(manifest)      # 0.3.0: under settings; before, at the top
            out += _expand([Path(c) for c in m.get("settings", {}).get("compared", m.get("compared", []))])
        elif (p / "annual.parquet").is_file() or (p / "results").is_dir() or _is_forecast(p):
            out.append(p)
        else:
            raise InputError(p, "", "not a run directory (annual.parquet), a sweep directory (results/), "
                             "a forecast directory (sim forecast) or a compare directory (comparison.csv)")
    return out


def load_inputs(paths: list[Path]) -> tuple[pd.DataFrame, list[ScenarioInfo], CityData]:
    """Tidy annual rows of every input, what each scenario used, and the city data (with the target files
    the runs' scenarios added)."""
    dirs = _expand(paths)
    annual = pd.concat([_annual(p) for p in dirs], ignore_index=True)
    infos = [i for p in dirs for i in (_forecast_infos(p) if _is_forecast(p) else _run_infos(p)
                                       if (p / "annual.parquet").is_file() else [_sweep_info(p)])]
    names = [i.name for i in infos]
    if len(set(names)) < len(names):
        raise InputError("command line", "RUN_OR_SWEEP_DIR", f"scenario names must differ across inputs, got {names}")
    data = load_city(_city_of(dirs[0])).with_target_files(scenario_target_files(dirs), "the runs' manifests")
    return annual, infos, data


def _annual(path: Path) -> pd.DataFrame:
    try:
        return _forecast_annual(path) if _is_forecast(path) else load_annual(path)
    except (OSError, ValueError, KeyError) as exc:      # pyarrow's errors are ValueErrors or OSErrors
        if isinstance(exc, InputError):
            raise
        raise InputError(path, "", f"cannot read its tables ({exc.__class__.__name__}); is the directory complete?") from None


def _forecast_annual(path: Path) -> pd.DataFrame:
    """A forecast's runs (its runs/ holds a sweep per scenario) as tidy annual rows, one replicate per run."""
    from .sweep import read_results

    parts = [read_results(d) for d in sorted((path / "runs").glob("forecast_*"))]
    a = pd.concat([x for x in parts if not x.empty], ignore_index=True)
    return a.assign(replicate=a["point"])[["scenario", "replicate", "year", "indicator", "value"]]


def _city_of(path: Path) -> str:
    if (path / "manifest.json").is_file():
        for e in _read_json(path / "manifest.json").get("scenarios", []):
            return e.get("resolved_scenario", {}).get("run", {}).get("city", DEFAULT_CITY)
    return DEFAULT_CITY
