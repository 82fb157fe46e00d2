"""HR service industrial park and its private agencies ([000] 二、(一)2; [003] 第四章第四节 专栏4).

Mechanism: the park brings in private recruitment agencies (15 or more, 专栏4). They are one agency
in the model with capacity agencies x contacts per agency, growing with the park over `ramp_months`;
jobseekers out of work anywhere in the city use them, firms list a share of their vacancies with them, and they
screen applicants better than other channels (matching.screening_noise, private agency).
"""

from __future__ import annotations

from ..agents.agencies import PrivateAgency
from .base import Charge, Policy, register


@register
class HRIndustrialPark(Policy):
    name = "hr_industrial_park"
    source = "[000] 二、(一)2; [003] 第四章第四节 专栏4"
    summary = "private agencies: city-wide contacts, better screening, a share of vacancies listed"
    pays = (Charge("park_support", "active_years"),)

    def setup(self, model) -> None:
        w = model.world
        self.agency = PrivateAgency(model, self["agency_name"], w.place_ids.index(self["sites"][0]), None,
                                    self["contact_rate"], self.start - w.start.index, capacity=0.0)
        w.agencies.append(self.agency)

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        self.agency.capacity = self["agencies"] * self["contacts_per_agency"] * x
        world.levers.private_vacancy_share += self["vacancy_share"] * x
