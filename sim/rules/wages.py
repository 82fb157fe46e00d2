"""Wages: firms set their offers from their hiring experience; incumbents' pay is indexed each January.

Wage posting (`FirmPopulation.adjust_offers`, parameters `wages.*`): every month a firm looks at how
its posts fared the month before. At a firm whose posts have stayed unfilled for months, posts lost
on pay (a suitable applicant took a better offer here or in the outside market, or found the offer
below their reservation wage) raise its offers in proportion to their share; a post nobody suitable
applied to raises nothing, since applications are not directed by wages. Filling every post with a
long queue of suitable applicants behind it lowers them, more slowly (wages of new hires are rigid
downward: Hazell and Taska 2020). Its plan (desired employment) moves against its own wage with the
own-wage elasticity of labour demand (`firms.demand_elasticity`; Hamermesh 1993, Lichter, Peichl and
Siegloch 2015). Offers
also carry the skill premium per certified level (`firms.skill_wage_step`), grow with nominal wage
growth (`labour_market.wage_growth`, `World.wage_index`) and never go below the minimum wage of the
city's tier (`World.minimum_wage`).

Incumbents keep the wage they were hired at; each January it is indexed with nominal wage growth.
A job-to-job move re-prices it at the new employer's offer, which the mover takes only if it beats
the current wage by the switch premium (`sim.rules.matching`).
"""

from __future__ import annotations

from ..agents.workers import EMP_LOCAL


def set_wages(model, rng) -> None:
    adjust_offers(model, rng)
    index_wages(model, rng)


def adjust_offers(model, rng) -> None:
    """Firms revise their offers from last month's hiring (nothing to learn from before the first month)."""
    if model.t > 0:
        model.firms.adjust_offers()


def index_wages(model, rng) -> None:
    if model.month.month != 1 or model.t == 0:
        return
    employed = model.pop.status == EMP_LOCAL
    model.pop.wage[employed] *= 1 + model.world.data.get("labour_market.wage_growth")
