"""Model rules: 2020 stocks, accounting identity, reproducibility, scale, shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sim import scenario as scen
from sim.agents.workers import EMP_LOCAL, N_STATUS, NEW, UNEMP
from sim.model import LabourMarketModel
from sim.rules.exit_age import statutory_age_m
from sim.runner import run

PLAN_2020 = {  # [003] 专栏2 rows 2, 8, 9, 12, 13 and 第一章第一节
    "skilled_talent": 319_600, "high_skilled_talent": 51_200, "high_skilled_share": 16.02,
    "professional_technical_talent": 107_800, "senior_title_talent": 4_000,
    "registered_unemployment_rate": 2.33, "technical_school_enrolment": 4_625,
}


def baseline(scale: int) -> scen.Scenario:
    return scen.load("baseline", {"run.scale": scale})


@pytest.mark.parametrize("scale", [7, 100])
def test_initial_stocks_equal_the_plans_2020_figures(scale):
    model = LabourMarketModel(baseline(scale), seed=11)
    for key, plan in PLAN_2020.items():
        assert_allclose(model.initial[key], plan, rtol=0.01, err_msg=key)


def test_annual_table_starts_with_the_2020_stocks():
    tables = run(baseline(200), seed=2)
    y2020 = tables.annual[tables.annual["year"] == 2020].set_index("indicator")["value"]
    for key, plan in PLAN_2020.items():
        assert_allclose(y2020[key], plan, rtol=0.01, err_msg=key)
    assert "urban_new_employment" not in y2020.index      # flows start in 2021


def test_the_first_month_has_no_retirement_burst():
    """Nobody takes an urban job past the statutory age (the spin-up's hires included), so January 2021
    retires the people who reach their exit age then, not a stock left over from the spin-up (issue 13,
    point 5: about 7,000 left in January 2021 before 0.5.1, against about 3,000 in a later month)."""
    model = LabourMarketModel(scen.load("baseline", {"run.scale": 100, "run.end": "2021-12"}), seed=3)
    pop = model.pop
    urban_job = model.firms.urban_jobs(pop)
    assert not (urban_job & (pop.age_m >= statutory_age_m(model))).any()
    retired = []
    for _ in range(12):
        model.step()
        retired.append(int(model.last_flows["retirement"].sum()))
    assert retired[0] <= 1.5 * np.median(retired[1:]), retired


def test_accounting_identity_every_month():
    """Stock change of every status = recorded inflows - outflows; nobody lost or counted twice."""
    model = LabourMarketModel(baseline(200), seed=5)
    pop = model.pop
    for _ in range(30):
        before, n_before = pop.stocks(), pop.n
        model.step()
        after = pop.stocks()
        flows = sum(model.last_flows.values())           # (from incl. NEW) x (to)
        inflow = flows.sum(axis=0) - np.diag(flows[:N_STATUS])
        outflow = flows[:N_STATUS].sum(axis=1) - np.diag(flows[:N_STATUS])
        np.testing.assert_array_equal(after - before, inflow - outflow)
        assert after.sum() == pop.n == n_before + flows[NEW].sum()
        employed = pop.firm[pop.status == EMP_LOCAL]
        assert (employed >= 0).all() and (pop.firm[pop.status != EMP_LOCAL] == -1).all()
        np.testing.assert_array_equal(np.bincount(employed, minlength=model.firms.n), model.firms.headcount)
        assert (pop.status[pop.registered] == UNEMP).all()    # only the unemployed are on the register


def test_same_seed_same_tables_different_seed_different():
    a, b, c = (run(baseline(300), seed=s) for s in (4, 4, 5))
    pd.testing.assert_frame_equal(a.annual, b.annual)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    later = lambda t: t.annual[t.annual["year"] > 2020]["value"].to_numpy()  # noqa: E731
    assert not np.array_equal(later(a), later(c))


def test_indicators_are_in_persons_whatever_the_scale():
    small, large = (LabourMarketModel(baseline(k), seed=3).initial for k in (50, 400))
    for key in ("employed_local", "employed_outside", "skilled_talent"):
        assert_allclose(small[key], large[key], rtol=0.03, err_msg=key)


def _value(tables, indicator, year):
    a = tables.annual
    return a[(a["indicator"] == indicator) & (a["year"] == year)]["value"].iloc[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demand_shock_raises_unemployment_with_common_seeds(seed):
    """A 15% fall in labour demand over 2021-H1 raises end-2021 true unemployment (each of 3 seeds)."""
    shock = {"shocks": [{"kind": "demand", "start": "2021-01", "end": "2021-06", "size": -0.15}]}
    base = run(baseline(200), seed=seed)
    hit = run(scen.load("baseline", {"run.scale": 200, **shock}), seed=seed)
    assert _value(hit, "surveyed_unemployment_rate", 2021) > _value(base, "surveyed_unemployment_rate", 2021) + 1.0
    assert _value(hit, "employed_local", 2021) < _value(base, "employed_local", 2021)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shenzhen_boom_draws_workers_away(seed):
    boom = {"shocks": [{"kind": "outside", "start": "2021-01", "end": "2021-12", "size": 1.0}]}
    base = run(baseline(200), seed=seed)
    hit = run(scen.load("baseline", {"run.scale": 200, **boom}), seed=seed)
    assert _value(hit, "employed_outside", 2022) > _value(base, "employed_outside", 2022)
