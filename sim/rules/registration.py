"""Registration at the public employment service (PES), the numerator of 城镇登记失业率.

Each month registrations age; those older than `registration.lapse_months` without renewal lapse,
and anyone who has left unemployment is taken off the register. Then each county centre registers
unemployed people of its catchment with the contact probability (urban: solved when the model is
built from the 2020 registered rate, `sim.calibration.pes_contact`; rural: from the data file),
times the place's `registration_mult` lever (township markets register those they serve).
Re-employment of the registered (再就业) and of the hard to employ (就业困难人员) is counted when a
registered urban unemployed person takes a job ([003] 专栏1), each person at most once a calendar
year (the real-name register counts persons, as for urban new employment).
"""

from __future__ import annotations

import numpy as np

from ..agents.agencies import PublicEmploymentService
from ..agents.workers import UNEMP


def register_jobseekers(model, rng) -> None:
    pop, d = model.pop, model.world.data
    reg = np.flatnonzero(pop.registered)
    pop.reg_m[reg] += 1
    lapsed = reg[(pop.reg_m[reg] >= d.get("registration.lapse_months")) | (pop.status[reg] != UNEMP)]
    pop.deregister(lapsed)
    for agency in model.world.agencies:
        if isinstance(agency, PublicEmploymentService) and agency.is_open(model.t):
            new = agency.register(rng, pop, model.calibrated["pes_contact_urban"],
                                  d.get("registration.pes_contact_rural"), model.world.levers.registration_mult)
            pop.count_event("registrations", new.size)


def count_reemployment(model, rows: np.ndarray) -> None:
    """Registered urban unemployed among `rows` taking a job, and those of them who are hard to employ:
    persons, each at most once a calendar year, as the real-name record counts them."""
    pop, d = model.pop, model.world.data
    year = model.month.year
    reg = rows[(pop.status[rows] == UNEMP) & pop.registered[rows] & pop.urban[rows]]
    reg = reg[pop.reemployed_year[reg] != year]
    pop.reemployed_year[reg] = year
    age_limit = np.where(pop.female[reg], d.get("registration.hard_to_employ_age_female"),
                         d.get("registration.hard_to_employ_age_male")) * 12
    hard = (pop.age_m[reg] >= age_limit) | (pop.status_m[reg] >= d.get("registration.hard_to_employ_months"))
    pop.count_event("reemployed_registered", reg.size)
    pop.count_event("reemployed_hard_to_employ", hard.sum())
