"""Scenario files: TOML, `extends`, typed overrides, and strict validation.

A scenario says what differs from the city's baseline world: run settings, assumption overrides
(any parameter of the city data file, by dotted path), exogenous shocks, and the plan's measures
(policies) switched on. Unknown keys anywhere are errors; so are wrong types and out-of-range values.
Every error is one `InputError` line naming the file and key (DESIGN §6).

    name = "my_scenario"
    description = "What this asks"
    extends = "baseline"            # a scenario in scenarios/ or a path (relative to this file)

    [run]                           # all optional
    end = "2025-12"                 # last simulated month; the run starts in January after the base year
    scale = 100                     # persons per agent (1 = the full city)
    replicates = 1
    seed = 1
    city = "shanwei"                # a packaged city data file, or a path to one

    [targets]                       # optional: more target files, besides the city's `target_files`
    files = ["targets_2030.yaml"]   # paths relative to this file, or packaged names (sim/data/targets/)

    [assumptions]                   # override city data (see `sim list parameters`)
    outside_market.wage_premium = 0.6

    [[shocks]]                      # exogenous shocks (see SHOCK_KINDS)
    kind = "demand"
    sectors = ["electronics"]       # default: all sectors
    start = "2021-02"
    end = "2021-06"
    size = -0.08                    # change in labour demand over the window (share)

Lists (shocks, target files) in a child replace the parent's; tables merge key by key.

Library callers change a scenario with typed overrides, a mapping of dotted key to value
(`load("baseline", {"run.scale": 20, "run.end": "2020-12"})`); only the command line has strings,
and `parse_sets` turns its `--set key=value` items into such a mapping. Non-finite numbers (`nan`,
`inf`) are rejected wherever they come from (`sim.values`).
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .calendar import Month, parse_month
from .errors import InputError
from .params import DEFAULT_CITY
from .policies import validate_params as validate_policy
from .targets import is_packaged, load_target_file, resolve_files
from .values import reject_non_finite

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
TOP_KEYS = {"name", "description", "extends", "run", "targets", "assumptions", "shocks", "policies"}
TARGETS_KEYS = {"files": "target files (one per plan) added to the city's: packaged names or paths relative to this file"}
RUN_DEFAULTS = {"end": "2025-12", "scale": 100, "replicates": 1, "seed": 1, "city": DEFAULT_CITY}
SHOCK_KINDS = {
    "demand": "labour demand of the listed sectors of the city changes by `size` (share) over the window",
    "outside": "the outside market's hiring of the city's workers changes by `size` (share) over the window",
    "automation": "manufacturing labour demand changes by `size` (negative: fewer jobs) and the share of posts "
                  "requiring a certificate rises by |size|",
}
SHOCK_KEYS = {"kind", "sectors", "start", "end", "size", "description"}


@dataclass
class Shock:
    kind: str
    start: Month
    end: Month
    size: float
    sectors: list[str] | None = None
    description: str = ""


@dataclass
class Scenario:
    name: str
    description: str
    path: str
    end: Month
    scale: int
    replicates: int
    seed: int
    city: str
    assumptions: dict[str, Any] = field(default_factory=dict)
    shocks: list[Shock] = field(default_factory=list)
    policies: dict[str, dict] = field(default_factory=dict)
    target_files: list[str] = field(default_factory=list)   # [targets] files, resolved (absolute paths)
    resolved: dict = field(default_factory=dict)   # the merged, validated document (for the manifest)
    file: str = ""                                  # the scenario file itself (`path` may add "(with --set)")

    @property
    def ref(self) -> str:
        """How to load this scenario's file again: its name if it is a packaged scenario, else its path."""
        packaged = SCENARIO_DIR / f"{Path(self.file).stem}.toml"
        return Path(self.file).stem if self.file and Path(self.file) == packaged.resolve() else (self.file or self.name)


# -- reading -----------------------------------------------------------------------------------
def resolve_path(ref: str, base: Path | None) -> Path:
    """`baseline` -> scenarios/baseline.toml; a path is taken relative to `base`."""
    if not ref.endswith(".toml") and "/" not in ref:
        return SCENARIO_DIR / f"{ref}.toml"
    p = Path(ref)
    return p if p.is_absolute() or base is None else base / p


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        raise InputError(path, "", "file not found")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, "", f"malformed TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(path, "", "not a UTF-8 text file") from None
    reject_non_finite(str(path), doc)
    return doc


