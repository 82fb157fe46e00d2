"""Separations: quits and ordinary turnover at sector rates, then layoffs where headcount exceeds target.

Each employed person leaves with their sector's monthly separation rate (`sectors.separation_rate`)
times `firms.separation_scale` (calibrated to 2016-2020 urban new employment); people serving a
service term (order training, a grassroots post, a course their employer paid for) do not. Firms
whose headcount exceeds target by more than their hoarding buffer (`firms.layoff_buffer`) lay off
the excess, in a random order; with the job-retention measure, urban (insured) firms keep a share of
it on for the month (`retained`).
Public-welfare posts end after their term (`programmes.welfare_post_months`, or at the exit age for
those placed near it: `sim.rules.programmes.welfare_post_months`) and the post closes. Of those
leaving, `matching.quit_to_inactive` leave the labour force, the others look for work.
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL, INACTIVE, UNEMP
from .employment import leave_jobs
from .registration import grant_insurance


def separate(model, rng) -> None:
    pop, d = model.pop, model.world.data
    emp = np.flatnonzero(pop.status == EMP_LOCAL)
    committed = pop.service_left[emp] > 0          # those under a service term serve it
    pop.service_left[emp[committed]] -= 1
    rate = model.world.sector_separation[pop.sector[emp]] * d.get("firms.separation_scale") * ~committed
    quits = emp[rng.random(emp.size) < rate]
    end_jobs(model, rng, quits, "quits")
    end_posts(model, rng)
    end_jobs(model, rng, layoffs(model, rng), "layoffs", involuntary=True)


def end_posts(model, rng) -> None:
    """Time-limited posts (public-welfare posts) count down; at the end of its term the post closes
    (its employer's target falls by one) and its holder looks for work or leaves the labour force."""
    pop = model.pop
    held = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.post_left > 0))
    pop.post_left[held] -= 1
    ended = held[pop.post_left[held] == 0]
    model.firms.add_posts(pop.firm[ended], -1)
    end_jobs(model, rng, ended, "welfare_posts_ended", involuntary=True)


def layoffs(model, rng) -> np.ndarray:
    """Rows laid off: at each firm over its limit, its `excess` employees (less those job retention
    keeps on) first in a random order."""
    pop, excess = model.pop, model.firms.excess()
    emp = np.flatnonzero(pop.status == EMP_LOCAL)
    shedding = excess[pop.firm[emp]] > 0           # only firms that shed staff need ranking
    order = rng.permutation(emp.size)
    emp = emp[order[shedding[order]]]              # the random order, restricted to those firms
    emp = emp[np.argsort(pop.firm[emp], kind="stable")]
    firm = pop.firm[emp]
    rank = np.arange(emp.size) - np.searchsorted(firm, firm, side="left")
    excess = retained(model, rng, excess)
    return emp[rank < excess[firm]]


def retained(model, rng, excess: np.ndarray) -> np.ndarray:
    """Job retention (稳岗, [003] 专栏16 item 2): each excess worker at an urban (insured) firm is kept
    on this month with `layoffs_avoided_share`; the rest are laid off. The refund is paid on the staff
    of the urban firms that lay nobody off this month (`retention_refund_staff`, sim.costs)."""
    share, firms = model.world.levers.layoffs_avoided_share, model.firms
    if share <= 0:
        return excess
    shed = excess - rng.spawn(1)[0].binomial(excess, share) * firms.urban   # a child stream: later draws stay put
    refunded = firms.urban & firms.alive & (shed == 0)
    model.pop.count_event("retention_refund_staff", firms.headcount[refunded].sum())
    return shed


def end_jobs(model, rng, rows: np.ndarray, reason: str, involuntary: bool = False) -> None:
    """`rows` leave their jobs: some leave the labour force, the others become unemployed. After an
    `involuntary` separation (a layoff, a closure, the end of a post) insured urban workers may claim UI."""
    pop = model.pop
    if involuntary:
        grant_insurance(model, rng, rows)
    leave_jobs(model, rows)
    inactive = rng.random(rows.size) < model.world.data.get("matching.quit_to_inactive")
    pop.move(rows[inactive], INACTIVE, reason)
    pop.move(rows[~inactive], UNEMP, reason)
