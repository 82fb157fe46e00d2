"""The plans' targets: one YAML file per plan document, read, validated and merged.

A target file holds the targets of one plan (`sim/data/targets/` has Shanwei's two, [000] and [003]):

    plan:                                # the plan document (header)
      ref: "[000]"                       # how the rows' `source` cites it
      zh: 汕尾市推进劳动力要素市场化配置实施方案（征求意见稿）
      en: "Shanwei plan for market-based allocation of labour (draft for comment, c. 2021)"
      file: 000_6ccd0399aa8cec2c.txt     # the plan's text in shared/seeds/ (optional)
      period: [2021, 2025]               # the years the plan's targets are for
      note: ...                          # optional
    targets:
      - {indicator: urban_new_employment, year: 2025, value: 35000, comparator: ">=",
         source: "[000] 一、(二) ...", fact_id: sw000_...}

A city data file names the files it uses (`target_files:`) and a scenario may add more
(`[targets] files = [...]`). An entry without a slash or a `.yaml` suffix is a packaged file,
`sim/data/targets/NAME.yaml` (as a city name is a packaged city); any other entry is a path, relative
to the folder of the file that names it. The targets of all files (and any listed inline under a
city's `targets:`) are one list, ordered by indicator (as `sim.indicators` lists them), year and
period whatever file they came from; two rows for the same target id are an error. Every error is one
`InputError` naming the file, the key and what is allowed (DESIGN §6).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .indicators import BY_ID, INDICATORS
from .values import is_int, is_number, reject_non_finite

TARGETS_DIR = Path(__file__).parent / "data" / "targets"
COMPARATORS = (">=", ">", "<=", "<", "=", "about")
TARGET_KEYS = {"indicator", "year", "value", "comparator", "source", "period", "fact_id"}
FILE_KEYS = {"plan", "targets"}
PLAN_KEYS = {"ref", "zh", "en", "file", "period", "note"}
PLAN_REQUIRED = {"en": "the plan's title in English", "period": "[first year, last year] of its targets"}


@dataclass(frozen=True)
class Target:
    """One of the plans' targets: `indicator` should reach `value` in `year` (a December level or the
    year's flow), or over `period` (first, last year: a multi-year total) when given."""

    indicator: str
    year: int
    value: float
    comparator: str
    source: str
    period: tuple[int, int] | None = None
    fact_id: str = ""


@dataclass(frozen=True)
class TargetFile:
    """One plan's target file: where it is, its header (`plan`) and its rows in file order."""

    path: str
    plan: dict
    targets: tuple[Target, ...]


def target_id(t: Target) -> str:
    """A target's name on the command line and in tables: INDICATOR_YEAR, or INDICATOR_FIRST-LAST for a
    multi-year total (e.g. high_skilled_talent_2025, subsidised_training_2021-2025)."""
    return f"{t.indicator}_{t.period[0]}-{t.period[1]}" if t.period else f"{t.indicator}_{t.year}"


# -- one row -------------------------------------------------------------------------------------
def parse_target(where: str, i: int, t: Any) -> Target:
    """`targets[i]` of a file as a Target; unknown keys, missing ones and wrong types are errors."""
    key = f"targets[{i}]"
    if not isinstance(t, dict):
        raise InputError(where, key, f"must be a mapping with {sorted(TARGET_KEYS)}, got {t!r}")
    if unknown := sorted(set(t) - TARGET_KEYS):
        raise InputError(where, f"{key}.{unknown[0]}", f"unknown key; allowed {sorted(TARGET_KEYS)}")
    if missing := sorted({"indicator", "year", "value", "comparator", "source"} - set(t)):
        raise InputError(where, f"{key}.{missing[0]}", "is required")
    for name, ok, what in (("indicator", isinstance(t["indicator"], str), "an indicator id"),
                           ("year", is_int(t["year"]), "a year (integer)"),
                           ("value", is_number(t["value"]), "a number"),
                           ("comparator", t["comparator"] in COMPARATORS, f"one of {list(COMPARATORS)}"),
                           ("source", isinstance(t["source"], str), "a string (plan file and clause)"),
                           ("fact_id", isinstance(t.get("fact_id", ""), str), "a string")):
        if not ok:
            raise InputError(where, f"{key}.{name}", f"must be {what}, got {t[name]!r}")
    if t["indicator"] not in BY_ID:
        raise InputError(where, f"{key}.indicator", f"unknown indicator {t['indicator']!r}; allowed: one of "
                         f"`sim list indicators`, e.g. {[i.id for i in INDICATORS if i.targeted]}")
    return Target(t["indicator"], t["year"], t["value"], t["comparator"], t["source"],
                  _years(where, f"{key}.period", t.get("period")), t.get("fact_id", ""))


