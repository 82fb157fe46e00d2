"""The draws of an uncertainty ensemble (sim/ensemble.py): priors, common random numbers, reproducibility."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy.stats import kstest, truncnorm

from sim import ensemble
from sim import scenario as scen
from sim.inputs import city_data
from sim.params import CityData

N = 4000


@pytest.fixture(scope="module")
def runs():
    out = []
    for name in ("baseline", "plan_2025"):
        sc = scen.load(name, {"run.scale": 200})
        out.append((sc, city_data(sc)))
    return out


@pytest.fixture(scope="module")
def table(runs):
    return ensemble.draws(runs, N, seed=7)


def test_scenarios_share_the_draws_of_the_inputs_they_share(runs, table):
    """Common random numbers: one table for both scenarios; the plan's measures add inputs of their own."""
    base = {i.factor.key for i in ensemble.inputs(runs[:1])}
    both = {i.factor.key for i in ensemble.inputs(runs)}
    assert base < both and any(k.startswith("policies.") for k in both - base)
    alone = ensemble.draws(runs[:1], N, seed=7)          # an ensemble of the baseline alone draws the same values
    for key in base:
        np.testing.assert_array_equal(alone[key], table[key])
    assert list(table["seed"]) == list(7 + np.arange(N)) and list(table["draw"]) == list(range(N))


def test_an_assumption_is_uniform_over_its_range(runs, table):
    inp = next(i for i in ensemble.inputs(runs) if i.factor.key == "assumptions.outside_market.wage_premium")
    assert inp.prior == "uniform"
    x = table[inp.factor.key].to_numpy()
    lo, hi = inp.factor.low, inp.factor.high
    assert lo <= x.min() and x.max() <= hi
    assert kstest((x - lo) / (hi - lo), "uniform").pvalue > 0.001


@pytest.mark.parametrize("path", ["firms.vacancy_withdrawal", "registration.hard_to_employ_recognition"])
def test_a_calibrated_value_is_drawn_from_its_standard_error_inside_its_range(runs, table, path):
    p = runs[0][1].params[path]
    inp = next(i for i in ensemble.inputs(runs) if i.factor.key == f"assumptions.{path}")
    assert inp.prior == "truncated normal" and inp.se == p.meta["se"]
    x = table[inp.factor.key].to_numpy()
    lo, hi = p.range
    a, b = (lo - p.value) / inp.se, (hi - p.value) / inp.se
    assert lo <= x.min() and x.max() <= hi
    mean, sd = truncnorm.mean(a, b, loc=p.value, scale=inp.se), truncnorm.std(a, b, loc=p.value, scale=inp.se)
    assert abs(x.mean() - mean) < 4 * sd / np.sqrt(N)          # the known answer, within 4 standard errors
    assert abs(x.std() - sd) < 0.05 * sd


def test_a_calibrated_value_without_a_standard_error_is_uniform_and_says_so(runs):
    sc, data = runs[0]
    raw = copy.deepcopy(data.raw)
    del raw["firms"]["separation_scale"]["se"]
    bare = CityData(raw, data.where)
    inp = next(i for i in ensemble.inputs([(sc, bare)]) if i.factor.key == "assumptions.firms.separation_scale")
    assert inp.prior == "uniform (no se)" and inp.se is None
    assert "uniform (no se)" in set(ensemble.prior_table([(sc, bare)])["prior"])


def test_the_same_seed_gives_the_same_draws_and_another_seed_others(runs, table):
    again = ensemble.draws(runs, N, seed=7)
    assert again.equals(table)
    other = ensemble.draws(runs, N, seed=8)
    key = "assumptions.outside_market.wage_premium"
    assert not np.allclose(other[key], table[key])
