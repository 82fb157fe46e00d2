"""Ageing, death, retirement, and the cohort reaching working age.

Everyone ages a month. Deaths follow Gompertz mortality (`demography.mortality_at_40`,
`mortality_growth`). People leave the labour force at the statutory retirement age if they hold an
urban job or live in a town (60 men, 50/55 women), otherwise at the rural exit age (the data file's
`demography.*`). Each year in `schooling.cohort_entry_month` (July) the cohort reaching the youngest
age band's lower age (16) enters: some leave school for work, some go on to
technical school, to college or to general upper secondary (the `schooling.share_*` of the data
file; technical-school measures raise the applicant share through a lever).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import (EDU_COLLEGE, EDU_JUNIOR, EDU_SENIOR, EMP_LOCAL, EXITED, PROGRAMME_COLLEGE, PROGRAMME_GENERAL,
                              INACTIVE, PROGRAMME_NONE, SCHOOL, UNEMP)
from ..synthesis import empty_columns
from .exit_age import exit_age_m
from .employment import leave_jobs
from .schooling import admit_to_technical_schools

COHORT_PATHS = ("work", "general_school", "technical_school", "college")   # the order of `cohort_paths`
COHORT_STREAMS = ("entrants", "admissions")   # the cohort phase's child streams each July


def monthly_death_probability(data, age_m: np.ndarray) -> np.ndarray:
    """Gompertz mortality, as a monthly probability; looked up by age in months (a small table)."""
    ages = np.arange(age_m.max(initial=0) + 1, dtype=np.int32)
    q = data.get("demography.mortality_at_40") * np.exp(data.get("demography.mortality_growth") * (ages / 12 - 40))
    return (1 - (1 - np.minimum(q, 1)) ** (1 / 12))[age_m]


def age_and_exit(model, rng) -> None:
    pop = model.pop
    alive = pop.status != EXITED
    pop.age_m += alive
    pop.status_m += alive
    pop.out_m += (pop.status == UNEMP) | (pop.status == INACTIVE)      # time out of work (not school)
    dies = alive & (rng.random(pop.n) < monthly_death_probability(model.world.data, pop.age_m))
    exit_labour_force(model, np.flatnonzero(dies), "death")
    retire(model)


def retire(model) -> None:
    """Those at or past their exit age leave the labour force (it depends on where they work: an urban
    job brings the statutory age)."""
    pop = model.pop
    exit_labour_force(model, np.flatnonzero((pop.status != EXITED) & (pop.age_m >= exit_age_m(model))), "retirement")


def exit_labour_force(model, rows: np.ndarray, reason: str) -> None:
    pop = model.pop
    _count_attrition(model, rows)
    leave_jobs(model, rows)
    pop.deregister(rows)
    pop.move(rows, EXITED, reason)


def _count_attrition(model, rows: np.ndarray) -> None:
    """Natural attrition of urban jobs (retirement, death), netted out of 城镇新增就业."""
    pop = model.pop
    emp = rows[pop.status[rows] == EMP_LOCAL]
    pop.count_event("urban_attrition", model.firms.urban[pop.firm[emp]].sum())


def enter_cohort(model, rng) -> None:
    """Once a year the cohort reaching working age enters: some to work, some to technical school, the rest to school."""
    w, d = model.world, model.world.data
    if model.month.month != d.get("schooling.cohort_entry_month"):
        return
    band = youngest_band(d)                # the cohort is one year of its ages
    persons = d.get("population.resident_2020") * d.get("population.working_age_share") * band["pop_share"]
    persons /= band["hi"] - band["lo"] + 1
    persons *= (1 + d.get("population.cohort_growth")) ** (model.month.year - w.base_year)
    # the entrants draw from a child stream and the schools' admissions from another, so the k-th
    # entrant of a year is the same person whatever the schools did (common random numbers, sim.effects)
    entry, admission = rng.spawn(len(COHORT_STREAMS))
    c = empty_columns(int(entry.poisson(persons / w.scale)))
    n = c["age_m"].size
    c["age_m"][:] = band["lo"] * 12
    c["female"] = entry.random(n) < d.get("population.female_share")
    c["place"] = entry.choice(w.n_places, size=n, p=w.place_pop_share)
    c["urban"] = entry.random(n) < w.place_urban_share[c["place"]]
    path = entry.choice(len(COHORT_PATHS), size=n, p=cohort_paths(w))
    work, college = path == COHORT_PATHS.index("work"), path == COHORT_PATHS.index("college")
    c["edu"] = np.where(work, EDU_JUNIOR, np.where(college, EDU_COLLEGE, EDU_SENIOR))
    c["status"] = np.where(work, UNEMP, SCHOOL)
    c["programme"] = np.where(college, PROGRAMME_COLLEGE, np.where(work, PROGRAMME_NONE, PROGRAMME_GENERAL))
    c["school_left"] = np.where(college, d.get("schooling.college_months"), d.get("schooling.senior_secondary_months"))
    rows = model.pop.add(c, "cohort_entry")
    admit_to_technical_schools(model, admission, rows[path == COHORT_PATHS.index("technical_school")])


def youngest_band(data) -> dict:
    """The age band of the youngest residents (the population's lower age is its lower bound)."""
    return min(data.table("age_bands").values(), key=lambda band: band["lo"])


def cohort_paths(world) -> np.ndarray:
    """Shares of the cohort taking each of `COHORT_PATHS`."""
    d = world.data
    leave, tech, college = (d.get("schooling.share_leave_at_16"),
                            d.get("schooling.share_technical_school") + world.levers.tech_applicant_share,
                            d.get("schooling.share_college"))
    general = max(0.0, 1 - leave - tech - college)
    p = np.array([leave, general, tech, college])
    return p / p.sum()
