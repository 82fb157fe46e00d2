"""Sensitivity analysis: known answers of the analysis layer, the problem builder, rounding,
an end-to-end run at a tiny configuration (with resume), and bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sim import cli
from sim import scenario as scen
from sim import sensitivity as sens
from sim.runner import city_data


def linear_case(bounds):
    chosen = [sens.Factor(f"x{i + 1}", "assumption", lo, hi, False, lo) for i, (lo, hi) in enumerate(bounds)]
    return chosen, sens.problem(chosen)


def test_morris_ranks_a_linear_function_exactly():
    # y = 10 x1 + x2 + 0 x3; x1 on [0, 2]: an elementary effect is the change over the whole range
    chosen, prob = linear_case([(0, 2), (0, 1), (0, 1)])
    X = sens.sample(prob, "morris", 10, seed=3)
    Y = 10 * X[:, 0] + X[:, 1] + 0 * X[:, 2]
    idx = sens.analyse(prob, "morris", X, Y, seed=3)
    assert_allclose(idx["mu_star"], [20, 1, 0], atol=1e-9)
    assert_allclose(idx["mu"], [20, 1, 0], atol=1e-9)
    assert_allclose(idx["sigma"], [0, 0, 0], atol=1e-9)
    targets = [{"outcome": "y", "indicator": "y", "year": 2025, "period": "", "value": 0, "comparator": ">="}]
    table = sens.sensitivity_table(chosen, "morris", X, pd.DataFrame({"y": Y}), targets, seed=3)
    assert list(table["parameter"]) == ["x1", "x2", "x3"] and list(table["rank"]) == [1, 2, 3]


def test_sobol_ranks_a_linear_function_and_shares_its_variance():
    chosen, prob = linear_case([(0, 1)] * 3)
    X = sens.sample(prob, "sobol", 1024, seed=3)
    assert X.shape == (1024 * 5, 3) == (sens.runs_needed("sobol", 1024, 3), 3)
    Y = 10 * X[:, 0] + X[:, 1] + 0 * X[:, 2]
    idx = sens.analyse(prob, "sobol", X, Y, seed=3)
    exact = np.array([100, 1, 0]) / 101            # additive model: S1 = ST = a_i^2 / sum a^2
    assert_allclose(idx["S1"], exact, atol=0.03)
    assert_allclose(idx["ST"], exact, atol=0.03)
    assert idx["ST"].iloc[0] > idx["ST"].iloc[1] > idx["ST"].iloc[2] - 1e-12


def test_an_outcome_that_never_moves_gets_zero_indices_not_nan():
    chosen, prob = linear_case([(0, 1)] * 2)
    X = sens.sample(prob, "sobol", 8, seed=1)
    idx = sens.analyse(prob, "sobol", X, np.full(len(X), 5.0), seed=1)
    assert (idx.to_numpy() == 0).all()


def test_problem_has_every_scalar_assumption_and_calibrated_parameter_and_lists_the_rest():
    sc = scen.load("plan_2025")
    data = city_data(sc)
    chosen, excluded = sens.factors(sc, data)
    keys = {f.key for f in chosen}
    left_out = {e.key: e.reason for e in excluded}
    for path, p in data.params.items():
        if p.provenance not in ("assumption", "calibrated"):
            continue
        key = path if path.startswith("policies.") else f"assumptions.{path}"
        scalar = isinstance(p.value, (int, float)) and not isinstance(p.value, bool)
        grouped = isinstance(p.value, list) and p.meta.get("sample")
        if path.startswith("backcast."):
            assert "back-cast" in left_out[key] and key not in keys, key
        elif path.startswith("calibration."):
            assert "sim calibrate" in left_out[key] and key not in keys, key
        elif path.startswith("policies.") and path.split(".")[1] not in sc.policies:    # another city's measure
            assert key in left_out and key not in keys, key
        elif (scalar or grouped) and p.range and p.range[0] < p.range[1]:
            assert key in keys, key
        else:
            assert key in left_out and key not in keys, key      # nothing skipped silently
    assert "a list of 3 values" in left_out["assumptions.matching.informal_reach_own_place"]
    assert "month" in left_out["policies.order_training.start"]
    sep = next(f for f in chosen if f.key == "assumptions.firms.separation_scale")
    assert (sep.provenance, sep.low, sep.high) == ("calibrated", 0.2, 0.8)
    assert "table column" in left_out["assumptions.sectors.<row>.employment_share"]
    for table, cols in data.columns.items():                      # every column: a factor or a reason
        for col, spec in cols.items():
            if spec.get("kind") != "label" and spec.get("provenance") in ("assumption", "calibrated"):
                key = f"assumptions.{table}.<row>.{col}"
                assert (key in keys) != (key in left_out), key
                assert (key in keys) == bool(spec.get("sample")), key
    own = scen.load("plan_2025", {"assumptions.outside_market.wage_premium": 0.7, "policies.order_training.seats_per_year": 3000})
    _, excluded_own = sens.factors(own, city_data(own))
    reasons = {e.key: e.reason for e in excluded_own}
    assert "set by scenario" in reasons["assumptions.outside_market.wage_premium"]
    assert "set by scenario" in reasons["policies.order_training.seats_per_year"]
    own_cell = scen.load("plan_2025", {"assumptions.sectors.electronics.trend": 0.12})
    chosen_cell, excluded_cell = sens.factors(own_cell, city_data(own_cell))
    assert "assumptions.sectors.<row>.trend" not in {f.key for f in chosen_cell}
    assert "set by scenario" in {e.key: e.reason for e in excluded_cell}["assumptions.sectors.<row>.trend"]
    base = scen.load("baseline")
    chosen_b, excluded_b = sens.factors(base, city_data(base))
    assert not any(f.key.startswith("policies.") for f in chosen_b)
    assert "not switched on" in {e.key: e.reason for e in excluded_b}["policies.order_training.seats_per_year"]


def test_a_list_or_column_marked_sample_moves_as_one_input_inside_its_range():
    """`sample: shift` (sector demand trends) and `sample: scale` (screening noise, a list) are one
    factor each: the interval is the largest common shift / multiplier keeping every cell inside the
    range; the data's own value (0 / 1) reproduces the data; the overrides make a valid scenario."""
    sc = scen.load("plan_2025")
    data = city_data(sc)
    chosen = {f.key: f for f in sens.factors(sc, data)[0]}
    trend = chosen["assumptions.sectors.<row>.trend"]
    lo, hi = data.columns["sectors"]["trend"]["range"]
    own = data.column("sectors", "trend")
    assert trend.how == "shift" and trend.value == 0.0 and len(trend.cells) == len(own)
    np.testing.assert_allclose([trend.low, trend.high], [lo - min(own), hi - max(own)])
    noise = chosen["assumptions.matching.screening_noise"]
    values = data.get("matching.screening_noise")
    np.testing.assert_allclose([noise.low, noise.high], [0.3 / min(values), 1.5 / max(values)])
    group = [trend, noise]
    same = sens.overrides(group, np.array([0.0, 1.0]))
    assert same["assumptions.matching.screening_noise"] == values
    assert [same[f"assumptions.sectors.{r}.trend"] for r in data.table("sectors")] == own
    for x in ([trend.low, noise.low], [trend.high, noise.high]):
        out = sens.overrides(group, np.array(x))
        cells = [out[f"assumptions.sectors.{r}.trend"] for r in data.table("sectors")]
        assert lo - 1e-12 <= min(cells) and max(cells) <= hi + 1e-12
        np.testing.assert_allclose(np.subtract(cells, own), x[0], atol=1e-9)          # a common shift
        np.testing.assert_allclose(np.divide(out["assumptions.matching.screening_noise"], values), x[1])
        moved = city_data(scen.load("plan_2025", out))
        assert moved.column("sectors", "trend") == cells


