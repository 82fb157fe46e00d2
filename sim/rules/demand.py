"""Labour demand: firms close and are replaced, then move their plans (desired employment).

Closures (`FirmPopulation.closing`): each firm closes with the annual hazard of its age band
(`firm_exit_hazard`: low in the founding years, highest at ages 3-7, lower after; the SAIC 2013
survival report) times that of its size class (`firm_exit_size`: small firms close more often),
as a monthly chance; key enterprises do not close. Its staff are laid off (reason `closures`: some
leave the labour force, the others look for work, as after any separation) and pending order
trainees lose their placement. A new firm of the same sector opens in the same town with the closed
one's plan and no staff, so closures reallocate jobs (and their workers) without moving
a sector's demand; its offers start at the sector's going rate.

Then each firm's plan (desired employment) moves (`FirmPopulation.plan_demand`): the sector's trend,
an idiosyncratic shock (`firms.demand_noise`), the scenario's demand and automation shocks and the
measures' sector demand lever (a log random walk, DESIGN §3 "Firms"); wage costs move plans in
`sim.rules.wages`. What it recruits for, its target, is the plan less the openings it gives
up while its posts stay unfilled (`firms.vacancy_withdrawal`, calibrated; `recruit_for`): they come
back once it fills its posts, so unfilled demand shocks are not written off.
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL
from .separations import end_jobs


def plan_demand(model, rng) -> None:
    turn_over_firms(model, rng)
    model.firms.plan_demand(rng, model.month, model.t)


def hold_demand(model, rng) -> None:
    """The spin-up's demand phase (`sim.spin_up`): closures, replacements and firms' own shocks, no sector trend."""
    turn_over_firms(model, rng)
    model.firms.plan_demand(rng, model.month, model.t, trend=False)


def turn_over_firms(model, rng) -> None:
    """This month's closures, and the firms that replace them."""
    pop, firms = model.pop, model.firms
    closed = firms.closing(rng, model.t)
    if closed.size == 0:
        return
    targets = firms.plan[closed].copy()
    staff = np.flatnonzero((pop.status == EMP_LOCAL) & np.isin(pop.firm, closed))
    end_jobs(model, rng.spawn(1)[0], staff, "closures", involuntary=True)    # a child stream: the firm-side draws stay put
    pop.order_firm[np.isin(pop.order_firm, closed)] = -1
    firms.close(closed)
    firms.add_firms(firms.sector[closed], firms.place[closed], np.zeros(closed.size), targets, rng,
                    born=model.t, represents=firms.represents[closed])
    pop.count_event("firm_exits", firms.represents[closed].sum())
    pop.count_event("firm_entries", firms.represents[closed].sum())
