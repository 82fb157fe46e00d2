"""The draws of an uncertainty ensemble (sim/ensemble.py): priors, common random numbers, reproducibility."""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
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
    inp = next(i for i in ensemble.inputs(runs) if i.factor.key == "assumptions.outside_market.offer_probability")
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


def test_a_calibrated_value_with_a_zero_standard_error_is_held_at_its_value(runs):
    sc, data = runs[0]
    raw = copy.deepcopy(data.raw)
    raw["firms"]["separation_scale"]["se"] = 0.0
    drawn = ensemble.draws([(sc, CityData(raw, data.where))], 50, seed=1)["assumptions.firms.separation_scale"]
    assert (drawn == data.get("firms.separation_scale")).all()


def test_an_assumption_with_a_triangular_prior_peaks_at_its_value(runs, table):
    from scipy.stats import triang

    inp = next(i for i in ensemble.inputs(runs) if i.factor.key == "assumptions.outside_market.wage_premium")
    assert inp.prior == "triangular"
    f, x = inp.factor, table[inp.factor.key].to_numpy()
    c = (f.value - f.low) / (f.high - f.low)
    assert kstest(x, triang(c, loc=f.low, scale=f.high - f.low).cdf).pvalue > 0.001
    assert kstest((x - f.low) / (f.high - f.low), "uniform").pvalue < 1e-6          # and is not uniform


def test_a_log_uniform_prior_is_uniform_in_the_logarithm(runs):
    sc, data = runs[0]
    raw = copy.deepcopy(data.raw)
    raw["outside_market"]["wage_premium"]["prior"] = "log-uniform"
    x = ensemble.draws([(sc, CityData(raw, data.where))], N, seed=7)["assumptions.outside_market.wage_premium"]
    lo, hi = raw["outside_market"]["wage_premium"]["range"]
    assert kstest((np.log(x) - np.log(lo)) / (np.log(hi) - np.log(lo)), "uniform").pvalue > 0.001


@pytest.mark.parametrize("change, message", [
    ({"prior": "normal"}, "must be one of"),
    ({"prior": "log-uniform", "range": [0.0, 0.8]}, "above 0"),
    ({"prior": "triangular", "provenance": "public", "source": "x"}, "only a scalar assumption"),
])
def test_a_bad_prior_in_the_data_file_names_the_key(runs, change, message):
    from sim.errors import InputError

    raw = copy.deepcopy(runs[0][1].raw)
    raw["outside_market"]["wage_premium"].update(change)
    with pytest.raises(InputError, match=message) as err:
        CityData(raw, runs[0][1].where)
    assert "outside_market.wage_premium" in str(err.value)


def test_the_same_seed_gives_the_same_draws_and_another_seed_others(runs, table):
    again = ensemble.draws(runs, N, seed=7)
    assert again.equals(table)
    other = ensemble.draws(runs, N, seed=8)
    key = "assumptions.outside_market.wage_premium"
    assert not np.allclose(other[key], table[key])


# -- running an ensemble ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_forecast(tmp_path_factory):
    """Baseline and plan over 4 draws at K = 800, through the sweep machinery (one local worker)."""
    from sim.sweep import read_results, sweep

    runs = []
    for name in ("baseline", "plan_2025"):
        sc = scen.load(name, {"run.scale": 800})
        runs.append((sc, city_data(sc)))
    table = ensemble.draws(runs, 4, seed=11)
    keep = sorted({t.indicator for t in runs[0][1].targets})
    out = tmp_path_factory.mktemp("forecast")
    results = []
    for spec in ensemble.specs(runs, table, 800, keep):
        summary = sweep(spec, out / spec.name, workers=1, progress=False)
        assert summary["done"] == 4, summary
        results.append(read_results(out / spec.name))
    return runs, table, results


def test_every_scenario_runs_each_draw_with_its_seed_and_its_values(small_forecast):
    runs, table, results = small_forecast
    key = "assumptions.outside_market.wage_premium"
    for res in results:
        per_draw = res.groupby("point").first()
        assert list(per_draw["seed"]) == list(table["seed"])
        np.testing.assert_allclose(per_draw[f"param:{key}"], table[key])     # the same value in both scenarios


def test_the_summary_gives_p_met_with_its_standard_error_and_the_plans_effect(small_forecast):
    runs, table, results = small_forecast
    annual = ensemble.by_draw(pd.concat(results, ignore_index=True))
    data = runs[0][1]
    summary = ensemble.target_summary(ensemble.outcome_table(annual, data))
    assert set(summary["scenario"]) == {"baseline", "plan_2025"} and (summary["draws"] == 4).all()
    p = summary["prob_met"]
    np.testing.assert_allclose(summary["prob_met_se"], np.sqrt(p * (1 - p) / 4))
    skilled = annual[(annual["indicator"] == "skilled_talent") & (annual["year"] == 2025)]
    assert skilled.groupby("scenario")["value"].std().min() > 0           # the draws move the answer
    eff = ensemble.effects(ensemble.outcome_table(annual, data), "plan_2025", "baseline").set_index("target_id")
    assert eff.loc["subsidised_training_2021-2025", "prob_effect_positive"] == 1.0   # the plan funds more seats


