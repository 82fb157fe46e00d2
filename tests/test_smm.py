"""Known answers for the simulated-moments statistics (sim/smm.py, sim/smm_stats.py), without the model.

A fake `simulate` (a smooth nonlinear moment function, optionally with common-random-number noise per
fake seed) stands in for the back-cast; fake observed values are drawn around its value at known true
parameters with known noise, so the fit, its standard errors and the J test can be checked against the
truth. Every draw uses a seeded numpy Generator.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sim import smm, smm_stats as stats
from sim.errors import InputError
from sim.params import CityData, load_city

RANGES = {"a": (0.0, 2.0), "b": (0.5, 2.5)}
TRUTH = {"a": 1.1, "b": 1.4}
SD = np.array([0.04, 0.05, 0.03, 0.06])


def moments_of(a: float, b: float) -> np.ndarray:
    """Four nonlinear moments of two parameters (M - P = 2)."""
    return np.array([a + b ** 2, np.exp(a) / 2, 3 * a * b, np.sin(b) + a])


def fake_simulate(fn, sim_sd: float = 0.0, seeds: int = 1, rng: np.random.Generator | None = None):
    """simulate(values) -> table, with the same noise for every candidate (common random numbers)."""
    n = len(fn(**TRUTH))
    noise = rng.normal(0.0, sim_sd, (seeds, n)) if sim_sd else np.zeros((seeds, n))

    def simulate(values: dict) -> pd.DataFrame:
        runs = fn(**values) + noise
        sd = runs.std(axis=0, ddof=1) if seeds > 1 else np.zeros(n)
        return pd.DataFrame({"moment": [f"m{k}" for k in range(n)], "simulated": runs.mean(axis=0), "sd": sd,
                             "role": "fitted"})
    return simulate


def fit_draw(seed: int, fn=moments_of, ranges=RANGES, sd=SD, budget: int = 200, sim_sd: float = 0.0, seeds: int = 1):
    """Fake observed values around the truth (data noise `sd`), then the whole fit."""
    rng = np.random.default_rng(seed)
    observed = fn(**TRUTH) + rng.normal(0.0, sd)
    moments = smm.Moments([f"m{k}" for k in range(len(sd))], observed, sd, sd)
    problem = smm.Problem(ranges, fake_simulate(fn, sim_sd, seeds, rng))
    start = {n: lo + 0.3 * (hi - lo) for n, (lo, hi) in ranges.items()}
    return smm.fit(problem, start, moments, seeds, budget)


# -- recovery and standard errors ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def draws():
    """120 fits to fake data drawn at the truth (seeds 0-119 of the fake noise)."""
    return [fit_draw(seed) for seed in range(120)]


def test_fit_recovers_the_truth_within_its_standard_errors(draws):
    """Over 40 draws of the fake data, each parameter's 95% interval covers the truth in at least 85% of
    draws (expected 95%; 85% is three binomial sds below) and the squared z-scores average about 1."""
    z = []
    for f in draws[:40]:
        assert all(e.identified for e in f.estimates)
        z.append([(e.value - TRUTH[n]) / e.se for n, e in zip(f.names, f.estimates, strict=True)])
    z = np.array(z)
    assert (np.abs(z) <= 1.96).mean(axis=0).min() >= 0.85, z
    assert 0.5 <= (z ** 2).mean() <= 1.6, (z ** 2).mean()


def test_standard_errors_match_the_spread_of_the_estimates(draws):
    """The reported standard error is about the sd of the estimates over 120 draws (within 30%)."""
    fits = draws
    values = np.array([[e.value for e in f.estimates] for f in fits])
    se = np.array([[e.se for e in f.estimates] for f in fits]).mean(axis=0)
    assert_allclose(values.std(axis=0, ddof=1), se, rtol=0.3)


def test_j_at_the_optimum_is_chi_square_with_m_minus_p_degrees_of_freedom(draws):
    """Data drawn at the truth: J at the truth averages M = 4, at the fit M - P = 2 (120 draws: the mean
    of a chi-square(2) then has sd 0.18, tolerance 0.55); about 5% of p-values fall below 0.05."""
    fits = draws
    j = np.array([f.objective_best for f in fits])
    assert abs(j.mean() - 2) < 0.55, j.mean()
    assert all(f.overid.dof == 2 for f in fits)
    assert np.mean([f.overid.p_value < 0.05 for f in fits]) < 0.12
    rng = np.random.default_rng(7)
    at_truth = [stats.objective(rng.normal(0.0, SD) / SD) for _ in range(400)]
    assert abs(np.mean(at_truth) - 4) < 0.5


def test_simulation_noise_enters_sigma_with_one_over_s():
    f = fit_draw(3, sim_sd=0.05, seeds=5)
    assert_allclose(f.moments.sigma, np.sqrt(SD ** 2 + f.moments.sim_sd ** 2 / 5))
    assert (f.moments.sim_sd > 0).all()


def test_p_value_and_verdicts():
    o = stats.overidentification(3.841459, 3, 2)
    assert_allclose(o.p_value, 0.05, atol=1e-6) and "chi-square(1)" in o.verdict
    assert "rejected at the 5%" in stats.overidentification(20.0, 5, 2).verdict
    exact = stats.overidentification(0.3, 2, 2)
    assert exact.p_value is None and exact.verdict == "exactly identified: J says nothing"


def test_exactly_identified_case_says_so():
    f = fit_draw(1, fn=lambda a, b: moments_of(a, b)[:2], sd=SD[:2])
    assert f.overid.dof == 0 and f.overid.verdict == "exactly identified: J says nothing"
    assert f.objective_best < 1e-3                      # two moments, two parameters: an exact fit


def test_a_parameter_the_moments_do_not_depend_on_is_flagged():
    f = fit_draw(2, fn=lambda a, b: np.array([a, a ** 2, np.exp(a)]), sd=SD[:3])
    by_name = dict(zip(f.names, f.estimates, strict=True))
    assert by_name["a"].identified and not by_name["b"].identified
    assert "near singular" in by_name["b"].why and np.isinf(by_name["b"].se)
    assert (by_name["b"].ci_low, by_name["b"].ci_high) == RANGES["b"]


def test_an_interval_wider_than_the_range_is_flagged():
    (e,) = stats.estimates(np.array([[0.5], [0.2]]), np.array([0.5]), np.array([0.0]), np.array([1.0]))
    assert not e.identified and "whole search range" in e.why and (e.ci_low, e.ci_high) == (0.0, 1.0)


def test_moments_it_cannot_fit_are_named():
    """One parameter, three moments, one of them far from anything the model can produce."""
    fn = lambda a, b: np.array([a, a, 0.0 * a])        # noqa: E731
    rng = np.random.default_rng(0)
    moments = smm.Moments(["m0", "m1", "m2"], np.array([1.0, 1.0, 5.0]), np.full(3, 0.1), np.full(3, 0.1))
    f = smm.fit(smm.Problem({"a": (0.0, 2.0)}, lambda v: fake_simulate(fn, rng=rng)({**v, "b": 1.0})),
                {"a": 0.5}, moments, 1, 100)
    assert_allclose(f.best["a"], 1.0, atol=0.01)
    assert list(stats.fits(f.moments.residuals(f.table_best))) == [True, True, False]
    assert f.overid.p_value < 1e-6


# -- the budget -------------------------------------------------------------------------------------
def test_budget_counts_every_simulation_and_keeps_p_for_the_standard_errors():
    f = fit_draw(4, budget=12)
    assert len(f.history) <= 12 and f.evaluations("jacobian") == 2 and f.evaluations("search") <= 10
    small = fit_draw(4, budget=2)                      # no room for the start and the Jacobian: no SEs
    assert small.estimates is None and len(small.history) <= 2


def test_search_keeps_common_random_numbers_and_memoises():
    calls = []
    problem = smm.Problem(RANGES, lambda v: calls.append(v) or fake_simulate(moments_of)(v))
    values = problem.values(np.array([0.4, 0.6]))
    problem.table(values), problem.table(dict(values))
    assert len(calls) == 1 and len(problem.history) == 1


# -- inputs -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city():
    return load_city("shanwei")


def without(city: CityData, group: str, key: str) -> CityData:
    raw = copy.deepcopy(city.raw)
    del raw["calibration"][group][key]
    return CityData(raw, city.where)


def test_every_fitted_moment_has_a_stated_sd(city):
    moments = smm.data_moments(city, smm.fitted_checks(), list(smm.calibrated_parameters(city)))
    assert len(moments.indicators) == len(smm.fitted_checks()) and (moments.data_sd > 0).all()


def test_relative_and_absolute_sds(city):
    une, rate = smm.fitted_checks()[:2]
    assert_allclose(smm.data_sd(city, une), 0.05 * (250_051 - 52_256))     # 2016-2019: the total less 2020
    assert_allclose(smm.data_sd(city, rate), 0.15)


def test_missing_sd_is_an_input_error_naming_the_key(city):
    data = without(city, "moment_sd_relative", "urban_new_employment")
    with pytest.raises(InputError, match="calibration.moment_sd_relative.urban_new_employment") as err:
        smm.data_moments(data, smm.fitted_checks(), list(smm.calibrated_parameters(data)))
    assert "moment_sd_absolute" in str(err.value) and "\n" not in str(err.value)


def test_two_sds_for_one_moment_is_an_input_error(city):
    raw = copy.deepcopy(city.raw)
    raw["calibration"]["moment_sd_absolute"]["urban_new_employment"] = copy.deepcopy(
        raw["calibration"]["moment_sd_relative"]["urban_new_employment"])
    with pytest.raises(InputError, match="found both"):
        smm.data_sd(CityData(raw, city.where), smm.fitted_checks()[0])


def test_fewer_moments_than_parameters_is_an_input_error(city):
    with pytest.raises(InputError, match="need at least as many moments as parameters"):
        smm.data_moments(city, smm.fitted_checks()[:1], list(smm.calibrated_parameters(city)))
    moments = smm.Moments(["m0"], np.ones(1), np.ones(1), np.ones(1))
    with pytest.raises(InputError, match="2 calibrated parameters but only 1"):
        smm.fit(smm.Problem(RANGES, fake_simulate(moments_of)), TRUTH, moments, 1, 10)
