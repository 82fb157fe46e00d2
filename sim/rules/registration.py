"""Registration at the public employment service (PES), the numerator of 城镇登记失业率.

Who registers (a choice: registering costs a visit and brings something; docs/registration_evidence.md):
an unemployed person in a county centre's catchment registers in a month with the centre's contact
probability (`registration.pes_contact_urban`, fitted by `sim calibrate` to the 2020 registered
rate with the other moments; rural: `registration.pes_contact_rural`) times the place's `registration_mult`
lever (township markets register those they serve) times what registration brings (`motive`):
unemployment insurance, which is paid only to the registered (《广东省失业保险条例》 第十五条:
contributions for a year, an involuntary separation, registration; `registration.ui_gain`), and
assistance for the hard to employ, open to women from 40 and men from 50 (粤人社规〔2023〕11号;
`registration.assistance_gain`), and help that matters more the longer the search has lasted (months
out of work, up to a year: `registration.duration_gain`). UI entitlement (`ui_left`) comes with an involuntary separation
from an insured urban job (`grant_insurance`) and runs down while unemployed.

Keeping the registration: each month a registered person is in touch with the centre if they draw
UI or are certified hard to employ (both report monthly), otherwise with `registration.contact_rate`;
a registration is cancelled after `registration.lapse_months` (6) months in a row without contact
(《就业服务与就业管理规定》: 连续6个月未与公共就业服务机构联系的) and when the person leaves
unemployment (hired, self-employed, school, pension, moves away: the other cancellation grounds).

Certified hard to employ (就业困难人员认定): a registered person who meets the age rule on
registering, or who has been registered for `registration.hard_to_employ_months` (12) in a row
(连续失业1年以上: counted from the last registration), is certified with probability
`registration.hard_to_employ_recognition` (those who apply; the other categories of the rule -
disability, subsistence allowance, zero-employment households - are not modelled).

Re-employment of the registered (再就业) and of the hard to employ (就业困难人员) is counted when a
registered urban unemployed person takes a job ([003] 专栏1), each person at most once a calendar
year (the real-name register counts persons, as for urban new employment); the hard to employ are
those of them certified.
"""

from __future__ import annotations

import numpy as np

from ..agents.agencies import PublicEmploymentService
from ..agents.workers import UNEMP


def register_jobseekers(model, rng) -> None:
    pop, d = model.pop, model.world.data
    running = (pop.status == UNEMP) & (pop.ui_left > 0)
    pop.ui_left[running] -= 1
    keep_in_touch(model, rng)
    for agency in model.world.agencies:
        if isinstance(agency, PublicEmploymentService) and agency.is_open(model.t):
            new = agency.register(rng, pop, model.calibrated["pes_contact_urban"], d.get("registration.pes_contact_rural"),
                                  model.world.levers.registration_mult, lambda rows: motive(d, pop, rows))
            certify_hard_to_employ(model, rng, new[old_enough(d, pop, new)])
            pop.count_event("registrations", new.size)


def keep_in_touch(model, rng) -> None:
    """Registrations age; the registered report or not; cancelled after `lapse_months` without contact or
    on leaving unemployment; a year on the register brings certification as hard to employ."""
    pop, d = model.pop, model.world.data
    reg = np.flatnonzero(pop.registered)
    reports = (pop.ui_left[reg] > 0) | pop.recognised[reg] | (rng.random(reg.size) < d.get("registration.contact_rate"))
    pop.reg_m[reg] = np.where(reports, 0, pop.reg_m[reg] + 1)
    pop.reg_total[reg] += 1
    cancelled = (pop.reg_m[reg] >= d.get("registration.lapse_months")) | (pop.status[reg] != UNEMP)
    pop.deregister(reg[cancelled])
    reg = reg[~cancelled]
    certify_hard_to_employ(model, rng, reg[pop.reg_total[reg] == d.get("registration.hard_to_employ_months")])


def motive(d, pop, rows: np.ndarray) -> np.ndarray:
    """What registering brings, as a multiplier on the contact probability: UI (paid only to the registered),
    assistance for the hard to employ (by age), and help the longer the search has lasted (months out of
    work, up to a year: `registration.duration_gain`)."""
    ui = pop.ui_left[rows] > 0
    year = d.get("registration.hard_to_employ_months")
    longer = np.minimum(pop.out_m[rows], year) / year
    return ((1 + d.get("registration.ui_gain") * ui) * (1 + d.get("registration.assistance_gain") * old_enough(d, pop, rows))
            * (1 + d.get("registration.duration_gain") * longer))


def old_enough(d, pop, rows: np.ndarray) -> np.ndarray:
    """The age rule of the hard to employ ("4050": women from 40, men from 50)."""
    limit = np.where(pop.female[rows], d.get("registration.hard_to_employ_age_female"),
                     d.get("registration.hard_to_employ_age_male")) * 12
    return pop.age_m[rows] >= limit


def certify_hard_to_employ(model, rng, rows: np.ndarray) -> None:
    """Of the registered who meet a rule, those who apply are certified hard to employ."""
    pop = model.pop
    applied = rows[rng.random(rows.size) < model.world.data.get("registration.hard_to_employ_recognition")]
    pop.recognised[applied] = True


def grant_insurance(model, rng, rows: np.ndarray) -> None:
    """An involuntary separation from an insured urban job brings `registration.ui_months` of entitlement;
    the insured share of urban jobs is the 2020 count of the insured over urban employment (built)."""
    pop = model.pop
    urban_job = model.firms.urban_jobs(pop, rows)
    insured = rows[urban_job & (rng.random(rows.size) < model.calibrated["ui_insured_share"])]
    pop.ui_left[insured] = model.world.data.get("registration.ui_months")


def count_reemployment(model, rows: np.ndarray) -> None:
    """Registered urban unemployed among `rows` taking a job, and those of them certified hard to employ:
    persons, each at most once a calendar year, as the real-name record counts them."""
    pop = model.pop
    year = model.month.year
    reg = rows[(pop.status[rows] == UNEMP) & pop.registered[rows] & pop.urban[rows]]
    reg = reg[pop.reemployed_year[reg] != year]
    pop.reemployed_year[reg] = year
    pop.count_event("reemployed_registered", reg.size)
    pop.count_event("reemployed_hard_to_employ", pop.recognised[reg].sum())