def _merge(parent: dict, child: dict) -> dict:
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_document(path: Path, _seen: tuple = ()) -> dict:
    """The scenario document with its `extends` chain merged in (child wins)."""
    path = path.resolve()
    if path in _seen:
        raise InputError(path, "extends", f"circular extends chain {[p.name for p in _seen + (path,)]}")
    doc = _read_toml(path)
    unknown = set(doc) - TOP_KEYS
    if unknown:
        raise InputError(path, sorted(unknown)[0], f"unknown key; allowed {sorted(TOP_KEYS)}")
    _anchor_city_path(doc, path.parent)
    _anchor_target_files(doc, path.parent)
    parent_ref = doc.pop("extends", None)
    if parent_ref is None:
        return doc
    if not isinstance(parent_ref, str):
        raise InputError(path, "extends", f"must be a scenario name or a path (string), got {parent_ref!r}")
    parent_path = resolve_path(parent_ref, path.parent)
    if not parent_path.is_file():
        known = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
        raise InputError(path, "extends", f"unknown scenario {parent_ref!r}; known: {known} or a path to a .toml file")
    parent = read_document(parent_path, _seen + (path,))
    parent.pop("name", None), parent.pop("description", None)
    return _merge(parent, doc)


def _anchor_city_path(doc: dict, folder: Path) -> None:
    """A relative path to a city file in a scenario file is relative to that file's folder."""
    run = doc.get("run")
    city = run.get("city") if isinstance(run, dict) else None
    if isinstance(city, str) and ("/" in city or city.endswith((".yaml", ".yml"))) and not Path(city).is_absolute():
        run["city"] = str((folder / city).resolve())


def _anchor_target_files(doc: dict, folder: Path) -> None:
    """A relative path to a target file in a scenario file is relative to that file's folder."""
    targets = doc.get("targets")
    files = targets.get("files") if isinstance(targets, dict) else None
    if isinstance(files, list):
        targets["files"] = [str((folder / f).resolve()) if isinstance(f, str) and not is_packaged(f)
                            and not Path(f).is_absolute() else f for f in files]


# -- overrides -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Origin:
    """Where overrides come from, for error messages: `where` (a file, or 'command line'), `prefix`
    spelling a key as it is written there ('--set ', 'parameters.'), and `label`, which the scenario
    they change is called by ('baseline.toml (with --set)')."""

    where: str = "overrides"
    prefix: str = ""
    label: str = "overrides"


COMMAND_LINE = Origin("command line", "--set ", "--set")
SETTABLE = "run.*, targets.files, assumptions.*, policies.*, shocks, name, description"


def parse_set(item: str) -> tuple[list[str], Any]:
    """'run.scale=50' -> (['run', 'scale'], 50); values are TOML literals, else plain strings."""
    key, sep, raw = item.partition("=")
    if not sep or not key.strip():
        raise InputError("command line", f"--set {item}", "expected key=value, e.g. --set run.scale=50")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return key.strip().split("."), value


def parse_sets(items: list[str]) -> dict[str, Any]:
    """`--set` strings as typed overrides {dotted key: value}, applied in the order given (a repeated
    key moves to its last place, so a later item wins over an earlier one)."""
    out: dict[str, Any] = {}
    for item in items:
        keys, value = parse_set(item)
        out.pop(".".join(keys), None)
        out[".".join(keys)] = value
    return out


def _plain(value: Any) -> Any:
    """Numpy scalars (from samplers) as the Python numbers a TOML file would give."""
    return value.item() if type(value).__module__ == "numpy" and hasattr(value, "item") else value


def apply_overrides(doc: dict, overrides: Mapping[str, Any], origin: Origin = Origin()) -> dict:
    """A copy of `doc` with each dotted key set to its value (as values: nothing is re-parsed)."""
    doc = copy.deepcopy(doc)
    for key, value in overrides.items():
        keys, value = key.split("."), _plain(value)
        if keys[0] not in TOP_KEYS - {"extends"} or not all(keys):
            raise InputError(origin.where, f"{origin.prefix}{key}", f"unknown key; settable: {SETTABLE}")
        reject_non_finite(origin.where, value, f"{origin.prefix}{key}")
        node = doc
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise InputError(origin.where, f"{origin.prefix}{key}", f"{k} is not a table, got {node!r}")
        node[keys[-1]] = copy.deepcopy(value)
    return doc


