"""The back-cast, the calibration by simulated moments, and their commands (issue 5)."""

from __future__ import annotations

import difflib
import json
import shutil

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sim import backcast, smm
from sim.cli import main
from sim.errors import InputError
from sim.params import DATA_DIR, file_hash, load_city


@pytest.fixture(scope="module")
def city():
    return load_city("shanwei")


@pytest.fixture
def city_copy(tmp_path):
    path = tmp_path / "city.yaml"
    shutil.copy(DATA_DIR / "shanwei.yaml", path)
    return path


# -- the end-2015 city ---------------------------------------------------------------------------------
def test_end_2015_stocks_follow_the_plans_growth_rates(city):
    stocks = {r["parameter"]: r["value_2015"] for r in backcast.stocks_2015(city)}
    assert_allclose(stocks["titles.professional_technical_2020"], 107_800 / 1.0989, atol=0.01)
    assert_allclose(stocks["skills.high_skilled_talent_2020"], 51_200 / 3.05, atol=0.01)
    assert stocks["skills.skilled_talent_2020"] == city.get("backcast.skilled_talent_2015")


def test_rebased_city_starts_in_2015_and_leaves_the_original_alone(city):
    rebased = backcast.derive_2015(city)
    assert rebased.meta["base_year"] == 2015 and city.meta["base_year"] == 2020
    assert rebased.get("skills.high_skilled_talent_2020") < city.get("skills.high_skilled_talent_2020")


def test_high_skilled_outturn_exceeds_what_the_certificate_flow_allows(city):
    (f,) = backcast.feasibility(city)
    assert_allclose(f["ceiling"], 51_200 / 3.05 + 5 * 3_359, rtol=1e-9)
    assert f["gap"] > 0 and "统计口径调整" in f["reading"]


@pytest.mark.parametrize("sim, obs, goal, expected", [
    (110.0, 100.0, "15%", True), (116.0, 100.0, "15%", False), (84.0, 100.0, "15%", False),
    (2.8, 2.33, "0.5pt", True), (2.9, 2.33, "0.5pt", False), (5.0, 1.0, "", None)])
def test_goal_check(sim, obs, goal, expected):
    assert backcast.within_goal(sim, obs, goal) is expected


def test_every_check_has_one_role_and_fitted_moments_are_never_held_out():
    roles = {c.role for c in backcast.CHECKS}
    assert roles <= {"fitted", "identified", "held-out", "input"}
    indicators = [(c.indicator, c.period) for c in backcast.CHECKS]
    assert len(indicators) == len(set(indicators))
    assert {c.moment for c in smm.fitted_checks()} == {
        "urban_new_employment 2016-2019", "registered_unemployment_rate 2020", "unemployed_reemployed 2016-2019",
        "hard_to_employ_reemployed 2016-2020", "employed_outside 2020", "mean_wage 2015-2020", "job_to_job_rate 2020",
        "mean_vacancy_duration_months 2020", "pes_vacancy_to_seeker_ratio 2016"}
    # named before fitting (the markets issue): the rows the calibration never sees
    assert {c.moment for c in backcast.CHECKS if c.role == "held-out"} == {
        "urban_new_employment 2020", "unemployed_reemployed 2020", "pes_vacancy_to_seeker_ratio 2017",
        "pes_vacancy_to_seeker_ratio 2018", "high_skilled_talent 2020", "high_skilled_share 2020",
        "pes_certified_vacancy_ratio 2016"}


def years(period: str) -> set[int]:
    first, last = (int(y) for y in (period.split("-") * 2)[:2])
    return set(range(first, last + 1))


def test_a_held_out_year_is_in_no_fitted_period_of_the_same_indicator():
    """The time split: 2020's urban new employment and re-employment are held out, so the fit sees the
    2016-2019 part of the five-year totals only."""
    fitted = smm.fitted_checks()
    for held in (c for c in backcast.CHECKS if c.role == "held-out"):
        for f in (f for f in fitted if f.indicator == held.indicator and f.statistic == ""):
            assert not years(held.period) & years(f.period), (held.moment, f.moment)


def test_objective_reads_only_fitted_rows():
    """J = sum ((m - d) / sigma)^2 over the fitted moments; other rows of the table do not enter."""
    table = pd.DataFrame({"moment": ["a", "b", "c"], "role": ["fitted", "fitted", "held-out"],
                          "simulated": [110.0, 2.0, 999.0], "observed": [100.0, 2.5, 1.0], "sd": 0.0})
    moments = smm.Moments(["a", "b"], np.array([100.0, 2.5]), np.array([10.0, 0.25]), np.array([10.0, 0.25]))
    assert_allclose(moments.objective(table), 1.0 ** 2 + 2.0 ** 2)
    table.loc[2, "simulated"] = -5.0
    assert_allclose(moments.objective(table), 1.0 ** 2 + 2.0 ** 2)


