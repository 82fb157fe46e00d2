"""The plans' measures as policies, registered by name.

A policy (OpenFisca "reform" shape) is a small object with parameters, a timetable (start, ramp,
end) and a source clause. Its one method, `apply(world, month)`, changes the world agents act in:
it opens a market, funds seats, lowers a cost, widens a catchment, posts information. It never
writes an indicator or a stock (DESIGN §3): effects come out of agents' decisions.

Modules register themselves with `@register`. Scenario files switch a policy on with a table
`[policies.NAME]` whose keys must be among the policy's parameters (anything else is an error).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import InputError

REGISTRY: dict[str, type["Policy"]] = {}
TIMETABLE_KEYS = {"start", "ramp_months", "end"}


class Policy:
    """Base class: subclasses set `name`, `source`, `summary` and `defaults` and implement `apply`."""

    name: ClassVar[str] = ""
    source: ClassVar[str] = ""            # plan file and clause
    summary: ClassVar[str] = ""           # one line: the mechanism
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, params: dict[str, Any]):
        self.params = {**self.defaults, **params}

    def intensity(self, month_index: int) -> float:
        """0 before start and after end, ramping linearly to 1 over `ramp_months`."""
        from ..scenario import parse_month

        start = parse_month(self.name, "start", self.params["start"]).index
        end = parse_month(self.name, "end", self.params["end"]).index
        if month_index < start or month_index > end:
            return 0.0
        ramp = max(1, int(self.params.get("ramp_months", 1)))
        return min(1.0, (month_index - start + 1) / ramp)

    def setup(self, model) -> None:
        """Add institutions (agencies, schools) once, before the first month; most policies add none."""

    def apply(self, world, month_index: int) -> None:
        """Change the world's levers for this month (they are reset to baseline before each month)."""


def register(cls: type[Policy]) -> type[Policy]:
    REGISTRY[cls.name] = cls
    return cls


def validate_params(name: str, params: Any, where: str) -> dict:
    """Check `[policies.NAME]` against the registry; returns defaults merged with the file's values."""
    if name not in REGISTRY:
        known = sorted(REGISTRY) or "none registered yet"
        raise InputError(where, f"policies.{name}", f"unknown policy; registered: {known}")
    if not isinstance(params, dict):
        raise InputError(where, f"policies.{name}", "must be a table of parameters")
    cls = REGISTRY[name]
    allowed = set(cls.defaults) | TIMETABLE_KEYS
    unknown = set(params) - allowed
    if unknown:
        raise InputError(where, f"policies.{name}.{sorted(unknown)[0]}", f"unknown parameter; allowed {sorted(allowed)}")
    return {**cls.defaults, **params}


def build(policies: dict[str, dict]) -> list[Policy]:
    return [REGISTRY[name](params) for name, params in policies.items()]


def all_policies() -> dict[str, type[Policy]]:
    return dict(REGISTRY)

