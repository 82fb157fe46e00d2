"""Agent behaviour that the plans' measures make possible, idle at baseline (every lever at zero).

Each function is one month of one programme, run by `run_programmes` in the model's "programmes"
phase with the phase's own random stream. Everyone a programme takes in carries it in `funder` (who
pays for their course, post or start-up), so its participants can be followed (sim.effects). Policies
only set the levers (seats, posts, rates); who takes part, who drops out, who is placed where is
decided here, by the agents' rules:

- order-based training (订单式, [000] 二、(一)3; [003] 第七章第三节): firms with open posts order
  trainees from a technical school; the school fills the seats from young jobseekers and inactive
  people nearest to it; trainees who pass are certified at the ordered level and join the ordering
  firm under a service period; seats are shared with regular enrolment.
- new apprenticeship (招工即招生、入企即入校): workers at key enterprises train while employed.
- public-welfare posts ([000] 二、(二)12): the PES places long-term unemployed in posts it opens
  at public-service employers in their county.
- start-ups ([003] 第四章第二节; 第三章第一节): unemployed people and returnees from Shenzhen start
  firms that post vacancies.
- skills competitions ([003] 第六章第二节 ¶健全技能竞赛选拔培养机制): winners are certified a level up.
- inflows of graduates, recruited professionals and high-skilled workers ([000] 一、(二) 新引进大学生;
  [000] 二、(三)15; [003] 第六章第二节 引进…技师、高级技师) and graduates sent to grassroots posts for two
  years (三支一扶, [000] 二、(二)11).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import (EDU_COLLEGE, EDU_SENIOR, EMP_LOCAL, INACTIVE, INTERMEDIATE_SKILL, JUNIOR_TITLE,
                              PROGRAMME_ORDER, SCHOOL, TECHNICIAN, TOP_SKILL, UNEMP)
from ..synthesis import empty_columns
from .exit_age import exit_age_m
from .employment import hire
from .scaling import stochastic_round

PLACEMENT = -1   # hires made by a programme, not through a search channel
FOUNDERS_FUNDED_BY = {"startups": "entrepreneurship", "returnee_startups": "shenzhen_cooperation"}


def order_training(model, rng) -> None:
    """Firms with open posts order trainees; schools recruit them; graduates join the firm."""
    lv, pop, firms, w = model.world.levers, model.pop, model.firms, model.world
    seats = stochastic_round(rng, lv.order_seats / w.scale)
    if seats == 0 or not w.schools:
        return
    gap = np.maximum(0.0, firms.target - firms.headcount)
    key = firms.key >= 0
    weight = gap * np.where(key, w.data.get("programmes.order_key_enterprise_weight"), 1.0)
    weight *= w.manufacturing[firms.sector] | key
    if weight.sum() <= 0:
        return
    ordering = rng.choice(firms.n, size=seats, p=weight / weight.sum())
    pool = np.flatnonzero(((pop.status == UNEMP) | ((pop.status == INACTIVE) & pop.searching))
                          & (pop.age_m < w.data.get("programmes.order_max_age") * 12) & (pop.skill < lv.order_level))
    pool_place = pop.place[pool]
    enrolled = {s.row: s.enrolled(pop).size for s in w.schools}    # kept up to date below
    for firm in ordering:
        open_schools = [s for s in w.schools if s.free_places(pop, model.t, enrolled[s.row]) > 0]   # opened, with room
        if not open_schools or pool.size == 0:
            continue
        school = min(open_schools, key=lambda s: (w.distance_km[s.place, firms.place[firm]], s.row))
        i = np.argmin(w.distance_km[school.place][pool_place] + rng.random(pool.size))
        near = pool[i]
        pop.move(np.array([near]), SCHOOL, "order_training_entry")
        pop.programme[near], pop.provider[near], pop.order_firm[near] = PROGRAMME_ORDER, school.row, firm
        pop.school_left[near], pop.target_skill[near] = lv.order_months, lv.order_level
        pop.funder[near] = w.funder("order_training")
        enrolled[school.row] += 1
        pool, pool_place = np.delete(pool, i), np.delete(pool_place, i)
        pop.count_event("order_training_starts", 1)


def apprenticeships(model, rng) -> None:
    """Workers at key enterprises start an apprenticeship while employed (a part-time course)."""
    lv, pop, firms, d = model.world.levers, model.pop, model.firms, model.world.data
    k = stochastic_round(rng, lv.apprentices / model.world.scale)
    emp = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.course_left == 0) & (pop.skill < TOP_SKILL))
    emp = emp[firms.key[pop.firm[emp]] >= 0]
    if k == 0 or emp.size == 0:
        return
    chosen = rng.choice(emp, size=min(k, emp.size), replace=False)
    pop.course_left[chosen] = d.get("programmes.apprenticeship_months")
    level = np.maximum(pop.skill[chosen] + 1, d.get("programmes.apprenticeship_min_level"))
    pop.target_skill[chosen] = np.minimum(TOP_SKILL, level)
    pop.funder[chosen] = model.world.funder("order_training")
    pop.count_event("apprenticeship_starts", chosen.size)


def welfare_posts(model, rng) -> None:
    """The PES opens public-welfare posts and places long-term unemployed people in them."""
    lv, pop, firms, w = model.world.levers, model.pop, model.firms, model.world
    k = stochastic_round(rng, lv.welfare_posts / w.scale)
    pool = np.flatnonzero((pop.status == UNEMP) & (pop.status_m >= w.data.get("programmes.welfare_min_unemployed_months")))
    employers = np.flatnonzero(w.in_public_service(firms.sector) & firms.alive)
    if k == 0 or pool.size == 0 or employers.size == 0:
        return
    chosen = rng.choice(pool, size=min(k, pool.size), replace=False)
    county = w.place_county[pop.place[chosen]]
    firm = np.array([rng.choice(employers[firms.county[employers] == c]) if (firms.county[employers] == c).any()
                     else rng.choice(employers) for c in county])
    firms.add_posts(firm)                     # each post is new: it takes no vacancy from anyone
    hire(model, chosen, firm, np.full(chosen.size, PLACEMENT))
    pop.post_left[chosen] = welfare_post_months(model, chosen)
    pop.funder[chosen] = w.funder("employment_assistance")
    pop.count_event("welfare_placements", chosen.size)


def welfare_post_months(model, rows: np.ndarray) -> np.ndarray:
    """A public-welfare post lasts `programmes.welfare_post_months` (three years), or to the exit age for
    those within `programmes.welfare_to_retirement_months` of it (the national and Guangdong rule)."""
    d = model.world.data
    to_exit = exit_age_m(model, rows) - model.pop.age_m[rows]
    months = np.full(rows.size, d.get("programmes.welfare_post_months"))
    return np.where(to_exit <= d.get("programmes.welfare_to_retirement_months"), np.maximum(to_exit, 1), months)


def startups(model, rng, rows: np.ndarray, rate: float, reason: str) -> None:
    """Some of `rows` start a firm: the founder works there and the firm opens posts."""
    pop, firms, w = model.pop, model.firms, model.world
    if rate <= 0 or rows.size == 0:
        return
    founders = rows[rng.random(rows.size) < rate]
    if founders.size == 0:
        return
    share = w.sector_emp_share * w.sector_urban
    sector = rng.choice(len(share), size=founders.size, p=share / share.sum())
    # each founder agent stands for `scale` founders, so its firm is `scale` firms: posts per agent
    # are posts per founder, in agents as the headcount is
    posts = np.array([stochastic_round(rng, w.levers.startup_posts) for _ in founders])
    new = firms.add_firms(sector, pop.place[founders], np.zeros(founders.size), 1 + posts, rng, born=model.t,
                          represents=np.full(founders.size, w.scale))
    pop.count_event("firm_entries", firms.represents[new].sum())
    hire(model, founders, new, np.full(founders.size, PLACEMENT))
    pop.funder[founders] = w.funder(FOUNDERS_FUNDED_BY[reason])
    pop.count_event(reason, founders.size)
    pop.count_event(f"{reason}_posts", posts.sum())     # posts per founder: the hiring subsidy is paid on them


def unemployed_startups(model, rng) -> None:
    """`startups_per_month` unemployed people (spread at random) found firms."""
    pop = model.pop
    k = stochastic_round(rng, model.world.levers.startups_per_month / model.world.scale)
    pool = np.flatnonzero((pop.status == UNEMP) & (pop.age_m < model.world.data.get("programmes.founder_max_age") * 12))
    if k and pool.size:
        startups(model, rng, pool, min(1.0, k / pool.size), "startups")


def inflows(model, rng) -> None:
    """Graduates, professionals and high-skilled workers recruited from outside arrive as jobseekers."""
    lv, w, d = model.world.levers, model.world, model.world.data
    arrivals = ((lv.graduate_inflow, d.get("programmes.graduate_inflow_age"), "graduates_attracted"),
                (lv.talent_inflow, d.get("programmes.talent_inflow_age"), "talent_recruited"),
                (lv.skilled_inflow, d.get("programmes.skilled_inflow_age"), "skilled_recruited"))
    groups = []
    for count, age_range, reason in arrivals:
        k = stochastic_round(rng, count / w.scale)
        if k == 0:
            continue
        c = arrival_columns(model, rng, k, age_range)
        QUALIFICATIONS[reason](model, rng, c)
        groups.append((c, reason))
        model.pop.count_event(reason, k)
    if groups:
        model.pop.add_groups(groups)          # one copy of the population's columns for all of them


def arrival_columns(model, rng, k: int, age_range) -> dict:
    """`k` college-educated jobseekers of `age_range` (years, inclusive) settling in urban places (their
    qualification, set next, may change the education)."""
    w = model.world
    c = empty_columns(k)
    c["age_m"] = rng.integers(age_range[0] * 12, (age_range[1] + 1) * 12, k)
    c["female"] = rng.random(k) < w.data.get("population.female_share")
    urban_pop = w.place_pop_share * w.place_urban_share
    c["place"] = rng.choice(w.n_places, size=k, p=urban_pop / urban_pop.sum())
    c["urban"][:] = True
    c["edu"][:] = EDU_COLLEGE
    c["status"][:] = UNEMP
    return c


def graduate_arrives(model, rng, c: dict) -> None:
    """No title yet: a graduate looking for a first job."""
    c["graduate"][:] = True


def professional_arrives(model, rng, c: dict) -> None:
    """A junior title, intermediate with `titles.intermediate_share`."""
    k = c["title"].size
    c["title"] = JUNIOR_TITLE + (rng.random(k) < model.world.data.get("titles.intermediate_share")).astype(np.int8)


def technician_arrives(model, rng, c: dict) -> None:
    """技师, or 高级技师 with `programmes.skilled_inflow_top_share`; technical-school (secondary) education."""
    k = c["skill"].size
    top = rng.random(k) < model.world.data.get("programmes.skilled_inflow_top_share")
    c["skill"] = np.where(top, TOP_SKILL, TECHNICIAN).astype(np.int8)
    c["edu"][:] = EDU_SENIOR


QUALIFICATIONS = {"graduates_attracted": graduate_arrives, "talent_recruited": professional_arrives,
                  "skilled_recruited": technician_arrives}


def grassroots_posts(model, rng) -> None:
    """Graduates take two-year grassroots posts (三支一扶) at rural public-service employers."""
    lv, pop, firms, w = model.world.levers, model.pop, model.firms, model.world
    k = stochastic_round(rng, lv.grassroots_posts / w.scale)
    pool = np.flatnonzero((pop.status == UNEMP) & pop.graduate)
    rural = w.place_urban_share[firms.place] < w.data.get("programmes.rural_place_max_urban_share")
    rural_public = np.flatnonzero(w.in_public_service(firms.sector) & rural & firms.alive)
    if k == 0 or pool.size == 0 or rural_public.size == 0:
        return
    chosen = rng.choice(pool, size=min(k, pool.size), replace=False)
    firm = rng.choice(rural_public, size=chosen.size)
    firms.add_posts(firm)                     # each post is new (a firm may get several)
    hire(model, chosen, firm, np.full(chosen.size, PLACEMENT))
    pop.service_left[chosen] = lv.grassroots_months
    pop.funder[chosen] = w.funder("graduate_programmes")
    pop.count_event("grassroots_placements", chosen.size)


def skills_competitions(model, rng) -> None:
    """Once a year (`programmes.contest_month`) the city's skills games: of the employed at 中级工 .. 技师
    who compete, the winners (`Levers.contest_winners` a year) are certified one level up."""
    lv, pop, d = model.world.levers, model.pop, model.world.data
    if lv.contest_winners <= 0 or model.month.month != d.get("programmes.contest_month"):
        return
    pool = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.skill >= INTERMEDIATE_SKILL) & (pop.skill < TOP_SKILL))
    k = min(stochastic_round(rng, lv.contest_winners / model.world.scale), pool.size)
    winners = rng.choice(pool, size=k, replace=False)
    pop.certify(winners, pop.skill[winners] + 1, "competition")
    pop.count_event("contest_winners", winners.size)


def run_programmes(model, rng) -> None:
    for programme in (order_training, apprenticeships, welfare_posts, unemployed_startups, inflows, grassroots_posts,
                      skills_competitions):
        programme(model, rng)
