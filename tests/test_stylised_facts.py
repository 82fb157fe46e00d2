"""Stylised facts as property tests over a demand-shock sweep (sim/stylised.py has the concepts and
the literature: Petrongolo and Pissarides 2001; Blanchard and Diamond 1989, Shimer 2005; Machin and
Manning 1999). No matching-function estimates exist for Shanwei, so the international ranges are used.

One sweep is shared by the tests: the baseline at K = 20 persons per agent (the scale of `sim calibrate`
and `sim backcast`; K = 10 gives the same estimates), permanent demand shifts of -10% ... +10% on all sectors
spread over 2023 (after a two-year burn-in), seeds 1-5: 25 runs, about 25-50 s on a two-core
machine. Coarser scales push the estimated returns up (sampling noise of whole agents becomes
variation of its own) and wider sweeps bend them down (the log-linear form is a local approximation
of a technology that saturates in deep slumps and booms); docs/ODD.md §10 has both tables. Each
property is asserted on the pooled estimate and seed by seed, with the tolerance stated where it
is asserted. The estimators are checked first on synthetic data with known answers, so that each
test can fail.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

import sim.model
import sim.rules.matching
from sim import stylised as st
from sim import stylised_measures as sm
from sim.agents.firms import Vacancies
from sim.matching import Seekers
from sim.runner import city_data

SCALE = st.DEFAULT_SCALE


@pytest.fixture(scope="module")
def sweep() -> st.Sweep:
    return st.demand_sweep(scale=SCALE)


# -- the estimators on known answers -----------------------------------------------------------------
def synthetic_panel(alpha: float, beta: float, seeds=range(5), months: int = 36, noise: float = 0.05) -> pd.DataFrame:
    """A Cobb-Douglas market: H = 0.4 U^alpha V^beta exp(e), with U and V moving along a Beveridge-like
    curve plus independent noise, and a seasonal pattern in hires."""
    rng = np.random.default_rng(123)
    rows = []
    for seed in seeds:
        for size in st.SHOCK_SIZES:
            for t in range(months):
                lu = np.log(80_000) - 2.0 * size + rng.normal(0, 0.1)
                lv = np.log(24_000) + 3.0 * size + rng.normal(0, 0.1)
                moy = t % 12 + 1
                lh = np.log(0.4) + alpha * lu + beta * lv + 0.05 * (moy == 7) + rng.normal(0, noise)
                rows.append({"shock_size": size, "seed": seed, "month": f"{2023 + t // 12}-{moy:02d}",
                             "seekers": np.exp(lu), "vacancies": np.exp(lv), "hires": np.exp(lh)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("alpha,beta", [(0.5, 0.5), (0.3, 0.8), (0.7, 0.2)])
def test_estimator_recovers_a_known_matching_function(alpha, beta):
    fit = st.matching_function(synthetic_panel(alpha, beta))
    np.testing.assert_allclose([fit.alpha, fit.beta, fit.returns], [alpha, beta, alpha + beta], atol=0.03)
    assert 0 < fit.se_alpha < 0.05 and 0 < fit.se_returns < 0.05
    restricted = st.matching_function(synthetic_panel(alpha, 1 - alpha), constant_returns=True)
    np.testing.assert_allclose(restricted.alpha, alpha, atol=0.03)


def test_skewness_helper_signs_and_values():
    rng = np.random.default_rng(5)
    assert sm.skewness(rng.exponential(1.0, 100_000)) == pytest.approx(2.0, abs=0.1)    # exponential: 2
    assert sm.skewness(-rng.exponential(1.0, 100_000)) == pytest.approx(-2.0, abs=0.1)  # left-skewed
    assert abs(sm.skewness(rng.normal(size=100_000))) < 0.05


def test_beveridge_slope_on_a_known_curve():
    rows = [{"seed": 1, "shock_size": s, "month": "2025-01", "unemployed": u, "employed": 1000 - u, "vacancies": v}
            for s, u, v in [(-0.1, 80, 10), (0.0, 50, 20), (0.1, 30, 40)]]
    assert st.beveridge(pd.DataFrame(rows), ("2025-01", "2025-01"))["slope"].iloc[0] < 0
    rows = [{**r, "vacancies": 70 - r["vacancies"]} for r in rows]   # an upward-sloping curve
    assert st.beveridge(pd.DataFrame(rows), ("2025-01", "2025-01"))["slope"].iloc[0] > 0


def test_probe_changes_nothing():
    """The probed model draws the same numbers and gives the same indicators as the plain one."""
    sc = st.demand_shock_scenario(-0.1, SCALE, "2021-03", "2021-08")
    data = city_data(sc)
    plain, probed = sim.model.LabourMarketModel(sc, seed=3, data=data), st.ProbedModel(sc, seed=3, data=data)
    for _ in range(12):
        plain.step()
        probed.step()
    assert plain.monthly == probed.monthly
    assert len(probed.rounds) == 12 and all(r["seekers"] >= r["unemployed"] > 0 for r in probed.rounds)
    assert all(0 < r["hires"] <= r["vacancies"] and r["hires_from_unemployment"] <= r["hires"] for r in probed.rounds)
    assert [r["vacancies"] for r in probed.rounds] == [m["vacancies"] for m in plain.monthly]


def test_spells_agree_with_an_independent_month_end_tracker():
    """The probe's completed and ongoing spells equal those of a plain tracker that follows every
    unemployed row from month-end to month-end (a spell continues while the row stays unemployed
    with one more month in status; spells begun before the run are left out)."""
    from sim.agents.workers import UNEMP

    sc = st.demand_shock_scenario(-0.1, SCALE, "2021-06", "2021-12")
    model = st.ProbedModel(sc, seed=2, data=city_data(sc))
    track, done = {}, []
    for t in range(36):
        model.step()
        pop = model.pop
        now = np.flatnonzero(pop.status == UNEMP)
        alive = set(now.tolist())
        for row, (t0, m0) in list(track.items()):
            if not (row in alive and pop.status_m[row] == m0 + t - t0):
                del track[row]
                if t0 - m0 >= 0:
                    done.append(m0 + t - t0)
        for row in now.tolist():
            track.setdefault(row, (t, int(pop.status_m[row])))
    ongoing = [m0 + 36 - t0 for t0, m0 in track.values() if t0 - m0 >= 0]
    assert len(done) > 100
    np.testing.assert_array_equal(np.sort(np.concatenate(model.spells)), np.sort(done))
    np.testing.assert_array_equal(np.sort(model.ongoing_spells()), np.sort(ongoing))


# -- the facts -------------------------------------------------------------------------------------------
def per_seed_fits(panel: pd.DataFrame) -> dict[int, st.MatchingFit]:
    return {seed: st.matching_function(g) for seed, g in panel.groupby("seed")}


MARKETS_ISSUE = ("fails since the job ladder (0.4.0: a quarter of the employed search, posts with age limits); "
                 "measured and discussed in docs/ODD.md §10, 'What fails'")


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="alpha 1.46 pooled (0.76 in 0.4.0); " + MARKETS_ISSUE)
def test_matching_function_unemployment_elasticity_in_the_literature_range(sweep):
    """0.3 <= alpha <= 0.7 (Petrongolo and Pissarides 2001): pooled point estimate, and in at least 4
    of the 5 seeds (one seed's 180 run-months give a standard error of about 0.08-0.10).

    Measured (docs/ODD.md §10): 0.43 pooled, 0.42-0.45 by seed in 0.3.0; 0.76 pooled in 0.4.0, 1.46 in 0.5.1."""
    fit = st.matching_function(sweep.panel)
    assert 0.3 <= fit.alpha <= 0.7, fit
    per_seed = per_seed_fits(sweep.panel)
    inside = [s for s, f in per_seed.items() if 0.3 <= f.alpha <= 0.7]
    assert len(inside) >= 4, {s: round(f.alpha, 3) for s, f in per_seed.items()}


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="alpha + beta 1.85 pooled (1.24 in 0.4.0); " + MARKETS_ISSUE)
def test_matching_function_has_near_constant_returns(sweep):
    """|alpha + beta - 1| <= 0.15 pooled (Petrongolo and Pissarides 2001: constant returns are rarely
    rejected; 0.15 is about 2 cluster-robust standard errors of the pooled sum at this sweep size),
    and within 0.25 in at least 4 of the 5 seeds (one seed's sum has a standard error of about 0.2).

    Measured (docs/ODD.md §10): 0.97 pooled, 0.96-1.00 by seed in 0.3.0, 1.24 in 0.4.0, 1.85 in 0.5.1.
    What made it hold in 0.3.0 was screening
    (`matching.suitability`): with every qualified applicant acceptable the urn-ball round was
    saturated (about 6 seekers per open post, nearly all posts with an applicant filled) and the sum
    was 1.2."""
    fit = st.matching_function(sweep.panel)
    assert abs(fit.returns - 1) <= 0.15, fit
    per_seed = per_seed_fits(sweep.panel)
    inside = [s for s, f in per_seed.items() if abs(f.returns - 1) <= 0.25]
    assert len(inside) >= 4, {s: round(f.returns, 3) for s, f in per_seed.items()}


TAKEUP_ISSUE = ("since take-up is a choice (issue 15) the returns with non-employed seekers fell from 0.94 to 0.84 "
                "(alpha 0.35) and with the cohort's own streams to 0.79 (alpha 0.33, se 0.04), K = 20: not understood yet")


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=TAKEUP_ISSUE)
@pytest.mark.parametrize("amplitude", [0.10])
def test_returns_with_non_employed_seekers_do_not_depend_on_the_sweeps_amplitude(sweep, amplitude):
    """The headline sum depends on the sweep's amplitude (docs/ODD.md §10: 1.23 at ±5%, 0.97 at
    ±10%, 0.86 at ±15%) because on-the-job searchers, about a third of the head count, move with
    employment and decline most of the offers they get. Counting only non-employed seekers against all
    hires, the returns are near constant at every amplitude: |alpha + beta - 1| <= 0.15 at ±5%, ±10%
    (measured 1.06, 0.99, 0.99 before 0.4.0; at ±10% 0.67 in 0.4.0-0.5.0, when it was an expected failure,
    0.94 with alpha 0.42 in 0.5.1 and 0.6.0, and 0.79 with alpha 0.33 since take-up and the cohort's
    streams, issue 15: an expected failure again), with alpha in 0.3-0.7. The suite runs the shared ±10%
    sweep only; ±5% and ±15% are `scripts/stylised_facts.py --amplitude 0.05|0.15` (25 runs each)."""
    sizes = tuple(round(amplitude * k / 2, 6) for k in (-2, -1, 0, 1, 2))
    panel = sweep.panel if sizes == st.SHOCK_SIZES else st.demand_sweep(sizes=sizes, scale=SCALE).panel
    fit = st.matching_function(st.with_nonemployed_seekers(panel), "hires", "nonemployed_seekers")
    assert abs(fit.returns - 1) <= 0.15 and 0.3 <= fit.alpha <= 0.7, fit


def test_matching_round_has_constant_returns_with_composition_held_fixed(monkeypatch):
    """The technology alone: take one month's real seekers and vacancies, keep random halves or
    quarters of both, and match again. Matches scale in proportion (within 5%)."""
    captured = {}
    real_match = sim.rules.matching.match

    def grab(rng, seekers, vac, net_wage, params):
        captured.update(s=seekers, v=vac, f=net_wage, p=params)
        return real_match(rng, seekers, vac, net_wage, params)

    sc = st.demand_shock_scenario(0.0, SCALE, *st.SHOCK_WINDOW)
    model = sim.model.LabourMarketModel(sc, seed=1, data=city_data(sc))
    for _ in range(30):
        model.step()
    monkeypatch.setattr(sim.rules.matching, "match", grab)
    model.step()
    s, v, f, p = captured["s"], captured["v"], captured["f"], captured["p"]
    rng = np.random.default_rng(0)

    def matches(share: float) -> float:
        out = []
        for _ in range(60):
            si = np.flatnonzero(rng.random(s.row.size) < share)
            vi = np.flatnonzero(rng.random(len(v)) < share)
            s2 = Seekers(**{k.name: getattr(s, k.name)[si] for k in fields(Seekers)})
            v2 = Vacancies(**{k.name: getattr(v, k.name)[vi] for k in fields(Vacancies)})
            out.append(real_match(rng, s2, v2, lambda a, b: f(si[a], vi[b]), p).seeker.size)  # noqa: B023 (called at once)
        return float(np.mean(out))

    full, half, quarter = matches(1.0), matches(0.5), matches(0.25)
    assert full > 50
    assert half / full == pytest.approx(0.5, rel=0.05) and quarter / full == pytest.approx(0.25, rel=0.05)


@pytest.mark.slow
def test_beveridge_curve_slopes_down_when_demand_shifts(sweep):
    """Blanchard and Diamond (1989), Shimer (2005): demand shifts move (u, v) along a downward-sloping
    curve. The slope of v on u across the seven shock sizes (run means over mid-2024 to 2025) is
    negative in every seed, and the pooled slope (seed effects) is below zero by more than 3 SE."""
    per_seed = st.beveridge(sweep.panel)
    assert len(per_seed) == 5 and (per_seed["n_points"] == len(st.SHOCK_SIZES)).all()
    assert (per_seed["slope"] < 0).all(), per_seed
    slope, se = st.beveridge_pooled(sweep.panel)
    assert slope + 3 * se < 0, (slope, se)


@pytest.mark.slow
def test_unemployment_durations_are_right_skewed(sweep):
    """Machin and Manning (1999): many short spells, a long tail. In every seed the completed spells
    (begun during the run) have skewness > 0.5 and a mean above the median; so do the spells still
    running at the end."""
    for completed in (True, False):
        summary = sm.duration_summary(sweep.spells, completed=completed)
        assert len(summary) == 5 and (summary["n"] > 300).all(), summary
        assert (summary["skewness"] > 0.5).all(), summary
        assert (summary["mean"] > summary["median"]).all(), summary


# -- the market facts (issue 13, point 8): design fixed in advance in sim/stylised.py -------------------
def _procyclical(table: pd.DataFrame) -> tuple[bool, bool]:
    """(seed means rise strictly with the shock size, +10% beats -10% in at least 4 of 5 seeds)."""
    means = table.mean(axis=1).to_numpy()
    return bool((np.diff(means) > 0).all()), int((table.loc[0.10] > table.loc[-0.10]).sum()) >= 4


@pytest.mark.slow
def test_offered_wages_rise_with_demand(sweep):
    rising, most_seeds = _procyclical(sm.cyclical(sweep.panel, "offered_wage"))
    assert rising and most_seeds, sm.cyclical(sweep.panel, "offered_wage").round(0)


@pytest.mark.slow
def test_job_to_job_moves_fall_in_a_downturn(sweep):
    rising, most_seeds = _procyclical(sm.cyclical(sweep.panel, "job_to_job_rate"))
    assert rising and most_seeds, sm.cyclical(sweep.panel, "job_to_job_rate").round(4)


@pytest.mark.slow
def test_the_exit_rate_from_unemployment_falls_with_duration(sweep):
    rates = sm.exit_rates(sweep.spells)
    early, middle, late = (sm.band_mean(rates, "all", lo, hi) for lo, hi in ((1, 3), (7, 12), (13, 24)))
    assert early > middle > late, (early, middle, late)
    for seed in sweep.spells["seed"].unique():
        assert sm.band_mean(rates, seed, 1, 3) > sm.band_mean(rates, seed, 7, 12), seed


def test_exit_rates_on_a_known_answer():
    """Geometric spells with exit rate 0.3 (no censoring): the estimate is 0.3 in every month."""
    rng = np.random.default_rng(0)
    months = rng.geometric(0.3, 200_000)
    spells = pd.DataFrame({"seed": 1, "months": months, "completed": True})
    rates = sm.exit_rates(spells, longest=6)
    assert np.allclose(rates[rates["seed"] == 1]["exit_rate"], 0.3, atol=0.01)