# -- validation ----------------------------------------------------------------------------------
def _int(where: str, key: str, value: Any, lo: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(where, key, f"must be an integer >= {lo}, got {value!r}")
    if value < lo:
        raise InputError(where, key, f"{value} is out of range; must be >= {lo}")
    return value


def _flatten(prefix: str, node: Any, out: dict) -> dict:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = node
    return out


def _validate_run(where: str, run: Any) -> dict:
    if not isinstance(run, dict):
        raise InputError(where, "run", f"must be a table, got {run!r}")
    unknown = set(run) - set(RUN_DEFAULTS)
    if unknown:
        raise InputError(where, f"run.{sorted(unknown)[0]}", f"unknown key; allowed {sorted(RUN_DEFAULTS)}")
    r = {**RUN_DEFAULTS, **run}
    if not isinstance(r["city"], str):
        raise InputError(where, "run.city", f"must be a city name or a path (string), got {r['city']!r}")
    return {"end": parse_month(where, "run.end", r["end"]), "scale": _int(where, "run.scale", r["scale"], 1),
            "replicates": _int(where, "run.replicates", r["replicates"], 1),
            "seed": _int(where, "run.seed", r["seed"], 0), "city": r["city"]}


def _validate_shock(where: str, i: int, s: Any) -> Shock:
    key = f"shocks[{i}]"
    if not isinstance(s, dict):
        raise InputError(where, key, f"must be a table ([[shocks]]), got {s!r}")
    unknown = set(s) - SHOCK_KEYS
    if unknown:
        raise InputError(where, f"{key}.{sorted(unknown)[0]}", f"unknown key; allowed {sorted(SHOCK_KEYS)}")
    if s.get("kind") not in SHOCK_KINDS:
        raise InputError(where, f"{key}.kind", f"must be one of {sorted(SHOCK_KINDS)}, got {s.get('kind')!r}")
    for req in ("start", "end", "size"):
        if req not in s:
            raise InputError(where, f"{key}.{req}", "is required")
    start, end = parse_month(where, f"{key}.start", s["start"]), parse_month(where, f"{key}.end", s["end"])
    if end.index < start.index:
        raise InputError(where, f"{key}.end", f"{end} is before start {start}")
    size = s["size"]
    if not isinstance(size, (int, float)) or isinstance(size, bool) or not -1.0 <= size <= 5.0:
        raise InputError(where, f"{key}.size", f"must be a number in [-1, 5] (share of demand), got {size!r}")
    sectors = s.get("sectors")
    if sectors is not None and not (isinstance(sectors, list) and all(isinstance(x, str) for x in sectors)):
        raise InputError(where, f"{key}.sectors", f"must be a list of sector ids, got {sectors!r}")
    return Shock(s["kind"], start, end, float(size), sectors, str(s.get("description", "")))


def _validate_targets(where: str, targets: Any) -> list[str]:
    """`[targets] files`: each an existing, valid target file (a path not yet anchored to a scenario file,
    e.g. from --set, is relative to the working directory); errors in a file name that file."""
    if not isinstance(targets, dict):
        raise InputError(where, "targets", f"must be a table with {sorted(TARGETS_KEYS)}, got {targets!r}")
    if unknown := sorted(set(targets) - set(TARGETS_KEYS)):
        raise InputError(where, f"targets.{unknown[0]}", f"unknown key; allowed {sorted(TARGETS_KEYS)} ({TARGETS_KEYS['files']})")
    paths = resolve_files(where, "targets.files", targets.get("files", []), Path.cwd(),
                          "the scenario file's folder (from --set: the working directory)")
    for p in paths:
        load_target_file(p)
    return [str(p) for p in paths]


def validate(doc: dict, where: str, name: str | None = None) -> Scenario:
    """Check a merged scenario document and turn it into a `Scenario` (named `name` if it has no name)."""
    for key in ("name", "description"):
        if key in doc and not isinstance(doc[key], str):
            raise InputError(where, key, f"must be a string, got {doc[key]!r}")
    run = _validate_run(where, doc.get("run", {}))
    assumptions = doc.get("assumptions", {})
    if not isinstance(assumptions, dict):
        raise InputError(where, "assumptions", f"must be a table of parameter = value, got {assumptions!r}")
    shocks_raw = doc.get("shocks", [])
    if not isinstance(shocks_raw, list):
        raise InputError(where, "shocks", f"must be an array of tables ([[shocks]]), got {shocks_raw!r}")
    shocks = [_validate_shock(where, i, s) for i, s in enumerate(shocks_raw)]
    pol = doc.get("policies", {})
    if not isinstance(pol, dict):
        raise InputError(where, "policies", f"must be a table of [policies.NAME], got {pol!r}")
    pol = {key: validate_policy(key, params, where) for key, params in pol.items()}
    targets = _validate_targets(where, doc.get("targets", {}))
    return Scenario(doc.get("name", name or Path(where).stem), doc.get("description", ""), where, run["end"],
                    run["scale"], run["replicates"], run["seed"], run["city"],
                    _flatten("", assumptions, {}), shocks, pol, targets, doc)


def load(ref: str, overrides: Mapping[str, Any] | None = None, origin: Origin = Origin()) -> Scenario:
    """Read, merge, override and validate a scenario; `ref` is a name in scenarios/ or a path.

    `overrides` maps dotted keys to values ({"run.scale": 20, "assumptions.training.pass_rate": 0.7});
    `origin` says where they came from, for error messages (`COMMAND_LINE` for `--set`)."""
    if overrides and not isinstance(overrides, Mapping):
        raise TypeError(f"overrides must be a mapping of dotted key to value, got {overrides!r} "
                        "(command-line strings: sim.scenario.parse_sets)")
    path = resolve_path(ref, Path.cwd())
    if not path.is_file() and "/" not in ref and not ref.endswith(".toml"):
        known = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
        raise InputError(ref, "", f"no such scenario {ref!r}; known: {known} or a path to a .toml file")
    doc = apply_overrides(read_document(path), overrides or {}, origin)
    where = f"{path} (with {origin.label})" if overrides else str(path)
    scenario = validate(doc, where, path.stem)
    scenario.file = str(path.resolve())
    return scenario
