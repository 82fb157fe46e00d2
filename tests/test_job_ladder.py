"""The job ladder (issue 13, point 3): on-the-job search with its own intensity and efficiency,
the withdrawal of openings, months out of work in ranking, time-limited public-welfare posts, and the
baseline's job-to-job turnover against the range the data file cites.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import scenario as scen
from sim.agents.firms import FirmPopulation
from sim.agents.workers import EMP_LOCAL, INACTIVE, UNEMP
from sim.model import LabourMarketModel
from sim.params import load_city
from sim.rules import demography, matching, separations
from sim.rules.employment import leave_jobs
from sim.runner import run
from sim.world import World


@pytest.fixture(scope="module")
def model() -> LabourMarketModel:
    m = LabourMarketModel(scen.load("baseline", {"run.scale": 200, "run.end": "2021-12"}), seed=4)
    m.step()
    return m


def test_openings_to_replace_leavers_are_withdrawn_like_growth_openings():
    world = World(load_city("shanwei"), 20, [], 2020)
    firms = FirmPopulation([0, 0], [0, 0], [-1, -1], [0.0, 0.0], [10, 10], world, born=[-100, -100])
    firms.plan[:] = [12.0, 12.0]              # two growth openings each
    firms.release(np.array([0]))              # firm 0: someone left, a third opening
    firms.unfilled_m[:] = 2                   # posts unfilled two months in a row
    firms.recruit_for(0)
    keep = (1 - world.data.get("firms.vacancy_withdrawal")) ** 2
    assert firms.target == pytest.approx([9 + 3 * keep, 10 + 2 * keep])     # headcount + the openings kept
    assert firms.plan == pytest.approx([12.0, 12.0])                       # the plan stands


def test_a_month_with_no_post_open_keeps_the_run_of_unfilled_months():
    """A firm whose rounded gap posts nothing this month learns nothing: its run of unfilled months
    (and so the openings it has given up) carries on; a month in which it fills every post ends it."""
    world = World(load_city("shanwei"), 20, [], 2020)
    firms = FirmPopulation([0, 0, 0], [0, 0, 0], [-1, -1, -1], [0.0] * 3, [10, 10, 10], world, born=[-100] * 3)
    firms.unfilled_m[:] = 4
    firms.record_hiring(np.array([1, 2]), np.array([2]), np.array([0.0, 1.0]))   # firm 0 posts nothing
    assert firms.unfilled_m.tolist() == [4, 5, 0]


def test_given_up_openings_come_back_once_a_firm_fills_its_posts():
    """Withdrawal is not a ratchet: a firm that fills its posts again recruits for its whole plan, so
    demand shocks that went unfilled do not pile up as lost jobs."""
    world = World(load_city("shanwei"), 20, [], 2020)
    firms = FirmPopulation([0], [0], [-1], [0.0], [10], world, born=[-100])
    firms.plan[:] = 14.0
    firms.unfilled_m[:] = 6
    firms.recruit_for(0)
    keep = (1 - world.data.get("firms.vacancy_withdrawal")) ** 6
    assert firms.target[0] == pytest.approx(10 + 4 * keep) and firms.target[0] < 14.0
    firms.unfilled_m[:] = 0                   # last month it filled every post it had open
    firms.recruit_for(0)
    assert firms.target[0] == pytest.approx(14.0)


def test_the_employed_search_less_but_apply_better(model):
    d = model.world.data
    pop = model.pop
    emp = np.flatnonzero(pop.status == EMP_LOCAL)[:50]
    unemp = np.flatnonzero(pop.status == UNEMP)[:50]
    s = matching.seeker_arrays(model, np.concatenate([emp, unemp]))
    employed = np.arange(s.row.size) < emp.size
    informal = s.rates[:, 0]
    assert informal[employed] == pytest.approx(informal[~employed][0] * d.get("matching.on_the_job_intensity"))
    assert (s.efficiency[employed] == d.get("matching.on_the_job_efficiency")).all()
    assert (s.efficiency[~employed] == 1).all()


def test_an_inactive_spell_does_not_wipe_the_months_out_of_work(model):
    pop = model.pop
    row = np.flatnonzero((pop.status == UNEMP) & (pop.out_m >= 3))[:1]
    before = int(pop.out_m[row][0])
    pop.move(row, INACTIVE, "test")
    demography.age_and_exit(model, np.random.default_rng(0))
    assert pop.status_m[row][0] == 1 and pop.out_m[row][0] == before + 1
    assert matching.seeker_arrays(model, row).months_out_of_work[0] == before + 1


def test_a_public_welfare_post_ends_after_its_term_and_closes(model):
    pop, firms, d = model.pop, model.firms, model.world.data
    row = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.age_m < 40 * 12) & (pop.post_left == 0))[:1]
    firm = pop.firm[row][0]
    pop.post_left[row] = 1                     # the last month of its term
    plan, target, headcount = firms.plan[firm], firms.target[firm], firms.headcount[firm]
    separations.end_posts(model, np.random.default_rng(0))
    assert pop.status[row][0] in (UNEMP, INACTIVE) and pop.firm[row][0] == -1
    assert firms.target[firm] == pytest.approx(target - 1) and firms.plan[firm] == pytest.approx(plan - 1)
    assert firms.headcount[firm] == headcount - 1      # the post closed with its holder: no opening left behind
    assert d.get("programmes.welfare_post_months") == 36


def test_leaving_a_job_leaves_an_opening_under_the_plan(model):
    pop, firms = model.pop, model.firms
    row = np.flatnonzero(pop.status == EMP_LOCAL)[:1]
    firm = pop.firm[row][0]
    openings = firms.plan[firm] - firms.headcount[firm]
    leave_jobs(model, row)
    assert firms.plan[firm] - firms.headcount[firm] == pytest.approx(openings + 1)


@pytest.fixture(scope="module")
def baseline_years() -> pd.DataFrame:
    tables = [run(scen.load("baseline", {"run.scale": 50, "run.end": "2023-12"}), seed).annual for seed in (1, 2)]
    a = pd.concat(tables, ignore_index=True)
    return a.pivot_table(index=["seed", "year"], columns="indicator", values="value")


def test_baseline_job_to_job_moves_are_within_the_turnover_range_the_data_file_cites(baseline_years):
    lo, hi = load_city("shanwei").params["labour_market.job_to_job_rate"].range
    y = baseline_years[baseline_years.index.get_level_values("year") > 2020]
    rate = y["job_to_job_moves"] / y["employed_local"]
    assert rate.between(lo, hi).all(), rate
