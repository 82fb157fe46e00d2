"""HR service agencies: they create contacts between seekers and vacancies; they never hire.

At baseline Shanwei has a public employment service (PES) centre in each county-level unit and the
online HR market ("汕尾在线人力资源市场", over 200,000 users in 2020, [003] 第一章第一节). Each agency
is a Mesa agent with a place, a catchment, a channel, a contact rate, a capacity (contacts per month;
demand beyond it is rationed) and an opening month; its matching quality is the channel's screening
noise in `sim.matching`. The PES
also keeps the register of jobseekers: contact with it is what makes a person *registered*
unemployed, the numerator of 城镇登记失业率 (DESIGN §3 "Indicators").
"""

from __future__ import annotations

import mesa
import numpy as np

from ..matching import ONLINE, PES
from .workers import UNEMP


class Agency(mesa.Agent):
    """An agency serving seekers in `catchment` (county indices; None = the whole city)."""

    channel = PES

    def __init__(self, model, name: str, place: int, catchment, rate: float, opens: int = 0,
                 capacity: float | None = None):
        super().__init__(model)
        self.name, self.place, self.catchment, self.rate, self.opens = name, place, catchment, rate, opens
        self.capacity = capacity      # contacts per month, persons; None = not binding

    def ration(self, rates: np.ndarray) -> np.ndarray:
        """Scale contact rates down when the seekers' demand exceeds the agency's capacity."""
        if self.capacity is None:
            return rates
        demand = rates.sum() * self.model.world.scale
        return rates * min(1.0, self.capacity / demand) if demand > 0 else rates

    def is_open(self, step: int) -> bool:
        return step >= self.opens

    def reaches(self, county: np.ndarray) -> np.ndarray:
        if self.catchment is None:
            return np.ones(county.size, dtype=bool)
        return np.isin(county, self.catchment)

    def contact_rates(self, pop, rows: np.ndarray, county: np.ndarray, step: int) -> np.ndarray:
        """Applications per month this agency gives each seeker in `rows`."""
        if not self.is_open(step):
            return np.zeros(rows.size)
        return self.ration(np.where(self.reaches(county) & pop.registered[rows], self.rate, 0.0))


class PublicEmploymentService(Agency):
    """County PES centre: referrals for registered jobseekers, and the register itself."""

    def register(self, rng, pop, county_of_row: np.ndarray, p_urban: float, p_rural: float) -> np.ndarray:
        """Unemployed people in the catchment contact the centre and register; returns new rows."""
        cand = np.flatnonzero((pop.status[:pop.n] == UNEMP) & ~pop.registered[:pop.n])
        cand = cand[self.reaches(county_of_row[cand])]
        p = np.where(pop.urban[cand], p_urban, p_rural)
        new = cand[rng.random(cand.size) < p]
        pop.registered[new] = True
        pop.reg_m[new] = 0
        return new


class OnlineMarket(Agency):
    """The city's online HR market: city-wide reach for those who use it."""

    channel = ONLINE

    def __init__(self, model, name, place, rate, use_young_college, decay, opens=0):
        super().__init__(model, name, place, None, rate, opens)
        self.use_young_college, self.decay = use_young_college, decay

    def contact_rates(self, pop, rows, county, step):
        if not self.is_open(step):
            return np.zeros(rows.size)
        age_steps = np.maximum(0, (pop.age_m[rows] / 12 - 35) / 10)
        edu_steps = 3 - pop.edu[rows]
        use = self.use_young_college * self.decay ** (age_steps + edu_steps)
        return self.rate * use * self.model.world.levers.online_rate_mult
