"""The draws of an uncertainty ensemble (sim/ensemble.py): priors, common random numbers, reproducibility."""

from __future__ import annotations

import copy

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


def test_a_calibrated_value_with_a_zero_standard_error_is_held_at_its_value(runs):
    sc, data = runs[0]
    raw = copy.deepcopy(data.raw)
    raw["firms"]["separation_scale"]["se"] = 0.0
    drawn = ensemble.draws([(sc, CityData(raw, data.where))], 50, seed=1)["assumptions.firms.separation_scale"]
    assert (drawn == data.get("firms.separation_scale")).all()


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
    summary = ensemble.target_summary(annual, data)
    assert set(summary["scenario"]) == {"baseline", "plan_2025"} and (summary["draws"] == 4).all()
    p = summary["prob_met"]
    np.testing.assert_allclose(summary["prob_met_se"], np.sqrt(p * (1 - p) / 4))
    skilled = annual[(annual["indicator"] == "skilled_talent") & (annual["year"] == 2025)]
    assert skilled.groupby("scenario")["value"].std().min() > 0           # the draws move the answer
    eff = ensemble.effects(annual, data, "plan_2025", "baseline").set_index(["indicator", "period"])
    assert eff.loc[("subsidised_training", "2021-2025"), "prob_effect_positive"] == 1.0   # the plan funds more seats


# -- the command ------------------------------------------------------------------------------------------
def sim_cli(monkeypatch, capsys, cwd, *args):
    """`sim ARGS` in this process (no interpreter start-up): exit code, stdout, stderr."""
    from sim.cli import main

    monkeypatch.chdir(cwd)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_forecast_writes_p_met_with_its_error_effects_priors_and_draws(tmp_path, monkeypatch, capsys):
    import json

    code, stdout, stderr = sim_cli(monkeypatch, capsys, tmp_path, "forecast", "baseline", "plan_2025", "--draws", "3",
                                   "--scale", "800", "--workers", "0", "--out", "fc")
    assert code == 0, stderr
    out = tmp_path / "fc"
    assert {"targets.csv", "effects.csv", "priors.csv", "draws.csv", "manifest.json", "runs"} <= {p.name for p in out.iterdir()}
    targets = pd.read_csv(out / "targets.csv")
    assert {"prob_met", "prob_met_se", "p05", "p50", "p95", "draws"} <= set(targets.columns)
    assert (targets["draws"] == 3).all() and targets["prob_met"].between(0, 1).all()
    eff = pd.read_csv(out / "effects.csv")
    assert set(eff["treated"]) == {"plan_2025"} and set(eff["control"]) == {"baseline"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "forecast" and manifest["settings"]["ensemble"]["draws"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["fc"], "no work directory is left beside the output"
    assert "P(met)" in stdout


@pytest.mark.parametrize("args, key", [
    (["baseline", "--draws", "1"], "--draws"),
    (["baseline", "baseline"], "scenarios"),
    (["no_such_scenario"], "no_such_scenario"),
    (["baseline", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers"),
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
    ensemble.write_forecast(out, runs, table, annual, {"draws": 2})
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
