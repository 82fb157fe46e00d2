"""Search and matching: who searches this month, the posts on offer, and who takes which job.

Seekers are the unemployed, inactive people drawn into search (`matching.inactive_search`, more
where a township market is open) and on-the-job searchers (`matching.on_the_job_search`); the
unemployed of six months or more give up at `matching.discouragement` and leave the labour force.
Firms post their openings (`FirmPopulation.post_vacancies`); each seeker's contact rates come from
the channels they can reach (informal contacts and the agencies, `sim.agents.agencies`); the
reservation wage starts near previous pay and falls with duration; it never goes below the minimum
wage nor below the value of the outside option (a share of the net outside wage, for the mobile,
higher when the outside market hires more: `sim.rules.outside.option_value`); the employed want a
premium to switch. `sim.matching.match` runs the application and offer
rounds (its docstring has the conflict rule). A seeker who also holds a better Shenzhen offer
(`sim.rules.outside`) goes there instead.
"""

from __future__ import annotations

import numpy as np

from ..agents.agencies import TownshipMarket
from ..agents.workers import EMP_LOCAL, INACTIVE, UNEMP
from ..matching import INFORMAL, N_CHANNELS, ONLINE, PES, PRIVATE, TOWNSHIP, Seekers, match
from . import outside
from .demography import exit_age_m
from .exit_age import statutory_age_m
from .employment import hire


def search_and_match(model, rng) -> None:
    match_seekers(model, rng, find_seekers(model, rng))


def search_and_match_locally(model, rng) -> None:
    """The matching phase without outside-market offers (the spin-up; the plain-Mesa reference's rules)."""
    match_seekers(model, rng, find_seekers(model, rng), outside_offers=None)


def find_seekers(model, rng) -> np.ndarray:
    """Rows searching this month (after the long-term unemployed who give up have left)."""
    pop, d = model.pop, model.world.data
    pop.searching[:] = False
    stop = d.get("matching.inactive_search_stop_months")
    inactive = np.flatnonzero((pop.status == INACTIVE) & (pop.age_m < exit_age_m(model) - stop))
    p_search = d.get("matching.inactive_search") * model.world.levers.inactive_search_mult[pop.place[inactive]]
    pop.searching[inactive[rng.random(inactive.size) < p_search]] = True
    emp = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.service_left == 0))
    pop.searching[emp[rng.random(emp.size) < d.get("matching.on_the_job_search")]] = True
    unemp = pop.status == UNEMP
    long_term = unemp & (pop.status_m >= d.get("matching.discouragement_months"))
    discouraged = np.flatnonzero(long_term & (rng.random(pop.n) < d.get("matching.discouragement")))
    pop.deregister(discouraged)
    pop.move(discouraged, INACTIVE, "discouraged")
    return np.flatnonzero((pop.status == UNEMP) | pop.searching)


def match_seekers(model, rng, rows: np.ndarray, outside_offers=outside.offers) -> None:
    """Match seekers `rows` with this month's posts; those with a better outside offer take it instead.

    `outside_offers(model, rng, seekers)` gives the positions holding an outside offer and its net
    value (None: no outside market)."""
    pop, w = model.pop, model.world
    vac = model.firms.post_vacancies(rng, model.month, township_places(model), w.levers.private_vacancy_share)
    seekers = seeker_arrays(model, rows)
    commute, cap = w.data.get("matching.commute_cost_per_km"), w.data.get("matching.commute_cost_cap")

    def net_wage(s, v):
        gross = model.firms.wage_offer(vac.firm[v], seekers.skill[s], model.t)
        return gross * (1 - np.minimum(cap, commute * w.distance_km[seekers.place[s], vac.place[v]]))

    m = match(rng, seekers, vac, net_wage, matching_params(w.data))
    to_outside = np.empty(0, np.int64)
    if outside_offers is not None:
        out_rows, out_net = outside_offers(model, rng, seekers)
        local_best = np.full(rows.size, -np.inf)
        local_best[m.seeker] = m.net_wage
        to_outside = out_rows[(out_net > local_best[out_rows]) & (out_net >= seekers.reservation[out_rows])]
    keep = ~np.isin(m.seeker, to_outside)
    hire(model, rows[m.seeker[keep]], vac.firm[m.vacancy[keep]], m.channel[keep])
    model.firms.record_hiring(vac.firm, vac.firm[m.vacancy[keep]], m.suitable_per_post)
    outside.move_outside(model, rows[to_outside])
    pop.count_event("vacancies", len(vac))
    pop.count_event("posts_filled", keep.sum())
    pop.count_event("offered_wage_sum", model.firms.wage_offer(vac.firm, vac.required, model.t).sum())
    pop.count_event("applications", m.applications)
    pop.count_event("seekers", rows.size)
    count_pes_market(model, vac, rows)