def test_a_bad_sample_mark_in_the_data_file_names_the_key():
    from sim.errors import InputError
    from sim.params import _parse_param

    with pytest.raises(InputError, match="sample must be one of"):
        _parse_param("city.yaml", "matching.screening_noise",
                     {"value": [1.0], "provenance": "assumption", "reasoning": "r", "range": [0, 2], "sample": "stretch"})


def test_integer_parameters_are_rounded_and_stay_in_range():
    chosen = [sens.Factor("assumptions.matching.max_applications", "assumption", 4, 10, True, 6),
              sens.Factor("assumptions.outside_market.wage_premium", "assumption", 0.25, 0.8, False, 0.5)]
    out = sens.overrides(chosen, np.array([6.6, 0.333]))
    assert out == {"assumptions.matching.max_applications": 7, "assumptions.outside_market.wage_premium": 0.333}
    assert type(out["assumptions.matching.max_applications"]) is int
    assert sens.overrides(chosen, np.array([10.0, 0.8]))["assumptions.matching.max_applications"] == 10
    sc = scen.load("plan_2025")
    chosen, _ = sens.factors(sc, city_data(sc))
    integer = {f.key for f in chosen if f.integer}
    assert {"policies.order_training.level", "assumptions.registration.ui_months"} <= integer
    assert "assumptions.outside_market.wage_premium" not in integer


TINY = ["plan_2025", "--scale", "2000", "--end", "2025-12", "--workers", "0", "--noise-runs", "3",
        "--only", "outside_market.wage_premium", "--only", "policies.order_training.level"]


