"""Which levers a `sim what-it-takes` search may move in a scenario (`axes`): the data file's levers of
the measures the scenario switches on, each from the scenario's own value with the room left in its
range (`sim.levers`: scale_room, earlier_room); the others left out, each with its reason. A scenario
value beyond a lever's range, or a top factor beyond a parameter's hard bounds, is bad input named where
it was set. Kept out of `sim.levers` because it needs the scenario and the sensitivity screen, which
import the data file's levers back."""

from __future__ import annotations

from typing import Any

from .calendar import Month
from .errors import InputError
from .levers import Axis, Lever, earlier_room, elements, scale_room
from .params import CityData, load_city
from .scenario import Scenario


def _origin(key: str, scenario: Scenario, sets: dict, data: CityData) -> tuple[str, str]:
    """(where, key) of whoever set a lever's parameter: --set, the scenario file, or the data file."""
    path = f"policies.{key}"
    if path in sets:
        return "command line", f"--set {path}"
    name, param = key.split(".", 1)
    if param in scenario.policies.get(name, {}):
        return scenario.path, path
    return data.where, f"levers.{key}.range"


def axes(scenario: Scenario, data: CityData, sets: dict | None = None) -> tuple[list[Axis], list[tuple[str, str]]]:
    """The levers of the measures `scenario` switches on, as axes from its own values; and the levers left
    out, each with its reason. A scenario value beyond a lever's range is bad input (named where it was set)."""
    from .sensitivity.inputs import active_policies, factors

    sets = sets or {}
    active = active_policies(scenario)
    plan = load_city(scenario.city)                # the data file's own values: the levers' ranges are about them
    sampled = {f.key for f in factors(scenario, data)[0]}
    first = Month(int(data.meta["base_year"]) + 1, 1)
    keep, left = [], []
    for key, lever in data.levers.items():
        name = key.split(".")[0]
        if name not in active:
            left.append((key, f"measure {name!r} is not switched on in scenario {scenario.name!r}"))
            continue
        own, planned = data.get(lever.path), plan.get(lever.path)
        where = _origin(key, scenario, sets, data)
        if lever.kind == "scale":
            high = scale_room(lever, own, planned, where)
            _check_scaled_bounds(lever, data, own, high, lever.path in sampled)
        else:
            high = earlier_room(lever, own, planned, first, where)
        if (high <= 1 if lever.kind == "scale" else high < lever.step):
            left.append((key, f"already at the top of its range in scenario {scenario.name!r}"
                         if lever.kind == "scale" else "no room: its months are at the first simulated month"))
            continue
        keep.append(Axis(lever, own, high, first))
    return keep, left


def _check_scaled_bounds(lever: Lever, data: CityData, own: Any, high: float, sampled: bool) -> None:
    """The top factor on the scenario's value (on the top of the range for a sampled parameter) must stay
    within the parameter's hard bounds."""
    p = data.params[lever.path]
    if not p.bounds or p.bounds[1] is None:
        return
    top = max(elements(own)) if not sampled or not p.range else max(max(elements(own)), p.range[1])
    if top * high > p.bounds[1]:
        raise InputError(data.where, f"levers.{lever.key}.range", f"x{high:g} on {top:g} gives {top * high:g}, beyond "
                         f"the bounds {list(p.bounds)} of {lever.path}")