def test_calibrated_parameters_all_have_a_range_and_a_moment(city):
    ranges = smm.calibrated_parameters(city)
    assert set(ranges) == {"firms.separation_scale", "firms.vacancy_withdrawal", "registration.pes_contact_urban",
                           "registration.hard_to_employ_recognition", "wages.raise_per_month"}
    for path, (lo, hi) in ranges.items():
        assert lo < hi and lo <= city.get(path) <= hi
        assert city.params[path].meta.get("moment")


# -- simulation -----------------------------------------------------------------------------------------
def test_backcast_at_the_default_scale_meets_the_issue_goals(city):
    """Default `sim backcast`: scale 20, seeds 1-3. Professional-technical talent and urban new employment
    within 15% of the 13th-plan outturns, the registered rate within 0.5 points; skilled talent within 15%
    (its end-2015 stock is derived from the 2020 one, so this checks the flows, not a prediction)."""
    table, annual, _ = backcast.backcast(20, [1, 2, 3])
    assert sorted(annual["year"].unique()) == [2015, 2016, 2017, 2018, 2019, 2020]
    goals = table[(table["goal"] != "") & (table["role"] != "held-out")].set_index("indicator")
    assert set(goals.index) == {"professional_technical_talent", "urban_new_employment", "registered_unemployment_rate",
                                "skilled_talent"}
    assert goals["within_goal"].all(), goals[["simulated", "observed", "error_pct"]]
    # the held-out rows, named before fitting: each within 25% of its outturn, or its gap explained
    held_out = table[table["role"] == "held-out"].set_index("moment")
    explained = backcast.gap_explanations(table, load_city("shanwei"))
    outside = set(held_out.index[~held_out["within_goal"].astype(bool)])
    assert outside <= set(explained), outside - set(explained)
    assert all(any(ch.isdigit() for ch in explained[m]) for m in outside)        # with its arithmetic
    # the independent rows the issue asks for (three within 25%): the time split's urban new employment,
    # Guangdong's PES ratio a year after the fitted quarter, Shanwei's own PES ratio in 2018
    assert not {"urban_new_employment 2020", "pes_vacancy_to_seeker_ratio 2017", "pes_vacancy_to_seeker_ratio 2018"} & outside


def test_problem_uses_common_random_numbers(city):
    """The same candidate gives the same table (simulated afresh); a different one a different table."""
    problem = smm.Problem.from_city(city, 400, [1], "shanwei")
    values = problem.values(problem.unit({n: city.get(n) for n in problem.names}))
    again = smm.Problem.from_city(city, 400, [1], "shanwei").table(values)     # a second, independent simulation
    pd.testing.assert_frame_equal(problem.table(values), again)
    other = problem.table_at(np.clip(problem.unit(values) + 0.3, 0, 1))
    assert not other["simulated"].equals(again["simulated"])


# -- writing the data file ------------------------------------------------------------------------------
def test_write_values_changes_only_the_fitted_lines(city_copy):
    before = city_copy.read_text(encoding="utf-8").split("\n")
    smm.write_values(city_copy, {"firms.separation_scale": 0.3456, "firms.vacancy_withdrawal": 0.05}, "fitted in a test")
    after = city_copy.read_text(encoding="utf-8").split("\n")
    changed = [line[2:] for line in difflib.ndiff(before, after) if line.startswith("+ ")]
    assert sorted(line.strip() for line in changed) == sorted(
        ["value: 0.3456", "value: 0.05", 'note: "fitted in a test"', 'note: "fitted in a test"'])
    data = load_city(str(city_copy))
    assert data.get("firms.separation_scale") == 0.3456 and data.get("firms.vacancy_withdrawal") == 0.05
    assert sum(line.startswith("#") for line in after) == sum(line.startswith("#") for line in before)


def test_write_values_writes_each_standard_error_and_drops_a_stale_one(city_copy):
    """A fit's finite standard error is written as the parameter's `se:` (the uncertainty ensembles sample
    from it); a refit that has none for a parameter (not identified: infinite) removes the old one."""
    smm.write_values(city_copy, {"firms.separation_scale": 0.3, "firms.vacancy_withdrawal": 0.2}, "fit one",
                     {"firms.separation_scale": 0.04321, "firms.vacancy_withdrawal": 0.01})
    data = load_city(str(city_copy))
    assert data.params["firms.separation_scale"].meta["se"] == 0.04321
    assert data.params["firms.vacancy_withdrawal"].meta["se"] == 0.01
    smm.write_values(city_copy, {"firms.separation_scale": 0.31}, "fit two", {"firms.separation_scale": np.inf})
    data = load_city(str(city_copy))
    assert "se" not in data.params["firms.separation_scale"].meta and data.get("firms.separation_scale") == 0.31
    assert data.params["firms.vacancy_withdrawal"].meta["se"] == 0.01          # untouched by the second fit


