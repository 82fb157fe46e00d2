"""The Shanwei labour-market model: one `step()` is one month.

Residents aged 16-64 (a vectorised population), firms by sector and place, HR service agencies and
training providers act each month in the order of `PHASES` (DESIGN §3): each phase is a rule of
`sim.rules`, a plain function `(model, rng)`. Every status change goes through
`WorkerPopulation.move`, so each month's flows are on record and the accounting identity can be
checked.

All randomness comes from the seeded numpy generator Mesa keeps (`self.rng`): it builds the city,
then spawns one child stream per phase, so a measure that changes what one phase draws leaves the
other phases' draws in place (common random numbers). Mesa also keeps the clock: `self.steps`
counts the months begun, and `t` is the current month's index (0 = January of the first year).
"""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from . import calibration, costs, indicators, policies
from .agents.agencies import OnlineMarket, PublicEmploymentService
from .agents.firms import build_firms
from .agents.schools import TechnicalSchool, TrainingProgramme
from .calendar import Month
from .inputs import city_data
from .params import CityData
from .rules import (certification, demand, demography, levers, matching, outside, programmes, registration,
                    schooling, separations, settlement, titles, training, wages)
from .scenario import Scenario
from .spin_up import spin_up
from .synthesis import build_population, place_registered
from .world import World

Rule = Callable[["LabourMarketModel", np.random.Generator], None]

PHASES: tuple[tuple[str, Rule], ...] = (
    ("policies", levers.apply_policies),           # the measures set this month's levers
    ("wages", wages.set_wages),                    # offers revised from last month's hiring; January: pay indexed
    ("demography", demography.age_and_exit),       # age, retire, die
    ("cohort", demography.enter_cohort),           # July: the cohort turning 16 enters
    ("schooling", schooling.progress_schooling),   # dropout, graduation, courses finished
    ("demand", demand.plan_demand),                # firms move their target employment
    ("separations", separations.separate),         # quits and layoffs
    ("outside_returns", outside.return_from_outside),
    ("training", training.train),                  # subsidised training seats filled
    ("programmes", programmes.run_programmes),     # what the measures fund: order training, posts ...
    ("certification", certification.certify_at_work),
    ("titles", titles.progress_titles),
    ("registration", registration.register_jobseekers),
    ("matching", matching.search_and_match),       # search, offers, hires, moves to the outside market
    ("settlement", settlement.settle),             # rural residents with urban jobs settle (hukou reform; idle at baseline)
)


class LabourMarketModel(mesa.Model):
    phases: tuple[tuple[str, Rule], ...] = PHASES   # run in this order each month (a subclass may change them)

    def __init__(self, scenario: Scenario, seed: int | None = None, data: CityData | None = None):
        """`data`: the scenario's city data as `sim.inputs.city_data` gives it (built from the scenario if None)."""
        super().__init__(rng=scenario.seed if seed is None else seed)
        if data is None:
            data = city_data(scenario)
        self.scenario = scenario
        self.world = World(data, scenario.scale, scenario.shocks, int(data.meta["base_year"]))
        self.n_steps = scenario.end.index - self.world.start.index + 1
        self.month: Month = self.world.start
        self._build_institutions()
        self.pop = build_population(self.world, self.rng)
        self.firms = build_firms(self.world, self.rng, self.pop)
        place_registered(self.world, self.rng, self.pop, int(indicators.rate_denominator(self.pop, self.firms).sum()))
        self._calibrate()
        self.streams = dict(zip([name for name, _ in PHASES], self.rng.spawn(len(PHASES)), strict=True))
        self.clock: int | None = None      # set while the spin-up holds the calendar at the start
        spin_up(self)                      # before any measure exists: the same for every scenario
        self.policies = policies.build(scenario.policies, data)
        for policy in self.policies:
            policy.setup(self)
        self.monthly: list[dict] = []
        self.cost_lines: list[dict] = []   # month, measure, item, quantity, cost (sim.costs)
        open_posts = np.maximum(0.0, self.firms.target - self.firms.headcount).sum()
        self.initial = indicators.measure(self, flows={}, events={"vacancies": open_posts})
        self.county_stocks = {self.world.base_year: indicators.by_county(self)}   # year -> indicator -> by county

    @property
    def t(self) -> int:
        """Index of the current month (within `step`; after it, of the month just run), 0 = the first;
        0 during the spin-up (`sim.spin_up`)."""
        return self.steps - 1 if self.clock is None else self.clock

    # -- construction ----------------------------------------------------------------------------
    def _build_institutions(self) -> None:
        w, d = self.world, self.world.data
        for row, s in enumerate(d.table("technical_schools").values()):
            w.schools.append(TechnicalSchool(self, row, s["name_zh"], w.place_ids.index(s["place"]),
                                             s["capacity"], s["students_2020"], s["advanced_share"]))
        scale_students = d.get("schools.students_2020_total") / max(1, sum(s.students for s in w.schools))
        for s in w.schools:          # the table splits the seed total; keep the total exact
            s.students *= scale_students
        for c, county in enumerate(w.county_names):
            seat = int(np.flatnonzero(w.place_county == c)[0])
            w.agencies.append(PublicEmploymentService(self, f"PES {county}", seat, [c], d.get("matching.pes_applications"),
                                                      capacity=d.get("matching.pes_capacity_per_office")))
        w.agencies.append(OnlineMarket(self, d.get("matching.online_market_name"), 0, d.get("matching.online_applications"),
                                       d.get("matching.online_use_young_college"), d.get("matching.online_use_decay")))
        self.training = TrainingProgramme(self, d.get("training.course_months"), d.get("training.pass_rate"),
                                          d.get("training.unemployed_share"))

    def _calibrate(self) -> None:
        self.calibrated = calibration.certification_hazards(self.world, self.pop)
        self.calibrated["title_entry_per_month"] = calibration.title_entry_hazard(
            self.world, self.pop, demography.exit_age_m(self))
        self.calibrated["pes_contact_urban"] = self.world.data.get("registration.pes_contact_urban")   # fitted (sim/smm.py)
        self.calibrated["ui_insured_share"] = calibration.ui_insured_share(self.world, self.pop)

    # -- the month ---------------------------------------------------------------------------------
    def step(self) -> None:
        """One month (Mesa has counted it in `steps`): each phase draws from its own random stream."""
        self.month = self.world.month(self.t)
        for name, rule in self.phases:
            rule(self, self.streams[name])
        self.record()

    def run(self) -> None:
        for _ in range(self.n_steps):
            self.step()

    def record(self) -> None:
        """The month's indicators (`monthly`); at a year's last recorded month also the per-county ones
        (`county_stocks`, `indicators.by_county`)."""
        flows, events = self.pop.reset_month()
        lines = costs.month_costs(self, events)
        self.cost_lines += [{"month": str(self.month), **line} for line in lines]
        events["public_cost"] = sum(line["cost"] for line in lines)
        row = indicators.measure(self, flows, events)
        row["month"] = str(self.month)
        self.monthly.append(row)
        self.last_flows, self.last_events = flows, events
        if self.month.month == 12 or self.t == self.n_steps - 1:     # the month the annual table's stocks are from
            self.county_stocks[self.month.year] = indicators.by_county(self)
