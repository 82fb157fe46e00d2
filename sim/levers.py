"""Levers: how far `sim what-it-takes` may move a measure's parameter, and how a lever moves a value.

The data file's optional `levers:` section (`parse_levers`, called by `sim.params.CityData`) names, per
parameter `policies.NAME.PARAM`, a `Lever`: `scale` multiplies the value (each element of a list) by a
factor in [1, high]; `earlier` moves its month (each month of a list) up to `high` months earlier, in
multiples of `step`; each bound with its provenance (an assumption needs its reasoning). Every key is
checked strictly, with one-line errors naming the file and `levers.KEY`.

An `Axis` is a lever as one scenario may move it: from the scenario's own value to the most the lever's
range allows (`scale_room`, `earlier_room`: a scenario value beyond it is bad input, named where it was
set), never before the first simulated month; `Axis.apply` moves a value (the scenario's or an ensemble
draw's) by a setting, `Axis.size` gives its relative intensity (factor - 1, months / 12). Which levers
a scenario gets (`axes`) is `sim.lever_axes`, and the search over them `sim.what_it_takes`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .calendar import Month, parse_month
from .errors import InputError
from .values import is_int, is_number


LEVER_KINDS = {"scale": "multiply the value (each element of a list) by a factor in [1, high]",
               "earlier": "move the month (each month of a list) earlier by 0 to high months, in multiples of step"}
LEVER_KEYS = {"kind", "range", "step", "unit", "description", "provenance", "reasoning", "source"}


@dataclass(frozen=True)
class Lever:
    """How far `sim what-it-takes` may move one parameter of a measure (`levers.NAME.PARAM` in the data
    file; the parameter is `policies.NAME.PARAM`): `kind` scale (a factor in [1, high]) or earlier (0 to
    `high` months earlier, in multiples of `step`), with the bound's provenance."""

    key: str                 # NAME.PARAM
    kind: str
    high: float
    unit: str
    provenance: str
    reasoning: str = ""
    source: str = ""
    description: str = ""
    step: int = 1

    @property
    def path(self) -> str:
        return f"policies.{self.key}"


def parse_levers(where: str, levers: Any, params: dict[str, Any]) -> dict[str, Lever]:
    """The data file's `levers:` section (optional): each key a parameter of a measure in `policies:`,
    each lever strictly checked (keys, kind, range, step, unit, provenance); one-line errors."""
    if not isinstance(levers, dict):
        raise InputError(where, "levers", f"must be a mapping of NAME.PARAM to a lever, got {levers!r}")
    return {key: _parse_lever(where, str(key), spec, params) for key, spec in levers.items()}


def _parse_lever(where: str, key: str, spec: Any, params: dict[str, Any]) -> Lever:
    at = f"levers.{key}"
    measures = sorted({p.split(".")[1] for p in params if p.startswith("policies.") and p.count(".") >= 2})
    name, _, param = key.partition(".")
    if name not in measures:
        raise InputError(where, at, f"unknown measure {name!r}; a lever is NAME.PARAM with NAME one of {measures}")
    own = sorted(p.split(".", 2)[2] for p in params if p.startswith(f"policies.{name}."))
    if param not in own:
        raise InputError(where, at, f"unknown parameter {param!r} of {name}; its parameters: {own}")
    if not isinstance(spec, dict):
        raise InputError(where, at, f"must be a mapping with {sorted(LEVER_KEYS)}, got {spec!r}")
    if unknown := sorted(set(spec) - LEVER_KEYS):
        raise InputError(where, f"{at}.{unknown[0]}", f"unknown key; allowed {sorted(LEVER_KEYS)}")
    kind = spec.get("kind")
    if kind not in LEVER_KINDS:
        raise InputError(where, f"{at}.kind", f"must be one of {sorted(LEVER_KINDS)}, got {kind!r}")
    step = spec.get("step", 1)
    if kind != "earlier" and "step" in spec:
        raise InputError(where, f"{at}.step", "only an 'earlier' lever has a step (months)")
    if not is_int(step) or step < 1:
        raise InputError(where, f"{at}.step", f"must be a whole number of months >= 1, got {step!r}")
    high = _lever_range(where, at, kind, spec.get("range"), step)
    value = params[f"policies.{key}"].value
    values = value if isinstance(value, list) else [value]
    if kind == "scale" and not (values and all(map(is_number, values))):
        raise InputError(where, at, f"a scale lever needs a number or a list of numbers; policies.{key} is {value!r}")
    if kind == "earlier" and not (values and all(isinstance(v, str) for v in values)):
        raise InputError(where, at, f"an earlier lever needs a month or a list of months; policies.{key} is {value!r}")
    prov = spec.get("provenance")
    if prov not in ("assumption", "seed", "public"):
        raise InputError(where, f"{at}.provenance", f"must be assumption, seed or public, got {prov!r}")
    if prov == "assumption" and not spec.get("reasoning"):
        raise InputError(where, f"{at}.reasoning", "an assumed bound needs its reasoning")
    if prov != "assumption" and not spec.get("source"):
        raise InputError(where, f"{at}.source", f"a {prov} bound needs 'source'")
    if not isinstance(spec.get("unit"), str) or not spec["unit"]:
        raise InputError(where, f"{at}.unit", f"is required: what the range counts, got {spec.get('unit')!r}")
    return Lever(key, kind, high, spec["unit"], prov, str(spec.get("reasoning", "")), str(spec.get("source", "")),
                 str(spec.get("description", "")), step)


