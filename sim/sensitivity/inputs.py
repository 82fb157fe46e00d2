"""The inputs a study samples: every scalar assumption or calibrated parameter with a range (and the
parameters of the measures the scenario switches on), every list or table column marked
`sample: scale|shift` in the data file as one factor; everything else left out with its reason.
`overrides` turns one sampled row into the scenario overrides it stands for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..params import CityData
from ..scenario import Scenario


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
        if reason is None and path.startswith("calibration."):
            reason = "a moment's standard error, used only by the calibration (sim calibrate), not by this scenario"
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
