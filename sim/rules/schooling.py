"""Schools: technical-school admission and graduation, general and college leavers.

Technical schools (技工院校, [003] 第七章第三节 and its project table) fill free places each July from
the cohort's applicants and young jobseekers, nearest first (`TechnicalSchool.enrol`). Each month
students drop out at `schools.dropout_rate`; at the end of a programme technical-school graduates
are certified at the programme's level with `schools.pass_rate` (1+X raises it through a lever) and
look for work; order-trained graduates who pass join the firm that ordered them under a service
period (订单式, [000] 二、(一)3); college graduates come back to Shanwei with
`schooling.college_return_share`, the others leave for good; full-time course takers finish their
course (`sim.rules.training`).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import (EXITED, INACTIVE, PROGRAMME_COLLEGE, PROGRAMME_COURSE, PROGRAMME_GENERAL, PROGRAMME_ORDER,
                              PROGRAMME_TECH, SCHOOL, UNEMP)
from .employment import hire
from .programmes import PLACEMENT
from .training import finish_courses, finish_part_time_courses


def admit_to_technical_schools(model, rng, cohort_applicants: np.ndarray) -> None:
    """Schools fill free places from the cohort's applicants and young jobseekers (near first)."""
    pop, d = model.pop, model.world.data
    young_age, adult_age = d.get("schools.young_applicant_max_age") * 12, d.get("schools.adult_applicant_max_age") * 12
    young = np.flatnonzero((pop.status == UNEMP) & (pop.age_m < young_age)
                           & (pop.skill <= d.get("schools.young_applicant_max_skill")))
    adults = np.flatnonzero(((pop.status == UNEMP) | ((pop.status == INACTIVE) & pop.searching))
                            & (pop.age_m >= young_age) & (pop.age_m < adult_age)
                            & (pop.skill <= d.get("schools.adult_applicant_max_skill")))
    young = np.concatenate([young, adults[rng.random(adults.size) < 12 * model.world.levers.tech_adult_rate]])
    applicants = np.concatenate([cohort_applicants, young])
    months = d.get("schools.programme_months")
    for school in model.world.schools:
        admitted = school.enrol(rng, pop, applicants, model.t, months)
        applicants = np.setdiff1d(applicants, admitted)
    rest = applicants[np.isin(applicants, cohort_applicants)]
    pop.programme[rest] = PROGRAMME_GENERAL   # no seat: general or vocational secondary instead


def progress_schooling(model, rng) -> None:
    pop, d = model.pop, model.world.data
    in_school = np.flatnonzero(pop.status == SCHOOL)
    tech = in_school[np.isin(pop.programme[in_school], (PROGRAMME_TECH, PROGRAMME_ORDER))]
    drop = tech[rng.random(tech.size) < d.get("schools.dropout_rate") / 12]
    pop.programme[drop] = 0
    pop.provider[drop] = -1
    pop.order_firm[drop] = -1
    pop.move(drop, UNEMP, "school_dropout")
    in_school = np.flatnonzero(pop.status == SCHOOL)
    pop.school_left[in_school] -= 1
    done = in_school[pop.school_left[in_school] <= 0]
    for programme, finish in ((PROGRAMME_GENERAL, leave_general), (PROGRAMME_TECH, graduate_tech),
                              (PROGRAMME_ORDER, graduate_order), (PROGRAMME_COLLEGE, graduate_college),
                              (PROGRAMME_COURSE, finish_courses)):
        finish(model, rng, done[pop.programme[done] == programme])
    finish_part_time_courses(model, rng)


def leave_general(model, rng, rows: np.ndarray) -> None:
    share = model.world.levers.vocational_certificate_share      # 1+X certificates in vocational schools
    if share > 0:
        certified = rows[rng.random(rows.size) < share]
        model.pop.certify(certified, np.ones(certified.size, np.int8), "school")
    model.pop.programme[rows] = 0
    model.pop.move(rows, UNEMP, "school_leavers")


def graduate_tech(model, rng, rows: np.ndarray) -> None:
    pop = model.pop
    p_pass = min(1.0, model.world.data.get("schools.pass_rate") + model.world.levers.school_pass_add)
    passed = rows[rng.random(rows.size) < p_pass]
    pop.certify(passed, pop.target_skill[passed], "school")
    pop.programme[rows] = 0
    pop.provider[rows] = -1
    pop.move(rows, UNEMP, "technical_school_graduates")


def graduate_order(model, rng, rows: np.ndarray) -> None:
    """Order-trained graduates who pass join the ordering firm under a service period."""
    pop, firms = model.pop, model.firms
    passed = rows[rng.random(rows.size) < model.world.data.get("schools.pass_rate")]
    pop.certify(passed, pop.target_skill[passed], "school")
    pop.programme[rows], pop.provider[rows] = 0, -1
    failed = np.setdiff1d(rows, passed)
    pop.order_firm[failed] = -1
    pop.move(failed, UNEMP, "order_training_failed")
    orphaned = passed[pop.order_firm[passed] < 0]              # the ordering firm closed meanwhile
    pop.move(orphaned, UNEMP, "order_firm_closed")
    passed = passed[pop.order_firm[passed] >= 0]
    firm = pop.order_firm[passed]
    joining = np.bincount(firm, minlength=firms.n)[firm]     # graduates joining each one's firm
    ordering, first = np.unique(firm, return_index=True)      # the ordering firms make room for their graduates
    firms.add_posts(ordering, np.maximum(0.0, firms.headcount[ordering] + joining[first] - firms.target[ordering]))
    hire(model, passed, firm, np.full(passed.size, PLACEMENT))
    pop.service_left[passed] = model.world.levers.order_service_months
    pop.order_firm[passed] = -1


def graduate_college(model, rng, rows: np.ndarray) -> None:
    pop = model.pop
    back = rng.random(rows.size) < min(1.0, model.world.data.get("schooling.college_return_share")
                                       + model.world.levers.college_return_add)
    pop.programme[rows] = 0
    pop.graduate[rows[back]] = True
    pop.move(rows[back], UNEMP, "college_graduates")
    pop.move(rows[~back], EXITED, "graduates_stay_away")
