"""The world agents act in: places and distances, sectors, institutions, and the levers policies move.

`World` is built once from the city data file and the scenario. Agents read it; policies change it
(open an agency, add school places, fund training seats, lower a moving cost) through its levers,
never by touching indicators or stocks (DESIGN §3). Shocks from the scenario enter here as
time-varying demand shifts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .params import CityData
from .policies.base import per_month_of_plan
from .calendar import Month, parse_month
from .scenario import Shock

EARTH_KM_PER_DEGREE = 111.0
HORIZON_MONTHS = 12 * 40      # dated wage paths are tabulated this far from the start (beyond: held)


def growth_index(rows: dict, months: list[Month]) -> np.ndarray:
    """A level that is 1 in the first month and grows by each year's `growth` (a table with `year` and
    `growth` columns; years outside it take its nearest year's growth), one value per month."""
    growth = {int(r["year"]): r["growth"] for r in rows.values()}
    first, last = min(growth), max(growth)
    monthly = np.array([(1 + growth[min(max(m.year, first), last)]) ** (1 / 12) for m in months])
    return np.cumprod(monthly) / monthly[0]


def parse_effective(text: str, where: str) -> Month:
    """A `minimum_wage` row's effective month, "YYYY-MM"."""
    return parse_month(where, "minimum_wage.effective", str(text))


@dataclass
class Levers:
    """What policies may change, reset to these neutral values at the start of every month.

    Each field is a quantity of the world agents act in (seats, contact rates, costs, posts), never
    an indicator or a stock. Policies add to or multiply them in `Policy.apply`.
    """

    training_seats: float = 0.0                # the standing programme's subsidised seats per month (from data)
    upgrading_seats: float = 0.0               # seats the skills-upgrading measure adds per month
    advanced_training_share: float = 0.0       # share of upgrading seats aimed at 高级工 or above
    advanced_subsidy_mult: float = 1.0         # training subsidy at 高级工 and above, x the directory standard
    targeted_seats: dict = field(default_factory=dict)   # programme -> SeatOffer (sim.policies.base)
    certification_mult: float = 1.0            # workplace assessment everywhere
    key_certification_mult: float = 1.0        # in-house evaluation at key enterprises
    school_pass_add: float = 0.0               # 1+X: extra pass probability at school graduation
    vocational_certificate_share: float = 0.0  # 1+X: share of secondary-vocational leavers certified
    title_years_cut: float = 0.0               # years taken off title seniority requirements ...
    title_cut_service_months: int = 0          # ... for those employed in the city continuously this long
    title_promotion_mult: float = 1.0
    title_entry_mult: float = 1.0
    title_private_weight: float = 0.0          # titles opened to staff of private firms (extra eligibility weight)
    talent_inflow: float = 0.0                 # professionals recruited from outside, persons/month
    graduate_inflow: float = 0.0               # non-local graduates attracted, persons/month
    college_return_add: float = 0.0            # extra share of Shanwei graduates coming back
    settlement_rate: float = 0.0               # monthly rate rural residents with urban jobs settle (hukou)
    settlement_min_months: int = 0             # ... after this long in the job
    outside_contact_mult: float = 1.0         # information on Shenzhen jobs (shared platform)
    outside_cost_mult: float = 1.0            # cost of moving (pension portability lowers it)
    outside_return_mult: float = 1.0          # information on Shanwei jobs reaching Shenzhen workers
    online_rate_mult: float = 1.0              # reach of the online HR market
    online_use_add: float = 0.0                # extra share of seekers using it
    pes_rate_mult: float = 1.0                 # referral capacity of public employment services
    pes_capacity_mult: float = 1.0             # contacts a PES office can handle a month (staff, windows)
    private_vacancy_share: float = 0.0         # share of vacancies listed with private agencies
    welfare_posts: float = 0.0                 # public-welfare posts opened per month, persons
    startups_per_month: float = 0.0            # unemployed people starting firms, persons/month
    returnee_startup_rate: float = 0.0         # share of people returning from Shenzhen who start a firm
    startup_posts: float = 0.0                 # posts a new firm opens besides its founder
    tech_applicant_share: float = 0.0          # extra share of the cohort applying to technical schools
    tech_adult_rate: float = 0.0               # monthly rate a young jobseeker enrols; applied at the July intake as 12x
    order_seats: float = 0.0                   # order-based training seats per month, persons
    order_months: int = 6
    order_service_months: int = 24
    order_level: int = 2
    apprentices: float = 0.0                   # new apprentices at key enterprises per month
    grassroots_posts: float = 0.0              # 三支一扶 graduate posts per month
    grassroots_months: int = 24
    contest_winners: float = 0.0               # skills-competition winners promoted a level, persons/year
    sector_demand: np.ndarray | None = None    # extra log change of labour demand per month by sector
    inactive_search_mult: np.ndarray | None = None   # by place: idle labour drawn into search
    registration_mult: np.ndarray | None = None      # by place: contact with registering services
    layoffs_avoided_share: float = 0.0         # job retention: share of an urban firm's excess staff kept on this month
    title_skill_weight: float = 0.0            # skill-title crossing: extra title-entry weight of skilled workers ...
    title_skill_level: int = 0                 # ... at this skill level and above
    skill_diploma_education: tuple = ()        # skills as diplomas: the education each skill level counts as (by level)
    skill_diploma_weight: float = 0.0          # ... and the share of title evaluations that apply it
    skilled_inflow: float = 0.0                # technicians and senior technicians recruited from outside, persons/month
    training_service_months: int = 0           # retention clauses: service period signed on finishing a part-time course


