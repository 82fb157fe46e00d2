"""Taking and leaving jobs: what every hire and every separation does to workers and firms.

Used by the rules that place people in jobs (matching, programmes, order training) and end them
(separations, exits, moves to Shenzhen). A hire counts toward 城镇新增就业 (urban new employment) the
first time in a calendar year a person enters an urban job ([003] 专栏1; `sim.indicators`).
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL
from ..matching import N_CHANNELS
from .registration import count_reemployment


def leave_jobs(model, rows: np.ndarray) -> None:
    """Those of `rows` in Shanwei jobs leave them; their employers' headcounts fall (a firm recruits again
    up to its plan: a layoff, a closure or the end of a time-limited post lowers the plan first)."""
    model.firms.release(model.pop.separate(rows))


def hire(model, rows: np.ndarray, firm: np.ndarray, channel: np.ndarray) -> None:
    """`rows` start at `firm` (one each), found through `channel` (a search channel or a placement)."""
    pop, firms = model.pop, model.firms
    was_employed = pop.status[rows] == EMP_LOCAL
    leave_jobs(model, rows[was_employed])
    entrants = ~was_employed
    count_reemployment(model, rows)
    first_this_year = entrants & (pop.entry_year[rows] != model.month.year)
    pop.count_event("urban_entries", (first_this_year & firms.urban[firm]).sum())
    pop.entry_year[rows[entrants]] = model.month.year
    pop.count_event("hires", rows.size)
    for ch in range(N_CHANNELS):
        pop.count_event(f"hires_channel_{ch}", (channel == ch).sum())
    pop.employ(rows, firm, firms.sector[firm], firms.wage_offer(firm, pop.skill[rows], model.t))
    firms.hire(firm)
    pop.move(rows[was_employed], EMP_LOCAL, "job_to_job")
    pop.move(rows[entrants], EMP_LOCAL, "hires")
