"""Firm closures and their replacements (`FirmPopulation.closing`, `sim.rules.demand.turn_over_firms`),
firm ages at the start, and the outside market's demand path.

Known answers: the monthly closure share of a large population of same-age, same-size firms is the
table's annual hazard as a monthly chance (binomial tolerance, 4 sd); key enterprises never close;
a closure moves no sector's target employment; the outside demand path compounds its yearly growth.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import scenario as scen
from sim.agents.firms import FirmPopulation, initial_ages_months
from sim.agents.workers import EMP_LOCAL
from sim.model import LabourMarketModel
from sim.params import load_city
from sim.rules import demand
from sim.world import World


@pytest.fixture(scope="module")
def world() -> World:
    return World(load_city("shanwei"), 20, [], 2020)


def _monthly(annual: float) -> float:
    return 1 - (1 - annual) ** (1 / 12)


@pytest.mark.parametrize("age_years,size_persons", [(0.5, 5), (4, 50), (10, 200), (10, 2000)])
def test_the_closure_share_is_the_hazard_of_the_age_band_times_the_size_class(world, age_years, size_persons):
    d, n = world.data, 40_000
    heads = size_persons // world.scale or 1
    firms = FirmPopulation(np.zeros(n), np.zeros(n), np.full(n, -1), np.zeros(n), np.full(n, heads), world,
                           born=np.full(n, -round(age_years * 12)), represents=np.ones(n))
    size = heads * world.scale
    band = max((r for r in d.table("firm_exit_hazard").values() if r["from_age"] <= age_years), key=lambda r: r["from_age"])
    cls = max((r for r in d.table("firm_exit_size").values() if r["from_size"] <= size), key=lambda r: r["from_size"])
    p = _monthly(band["annual"] * cls["multiplier"])
    share = firms.closing(np.random.default_rng(7), 0).size / n
    assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / n), (share, p)


def test_key_enterprises_never_close(world):
    n = 5_000
    firms = FirmPopulation(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.ones(n), world,
                           born=np.full(n, -48))
    assert firms.closing(np.random.default_rng(1), 0).size == 0


def test_initial_ages_follow_the_steady_state_of_the_hazard():
    d = load_city("shanwei")
    ages = initial_ages_months(np.random.default_rng(3), 200_000, d) / 12
    # the share under five years old: survival-weighted, about 0.3-0.4 under these hazards
    bands = sorted(d.table("firm_exit_hazard").values(), key=lambda r: r["from_age"])
    years = np.arange(int(d.get("firms.initial_age_max_years")))
    annual = np.array([max((r for r in bands if r["from_age"] <= a), key=lambda r: r["from_age"])["annual"] for a in years])
    survival = np.concatenate([[1.0], np.cumprod(1 - annual)[:-1]])
    expected = survival[:5].sum() / survival.sum()
    assert abs((ages < 5).mean() - expected) < 0.005


@pytest.fixture(scope="module")
def model() -> LabourMarketModel:
    m = LabourMarketModel(scen.load("baseline", {"run.scale": 100, "run.end": "2021-06"}), seed=2)
    for _ in range(3):
        m.step()
    return m


def test_a_closure_releases_its_staff_and_its_replacement_takes_its_plan(model):
    firms, pop = model.firms, model.pop
    by_sector = np.bincount(firms.sector, weights=firms.plan, minlength=len(model.world.sector_ids))
    n_before = firms.n
    rng = np.random.default_rng(11)
    closing = firms.closing(np.random.default_rng(11), model.t)
    assert closing.size > 0
    demand.turn_over_firms(model, rng)
    assert not firms.alive[closing].any() and (firms.headcount[closing] == 0).all()
    assert not ((pop.status == EMP_LOCAL) & np.isin(pop.firm, closing)).any()
    new = np.arange(n_before, firms.n)
    assert new.size == closing.size and (firms.sector[new] == firms.sector[closing]).all()
    after = np.bincount(firms.sector, weights=firms.plan, minlength=len(model.world.sector_ids))
    assert after == pytest.approx(by_sector)
    assert pop.events["firm_exits"] == firms.represents[closing].sum() == pop.events["firm_entries"]


def test_the_outside_demand_path_compounds_its_yearly_growth(world):
    growth = {r["year"]: r["growth"] for r in world.data.table("outside_demand_growth").values()}
    january_2022 = world.start.index + 12
    month = type(world.start)(january_2022 // 12, january_2022 % 12 + 1)
    expected = (1 + growth[2021]) ** (11 / 12) * (1 + growth[2022]) ** (1 / 12)
    assert world.outside_demand(month) == pytest.approx(expected)
