"""`sim effects` (sim.effects): participants are followed in a run with and a run without the measure
(common random numbers, the same people by pid); a measure that changes nothing has no effect at all;
deadweight is positive and below take-up; the tables hold every horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import effects
from sim import scenario as scen
from sim.cli import main
from sim.inputs import city_data


@pytest.fixture(scope="module")
def upgrading(tmp_path_factory):
    """`sim effects measure_skills_upgrading --measure skills_upgrading` at K = 200, seeds 1-2."""
    out = tmp_path_factory.mktemp("effects") / "upgrading"
    assert main(["effects", "measure_skills_upgrading", "--measure", "skills_upgrading", "--scale", "200",
                 "--replicates", "2", "--out", str(out)]) == 0
    return out


def test_the_tables_hold_participants_and_city_at_every_horizon(upgrading):
    t = pd.read_csv(upgrading / "treatment_effects.csv")
    for scope, outcomes in (("participants", {"employment_rate", "monthly_earnings", "certified_share"}),
                            ("city", {"employed", "earnings"})):
        mine = t[t["scope"] == scope]
        assert set(mine["outcome"]) == outcomes
        assert set(mine["months"]) == set(effects.HORIZONS)
    assert (upgrading / "treatment_effects.png").is_file() and (upgrading / "manifest.json").is_file()


def test_the_course_certifies_its_participants_beyond_what_they_would_have_earned_anyway(upgrading):
    t = pd.read_csv(upgrading / "treatment_effects.csv")
    cert = t[(t["scope"] == "participants") & (t["outcome"] == "certified_share")]
    assert (cert["effect"] > 3 * cert["effect_se"]).all()
    assert (cert["control"] > 0).all()                    # some would have been certified without it


def test_deadweight_is_positive_and_below_take_up(upgrading):
    p = pd.read_csv(upgrading / "participation.csv").iloc[0]
    assert 0 < p["deadweight_certified"] < p["certified"] <= p["participants"]
    assert 0 < p["take_up"] <= 1
    assert p["cost_yuan"] > 0 and p["cost_per_participant"] > 0


def test_a_measure_that_changes_nothing_has_no_participants_and_no_effect_on_the_city():
    """Skills upgrading at the standing programme's volume and without the uplift sets every lever to
    its baseline value: with common random numbers the two runs are the same, month by month."""
    sc = scen.load("measure_skills_upgrading", {"run.scale": 400, "run.end": "2024-06",
                                                "policies.skills_upgrading.person_times_2021_2025": 51000,
                                                "policies.skills_upgrading.advanced_subsidy_uplift": 0})
    pair = effects.run_pair(sc, city_data(sc), "skills_upgrading", seed=3)
    assert not pair.treated.entries
    for t, c in zip(pair.treated.city, pair.control.city, strict=True):
        assert t["employed"] == c["employed"] and t["earnings"] == pytest.approx(c["earnings"], rel=1e-12)


def test_a_person_is_the_same_person_in_both_runs():
    """The graduate programmes bring people in (rows added between the cohorts): the k-th 16-year-old
    still has the same pid, age and sex in the run without them."""
    from sim.agents.workers import ID_BLOCK
    from sim.model import LabourMarketModel

    runs = []
    for name in ("measure_graduate_programmes", "baseline"):
        m = LabourMarketModel(scen.load(name, {"run.scale": 400, "run.end": "2022-12"}), seed=2)
        m.run()
        runs.append(m.pop)
    treated, control = runs
    assert treated.n > control.n                               # the attracted graduates
    cohort = lambda pop: pd.DataFrame({"pid": pop.pid, "female": pop.female,  # noqa: E731
                                       "born": pop.age_m + np.arange(pop.n) * 0})[pop.pid >= ID_BLOCK]
    t = cohort(treated).set_index("pid")
    c = cohort(control).set_index("pid")
    common = t.index.intersection(c.index)
    assert len(common) > 0.9 * len(c)
    pd.testing.assert_frame_equal(t.loc[common, ["female"]], c.loc[common, ["female"]])


def test_participants_who_came_with_the_measure_are_counted_apart():
    sc = scen.load("measure_graduate_programmes", {"run.scale": 400, "run.end": "2023-12"})
    pair = effects.run_pair(sc, city_data(sc), "graduate_programmes", seed=2)
    rows = effects.participant_rows([pair])
    assert all(r["n"] <= len(pair.treated.entries) for r in rows)
    p = effects.summary([pair], effects.effects_table([pair])).iloc[0]
    assert p["arrived_with_measure"] >= 0


def test_an_unknown_or_switched_off_measure_is_one_line_and_exit_2(capsys, tmp_path):
    assert main(["effects", "baseline", "--measure", "skills_upgrading", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--measure" in err and not (tmp_path / "x").exists()


def test_effects_horizons_are_the_issues():
    assert effects.HORIZONS == (6, 12, 24, 36)
    assert np.all(np.diff(effects.HORIZONS) > 0)