class World:
    def __init__(self, data: CityData, scale: int, shocks: list[Shock], base_year: int):
        self.data, self.scale, self.shocks = data, scale, shocks
        self.base_year = base_year
        self.start = Month(base_year + 1, 1)
        self._places(data)
        self._sectors(data)
        self._wage_paths(data)
        self.levers = self.baseline_levers()
        self.schools: list = []      # TechnicalSchool agents, filled by the model
        self.agencies: list = []     # HR service agencies, filled by the model
        self.funder_names: list[str] = []   # programmes that pay for courses (`funder`), in order of first use

    def _places(self, d: CityData) -> None:
        rows = d.table("places")
        self.place_ids = list(rows)
        self.place_names = [r["name_zh"] for r in rows.values()]
        counties = sorted({r["county"] for r in rows.values()}, key=[r["county"] for r in rows.values()].index)
        self.county_names = counties
        self.place_county = np.array([counties.index(r["county"]) for r in rows.values()], dtype=np.int16)
        share = np.array([r["pop_share"] for r in rows.values()], dtype=float)
        self.place_pop_share = share / share.sum()
        self.place_urban_share = np.array([r["urban_share"] for r in rows.values()], dtype=float)
        self.place_central_town = np.array([bool(r["central_town"]) for r in rows.values()])
        lon = np.array([r["lon"] for r in rows.values()])
        lat = np.array([r["lat"] for r in rows.values()])
        dx = (lon[:, None] - lon[None, :]) * EARTH_KM_PER_DEGREE * np.cos(np.radians(lat.mean()))
        dy = (lat[:, None] - lat[None, :]) * EARTH_KM_PER_DEGREE
        self.distance_km = np.hypot(dx, dy)
        self.n_places = len(self.place_ids)

    def _sectors(self, d: CityData) -> None:
        rows = d.table("sectors")
        self.sector_ids = list(rows)
        self.sector_index = {s: i for i, s in enumerate(rows)}
        col = lambda c: np.array([r[c] for r in rows.values()], dtype=float)  # noqa: E731
        share = col("employment_share")
        self.sector_emp_share = share / share.sum()
        self.sector_urban = col("urban")
        self.sector_trend = col("trend")
        self.sector_wage = col("wage")
        self.sector_separation = col("separation_rate")
        self.sector_skill_intensity = col("skill_intensity")
        self.sector_cert_vacancy = col("certified_vacancy_share")
        self.sector_firm_size = col("firm_size")
        self.manufacturing = col("manufacturing").astype(bool)
        self.public_service = col("public_service").astype(bool)   # public-service employers' sector(s)

    def _wage_paths(self, d: CityData) -> None:
        """The minimum wage's dated steps (`minimum_wage` table: the city's tier), and the outside market's
        own nominal wage growth and demand growth by year (`outside_wage_growth`, `outside_demand_growth`),
        as monthly arrays from the start."""
        months = [self.month(t) for t in range(HORIZON_MONTHS)]
        steps = sorted(((parse_effective(r["effective"], d.where), r["monthly"]) for r in d.table("minimum_wage").values()),
                       key=lambda step: step[0].index)
        def level(m: Month) -> float:
            return next((v for start, v in reversed(steps) if start.index <= m.index), steps[0][1])
        base = level(Month(self.base_year, 12))    # wages are in base-year-end units (see `minimum_wage`)
        self._minimum = np.array([level(m) for m in months]) * d.get("labour_market.minimum_wage_2020") / base
        self._outside_index = growth_index(d.table("outside_wage_growth"), months)
        self._outside_demand = growth_index(d.table("outside_demand_growth"), months)

    def minimum_wage(self, step: int) -> float:
        """Monthly minimum wage in month `step`: the city's tier's dated standard, in the model's wage units
        (the base year's December standard is `labour_market.minimum_wage_2020`; in the normal run, 2020's
        own)."""
        return float(self._minimum[min(step, HORIZON_MONTHS - 1)])

    def in_public_service(self, sector: np.ndarray) -> np.ndarray:
        """Whether each sector index (-1: never employed) is a public-service sector."""
        return (sector >= 0) & self.public_service[np.maximum(sector, 0)]

    def baseline_levers(self) -> Levers:
        return Levers(training_seats=per_month_of_plan(self.data.get("training.subsidised_2016_2020")),
                      sector_demand=np.zeros(len(self.sector_ids)),
                      inactive_search_mult=np.ones(self.n_places), registration_mult=np.ones(self.n_places))

    def reset_levers(self) -> None:
        self.levers = self.baseline_levers()

    def funder(self, name: str) -> int:
        """The index of programme `name` in `funder_names` (added on first use): what a person's
        `funder` column holds while they take a course it pays for."""
        if name not in self.funder_names:
            self.funder_names.append(name)
        return self.funder_names.index(name)

    def places_within(self, place: int, km: float) -> np.ndarray:
        return np.flatnonzero(self.distance_km[place] <= km)

    # -- time ---------------------------------------------------------------------------------
    def month(self, step: int) -> Month:
        i = self.start.index + step
        return Month(i // 12, i % 12 + 1)

    def wage_index(self, step: int) -> float:
        return (1 + self.data.get("labour_market.wage_growth")) ** (step / 12)

    def outside_wage(self, step: int, skill):
        """Gross monthly wage of an outside-market job for `skill`: at the start, the city's
        employment-weighted sector wage with the skill step plus the outside premium; it then grows on
        the outside market's own path (`outside_wage_growth`), not with the city's wages (living costs
        not deducted)."""
        d = self.data
        mean_wage = (self.sector_wage * self.sector_emp_share).sum()
        gross = mean_wage * (1 + d.get("firms.skill_wage_step") * skill)
        return gross * (1 + d.get("outside_market.wage_premium")) * self._outside_index[min(step, HORIZON_MONTHS - 1)]

    # -- shocks -------------------------------------------------------------------------------
    def _shock_sectors(self, shock: Shock) -> np.ndarray:
        if shock.sectors is None:
            return np.ones(len(self.sector_ids), dtype=bool)
        return np.isin(self.sector_ids, shock.sectors)

    def demand_shift(self, month: Month) -> np.ndarray:
        """Log change of labour demand this month by sector from demand and automation shocks."""
        out = np.zeros(len(self.sector_ids))
        for s in self.shocks:
            if s.kind in ("demand", "automation") and s.start.index <= month.index <= s.end.index:
                months = s.end.index - s.start.index + 1
                mask = self._shock_sectors(s) & (self.manufacturing if s.kind == "automation" else True)
                out[mask] += np.log1p(s.size) / months
        return out

    def automation_level(self, month: Month) -> float:
        """Cumulative automation shock so far (raises the share of certified posts in manufacturing)."""
        total = 0.0
        for s in self.shocks:
            if s.kind == "automation" and month.index >= s.start.index:
                months = s.end.index - s.start.index + 1
                total += abs(s.size) * min(1.0, (month.index - s.start.index + 1) / months)
        return total

    def outside_demand(self, month: Month) -> float:
        """Multiplier on the outside market's hiring of the city's workers (1 at the start): its own path
        (`outside_demand_growth`) times the scenario's shocks of kind "outside"."""
        step = min(max(month.index - self.start.index, 0), HORIZON_MONTHS - 1)
        level = float(self._outside_demand[step])
        for s in self.shocks:
            if s.kind == "outside" and month.index >= s.start.index:
                months = s.end.index - s.start.index + 1
                if month.index <= s.end.index:
                    level *= 1 + s.size * (month.index - s.start.index + 1) / months
                else:
                    level *= 1 + s.size
        return max(level, 0.0)
