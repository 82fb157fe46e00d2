"""Professional-technical titles (专业技术人才): entry and promotion.

Entry into a first title is a monthly hazard solved when the model is built from the 2015-2020
growth of the stock ([003] 第一章第一节, `sim.calibration.title_entry_hazard`), weighted by education
and sector (the public sector first; the title reform opens it to private firms through a lever).
Skilled workers gain access through two more levers: skill levels counted as diplomas
([003] 第七章第三节: 中级工/高级工/技师 as 中专/大专/本科) and ladders linked (高技能人才 may apply for
titles: [002] 二、(二)5; [004] 一、(四)); `sim.calibration.title_eligibility`.
Holders are promoted after `titles.promotion_years` in post at `titles.promotion_rate` a year, if
they are in Shanwei; the title reform cuts the years for those who have worked in the city
continuously for `title_cut_service_months` (their current job spell) and raises the rate.
"""

from __future__ import annotations

import numpy as np

from .. import calibration
from ..agents.workers import EMP_LOCAL, JUNIOR_TITLE, SENIOR_TITLE


def seniority_met(pop, years: float, cut: float, served: np.ndarray | None) -> np.ndarray:
    """Holders with the years in post the next title asks, `cut` years fewer for those `served` (the
    reform's 在我市连续工作 condition; None: no cut)."""
    met = pop.title_m >= max(0.0, years) * 12
    if served is None:
        return met
    return met | (served & (pop.title_m >= max(0.0, years - cut) * 12))


def progress_titles(model, rng) -> None:
    pop, d, lv = model.pop, model.world.data, model.world.levers
    holders = pop.title >= JUNIOR_TITLE
    pop.title_m[holders] += 1
    weight = calibration.title_eligibility(model.world, pop, lv)
    new = np.flatnonzero(rng.random(pop.n) < weight * model.calibrated["title_entry_per_month"] * lv.title_entry_mult)
    pop.title[new], pop.title_m[new] = JUNIOR_TITLE, 0
    years, rates = d.get("titles.promotion_years"), d.get("titles.promotion_rate")
    here = pop.in_shanwei()
    served = (pop.status == EMP_LOCAL) & (pop.status_m >= lv.title_cut_service_months) if lv.title_years_cut else None
    for level in range(JUNIOR_TITLE, SENIOR_TITLE):
        eligible = (pop.title == level) & here & seniority_met(pop, years[level - JUNIOR_TITLE], lv.title_years_cut, served)
        up = np.flatnonzero(eligible & (rng.random(pop.n) < rates[level - JUNIOR_TITLE] * lv.title_promotion_mult / 12))
        pop.title[up], pop.title_m[up] = level + 1, 0
    pop.count_event("new_professional_technical", new.size)
