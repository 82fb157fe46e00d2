"""Take-up as a choice (sim.rules.takeup): the probability of applying rises with the subsidy and with
the wage premium and falls with age; in the model, a higher premium brings more applicants over
seeds, and seats nobody applied for stay empty."""

from __future__ import annotations

import numpy as np
import pytest

from sim import scenario as scen
from sim.model import LabourMarketModel
from sim.rules import takeup
from sim.runner import run

SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def model():
    m = LabourMarketModel(scen.load("baseline", {"run.scale": 400, "run.end": "2021-03"}), seed=5)
    m.step()
    return m


def candidates(model) -> np.ndarray:
    seekers, workers = model.training.candidates(model.pop)
    return np.concatenate([seekers, workers])


@pytest.mark.parametrize("mult", [0.0, 1.3])
def test_the_subsidy_at_senior_levels_moves_their_probability_only_and_in_its_direction(model, mult):
    """No subsidy (x0) or the plan's +30% (x1.3) at 高级工 and above; the course fee stays the same."""
    rows = candidates(model)
    before = takeup.apply_probability(model, rows)
    model.world.levers.advanced_subsidy_mult = mult
    try:
        after = takeup.apply_probability(model, rows)
    finally:
        model.world.levers.advanced_subsidy_mult = 1.0
    senior = model.pop.skill[rows] + 1 >= 3
    assert senior.any() and (~senior).any()
    assert ((after[senior] > before[senior]) if mult > 1 else (after[senior] < before[senior])).all()
    np.testing.assert_array_equal(after[~senior], before[~senior])


@pytest.mark.parametrize("step", [0.08, 0.25])
def test_the_wage_premium_raises_the_probability_and_age_lowers_it(model, step):
    rows = candidates(model)
    data = model.world.data
    base = takeup.apply_probability(model, rows)
    model.world.data = data.with_overrides({"firms.skill_wage_step": step}, "test")
    try:
        moved = takeup.apply_probability(model, rows)
    finally:
        model.world.data = data
    assert ((moved > base) if step > data.get("firms.skill_wage_step") else (moved < base)).all()
    young, old = rows[model.pop.age_m[rows] < 30 * 12], rows[model.pop.age_m[rows] > 50 * 12]
    assert takeup.apply_probability(model, young).mean() > takeup.apply_probability(model, old).mean()


def applicants(premium: float, seed: int) -> float:
    sc = scen.load("measure_skills_upgrading", {"run.scale": 200, "run.end": "2022-12",
                                                "assumptions.firms.skill_wage_step": premium})
    a = run(sc, seed=seed).annual
    return a.loc[a["indicator"] == "training_applicants", "value"].sum()


def test_in_the_model_a_higher_wage_premium_brings_more_applicants_in_every_seed():
    low, high = [applicants(0.08, s) for s in SEEDS], [applicants(0.25, s) for s in SEEDS]
    assert all(h > lo * 1.1 for h, lo in zip(high, low, strict=True)), (low, high)


def test_seats_nobody_applied_for_stay_empty():
    sc = scen.load("measure_skills_upgrading", {"run.scale": 200, "run.end": "2021-12",
                                                "assumptions.training.takeup.employee_reach": 0.0002,
                                                "assumptions.training.takeup.jobseeker_reach": 0.001})
    a = run(sc, seed=1).annual
    trained = a.loc[(a["indicator"] == "subsidised_training") & (a["year"] == 2021), "value"].item()
    funded = 80000 / 5                                       # the plan's seats a year
    assert trained < 0.5 * funded