def test_the_share_and_its_error_treat_draws_as_the_independent_units():
    """Known answers: one run per draw gives sqrt(p (1 - p) / n); two runs of a draw count as one unit."""
    x = np.array([1, 0, 0, 1, 1], dtype=bool)
    p, se = ensemble.share_and_se(x, np.arange(5), np.ones(5))
    assert p == 0.6 and se == pytest.approx(np.sqrt(0.6 * 0.4 / 5))
    p, se = ensemble.share_and_se(np.array([1, 1, 0, 0, 1, 0], dtype=bool), np.array([0, 0, 1, 1, 2, 2]), np.ones(6))
    # draw shares 1, 0, 0.5 with weight 2 each: p = 0.5, se = sqrt(4 (0.25 + 0.25 + 0)) / 6
    assert p == 0.5 and se == pytest.approx(np.sqrt(4 * 0.5) / 6)
    p, se = ensemble.share_and_se(np.array([1, 0], dtype=bool), np.array([0, 1]), np.array([3.0, 1.0]))
    assert p == 0.75 and se == pytest.approx(np.sqrt(9 * 0.25 ** 2 + 0.75 ** 2) / 4)


def _rows(values: list[list[float]], scenario: str = "s") -> pd.DataFrame:
    """Outcome rows of one target: values[d] are draw d's runs."""
    out = [{"scenario": scenario, "target_id": "t_2025", "indicator": "t", "year": 2025, "period": "", "target": 4.0,
            "comparator": ">", "source": "a test", "fact_id": "", "draw": d,
            "replicate": d * len(vs) + r, "value": v, "met": v > 4} for d, vs in enumerate(values) for r, v in enumerate(vs)]
    return pd.DataFrame(out)


def test_the_variance_splits_into_parameters_and_seed_by_the_analysis_of_variance():
    """Draws [1, 3] and [5, 7]: seed variance 2 (within), parameters 8 - 2/2 = 7 (draw means 2 and 6)."""
    v = ensemble.variance(_rows([[1, 3], [5, 7]])).iloc[0]
    assert v["sd_seed"] ** 2 == pytest.approx(2) and v["sd_parameters"] ** 2 == pytest.approx(7)
    assert v["share_parameters"] == pytest.approx(7 / 9) and v["share_seed"] == pytest.approx(2 / 9)
    assert ensemble.variance(_rows([[1, 3], [3, 1]])).iloc[0]["share_parameters"] == 0       # no draw effect
    assert np.isnan(ensemble.variance(_rows([[1], [5]])).iloc[0]["share_parameters"])       # one seed: not estimable


def test_the_variance_split_recovers_known_components_over_many_draws():
    """A stochastic check: parameter sd 2 and seed sd 1, 400 draws x 3 seeds, within 15%."""
    rng = np.random.default_rng(5)
    values = (rng.normal(0, 2, (400, 1)) + rng.normal(0, 1, (400, 3))).tolist()
    v = ensemble.variance(_rows(values)).iloc[0]
    assert v["sd_parameters"] == pytest.approx(2, rel=0.15) and v["sd_seed"] == pytest.approx(1, rel=0.15)


def test_weights_move_p_met_the_percentiles_and_the_effects():
    rows = _rows([[1, 2], [5, 6]])
    flat = ensemble.target_summary(rows).iloc[0]
    tilted = ensemble.target_summary(rows, pd.Series([1.0, 3.0], index=[0, 1])).iloc[0]
    assert flat["prob_met"] == 0.5 and tilted["prob_met"] == 0.75 and tilted["p50"] > flat["p50"]
    both = pd.concat([rows, _rows([[0, 0], [0, 0]], "control")], ignore_index=True)
    eff = ensemble.effects(both, "s", "control", pd.Series([0.0, 1.0], index=[0, 1])).iloc[0]
    assert eff["prob_effect_positive"] == 1.0 and eff["p05"] == 5


# -- the command ------------------------------------------------------------------------------------------
def sim_cli(monkeypatch, capsys, cwd, *args):
    """`sim ARGS` in this process (no interpreter start-up): exit code, stdout, stderr."""
    from sim.cli import main

    monkeypatch.chdir(cwd)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def forecast_dir(tmp_path_factory):
    """`sim forecast baseline plan_2025` over 3 draws x 2 seeds at K = 800 (12 runs), shared by the tests below."""
    from sim.cli import main

    cwd = tmp_path_factory.mktemp("cli")
    code = main(["forecast", "baseline", "plan_2025", "--draws", "3", "--scale", "800", "--workers", "0",
                 "--out", str(cwd / "fc"), "--no-charts"])
    assert code == 0
    return cwd / "fc"


