"""The matching conflict rule (sim/matching.py docstring), on hand-built cases and a random one."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.firms import Vacancies
from sim.matching import INFORMAL, N_CHANNELS, Seekers, first_of_groups, match

PARAMS = {"reach": {ch: [0.0, 0.0, 1.0] for ch in range(N_CHANNELS)}, "max_applications": 50,
          "screening_noise": [0.0] * N_CHANNELS, "skill_weight": 1.0, "duration_penalty": 0.0,
          "offer_rounds": 1, "suitability": 1.0}


def seekers(skill, reservation, rate=40.0):
    n = len(skill)
    rates = np.zeros((n, N_CHANNELS))
    rates[:, INFORMAL] = rate
    return Seekers(np.arange(n), np.zeros(n, np.int64), np.zeros(n, np.int64), np.asarray(skill, np.int8),
                   np.zeros(n), np.asarray(reservation, float), rates)


def vacancies(n, required=None):
    z = np.zeros(n, np.int64)
    req = np.zeros(n, np.int8) if required is None else np.asarray(required, np.int8)
    no = np.zeros(n, bool)
    return Vacancies(np.arange(n), z, z, req, no, no, no, no)


def test_two_persons_one_job_the_firm_takes_the_better_fit():
    s = seekers(skill=[1, 3], reservation=[0, 0])
    m = match(np.random.default_rng(0), s, vacancies(1), lambda si, vi: np.full(si.size, 100.0), PARAMS)
    assert list(m.seeker) == [1] and list(m.vacancy) == [0]


def test_two_firms_one_person_the_person_takes_the_higher_net_wage():
    s = seekers(skill=[2], reservation=[0])
    wage = np.array([90.0, 120.0, 100.0])
    m = match(np.random.default_rng(0), s, vacancies(3), lambda si, vi: wage[vi], PARAMS)
    assert list(m.vacancy) == [1] and m.net_wage[0] == 120.0
    assert m.offers == 3          # the other two offers lapse: those posts stay open this month


def test_a_declined_offer_passes_to_the_next_ranked_applicant_in_the_next_round():
    s = seekers(skill=[3, 1, 2], reservation=[150.0, 0, 0])   # the best fit refuses 120
    def wage(si, vi):
        return np.full(si.size, 120.0)
    one = match(np.random.default_rng(0), s, vacancies(1), wage, PARAMS)
    assert one.seeker.size == 0 and one.offers == 1           # one round: the post stays vacant
    two = match(np.random.default_rng(0), s, vacancies(1), wage, {**PARAMS, "offer_rounds": 3})
    assert list(two.seeker) == [2] and two.offers == 2        # then the second-ranked takes it, and it closes


def test_offers_below_the_reservation_wage_are_refused():
    s = seekers(skill=[2], reservation=[150.0])
    m = match(np.random.default_rng(0), s, vacancies(2), lambda si, vi: np.full(si.size, 120.0), PARAMS)
    assert m.seeker.size == 0


def test_skill_requirements_screen_out_applicants():
    s = seekers(skill=[0, 0], reservation=[0, 0])
    m = match(np.random.default_rng(0), s, vacancies(1, required=[3]), lambda si, vi: np.full(si.size, 100.0), PARAMS)
    assert m.seeker.size == 0


@pytest.mark.parametrize("share", [0.1, 0.25, 0.6])
def test_suitability_keeps_that_share_of_applications_and_fills_posts_as_an_urn_ball(share):
    """Screening keeps each qualified application with probability `suitability`; the application
    draws come first, so the same seed gives the same applications and the kept share is binomial.
    Known answer: seekers sending Poisson(0.1) applications (almost never two, so no offer is wasted
    on a person holding another; five offer rounds pass the rare wasted offer down) to 10x fewer posts
    give each post Poisson(1) applications, and a post is filled iff one of them is suitable:
    1 - exp(-share) of the posts (urn-ball)."""
    n, v = 200_000, 20_000
    s = seekers(skill=np.zeros(n), reservation=np.zeros(n), rate=0.1)
    def wage(si, vi):
        return np.full(si.size, 100.0)
    params = {**PARAMS, "offer_rounds": 5}
    full = match(np.random.default_rng(7), s, vacancies(v), wage, params)
    kept = match(np.random.default_rng(7), s, vacancies(v), wage, {**params, "suitability": share})
    sd = np.sqrt(share * (1 - share) / full.applications)
    assert abs(kept.applications / full.applications - share) <= 4 * sd
    expected = 1 - np.exp(-share * full.applications / v)
    np.testing.assert_allclose(kept.seeker.size / v, expected, atol=0.01)
    none = match(np.random.default_rng(7), s, vacancies(v), wage, {**params, "suitability": 0.0})
    assert none.applications == 0 and none.seeker.size == 0


def test_one_job_per_person_and_one_person_per_job_in_a_large_random_market():
    rng = np.random.default_rng(42)
    n, v = 3000, 1200
    s = seekers(skill=rng.integers(0, 5, n), reservation=rng.uniform(0, 80, n), rate=1.5)
    vac = vacancies(v, required=rng.integers(0, 3, v))
    wage = rng.uniform(50, 150, v)
    params = {**PARAMS, "screening_noise": [1.0, 0.6, 0.8, 0.7, 0.5]}
    m = match(rng, s, vac, lambda si, vi: wage[vi], params)
    assert m.seeker.size > 0
    assert np.unique(m.seeker).size == m.seeker.size
    assert np.unique(m.vacancy).size == m.vacancy.size
    assert (s.skill[m.seeker] >= vac.required[m.vacancy]).all()
    assert (m.net_wage >= s.reservation[m.seeker]).all()


def test_first_of_groups_picks_the_maximum_in_each_group():
    group = np.array([2, 1, 2, 1, 3])
    score = np.array([0.5, 0.1, 0.9, 0.7, -1.0])
    assert sorted(first_of_groups(group, score).tolist()) == [2, 3, 4]


def _matches(rng, n_seekers, n_vacancies, rate=1.0):
    s = seekers(skill=np.zeros(n_seekers), reservation=np.zeros(n_seekers), rate=rate)
    params = {**PARAMS, "screening_noise": [1.0] * N_CHANNELS}
    return match(rng, s, vacancies(n_vacancies), lambda si, vi: np.full(si.size, 100.0), params).seeker.size


def test_emergent_matching_function_has_constant_returns_and_unemployment_elasticity_near_half():
    """log M = c + a log U + b log V fitted on synthetic markets (Petrongolo and Pissarides 2001:
    a in 0.3-0.7, a + b close to 1)."""
    rng = np.random.default_rng(7)
    rows = []
    for u in (1000, 2000, 4000):
        for v in (1000, 2000, 4000):
            rows.append((np.log(u), np.log(v), np.log(np.mean([_matches(rng, u, v) for _ in range(3)]))))
    x = np.array([[1.0, lu, lv] for lu, lv, _ in rows])
    _, a, b = np.linalg.lstsq(x, np.array([m for *_, m in rows]), rcond=None)[0]
    assert 0.3 <= a <= 0.7, a
    assert abs(a + b - 1.0) < 0.1, a + b


def test_an_urban_post_hires_no_one_at_or_past_the_statutory_retirement_age():
    """Labour contracts end at the statutory age (《劳动合同法实施条例》第二十一条): an urban unit's post
    passes over the better-ranked applicant who has reached it; a rural (farm) post may take them."""
    base = seekers(skill=[3, 1], reservation=[0, 0])
    s = Seekers(**{**base.__dict__, "age_m": np.array([61 * 12, 30 * 12]), "statutory_m": np.array([60 * 12, 60 * 12])})
    v = vacancies(2)
    v.urban = np.array([True, False])
    m = match(np.random.default_rng(0), s, v, lambda si, vi: np.where(vi == 0, 200.0, 100.0), PARAMS)
    assert dict(zip(m.seeker.tolist(), m.vacancy.tolist(), strict=True)) == {0: 1, 1: 0}
    v.urban = np.array([False, False])                   # both rural: the best fit takes the better-paid post
    m = match(np.random.default_rng(0), s, v, lambda si, vi: np.where(vi == 0, 200.0, 100.0), PARAMS)
    assert dict(zip(m.seeker.tolist(), m.vacancy.tolist(), strict=True))[0] == 0