def test_end_to_end_tiny_morris_run_writes_finite_indices_for_every_outcome_and_resumes(tmp_path, capsys):
    out = tmp_path / "sens"
    assert cli.main(["sensitivity", *TINY, "--method", "morris", "--trajectories", "2", "--out", str(out)]) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    targets = [t for t in sens.outcome_targets(city_data(scen.load("plan_2025")), 2025)]
    assert set(table["outcome"]) == {t["outcome"] for t in targets} and len(targets) >= 10
    assert set(table["parameter"]) == {"assumptions.outside_market.wage_premium", "policies.order_training.level"}
    assert np.isfinite(table[["mu", "mu_star", "sigma", "mu_star_conf"]].to_numpy()).all()
    assert (table.groupby("outcome")["rank"].min() == 1).all()
    assert (table["noise_floor"] >= 0).all() and table["above_noise"].isin([True, False]).all()
    outcomes = pd.read_csv(out / "outcomes.csv")
    assert np.isfinite(outcomes[["gap_mean", "noise_sd", "noise_floor"]].to_numpy()).all()
    excluded = pd.read_csv(out / "excluded.csv")
    assert "not selected by --only" in set(excluded["reason"]) and excluded["reason"].str.contains("list").any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["data_hash"].startswith("sha256:")
    assert manifest["settings"]["runs"] == 2 * 3 and manifest["scenarios"][0]["scenario"] == "plan_2025"
    assert len(list((out / "runs" / "results").glob("*.parquet"))) == 6
    assert len(list((out / "runs" / "noise" / "results").glob("*.parquet"))) == 3
    assert (out / "sensitivity.png").stat().st_size > 0 and (out / "sensitivity.svg").is_file()
    assert len(list((out / "sensitivity_charts").glob("*.png"))) == len(targets)
    assert not sens.work_dir(out).exists()
    printed = capsys.readouterr().out
    assert "registered_unemployment_rate 2025" in printed and "1. " in printed
    p = sens.plan(sens.Settings("plan_2025", "morris", 2, 2000, 1, 1, "2025-12",
                                ("outside_market.wage_premium", "policies.order_training.level"), noise_runs=3))
    again = sens.execute(p, out, workers=0, resume=True, progress=False)
    assert again["skipped_as_done"] == 6 + 3 and again["ran"] == 0
    table2, _ = sens.analyse_runs(p, out)
    cols = ["outcome", "parameter", "mu", "mu_star", "sigma", "rank"]
    pd.testing.assert_frame_equal(table[cols], table2[cols], check_dtype=False)


def test_end_to_end_tiny_sobol_run(tmp_path):
    out = tmp_path / "sobol"
    assert cli.main(["sensitivity", *TINY[:-2], "--method", "sobol", "--samples", "2", "--out", str(out), "--no-charts"]) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert np.isfinite(table[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()).all()
    assert json.loads((out / "manifest.json").read_text())["settings"]["runs"] == 2 * (1 + 2)
    assert (table["noise_floor"].between(0, 1)).all()


@pytest.mark.parametrize("args, key", [
    (["no_such_scenario", "--method", "morris"], "no such scenario"),
    (["plan_2025", "--method", "fast"], "--method"),
    (["plan_2025"], "--method"),
    (["plan_2025", "--method", "morris", "--trajectories", "0"], "--trajectories"),
    (["plan_2025", "--method", "morris", "--samples", "8"], "--samples"),
    (["plan_2025", "--method", "sobol", "--samples", "12"], "--samples"),
    (["plan_2025", "--method", "morris", "--scale", "-5"], "--scale"),
    (["plan_2025", "--method", "morris", "--replicates", "0"], "--replicates"),
    (["plan_2025", "--method", "morris", "--end", "2024-12"], "--end"),
    (["plan_2025", "--method", "morris", "--only", "no.such.prefix"], "--only"),
    (["plan_2025", "--method", "morris", "--workers", "-1"], "--workers"),
    (["plan_2025", "--method", "morris", "--noise-runs", "1"], "--noise-runs"),
    (["plan_2025", "--method", "morris", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, args, key):
    out = tmp_path / "out"
    assert cli.main(["sensitivity", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and key in err, err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_non_sensitivity_directory_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert cli.main(["sensitivity", *TINY, "--method", "morris", "--trajectories", "2", "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err and [p.name for p in out.iterdir()] == ["notes.txt"]


def test_noise_floor_is_what_pure_noise_scores():
    chosen, prob = linear_case([(0, 1)] * 2)
    X = sens.sample(prob, "morris", 3000, seed=5)
    Y = np.random.default_rng(5).normal(0.0, 2.0, len(X))          # no input matters; sd 2
    idx = sens.analyse(prob, "morris", X, Y, seed=5)
    assert_allclose(idx["mu_star"], sens.noise_floor("morris", 2.0, 1, Y), rtol=0.05)
    assert_allclose(sens.noise_floor("morris", 2.0, 4, Y), sens.noise_floor("morris", 2.0, 1, Y) / 2)
    assert sens.noise_floor("sobol", 2.0, 1, Y) == pytest.approx(1.0, abs=0.1)


def test_an_interrupted_study_is_kept_aside_and_continued_with_resume(tmp_path, capsys):
    out = tmp_path / "sens"
    p = sens.plan(sens.Settings("plan_2025", "morris", 2, 2000, 1, 1, "2025-12", ("outside_market.wage_premium",), noise_runs=2))
    sens.execute(p, out, workers=0, progress=False)                 # runs done, analysis never written
    args = ["sensitivity", *TINY[:-2], "--noise-runs", "2", "--method", "morris", "--trajectories", "2", "--out", str(out)]
    assert cli.main(args) == 2 and "--resume" in capsys.readouterr().err and not out.exists()
    assert cli.main([*args, "--resume"]) == 0
    assert not sens.work_dir(out).exists() and (out / "sensitivity.csv").is_file()
    assert len(list((out / "runs" / "results").glob("*.parquet"))) == 2 * 2