def test_forecast_writes_p_met_with_its_error_effects_variance_discovery_and_its_note(forecast_dir):
    import json

    out = forecast_dir
    assert {"targets.csv", "effects.csv", "variance.csv", "discovery.csv", "outcomes.csv", "bands.csv", "priors.csv",
            "draws.csv", "forecast.md", "manifest.json", "runs"} <= {p.name for p in out.iterdir()}
    targets = pd.read_csv(out / "targets.csv")
    assert {"prob_met", "prob_met_se", "p05", "p50", "p95", "draws", "delivered_by_assumption"} <= set(targets.columns)
    assert (targets["draws"] == 3).all() and (targets["replicates"] == 6).all() and targets["prob_met"].between(0, 1).all()
    assumed = targets[targets["delivered_by_assumption"]]
    inputs = {"subsidised_training", "cantonese_chef_training", "housekeeping_training", "rural_ecommerce_training"}
    assert set(zip(assumed["scenario"], assumed["indicator"], strict=True)) == {("plan_2025", i) for i in inputs}
    assert set(assumed["status"]) <= {"delivered by assumption", "short of its input"}
    assert set(assumed["status"]) == {("delivered by assumption" if p >= 0.5 else "short of its input")
                                      for p in assumed["prob_met"]}
    rest = targets[~targets["delivered_by_assumption"]]
    assert (rest["status"] == np.where(rest["prob_met"] >= 0.5, "met", "not met")).all()
    eff = pd.read_csv(out / "effects.csv")
    assert set(eff["treated"]) == {"plan_2025"} and set(eff["control"]) == {"baseline"} and (eff["replicates"] == 6).all()
    var = pd.read_csv(out / "variance.csv")
    assert (var["seeds_per_draw"] == 2).all()
    shares = var.dropna(subset=["share_parameters"])
    np.testing.assert_allclose(shares["share_parameters"] + shares["share_seed"], 1.0)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "forecast" and manifest["settings"]["ensemble"]["seeds_per_draw"] == 2
    note = (out / "forecast.md").read_text(encoding="utf-8")
    assert "## Why these answers are uncertain" in note and "delivered by assumption" in note
    assert not (out / "charts").exists()                                     # --no-charts
    assert [p.name for p in out.parent.iterdir()] == ["fc"], "no work directory is left beside the output"


def test_observed_outturns_reweight_the_draws_and_report_the_effective_sample(forecast_dir, tmp_path, monkeypatch, capsys):
    """Condition the finished forecast (resumed: no run repeats) on the draws' own 2023 registered rate."""
    import shutil

    out = tmp_path / "fc"
    shutil.copytree(forecast_dir, out)
    from sim.sweep import read_results

    rows = read_results(out / "runs" / "forecast_plan_2025")
    sim23 = rows[(rows["indicator"] == "registered_unemployment_rate") & (rows["year"] == 2023)]["value"]
    obs = tmp_path / "observed.csv"
    obs.write_text("indicator,year,value,source,tolerance\n"
                   f"registered_unemployment_rate,2023,{sim23.iloc[0]},a test figure,{max(sim23.std(), 0.05)}\n",
                   encoding="utf-8")
    code, stdout, stderr = sim_cli(monkeypatch, capsys, tmp_path, "forecast", "baseline", "plan_2025", "--draws", "3",
                                   "--scale", "800", "--workers", "0", "--out", "fc", "--resume", "--observed", obs,
                                   "--min-ess", "1", "--no-charts")
    assert code == 0, stderr
    assert "effective draws of 3" in stdout
    w = pd.read_csv(out / "weights.csv")["weight"]
    assert len(w) == 3 and w.max() > w.min()                                 # the observation tells the draws apart
    prior, post = pd.read_csv(out / "targets_prior.csv"), pd.read_csv(out / "targets.csv")
    assert not np.allclose(prior["p50"], post["p50"])                         # and moves the answer
    assert "effective draws" in (out / "forecast.md").read_text(encoding="utf-8")