def _lever_range(where: str, at: str, kind: str, rng: Any, step: int) -> float:
    """The top of a lever's range; the range starts at the scenario's own value (1 for scale, 0 for earlier)."""
    low = 1 if kind == "scale" else 0
    if not (isinstance(rng, list) and len(rng) == 2 and all(map(is_number, rng))):
        raise InputError(where, f"{at}.range", f"must be [{low}, high] (two numbers), got {rng!r}")
    if rng[0] != low or not rng[1] > rng[0]:
        raise InputError(where, f"{at}.range", f"must be [{low}, high] with high > {low} (it starts at the scenario's "
                         f"own value), got {rng!r}")
    if kind == "earlier" and not (float(rng[1]).is_integer() and int(rng[1]) % step == 0):
        raise InputError(where, f"{at}.range", f"the months must be a whole multiple of step {step}, got {rng!r}")
    return int(rng[1]) if kind == "earlier" else float(rng[1])


# -- levers as a scenario may move them -------------------------------------------------------------------
@dataclass(frozen=True)
class Axis:
    """A lever as one scenario may move it: from the scenario's own value `base` to `high` (a factor, or
    months earlier) without leaving the lever's range; `first` is the first simulated month."""

    lever: Lever
    base: Any
    high: float
    first: Month

    @property
    def key(self) -> str:
        return self.lever.key

    @property
    def identity(self) -> float:
        return 1.0 if self.lever.kind == "scale" else 0

    def setting(self, t: float) -> float:
        """The setting a fraction t of the way along the axis (months: whole steps)."""
        if self.lever.kind == "scale":
            return round(1 + t * (self.high - 1), 4)
        step = self.lever.step
        return math.floor(t * self.high / step + 0.5) * step        # half up (round() would go to even)

    def size(self, s: float) -> float:
        """The relative intensity of setting s: factor - 1, or months / 12."""
        return s - 1 if self.lever.kind == "scale" else s / 12

    def apply(self, value: Any, s: float) -> Any:
        """`value` (the scenario's, or a draw's) moved by setting s."""
        if isinstance(value, list):
            return [self.apply(v, s) for v in value]
        if self.lever.kind == "scale":
            y = value * s
            return int(round(y)) if isinstance(value, int) else float(f"{y:.10g}")
        m = parse_month(self.lever.path, "value", value)
        index = max(self.first.index, m.index - int(s))
        return str(Month(index // 12, index % 12 + 1))

    def describe(self, s: float) -> str:
        if self.lever.kind == "scale":
            return f"{self.key} x{s:g}"
        return f"{self.key} {int(s)} months earlier"


def elements(v: Any) -> list:
    return v if isinstance(v, list) else [v]


def scale_room(lever: Lever, own: Any, planned: Any, where: tuple[str, str]) -> float:
    """The largest factor on the scenario's value that stays within high x the data file's value."""
    room = []
    for o, p in zip(elements(own), elements(planned), strict=False):
        if o > lever.high * p:
            raise InputError(*where, f"{own!r} is beyond lever levers.{lever.key}: at most x{lever.high:g} the data "
                             f"file's {planned!r}")
        if o > 0:
            room.append(lever.high * p / o)
    return round(min(room), 4) if room else 1.0


def earlier_room(lever: Lever, own: Any, planned: Any, first: Month, where: tuple[str, str]) -> int:
    """The most months earlier the scenario's months can move: to high months before the data file's, and not
    before the first simulated month; in whole steps."""
    room = 0
    for o, p in zip(elements(own), elements(planned), strict=False):
        o_m, p_m = parse_month(where[0], where[1], o), parse_month(where[0], where[1], p)
        earliest = max(first.index, p_m.index - int(lever.high))
        if o_m.index < p_m.index - int(lever.high):
            raise InputError(*where, f"{own!r} is beyond lever levers.{lever.key}: at most {lever.high:g} months before "
                             f"the data file's {planned!r}")
        room = max(room, o_m.index - earliest)
    return min(int(lever.high), room) // lever.step * lever.step
