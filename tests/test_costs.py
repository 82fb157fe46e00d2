"""What the measures cost (sim.costs): known-answer pricing, every charge has a priced parameter with
provenance, a measure that is off costs nothing and one that is on costs something, and the run's
`public_cost` indicator is the sum of costs.csv."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim import costs, policies
from sim.attribution import cost_per_outcome
from sim import scenario as scen
from sim.params import Target, load_city
from sim.policies.base import CERTIFICATE_SUBSIDY, Charge
from sim.runner import run

SCALE = 400
DATA = load_city("shanwei")


@lru_cache(maxsize=None)
def run_costs(name: str, seed: int = 3, end: str = "2025-12") -> pd.DataFrame:
    tables = run(scen.load(name, {"run.scale": SCALE, "run.end": end}), seed=seed)
    return tables.costs, tables.annual


def fake_model(funders=("training", "x"), scale=10):
    world = SimpleNamespace(scale=scale, data=DATA, funder_names=list(funders))
    return SimpleNamespace(world=world)


def test_certificates_are_priced_by_level_on_the_schedule_of_the_data_file():
    model = fake_model()
    events = {"certified:x:1": 10, "certified:x:3": 5, "certified:training:3": 7}
    line = costs.price(model, events, None, "x", Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY))
    schedule = DATA.get(CERTIFICATE_SUBSIDY)
    assert line["quantity"] == 15 * 10
    assert line["cost"] == (10 * schedule[0] + 5 * schedule[2]) * 10       # only x's certificates, in persons


def test_the_advanced_uplift_is_the_shortage_share_of_thirty_percent_of_every_funded_senior_certificate():
    model = fake_model()
    policy = {"advanced_subsidy_uplift": 30}
    events = {"certified:x:1": 10, "certified:x:3": 5, "certified:training:4": 2}
    charge = policies.REGISTRY["skills_upgrading"].pays[1]
    line = costs.price(model, events, policy, "skills_upgrading", charge)
    schedule = DATA.get(CERTIFICATE_SUBSIDY)
    base = (5 * schedule[2] + 2 * schedule[3]) * 10                        # 高级工 and above only, every funder
    assert line["cost"] == pytest.approx(base * 0.30 * DATA.get("costs.skills_upgrading.shortage_share"))


def test_every_charge_has_a_unit_cost_with_provenance_and_every_unit_cost_is_charged():
    used = {c.unit_param(m) for m, c in costs.all_charges()}
    priced = {path for path in DATA.params if path.startswith("costs.")}
    assert used <= priced, used - priced
    assert priced - {"costs.technical_schools.capital_years"} <= used, priced - used
    for m, c in costs.all_charges():
        assert c.driver in costs.DRIVERS, (m, c)
        assert DATA.params[c.unit_param(m)].provenance in ("seed", "public", "assumption"), (m, c)
    for name, cls in policies.REGISTRY.items():
        assert cls.pays or cls.cost_note, f"{name}: neither charges nor a note saying why it costs nothing"


def test_the_baseline_pays_only_for_the_standing_training_programme():
    cost, _ = run_costs("baseline")
    assert set(cost["measure"]) == {costs.STANDING_MEASURE}
    assert (cost["cost_yuan"] > 0).all()


@pytest.mark.parametrize("name", sorted(n for n, cls in policies.REGISTRY.items() if cls.pays))
def test_a_measure_costs_something_when_on_and_nothing_when_off(name):
    on, _ = run_costs(f"measure_{name}")
    mine = on[on["measure"] == name]
    assert mine["cost_yuan"].sum() > 0, name
    assert set(mine["item"]) == {c.item for c in policies.REGISTRY[name].pays}
    off, _ = run_costs("baseline")
    assert off.loc[off["measure"] == name, "cost_yuan"].sum() == 0


def test_public_cost_in_the_annual_table_is_the_sum_of_costs_csv():
    cost, annual = run_costs("plan_2025")
    by_year = cost.groupby("year")["cost_yuan"].sum()
    indicator = annual[annual["indicator"] == "public_cost"].set_index("year")["value"]
    np.testing.assert_allclose(indicator.loc[by_year.index].to_numpy(), by_year.to_numpy(), rtol=1e-9)
    assert indicator.loc[2025] > indicator.loc[2021] * 0.5       # the plan keeps paying to its end


def test_technical_school_capital_is_the_project_tables_investment_within_the_run():
    cost, _ = run_costs("measure_technical_schools")
    capital = cost[(cost["measure"] == "technical_schools") & (cost["item"] == "capital")]["cost_yuan"].sum()
    invest = np.array(DATA.get("costs.technical_schools.capital"))
    years = DATA.get("costs.technical_schools.capital_years")
    in_run = sum(v * (last - max(first, 2021) + 1) / (last - first + 1) for v, (first, last) in zip(invest, years, strict=True))
    assert capital == pytest.approx(in_run, rel=1e-9)


def test_a_welfare_post_month_costs_the_dated_minimum_wage():
    cost, _ = run_costs("measure_employment_assistance")
    rows = cost[(cost["measure"] == "employment_assistance")].pivot(index="year", columns="item", values="cost_yuan")
    months = cost[(cost["measure"] == "employment_assistance") & (cost["item"] == "social_insurance_subsidy")]
    per_post_month = rows["post_subsidy"] / months.set_index("year")["quantity"]
    # Shanwei's minimum wage: 1,410 to 2021-11, 1,620 from 2021-12 (in the model's 2020 units, the same)
    assert per_post_month.loc[2023] > per_post_month.loc[2021]
    assert per_post_month.loc[2023] == pytest.approx(per_post_month.loc[2022], rel=1e-9)


def test_cost_per_outcome_divides_the_cost_by_the_move_toward_the_target_and_by_the_gap_closed():
    more = Target("skilled_talent", 2025, 100.0, ">=", "test")
    out = cost_per_outcome(more, effect=10, se=1, cost=1000, cost_se=5, baseline=80)
    assert out["cost_yuan"] == 1000 and out["cost_se"] == 5
    assert out["cost_per_unit"] == pytest.approx(100)            # 1000 yuan / 10 persons
    assert out["cost_per_gap_point"] == pytest.approx(20)        # 10 of a 20 gap is 50 points of 1%
    less = Target("registered_unemployment_rate", 2025, 3.0, "<=", "test")
    down = cost_per_outcome(less, effect=-0.5, se=0.1, cost=1000, cost_se=0, baseline=3.5)
    assert down["cost_per_unit"] == pytest.approx(2000) and down["cost_per_gap_point"] == pytest.approx(10)


def test_cost_per_outcome_is_not_estimated_for_noise_or_the_wrong_direction():
    more = Target("skilled_talent", 2025, 100.0, ">=", "test")
    assert np.isnan(cost_per_outcome(more, 1.5, 1.0, 1000, 0, 80)["cost_per_unit"])     # within 2 se
    assert np.isnan(cost_per_outcome(more, -10, 1.0, 1000, 0, 80)["cost_per_unit"])     # away from the target
    met = cost_per_outcome(more, 10, 1.0, 1000, 0, 120)                                 # no gap left
    assert met["cost_per_unit"] == pytest.approx(100) and np.isnan(met["cost_per_gap_point"])
    assert np.isnan(cost_per_outcome(None, 10, 1.0, 1000, 0, 80)["cost_per_unit"])      # the cost outcome itself
