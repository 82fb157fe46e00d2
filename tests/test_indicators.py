"""The market diagnostics of `sim.indicators.market_diagnostics`, on short runs at a coarse scale.

Known answers where there is one (the outside wage is the data file's formula on its own path; the
ratio is posts / seekers), plausible ranges where the value emerges (wages between the sector wages'
range, job-to-job moves below all hires, vacancy durations), firm entries equal to exits at baseline
(replacements) and above them where a measure starts firms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import scenario as scen
from sim.params import load_city
from sim.runner import run

OVERRIDES = {"run.scale": 200, "run.end": "2022-12"}


@pytest.fixture(scope="module")
def runs() -> dict[str, pd.DataFrame]:
    out = {}
    for name in ("baseline", "measure_entrepreneurship"):
        tables = [run(scen.load(name, OVERRIDES), seed) for seed in (1, 2)]
        out[name] = pd.concat([t.monthly for t in tables], ignore_index=True).pivot_table(
            index=["seed", "month"], columns="indicator", values="value")
    return out


def test_wages_are_in_the_range_of_the_sector_wages_and_grow_with_the_index(runs):
    d = load_city("shanwei")
    wages = [r["wage"] for r in d.table("sectors").values()]
    top = max(wages) * (1 + 5 * d.get("firms.skill_wage_step")) * (1 + d.get("labour_market.wage_growth")) ** 2
    m = runs["baseline"]
    for col in ("mean_wage", "mean_offered_wage"):
        assert m[col].between(min(wages), top).all(), (col, m[col].describe())
    december = m.xs("2022-12", level="month")["mean_wage"] / m.xs("2021-01", level="month")["mean_wage"]
    assert (december > 1).all()


def test_the_outside_wage_is_the_data_files_formula(runs):
    d = load_city("shanwei")
    rows = d.table("sectors").values()
    mean_wage = sum(r["wage"] * r["employment_share"] for r in rows) / sum(r["employment_share"] for r in rows)
    growth = {r["year"]: r["growth"] for r in d.table("outside_wage_growth").values()}
    index = (1 + growth[2021]) ** (11 / 12) * (1 + growth[2022])     # its own path: February 2021 to December 2022
    expected = mean_wage * index * (1 + d.get("outside_market.wage_premium"))
    got = runs["baseline"].xs("2022-12", level="month")["outside_wage"]
    assert np.allclose(got, expected, rtol=1e-9)


def test_turnover_tightness_and_durations_are_plausible(runs):
    m = runs["baseline"]
    assert (m["job_to_job_moves"] > 0).all() and (m["job_to_job_moves"] < m["hires"]).all()
    assert m["vacancy_to_seeker_ratio"].between(0.01, 2).all()
    seekers = m["vacancies"] / m["vacancy_to_seeker_ratio"]        # the round's seekers include everyone
    assert (seekers >= m["unemployed"]).all()                      # still unemployed at the month's end
    assert m["mean_unemployment_duration_months"].between(0.5, 24).all()


def test_at_baseline_firms_enter_only_to_replace_closed_ones_and_start_ups_add_to_them(runs):
    base, startups = runs["baseline"], runs["measure_entrepreneurship"]
    assert (base["firm_entries"] == base["firm_exits"]).all() and base["firm_exits"].sum() > 0
    assert (startups["firm_entries"] - startups["firm_exits"]).sum() > 0


def test_the_vacancy_duration_is_the_stock_over_the_posts_filled(runs):
    m = runs["baseline"]
    assert m["mean_vacancy_duration_months"].between(0.5, 9).all()      # 4-6 months in 0.5.0 (docs/ODD.md §9.3)
