"""Shenzhen as an outside labour market: offers to Shanwei seekers, moves there, and returns.

Seekers of mobile ages (`shenzhen.age_range`) get Shenzhen contacts at `shenzhen.applications` a
month, falling with age (halving every `shenzhen.mobility_age_scale` years past `mobility_reference_age`), times Shenzhen's
demand (scenario shocks) and the cooperation measures' information lever; each contact turns into
an offer with a probability rising with skill. An offer pays the city's mean wage with the skill
step, plus the Shenzhen premium, minus living costs (`shenzhen.*`; the pension-portability measure
lowers the cost). A seeker takes it if it beats both the best local offer and the reservation
wage (`sim.rules.matching`). People in Shenzhen come back at `shenzhen.return_rate`, more in a
downturn; some returnees start firms (返乡创业, [003] 第四章第二节).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_SZ, UNEMP
from ..matching import Seekers
from .employment import leave_jobs
from .programmes import startups


def return_from_shenzhen(model, rng) -> None:
    pop, d, w = model.pop, model.world.data, model.world
    sz = np.flatnonzero(pop.status == EMP_SZ)
    demand = w.shenzhen_demand(model.month)
    rate = d.get("shenzhen.return_rate") * (1 + max(0.0, 1 - demand)) * w.levers.shenzhen_return_mult
    back = sz[rng.random(sz.size) < rate]          # downturns push people home
    pop.move(back, UNEMP, "returns_from_shenzhen")
    startups(model, rng, back, w.levers.returnee_startup_rate, "returnee_startups")


def offers(model, rng, seekers: Seekers) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in `seekers`) holding a Shenzhen offer, and that offer's net value."""
    pop, d, w = model.pop, model.world.data, model.world
    age = pop.age_m[seekers.row] / 12
    lo, hi = d.get("shenzhen.age_range")
    mobile = (age >= lo) & (age <= hi)
    past_peak = np.maximum(0, age - d.get("shenzhen.mobility_reference_age"))
    propensity = 0.5 ** (past_peak / d.get("shenzhen.mobility_age_scale"))     # halves every scale years
    rate = d.get("shenzhen.applications") * propensity * w.shenzhen_demand(model.month) * w.levers.shenzhen_contact_mult
    contacts = rng.poisson(rate * mobile)
    p_offer = np.minimum(1.0, d.get("shenzhen.offer_probability") * (1 + d.get("shenzhen.skill_offer_gain") * seekers.skill))
    offered = np.flatnonzero(rng.random(seekers.row.size) < 1 - (1 - p_offer) ** contacts)
    mean_wage = (w.sector_wage * w.sector_emp_share).sum()
    gross = mean_wage * (1 + d.get("firms.skill_wage_step") * seekers.skill[offered]) * w.wage_index(model.t)
    cost = min(1.0, d.get("shenzhen.living_cost_share") * w.levers.shenzhen_cost_mult)
    return offered, gross * (1 + d.get("shenzhen.wage_premium")) * (1 - cost)


def move_to_shenzhen(model, rows: np.ndarray) -> None:
    pop = model.pop
    leave_jobs(model, rows)
    pop.deregister(rows)
    pop.sector[rows] = -1
    pop.move(rows, EMP_SZ, "moves_to_shenzhen")
