"""Results by county (issue 15, point 7): the annual table's per-county rows.

Known answers: each county's counts add up to the city's; a county's rate is what the city's
measure gives for the residents of that county alone; the city's rates and mean duration are the
ratio of the counties' summed parts; the 2020 technical-school enrolment of a county is its schools'
students as the data file splits them. The run ends in June, so its last year is a part year and its
values come from the run's last month, as the city's do. The written annual table gives back the
city's rows exactly, and the target table reads only those.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import indicators
from sim import scenario as scen
from sim.agents.workers import EXITED
from sim.compare import load_annual
from sim.model import LabourMarketModel
from sim.runner import CITY, city_data, city_rows, run, target_table, write_run

OVERRIDES = {"run.scale": 400, "run.end": "2022-06"}
YEARS = (2020, 2021, 2022)
SEED = 3


@pytest.fixture(scope="module")
def scenario():
    return scen.load("baseline", OVERRIDES)


@pytest.fixture(scope="module")
def tables(scenario):
    return run(scenario, seed=SEED)


@pytest.fixture(scope="module")
def counties(scenario) -> list[str]:
    return list(dict.fromkeys(r["county"] for r in city_data(scenario).table("places").values()))


def wide(rows: pd.DataFrame) -> pd.DataFrame:
    """(year, county) x indicator."""
    return rows.pivot_table(index=["year", "county"], columns="indicator", values="value")


def city(tables) -> pd.DataFrame:
    return tables.annual.pivot_table(index="year", columns="indicator", values="value")


def reported(tables) -> list[str]:
    return sorted(tables.counties["indicator"].unique())


COUNTS = [i.id for i in indicators.INDICATORS if i.kind == "stock" and i.unit == "persons"]


def test_every_stock_indicator_has_a_row_for_each_county_and_year(tables, counties):
    stocks = {i.id for i in indicators.INDICATORS if i.kind == "stock"}
    rates = {"registered_unemployment_rate", "surveyed_unemployment_rate", "high_skilled_share",
             "skilled_share_of_employed"}
    assert set(reported(tables)) == stocks | rates
    assert set(tables.counties["county"]) == set(counties) and CITY not in counties
    grid = wide(tables.counties)
    assert list(grid.index) == [(y, c) for y in YEARS for c in sorted(counties)]
    assert grid[COUNTS].notna().all().all()


def test_county_counts_add_up_to_the_city(tables):
    total = wide(tables.counties)[COUNTS].groupby(level="year").sum()
    pd.testing.assert_frame_equal(total, city(tables)[COUNTS], check_names=False)


def test_city_rates_are_the_ratio_of_the_counties_summed_parts(tables):
    by, whole = wide(tables.counties), city(tables)
    total = by.groupby(level="year").sum()
    np.testing.assert_allclose(100 * total["high_skilled_talent"] / total["skilled_talent"],
                               whole["high_skilled_share"], rtol=1e-12)
    np.testing.assert_allclose(100 * by["high_skilled_talent"] / by["skilled_talent"], by["high_skilled_share"],
                               rtol=1e-12)
    weighted = (by["mean_unemployment_duration_months"] * by["unemployed"]).groupby(level="year").sum()
    np.testing.assert_allclose(weighted / total["unemployed"], whole["mean_unemployment_duration_months"], rtol=1e-12)


def test_a_countys_values_are_the_city_measure_of_its_residents_alone(scenario, counties):
    """Everyone living elsewhere taken out of the population (marked exited), the city's own measure
    gives the county's value, for every residence-based indicator (enrolment: its schools' students)."""
    model = LabourMarketModel(scenario, seed=SEED)
    model.run()
    by = indicators.by_county(model)
    pop, w = model.pop, model.world
    status = pop.status.copy()
    for c, name in enumerate(w.county_names):
        pop.status[:] = np.where(w.place_county[pop.place] == c, status, EXITED)
        alone = indicators.measure(model, {}, {})
        pop.status[:] = status
        for ind in by:
            if ind != "technical_school_enrolment":
                np.testing.assert_allclose(by[ind][c], alone[ind], rtol=1e-12, err_msg=f"{name} {ind}")
    assert w.county_names == counties


def test_2020_enrolment_is_each_countys_schools_students(scenario, tables):
    data, k = city_data(scenario), scenario.scale
    expected = {}
    for s in data.table("technical_schools").values():
        county = data.table("places")[s["place"]]["county"]
        expected[county] = expected.get(county, 0) + round(s["students_2020"] / k) * k
    got = wide(tables.counties).loc[2020, "technical_school_enrolment"]
    assert {c: v for c, v in got.items() if v} == expected


def test_the_written_annual_table_gives_back_the_city_rows(scenario, tables, tmp_path, counties):
    write_run(tmp_path / "run", [(scenario, city_data(scenario), tables)])
    written = pd.read_parquet(tmp_path / "run" / "annual.parquet")
    assert list(written.columns) == ["scenario", "replicate", "seed", "year", "county", "indicator", "value"]
    assert set(written["county"]) == {CITY, *counties}
    pd.testing.assert_frame_equal(city_rows(written), tables.annual)
    assert len(written) == len(tables.annual) + len(tables.counties)


def test_targets_read_only_the_city_rows(scenario, tables, tmp_path):
    data = city_data(scenario)
    write_run(tmp_path / "run", [(scenario, data, tables)])
    again = target_table(load_annual(tmp_path / "run"), data)
    pd.testing.assert_frame_equal(again, target_table(tables.annual, data))
    assert "registered_unemployment_rate" in set(again["indicator"])      # a target with county rows too
