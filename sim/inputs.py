"""The data a scenario runs on: its city file with the scenario's overrides, checked once.

`city_data(scenario)` is the one path from a scenario to the model's `CityData`: the city file,
the target files the scenario adds (`[targets] files`), the scenario's `[assumptions]`, its
`[policies.NAME]` parameters as overrides of `policies.NAME.*`, then the cross-field checks the
schema cannot express (`check_data`). Building a `LabourMarketModel` always goes through it. Errors
name the file that set the value.
"""

from __future__ import annotations

from .calendar import parse_month
from .errors import InputError
from .params import CityData, load_city
from .scenario import Scenario


def city_data(scenario: Scenario) -> CityData:
    """The scenario's city data with its overrides, checked for consistency before any run."""
    data = load_city(scenario.city).with_target_files(scenario.target_files, scenario.path)
    data = data.with_overrides(scenario.assumptions, scenario.path)
    data = data.with_overrides(policy_overrides(data, scenario), scenario.path, prefix="")
    check_data(data, scenario)
    return data


def policy_overrides(data: CityData, scenario: Scenario) -> dict:
    """`[policies.NAME] key = value` as data overrides `policies.NAME.key`; unknown keys are errors."""
    from .policies import parameters_of

    out = {}
    for name, params in scenario.policies.items():
        allowed = parameters_of(data, name)
        for key, value in params.items():
            if key == "enabled":
                continue
            if key not in allowed:
                raise InputError(scenario.path, f"policies.{name}.{key}",
                                 f"unknown parameter; allowed {sorted(allowed) + ['enabled']}")
            out[f"policies.{name}.{key}"] = value
    return out


def _check_policy_references(data: CityData, scenario: Scenario, fail) -> None:
    """Place and sector ids named in policy parameters must exist in the city."""
    places, sectors = set(data.table("places")), set(data.table("sectors"))
    for path, p in data.params.items():
        if not path.startswith("policies."):
            continue
        name = path.split(".")[1]
        if name not in scenario.policies:
            continue
        values = p.value if isinstance(p.value, list) else [p.value]
        known = places if path.endswith(("sites", "places", "ninth_site")) else sectors if path.endswith("sectors") else None
        bad = [v for v in values if known is not None and v not in known and v not in ("none", None)]
        if bad:
            where = scenario.path if path.split(".")[-1] in scenario.policies[name] else data.where
            raise InputError(where, path, f"unknown ids {bad}; known: {sorted(known)}")
        if path.endswith(("start", "end", "opening_months")):
            for v in values:
                parse_month(scenario.path if path.split(".")[-1] in scenario.policies[name] else data.where, path, v)


def check_data(data: CityData, scenario: Scenario) -> None:
    """Cross-field checks the schema cannot express; errors name the file that set the value."""
    def fail(key: str, message: str):
        overridden = key in scenario.assumptions
        raise InputError(scenario.path if overridden else data.where, ("assumptions." if overridden else "") + key, message)

    lo, hi = data.get("outside_market.age_range")
    bands = data.table("age_bands").values()
    youngest, oldest = min(b["lo"] for b in bands), max(b["hi"] for b in bands)    # the modelled ages
    if not youngest <= lo < hi <= oldest:
        fail("outside_market.age_range",
             f"must be [low, high] with {youngest} <= low < high <= {oldest} (the age bands), got {[lo, hi]}")
    u, r = data.get("labour_market.unemployment_rate_2020"), data.get("labour_market.registered_unemployment_rate_2020") / 100
    if u < 1.5 * r:
        fail("labour_market.unemployment_rate_2020", f"{u} is too low: the 2020 registered rate {r:.2%} needs "
             f"at least {1.5 * r:.3f} (registered unemployed are a subset of the unemployed)")
    _check_policy_references(data, scenario, fail)
    known = list(data.table("sectors"))
    for i, shock in enumerate(scenario.shocks):
        unknown = sorted(set(shock.sectors or []) - set(known))
        if unknown:
            raise InputError(scenario.path, f"shocks[{i}].sectors", f"unknown sectors {unknown}; known: {known}")
