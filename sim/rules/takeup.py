"""Who applies for a subsidised course: take-up as a choice (issue 15; docs/ODD.md §7.5).

Each month every eligible person (`TrainingProgramme.candidates`: jobseekers for full-time courses,
employees for part-time ones) hears of the courses with probability `training.takeup.jobseeker_reach`
(offered at the PES or a market) or `employee_reach`, times `programme_outreach` for those a named
programme recruiting that month may take (粤菜师傅, 南粤家政 ... recruit their groups), and then applies
if the course is worth it to them, with a logistic taste shock:

    P(apply) = reach x 1 / (1 + exp(-net / taste_scale))
    net = pass_rate x (wage gain x 12 x annuity(years to exit age, discount rate) + subsidy)
          - fee - months x wage x time-cost share

- the wage gain is what one more certified level pays (`firms.skill_wage_step` on the person's wage,
  the markets issue's skill premium); older people have fewer years to earn it;
- the fee is the directory standard of the course's level times `course_fee_markup`; the subsidy is
  that standard (paid on passing, 先垫付后补贴), times `Levers.advanced_subsidy_mult` at 高级工 and above
  (the +30% of the skills-upgrading measure in shortage occupations);
- the time cost is the share of a month's wage a course month costs: lost search for a jobseeker in a
  full-time course, effort for an employee in a part-time one.

Seats are a capacity: `train` fills them from the month's applicants, and seats nobody applied for stay
empty. The evidence for the sizes is thin (docs/costs_evidence.md E9, E15): the parameters are
assumptions with wide ranges.
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL, HIGH_SKILL
from .exit_age import exit_age_m


def annuity(years: np.ndarray, rate: float) -> np.ndarray:
    """Present value of 1 a year for `years` years at discount `rate` (years <= 0: 0)."""
    years = np.maximum(years, 0.0)
    return years if rate == 0 else (1 - (1 + rate) ** -years) / rate


def net_value(model, rows: np.ndarray) -> np.ndarray:
    """What a course one level up is worth to each of `rows` (yuan, module docstring)."""
    pop, d, lv = model.pop, model.world.data, model.world.levers
    step, level = d.get("firms.skill_wage_step"), np.minimum(pop.skill[rows] + 1, len(schedule(model)))
    wage = np.where(pop.wage[rows] > 0, pop.wage[rows], model.world.minimum_wage(model.t))
    gain = step * wage / (1 + step * pop.skill[rows])
    years = (exit_age_m(model, rows) - pop.age_m[rows]) / 12
    standard = schedule(model)[level - 1]
    subsidy = standard * np.where(level >= HIGH_SKILL, lv.advanced_subsidy_mult, 1.0)
    pass_rate = model.training.pass_rate
    benefit = pass_rate * (gain * 12 * annuity(years, d.get("training.takeup.discount_rate")) + subsidy)
    employed = pop.status[rows] == EMP_LOCAL
    share = np.where(employed, d.get("training.takeup.employed_time_cost"), d.get("training.takeup.jobseeker_time_cost"))
    cost = standard * d.get("training.takeup.course_fee_markup") + model.training.months * wage * share
    return benefit - cost


def schedule(model) -> np.ndarray:
    return np.asarray(model.world.data.get("costs.training.certificate_subsidy"), float)


def reach(model, rows: np.ndarray, courted: np.ndarray | None = None) -> np.ndarray:
    """The probability each of `rows` considers a course this month; `courted` (over the population):
    whom a named programme recruiting this month may take, whose reach its outreach multiplies."""
    d = model.world.data
    employed = model.pop.status[rows] == EMP_LOCAL
    r = np.where(employed, d.get("training.takeup.employee_reach"), d.get("training.takeup.jobseeker_reach"))
    if courted is not None:
        r = r * np.where(courted[rows], d.get("training.takeup.programme_outreach"), 1.0)
    return np.minimum(1.0, r)


def worth_it(model, rows: np.ndarray) -> np.ndarray:
    """The probability that a course is worth applying for, to each of `rows` (logistic in its net value)."""
    return 1 / (1 + np.exp(-net_value(model, rows) / model.world.data.get("training.takeup.taste_scale")))


def apply_probability(model, rows: np.ndarray, courted: np.ndarray | None = None) -> np.ndarray:
    """P(apply) of each of `rows`: reach x worth it."""
    return reach(model, rows, courted) * worth_it(model, rows)


def applicants(model, rng, rows: np.ndarray, courted: np.ndarray | None = None) -> np.ndarray:
    """Those of `rows` (ascending) who apply this month: who considers a course (reach), then whom it is
    worth it to (the same P(apply), with the value computed only for the few who consider one)."""
    if rows.size == 0:
        return rows
    considering = rows[rng.random(rows.size) < reach(model, rows, courted)]
    return considering[rng.random(considering.size) < worth_it(model, considering)]