@pytest.mark.parametrize("spec, message", [
    ({"value": 0.1, "provenance": "assumption", "range": [0, 1], "reasoning": "r", "se": 0.01}, "only a calibrated"),
    ({"value": 0.1, "provenance": "calibrated", "moment": "m", "se": -0.01}, "finite number >= 0"),
    ({"value": 0.1, "provenance": "calibrated", "moment": "m", "se": "small"}, "finite number >= 0"),
])
def test_a_standard_error_belongs_to_a_calibrated_value_and_is_a_non_negative_number(spec, message):
    from sim.params import _parse_param

    with pytest.raises(InputError, match=message) as err:
        _parse_param("city.yaml", "group.rate", spec)
    assert "group.rate.se" in str(err.value)


def test_write_values_refuses_unknown_parameters_and_leaves_the_file(city_copy):
    digest = file_hash(city_copy)
    with pytest.raises(InputError, match="firms.no_such_thing"):
        smm.write_values(city_copy, {"firms.no_such_thing": 1.0}, "x")
    assert file_hash(city_copy) == digest


# -- the commands -----------------------------------------------------------------------------------------
def test_calibrate_command_writes_report_and_the_given_data_file_only(tmp_path, city_copy, capsys):
    packaged = file_hash(DATA_DIR / "shanwei.yaml")
    out = tmp_path / "cal"
    parameters = len(smm.calibrated_parameters(load_city(str(city_copy))))
    code = main(["calibrate", "--city", str(city_copy), "--budget", str(parameters + 1), "--scale", "400", "--seeds", "1",
                 "--out", str(out)])
    assert code == 0
    for name in ("fit.csv", "parameters.csv", "evaluations.csv", "fit.md", "manifest.json"):
        assert (out / name).is_file(), name
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit["role"]) == {"fitted", "identified", "held-out", "input"}
    evaluations = pd.read_csv(out / "evaluations.csv")          # the start, then one per parameter for the SEs
    assert list(evaluations["purpose"]) == ["search"] + ["jacobian"] * parameters
    assert {"sigma", "fits"} <= set(fit.columns) and fit.loc[fit["role"] == "fitted", "sigma"].gt(0).all()
    params = pd.read_csv(out / "parameters.csv").set_index("parameter")
    assert {"se", "ci_low", "ci_high", "identified"} <= set(params.columns)
    assert ((params["ci_low"] >= params["range_low"]) & (params["ci_high"] <= params["range_high"])).all()
    settings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["settings"]
    moments = len(smm.fitted_checks())
    assert settings["dof"] == moments - parameters > 0 and 0 <= settings["p_value"] <= 1 and settings["objective"] >= 0
    assert f"M − P = {moments - parameters} degrees of freedom" in (out / "fit.md").read_text(encoding="utf-8")
    fitted = load_city(str(city_copy))
    for name, row in params.iterrows():
        assert_allclose(fitted.get(name), row["after"], rtol=1e-3)
    assert file_hash(DATA_DIR / "shanwei.yaml") == packaged
    assert "held-out" in capsys.readouterr().out


def test_calibrate_no_write_leaves_the_data_file(tmp_path, city_copy):
    digest = file_hash(city_copy)
    assert main(["calibrate", "--city", str(city_copy), "--budget", "2", "--scale", "800", "--seeds", "1",
                 "--out", str(tmp_path / "c"), "--no-write"]) == 0
    assert file_hash(city_copy) == digest


def test_backcast_command_writes_its_table_and_chart(tmp_path, capsys):
    out = tmp_path / "bc"
    assert main(["backcast", "--scale", "400", "--replicates", "2", "--out", str(out)]) == 0
    table = pd.read_csv(out / "backcast.csv")
    assert {"indicator", "simulated", "observed", "error", "role"} <= set(table.columns)
    assert np.isfinite(table["simulated"]).all()
    for name in ("backcast.md", "backcast.png", "backcast.svg", "annual.parquet", "manifest.json"):
        assert (out / name).is_file(), name
    assert "统计口径调整" in (out / "backcast.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, key", [
    (["backcast", "--scale", "0"], "--scale"),
    (["backcast", "--replicates", "0"], "--replicates"),
    (["calibrate", "--seeds", "1,x"], "--seeds"),
    (["calibrate", "--seeds", "1,1"], "--seeds"),
    (["calibrate", "--budget", "1"], "--budget"),
    (["calibrate", "--city", "nowhere.yaml"], "nowhere.yaml"),
])
def test_bad_arguments_fail_with_one_line_and_write_nothing(tmp_path, capsys, argv, key):
    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and key in err
    assert not out.exists()


def test_broken_city_file_fails_before_running(tmp_path, city_copy, capsys):
    text = city_copy.read_text(encoding="utf-8").replace("    value: 288000", "    value: -5", 1)
    city_copy.write_text(text, encoding="utf-8")
    assert main(["backcast", "--city", str(city_copy), "--out", str(tmp_path / "o")]) == 2
    assert "backcast.skilled_talent_2015" in capsys.readouterr().err