def test_too_few_effective_draws_is_one_line_and_keeps_the_runs(forecast_dir, tmp_path, monkeypatch, capsys):
    import shutil

    out = tmp_path / "fc"
    shutil.copytree(forecast_dir, out)
    obs = tmp_path / "observed.csv"
    obs.write_text("indicator,year,value,source,tolerance\nregistered_unemployment_rate,2023,9.9,far off,0.01\n",
                   encoding="utf-8")
    code, _, stderr = sim_cli(monkeypatch, capsys, tmp_path, "forecast", "baseline", "plan_2025", "--draws", "3",
                              "--scale", "800", "--workers", "0", "--out", "fc", "--resume", "--observed", obs)
    error = [line for line in stderr.splitlines() if "error" in line]        # after the runs' progress lines
    assert code == 2 and len(error) == 1 and "effective draws" in error[0] and "observed.csv" in error[0]
    assert (tmp_path / ".fc.runs").is_dir() and (out / "targets.csv").exists()      # nothing lost either way


@pytest.mark.parametrize("args, key", [
    (["baseline", "--draws", "1"], "--draws"),
    (["baseline", "baseline"], "scenarios"),
    (["no_such_scenario"], "no_such_scenario"),
    (["baseline", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers"),
    (["baseline", "--seeds-per-draw", "0"], "--seeds-per-draw"),
    (["baseline", "--observed", "missing.csv"], "missing.csv"),
    (["baseline", "--min-ess", "0"], "--min-ess"),
])
def test_bad_forecast_input_is_one_line_exit_2_and_writes_nothing(tmp_path, monkeypatch, capsys, args, key):
    code, _, stderr = sim_cli(monkeypatch, capsys, tmp_path, "forecast", *args, "--out", "fc")
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and key in stderr
    assert list(tmp_path.iterdir()) == []


def test_resume_on_a_finished_forecast_reuses_its_runs(tmp_path):
    runs = []
    for name in ("baseline",):
        sc = scen.load(name, {"run.scale": 800})
        runs.append((sc, city_data(sc)))
    table = ensemble.draws(runs, 2, seed=3)
    out = tmp_path / "fc"
    annual, first = ensemble.run_forecast(runs, table, 800, out, workers=0, progress=False)
    tables = ensemble.summarise(runs, table, ensemble.outcome_table(annual, runs[0][1]), discover=False)
    ensemble.write_forecast(out, runs, table, tables, {"draws": 2})
    again, second = ensemble.run_forecast(runs, table, 800, out, workers=0, resume=True, progress=False)
    assert first["ran"] == 2 and second["ran"] == 0 and second["skipped_as_done"] == 2
    pd.testing.assert_frame_equal(annual.sort_values(list(annual.columns)).reset_index(drop=True),
                                  again.sort_values(list(again.columns)).reset_index(drop=True))


def test_resume_refuses_the_runs_of_another_ensemble(tmp_path):
    """The sweeps' design is part of their spec: resuming with other draws (another seed) is an error, not a mix."""
    from sim.errors import InputError

    sc = scen.load("baseline", {"run.scale": 800})
    runs = [(sc, city_data(sc))]
    out = tmp_path / "fc"
    annual, _ = ensemble.run_forecast(runs, ensemble.draws(runs, 2, seed=3), 800, out, workers=0, progress=False)
    with pytest.raises(InputError, match="different sweep"):
        ensemble.run_forecast(runs, ensemble.draws(runs, 2, seed=4), 800, out, workers=0, resume=True, progress=False)


def test_the_report_reads_a_forecast_with_its_errors_and_what_it_varied(forecast_dir):
    from sim.report import build_html

    page = build_html([forecast_dir], lang="en")
    assert "pools 6 runs per scenario" in page and "delivered by assumption" in page
    assert re.search(r"\d+% ± \d+%", page)


def test_the_status_says_met_not_met_or_delivered_by_assumption(runs):
    """Only a measure the scenario switches on can deliver a target by assumption: the baseline's
    subsidised training is a projection (met or not), the plan's is its own input, delivered if the runs
    reach it and short of its input if too few take the seats up."""
    from sim.runner import mark_assumed

    fact = next(t.fact_id for t in runs[0][1].targets if t.indicator == "subsidised_training")
    rows = pd.DataFrame({"scenario": ["baseline", "plan_2025", "plan_2025", "plan_2025"],
                         "fact_id": [fact, fact, "other", fact], "prob_met": [0.7, 1.0, 0.2, 0.3]})
    out = mark_assumed(rows, runs)
    assert list(out["status"]) == ["met", "delivered by assumption", "not met", "short of its input"]


def test_the_fan_chart_draws_from_the_forecasts_tables(forecast_dir, tmp_path):
    """The charts read bands.csv and targets.csv (never the model): one fan chart, PNG and SVG."""
    from sim.charts.forecast import fan_chart

    bands, targets = pd.read_csv(forecast_dir / "bands.csv"), pd.read_csv(forecast_dir / "targets.csv", keep_default_na=False)
    paths = fan_chart(bands, targets, "registered_unemployment_rate", tmp_path / "fan", "a footnote")
    assert sorted(p.suffix for p in paths) == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)