def count_pes_market(model, vac, rows: np.ndarray) -> None:
    """The PES side of the month's market (its 求人倍率): posts listed on the PES, and registered seekers;
    the same for posts asking for a certificate and registered seekers holding one."""
    pop = model.pop
    registered = rows[pop.registered[rows]]
    pop.count_event("pes_posts", vac.on_pes.sum())
    pop.count_event("pes_certified_posts", (vac.on_pes & (vac.required > 0)).sum())
    pop.count_event("pes_seekers", registered.size)
    pop.count_event("pes_certified_seekers", (pop.skill[registered] > 0).sum())


def township_places(model) -> np.ndarray:
    """Places inside the catchment of an open township HR market (their firms list posts there)."""
    markets = [a for a in model.world.agencies if isinstance(a, TownshipMarket) and a.is_open(model.t)]
    return np.unique(np.concatenate([a.places for a in markets])) if markets else np.empty(0, int)


def seeker_arrays(model, rows: np.ndarray) -> Seekers:
    """What the matching round needs to know of each seeker: place, skill, duration, reservation wage, rates."""
    pop, d, w = model.pop, model.world.data, model.world
    county = w.place_county[pop.place[rows]]
    rates = np.zeros((rows.size, N_CHANNELS))
    rates[:, INFORMAL] = d.get("matching.informal_applications")
    for agency in w.agencies:
        rates[:, agency.channel] += agency.contact_rates(pop, rows, model.t)
    rates[:, PES] *= w.levers.pes_rate_mult
    employed = pop.status[rows] == EMP_LOCAL
    rates[employed] *= d.get("matching.on_the_job_intensity")       # the employed search less ...
    efficiency = np.where(employed, d.get("matching.on_the_job_efficiency"), 1.0)   # ... but apply better
    min_wage = w.minimum_wage(model.t)
    searching_m = np.where(pop.ui_left[rows] > 0, 0, pop.status_m[rows])     # benefits hold it up while they last
    ratio = np.maximum(0.0, d.get("matching.reservation_start") - d.get("matching.reservation_decay") * searching_m)
    reservation = np.maximum.reduce([np.full(rows.size, min_wage), ratio * pop.wage[rows],
                                     outside.option_value(model, rows, pop.skill[rows])])
    reservation[employed] = pop.wage[rows][employed] * (1 + d.get("matching.switch_premium"))
    return Seekers(rows, pop.place[rows], county, pop.skill[rows], pop.out_m[rows], reservation, rates, efficiency,
                   pop.age_m[rows], statutory_age_m(model, rows))


def matching_params(d) -> dict:
    """Parameters of `sim.matching.match`: each channel's reach (own place, own county, city), ranking."""
    return {"reach": {INFORMAL: d.get("matching.informal_reach_own_place"), PES: d.get("matching.pes_reach"),
                      ONLINE: d.get("matching.online_reach"), TOWNSHIP: d.get("matching.township_reach"),
                      PRIVATE: d.get("matching.private_reach")},
            "max_applications": d.get("matching.max_applications"),
            "offer_rounds": int(d.get("matching.offer_rounds")),
            "suitability": d.get("matching.suitability"),
            "screening_noise": d.get("matching.screening_noise"), "skill_weight": d.get("matching.skill_weight"),
            "duration_penalty": d.get("matching.duration_penalty")}
