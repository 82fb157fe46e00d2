"""HR service agencies: they create contacts between seekers and vacancies; they never hire.

At baseline Shanwei has a public employment service (PES) centre in each county-level unit and the
online HR market ("汕尾在线人力资源市场", over 200,000 users in 2020, [003] 第一章第一节). Measures add
township/central-town HR markets ([000] 二、(一)2) and private agencies in the HR service industrial
park. Each agency is a Mesa agent with a place, a catchment, a channel, a contact rate, a capacity
(contacts per month; demand beyond it is rationed) and an opening month; its matching quality is
the channel's screening noise in `sim.matching`. The PES also keeps the register of jobseekers:
contact with it is what makes a person *registered* unemployed, the numerator of 城镇登记失业率.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..matching import ONLINE, PES, PRIVATE, TOWNSHIP
from .workers import EDU_COLLEGE, EMP_LOCAL, UNEMP


class Agency(mesa.Agent):
    """An agency serving seekers whose county is in `catchment` (None = the whole city)."""

    channel = PES

    def __init__(self, model, name: str, place: int, catchment, rate: float, opens: int = 0,
                 capacity: float | None = None):
        super().__init__(model)
        self.name, self.place, self.catchment, self.rate, self.opens = name, place, catchment, rate, opens
        self.capacity = capacity      # contacts per month, persons; None = not binding

    def is_open(self, step: int) -> bool:
        return step >= self.opens

    def reaches(self, pop, rows: np.ndarray) -> np.ndarray:
        if self.catchment is None:
            return np.ones(rows.size, dtype=bool)
        world = self.model.world
        served = np.zeros(len(world.county_names), dtype=bool)     # county -> in the catchment
        served[self.catchment] = True
        return served[world.place_county[pop.place[rows]]]

    def eligible(self, pop, rows: np.ndarray) -> np.ndarray:
        return pop.registered[rows]

    def capacity_now(self) -> float | None:
        """Contacts the agency can handle this month (None: not binding)."""
        return self.capacity

    def ration(self, rates: np.ndarray) -> np.ndarray:
        """Scale contact rates down when the seekers' demand exceeds the agency's capacity."""
        capacity = self.capacity_now()
        if capacity is None:
            return rates
        demand = rates.sum() * self.model.world.scale
        return rates * min(1.0, capacity / demand) if demand > 0 else rates

    def contact_rates(self, pop, rows: np.ndarray, step: int) -> np.ndarray:
        """Applications per month this agency gives each seeker in `rows`."""
        if not self.is_open(step):
            return np.zeros(rows.size)
        return self.ration(np.where(self.reaches(pop, rows) & self.eligible(pop, rows), self.rate, 0.0))


class PublicEmploymentService(Agency):
    """County PES centre: referrals for registered jobseekers, and the register itself."""

    def capacity_now(self) -> float | None:
        """The office's capacity times what the measures give the PES (`Levers.pes_capacity_mult`)."""
        return None if self.capacity is None else self.capacity * self.model.world.levers.pes_capacity_mult

    def register(self, rng, pop, p_urban: float, p_rural: float, place_mult: np.ndarray, motive) -> np.ndarray:
        """Unemployed people in the catchment contact the centre and register, the more the more registering
        brings them (`motive(rows)`: a multiplier, `sim.rules.registration.motive`); returns new rows."""
        cand = np.flatnonzero((pop.status == UNEMP) & ~pop.registered)
        cand = cand[self.reaches(pop, cand)]
        base = np.where(pop.urban[cand], p_urban, p_rural) * place_mult[pop.place[cand]]
        p = np.minimum(1.0, base * motive(cand))
        new = cand[rng.random(cand.size) < p]
        pop.registered[new] = True
        pop.reg_m[new] = 0
        pop.reg_total[new] = 0
        return new


class OnlineMarket(Agency):
    """The city's online HR market: city-wide reach for those who use it (expected use by age, education)."""

    channel = ONLINE

    def __init__(self, model, name, place, rate, use_young_college, decay, opens=0):
        super().__init__(model, name, place, None, rate, opens)
        self.use_young_college, self.decay = use_young_college, decay

    def contact_rates(self, pop, rows, step):
        if not self.is_open(step):
            return np.zeros(rows.size)
        levers, d = self.model.world.levers, self.model.world.data
        age_steps = np.maximum(0, (pop.age_m[rows] / 12 - d.get("matching.online_use_age_from"))
                               / d.get("matching.online_use_age_step"))
        edu_steps = EDU_COLLEGE - pop.edu[rows]
        use = np.minimum(1.0, self.use_young_college * self.decay ** (age_steps + edu_steps) + levers.online_use_add)
        return self.rate * use * levers.online_rate_mult


class TownshipMarket(Agency):
    """A central-town HR market ("1+9", [000] 二、(一)2): job fairs for seekers living nearby.

    Its catchment is the set of places within `radius_km`; its capacity is job fairs per month times
    attendance. It lists the vacancies of firms in its catchment (vacancies flagged `township`).
    """

    channel = TOWNSHIP

    def __init__(self, model, name, place, places, rate, opens, capacity):
        super().__init__(model, name, place, None, rate, opens, capacity)
        self.places = np.asarray(places)

    def reaches(self, pop, rows):
        served = np.zeros(self.model.world.n_places, dtype=bool)   # place -> in the catchment
        served[self.places] = True
        return served[pop.place[rows]]

    def eligible(self, pop, rows):
        return np.ones(rows.size, dtype=bool)


class PrivateAgency(Agency):
    """Private agencies of the HR service industrial park: city-wide, better screening, serving
    jobseekers out of work (people in jobs change jobs through their own contacts and online)."""

    channel = PRIVATE

    def eligible(self, pop, rows):
        return pop.status[rows] != EMP_LOCAL
