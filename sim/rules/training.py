"""Subsidised vocational training (职业技能培训, [003] 专栏2 row 16) and the named programmes.

Each month the programme's seats (`Levers.training_seats`, the 2016-2020 volume; the measures add
seats, `Levers.upgrading_seats`, a share aimed at 高级工 and above, and targeted seats for 粤菜师傅,
南粤家政, 农村电商 ... by sector and rural residence) are filled from jobseekers (full-time courses, status
"school") and employees (part-time courses), by `TrainingProgramme.enrol`, from those who applied
this month (`sim.rules.takeup`: take-up is a choice, and seats nobody applied for stay empty). Those who finish pass
with `training.pass_rate` and are certified one level up. Each trainee carries the programme that
pays for the course (`funder`), so its certificates can be priced (`sim.costs`). With retention
clauses (a measure to try), employees who finish a part-time course serve a period with their employer.
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL, EXITED, INTERMEDIATE_SKILL, TOP_SKILL, UNEMP
from . import takeup
from .scaling import stochastic_round


STANDING = "training"              # the funder of the standing programme's seats (no measure)
GENERAL = (STANDING, "skills_upgrading")   # general seats: counted as 专栏2 row 16 subsidised training


def train(model, rng) -> None:
    """Fill this month's seats from the month's applicants, the restricted ones (advanced, then each
    named programme's) before the open general seats; each trainee carries
    the programme that pays for the course (`funder`) until it ends."""
    pop, training, w = model.pop, model.training, model.world
    masks = {name: eligible(model, offer) for name, offer in w.levers.targeted_seats.items()}
    courted = programme_outreach(model, masks)
    candidates = tuple(takeup.applicants(model, rng, rows, courted) for rows in training.candidates(pop))
    pop.count_event("training_applicants", sum(rows.size for rows in candidates))
    for n_seats, mask, name in seat_groups(model, rng, masks):
        full, part = training.enrol(rng, pop, n_seats, mask, candidates)
        candidates = training.still_candidates(pop, candidates)
        pop.funder[full], pop.funder[part] = w.funder(name), w.funder(name)
        pop.count_event(f"seats:{name}", n_seats)                     # offered; take-up = starts / seats
        pop.count_event(f"starts:{name}", full.size + part.size)
        # row 16 of 专栏2 (subsidised vocational training) is general training; the named
        # programmes (粤菜师傅, 南粤家政, 农村电商 ...) have their own rows and are counted apart
        pop.count_event("subsidised_training" if name in GENERAL else f"training_{name}", full.size + part.size)


def seat_groups(model, rng, masks: dict | None = None) -> list[tuple[int, np.ndarray | None, str]]:
    """(seats this month in agents, who is eligible or None for all, the programme paying for them);
    `masks`: each named programme's `eligible` mask this month, if already computed."""
    lv, pop, w = model.world.levers, model.pop, model.world
    toward_high_skill = (pop.skill >= INTERMEDIATE_SKILL) & (pop.skill < TOP_SKILL)
    restricted, open_seats = [], []
    for name, per_month in ((STANDING, lv.training_seats), ("skills_upgrading", lv.upgrading_seats)):
        if per_month <= 0:
            continue
        seats = stochastic_round(rng, per_month / w.scale)
        advanced = int(rng.binomial(seats, min(1.0, lv.advanced_training_share))) if lv.advanced_training_share else 0
        restricted.append((advanced, toward_high_skill, name))
        open_seats.append((seats - advanced, None, name))
    for name, offer in sorted(lv.targeted_seats.items()):
        mask = masks[name] if masks is not None else eligible(model, offer)
        restricted.append((stochastic_round(rng, offer.per_month / w.scale), mask, name))
    groups = restricted + open_seats          # seats only some may take first, then the open ones
    return groups


def programme_outreach(model, masks: dict) -> np.ndarray | None:
    """Who a named programme for a group (sectors, rural residents, a level) recruiting this month may
    take (`masks`: each programme's `eligible`): its outreach raises their reach. None when no such
    programme recruits (a programme open to everyone, such as the Shenzhen training points, is offered
    like the general seats)."""
    offers = model.world.levers.targeted_seats
    groups = [m for name, m in masks.items() if m is not None and offers[name].per_month > 0]
    return np.logical_or.reduce(groups) if groups else None


def eligible(model, offer) -> np.ndarray | None:
    """Who may take a programme's seats (`SeatOffer`): workers in its sectors and people not employed,
    rural residents, employees, people at its minimum level or above; None for everyone."""
    pop, w = model.pop, model.world
    masks = []
    if offer.sectors:
        in_sector = np.zeros(len(w.sector_ids) + 1, dtype=bool)   # last entry: sector -1
        in_sector[[w.sector_index[s] for s in offer.sectors]] = True
        masks.append(in_sector[pop.sector] | (pop.status != EMP_LOCAL))
    if offer.rural_only:
        masks.append(~pop.urban)
    if offer.employed_only:
        masks.append(pop.status == EMP_LOCAL)
    if offer.min_skill:
        masks.append(pop.skill >= offer.min_skill)
    return np.logical_and.reduce(masks) if masks else None


def count_funded(model, rows: np.ndarray, passed: np.ndarray) -> None:
    """Certificates passed on a funded course, by programme and level (`certified:NAME:LEVEL`: what the
    programme pays subsidies on, `sim.costs`); the course's funding ends for all of `rows`."""
    pop, names = model.pop, model.world.funder_names
    funded = passed[pop.funder[passed] >= 0]
    for f, level in set(zip(pop.funder[funded].tolist(), pop.target_skill[funded].tolist(), strict=True)):
        k = ((pop.funder[funded] == f) & (pop.target_skill[funded] == level)).sum()
        pop.count_event(f"certified:{names[f]}:{level}", k)
    pop.funder[rows] = -1


def finish_courses(model, rng, rows: np.ndarray) -> None:
    """Full-time course takers at the end of their course: those who pass are certified."""
    pop = model.pop
    passed = rows[rng.random(rows.size) < model.training.pass_rate]
    pop.certify(passed, pop.target_skill[passed], "training")
    count_funded(model, rows, passed)
    pop.programme[rows] = 0
    pop.move(rows, UNEMP, "training_completed")


def finish_part_time_courses(model, rng) -> None:
    """Part-time courses (employees, apprentices) count down; those finishing and passing are certified."""
    pop = model.pop
    rows = np.flatnonzero(pop.course_left > 0)
    pop.course_left[rows] -= 1
    done = rows[pop.course_left[rows] == 0]
    passed = done[(pop.status[done] != EXITED) & (rng.random(done.size) < model.training.pass_rate)]
    pop.certify(passed, pop.target_skill[passed], "training")
    count_funded(model, done, passed)
    sign_service_agreements(model, done)


def sign_service_agreements(model, rows: np.ndarray) -> None:
    """Retention clauses (服务期, [001] 二、(八)23): firms' employees finishing a course their employer paid
    for serve `training_service_months` (no quits, no job search: `sim.rules.separations`, `matching`).
    Public-service staff are left out: their courses are not firms' training (企业职工培训), and their
    service terms are the grassroots posts' (`sim.costs.grassroots_post_months`)."""
    months, pop = model.world.levers.training_service_months, model.pop
    if months <= 0:
        return
    employed = rows[(pop.status[rows] == EMP_LOCAL) & ~model.world.in_public_service(pop.sector[rows])]
    pop.service_left[employed] = np.maximum(pop.service_left[employed], months)
    pop.count_event("training_service_agreements", employed.size)