def _years(where: str, key: str, period: Any) -> tuple[int, int] | None:
    if period is None:
        return None
    if not (isinstance(period, list) and len(period) == 2 and all(map(is_int, period)) and period[0] <= period[1]):
        raise InputError(where, key, f"must be [first year, last year], got {period!r}")
    return (period[0], period[1])


# -- one file ------------------------------------------------------------------------------------
def _check_plan(where: str, plan: Any) -> dict:
    """The file's header: which plan document its targets come from."""
    if not isinstance(plan, dict):
        raise InputError(where, "plan", f"must be a mapping with keys {sorted(PLAN_KEYS)}, got {plan!r}")
    if unknown := sorted(set(plan) - PLAN_KEYS):
        raise InputError(where, f"plan.{unknown[0]}", f"unknown key; allowed {sorted(PLAN_KEYS)}")
    for key, what in PLAN_REQUIRED.items():
        if key not in plan:
            raise InputError(where, f"plan.{key}", f"missing: {what}")
    for key in sorted(set(plan) - {"period"}):
        if not isinstance(plan[key], str):
            raise InputError(where, f"plan.{key}", f"must be a string, got {plan[key]!r}")
    _years(where, "plan.period", plan["period"])
    return dict(plan)


def load_target_file(path: Path) -> TargetFile:
    """The target file at `path` (which must exist), validated; parsed once per version of the file."""
    path = Path(path).resolve()
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_cached(where: str, mtime_ns: int, size: int) -> TargetFile:
    try:
        doc = yaml.safe_load(Path(where).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(where, "", f"malformed YAML{f' at line {mark.line + 1}' if mark else ''}") from None
    except UnicodeDecodeError:
        raise InputError(where, "", "not a UTF-8 text file") from None
    if not isinstance(doc, dict):
        raise InputError(where, "", f"expected a mapping with keys {sorted(FILE_KEYS)} at the top level")
    if unknown := sorted(set(doc) - FILE_KEYS):
        raise InputError(where, unknown[0], f"unknown key; allowed {sorted(FILE_KEYS)}")
    reject_non_finite(where, doc)
    plan = _check_plan(where, doc.get("plan"))
    rows = doc.get("targets")
    if not isinstance(rows, list) or not rows:
        raise InputError(where, "targets", f"must be a non-empty list of targets, got {rows!r}")
    return TargetFile(where, plan, tuple(parse_target(where, i, t) for i, t in enumerate(rows)))


# -- naming files --------------------------------------------------------------------------------
def is_packaged(ref: str) -> bool:
    """A bare name (no slash, no .yaml/.yml suffix) names a packaged file in sim/data/targets/."""
    return "/" not in ref and not ref.endswith((".yaml", ".yml"))


def resolve(ref: str, base: Path) -> Path:
    """A packaged name -> sim/data/targets/NAME.yaml; a path -> itself, relative to `base` (a folder)."""
    if is_packaged(ref):
        return TARGETS_DIR / f"{ref}.yaml"
    p = Path(ref)
    return (p if p.is_absolute() else base / p).resolve()


def resolve_files(where: str, key: str, refs: Any, base: Path, relative_to: str = "") -> list[Path]:
    """The list `key` of file `where` (a list of target files) as existing paths, relative to `base`
    (`relative_to` says what that folder is, for the error message)."""
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise InputError(where, key, f"must be a list of target files (packaged names or paths), got {refs!r}")
    out = []
    for i, ref in enumerate(refs):
        path = resolve(ref, base)
        if not path.is_file():
            packaged = sorted(p.stem for p in TARGETS_DIR.glob("*.yaml"))
            raise InputError(where, f"{key}[{i}]", f"target file {ref!r} not found (no {path}); allowed: a "
                             f"packaged name {packaged} or a path relative to {relative_to or base}")
        out.append(path)
    return out


# -- the merged list -------------------------------------------------------------------------------
def merge(inline: list[Target], inline_where: str, files: list[TargetFile]) -> list[Target]:
    """The targets listed inline (in `inline_where`) and in `files`, as one list in the order of the
    indicators, then year and period; a target id that appears twice is an error naming both places."""
    seen: dict[str, str] = {}
    for where, rows in [(inline_where, inline), *((f.path, f.targets) for f in files)]:
        for i, t in enumerate(rows):
            tid = target_id(t)
            if tid in seen:
                raise InputError(where, f"targets[{i}]", f"target {tid} is already set in {seen[tid]}; "
                                 "each indicator, year and period may have one target")
            seen[tid] = where
    rank = {ind.id: k for k, ind in enumerate(INDICATORS)}
    every = [*inline, *(t for f in files for t in f.targets)]
    return sorted(every, key=lambda t: (rank[t.indicator], t.year, t.period is not None, t.period or (0, 0)))
