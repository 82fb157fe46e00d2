"""The outside labour market (Shenzhen for Shanwei, named in the city file's `meta.outside_market`):
offers to the city's seekers, moves there, and returns.

Seekers of mobile ages (`outside_market.age_range`) get outside contacts at
`outside_market.applications` a month, falling with age (halving every `mobility_age_scale` years
past `mobility_reference_age`), times the outside market's demand (scenario shocks of kind
"outside") and the cooperation measures' information lever; each contact turns into an offer with
a probability rising with skill. An offer pays the city's mean wage with the skill step, plus the
outside premium, minus living costs (`outside_market.*`; the pension-portability measure lowers the
cost). A seeker takes it if it beats both the best local offer and the reservation wage
(`sim.rules.matching`). People working outside come back at `outside_market.return_rate`, more in a
downturn; some returnees start firms (返乡创业, [003] 第四章第二节).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL, EMP_OUT, UNEMP
from ..matching import Seekers
from .employment import leave_jobs
from .programmes import startups


def return_from_outside(model, rng) -> None:
    pop, d, w = model.pop, model.world.data, model.world
    sz = np.flatnonzero(pop.status == EMP_OUT)
    demand = w.outside_demand(model.month)
    rate = d.get("outside_market.return_rate") * (1 + max(0.0, 1 - demand)) * w.levers.outside_return_mult
    back = sz[rng.random(sz.size) < rate]          # downturns push people home
    pop.move(back, UNEMP, "returns_from_outside")
    startups(model, rng, back, w.levers.returnee_startup_rate, "returnee_startups")


def offers(model, rng, seekers: Seekers) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in `seekers`) holding a Shenzhen offer, and that offer's net value."""
    d, w = model.world.data, model.world
    rate = d.get("outside_market.applications") * mobility(model, seekers.row) * w.levers.outside_contact_mult
    employed = model.pop.status[seekers.row] == EMP_LOCAL
    rate = np.where(employed, rate * d.get("matching.on_the_job_intensity"), rate)   # the employed search less
    contacts = rng.poisson(rate * w.outside_demand(model.month))
    skill_gain = 1 + d.get("outside_market.skill_offer_gain") * seekers.skill
    p_offer = np.minimum(1.0, d.get("outside_market.offer_probability") * skill_gain)
    offered = np.flatnonzero(rng.random(seekers.row.size) < 1 - (1 - p_offer) ** contacts)
    return offered, net_outside_wage(model, seekers.skill[offered])


def mobility(model, rows: np.ndarray) -> np.ndarray:
    """Propensity of `rows` to take outside jobs: 0 outside the mobile ages, 1 up to the reference age,
    halving every `mobility_age_scale` years past it."""
    d = model.world.data
    age = model.pop.age_m[rows] / 12
    lo, hi = d.get("outside_market.age_range")
    past_peak = np.maximum(0, age - d.get("outside_market.mobility_reference_age"))
    return ((age >= lo) & (age <= hi)) * 0.5 ** (past_peak / d.get("outside_market.mobility_age_scale"))


def net_outside_wage(model, skill: np.ndarray) -> np.ndarray:
    """An outside offer's value to a Shanwei worker of `skill`: its wage less living costs."""
    w = model.world
    cost = min(1.0, w.data.get("outside_market.living_cost_share") * w.levers.outside_cost_mult)
    return w.outside_wage(model.t, skill) * (1 - cost)


def option_value(model, rows: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """What the outside market adds to a seeker's reservation wage (`matching.outside_option_weight`):
    a share of the net outside wage, scaled by the seeker's mobility and the outside market's demand."""
    weight = model.world.data.get("matching.outside_option_weight") * model.world.outside_demand(model.month)
    return weight * mobility(model, rows) * net_outside_wage(model, skill)


def move_outside(model, rows: np.ndarray) -> None:
    pop = model.pop
    leave_jobs(model, rows)
    pop.deregister(rows)
    pop.sector[rows] = -1
    pop.out_m[rows] = 0
    pop.move(rows, EMP_OUT, "moves_outside")
