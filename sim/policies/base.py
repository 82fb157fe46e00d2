"""The policy base class and registry (OpenFisca "reform" shape, DESIGN §3 "Policies").

A policy is a small object with parameters, a timetable (start, ramp, end) and a source clause. Its
parameters' defaults live in the city data file under `policies.NAME` with provenance; a scenario
switches it on with `[policies.NAME]` and may override them there. Each month the model resets the
world's levers and calls every policy's `apply(world, month_index)`, which changes what agents face
(seats, contact rates, costs, posts). `setup(model)` may add institutions (markets, schools) once,
with their opening dates. A policy never writes an indicator or a stock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from math import log1p
from typing import Any, ClassVar

from ..calendar import parse_month

REGISTRY: dict[str, type["Policy"]] = {}


@dataclass(frozen=True)
class Charge:
    """One thing a measure pays for (`sim.costs`): `item` (its name in costs.csv), the `driver` (the
    function of `sim.costs.DRIVERS` that counts what it is paid on each month), the parameter holding
    its unit cost (default `costs.MEASURE.ITEM`) and what the driver counts (`who`: the programme whose
    seats or the event; default the measure)."""

    item: str
    driver: str
    unit: str = ""
    who: str = ""

    def unit_param(self, measure: str) -> str:
        return self.unit or f"costs.{measure}.{self.item}"


@dataclass(frozen=True)
class SeatOffer:
    """A named programme's seats this month and who may take them (`sim.rules.training.seat_groups`)."""

    per_month: float                          # seats this month, persons
    sectors: list | None = None               # workers in these sector ids (and people not employed); None: all
    rural_only: bool = False                  # rural residents only
    employed_only: bool = False               # employees (part-time courses) only
    min_skill: int = 0                        # people at this level or above only


CERTIFICATE_SUBSIDY = "costs.training.certificate_subsidy"   # Guangdong's schedule by level, for every course


class Policy:
    name: ClassVar[str] = ""
    source: ClassVar[str] = ""            # plan file and clause
    summary: ClassVar[str] = ""           # one line: the mechanism
    pays: ClassVar[tuple[Charge, ...]] = ()   # what it costs the public purse (sim.costs)
    cost_note: ClassVar[str] = ""         # why a measure with no charges costs nothing

    def __init__(self, params: dict[str, Any]):
        self.params = dict(params)
        self.start = parse_month(f"policies.{self.name}", "start", self.params["start"]).index
        self.end = parse_month(f"policies.{self.name}", "end", self.params["end"]).index
        self.ramp = max(1, int(self.params.get("ramp_months", 1)))

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def intensity(self, month_index: int) -> float:
        """0 before start and after end, rising linearly to 1 over `ramp_months`."""
        if month_index < self.start or month_index > self.end:
            return 0.0
        return min(1.0, (month_index - self.start + 1) / self.ramp)

    def setup(self, model) -> None:
        """Add institutions once, before the first month (most policies add none)."""

    def apply(self, world, month_index: int) -> None:
        """Change this month's levers (reset to baseline before every month)."""


def register(cls: type[Policy]) -> type[Policy]:
    if cls.name in REGISTRY:
        raise ValueError(f"policy {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def per_month(yearly: float) -> float:
    return yearly / 12.0


PLAN_MONTHS = 60        # a five-year plan period (2016-20, 2021-25), in months


def per_month_of_plan(five_year_total: float) -> float:
    """A plan's five-year volume spread evenly over its 60 months."""
    return five_year_total / PLAN_MONTHS


class TrainingProgrammePolicy(Policy, ABC):
    """A named training programme: seats per month aimed at the parameter `sectors` (sector ids of
    the city file; jobseekers may join too; none = everyone), optionally only for rural residents,
    and optionally a little extra labour demand (`demand_growth` per year) in `demand_sectors`.
    Subclasses say how many seats a month their parameters give."""

    rural_only: ClassVar[bool] = False
    employed_only: ClassVar[bool] = False     # part-time courses for employees only (e.g. the UI subsidy)
    pays = (Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY),)

    @abstractmethod
    def seats_per_month(self) -> float:
        """Seats a month at full intensity, from the programme's parameters."""

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        sectors = list(self.params.get("sectors", [])) or None
        world.levers.targeted_seats[self.name] = SeatOffer(self.seats_per_month() * x, sectors, self.rural_only,
                                                           self.employed_only, int(self.params.get("min_skill", 0)))
        for sector in self.params.get("demand_sectors", []):
            world.levers.sector_demand[world.sector_index[sector]] += log1p(self["demand_growth"]) / 12 * x
