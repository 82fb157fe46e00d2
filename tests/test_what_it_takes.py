"""`sim what-it-takes` (sim/what_it_takes.py): the levers section of the data file, the search on known
answers (fake evaluators), the noise handling, one small real run and bad input (one line, exit 2)."""

from __future__ import annotations

import copy
import os

import pandas as pd
import pytest
import yaml

from sim import ensemble
from sim import what_it_takes as wit
from sim.calendar import Month
from sim.cli import main
from sim.errors import InputError
from sim.params import DATA_DIR, Lever, load_city, parse_levers

DATA_FILE = DATA_DIR / "shanwei.yaml"
FIRST = Month(2021, 1)
FAST = ["--draws", "2", "--scale", "1000", "--workers", "0"]


# -- the levers section of the data file ------------------------------------------------------------------
def test_the_data_file_states_levers_for_the_measures_with_their_reasoning():
    city = load_city()
    levers = city.levers
    assert len(levers) >= 8 and len({k.split(".")[0] for k in levers}) >= 5
    assert {lv.kind for lv in levers.values()} == {"scale", "earlier"}
    for key, lv in levers.items():
        assert lv.path in city.params, key
        assert lv.provenance == "assumption" and lv.reasoning and lv.unit, key
        assert lv.high > (1 if lv.kind == "scale" else 0), key


def broken_copy(tmp_path, edit) -> str:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    edit(raw["levers"])
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


SCALE = "skills_upgrading.person_times_2021_2025"
EARLIER = "order_training.start"


@pytest.mark.parametrize("case, edit, key, says", [
    ("unknown measure", lambda lv: lv.update({"no_such_measure.seats": lv[SCALE]}), "levers.no_such_measure.seats",
     "unknown measure"),
    ("unknown parameter", lambda lv: lv.update({"skills_upgrading.seatz": lv[SCALE]}), "levers.skills_upgrading.seatz",
     "unknown parameter"),
    ("unknown key", lambda lv: lv[SCALE].update(colour="red"), f"levers.{SCALE}.colour", "unknown key"),
    ("unknown kind", lambda lv: lv[SCALE].update(kind="double"), f"levers.{SCALE}.kind", "scale"),
    ("range in the wrong order", lambda lv: lv[SCALE].update(range=[3, 1]), f"levers.{SCALE}.range", "high > 1"),
    ("range not from the scenario's value", lambda lv: lv[SCALE].update(range=[0.5, 2]), f"levers.{SCALE}.range",
     "[1, high]"),
    ("range not two numbers", lambda lv: lv[SCALE].update(range=3), f"levers.{SCALE}.range", "two numbers"),
    ("months not whole steps", lambda lv: lv[EARLIER].update(step=5), f"levers.{EARLIER}.range", "multiple of step"),
    ("step on a scale lever", lambda lv: lv[SCALE].update(step=2), f"levers.{SCALE}.step", "only an 'earlier'"),
    ("earlier on a number", lambda lv: lv[SCALE].update(kind="earlier", range=[0, 12]), f"levers.{SCALE}",
     "a month"),
    ("scale on a month", lambda lv: lv[EARLIER].update(kind="scale", range=[1, 2]), f"levers.{EARLIER}",
     "a number"),
    ("assumption without reasoning", lambda lv: lv[SCALE].pop("reasoning"), f"levers.{SCALE}.reasoning", "reasoning"),
    ("calibrated bound", lambda lv: lv[SCALE].update(provenance="calibrated"), f"levers.{SCALE}.provenance",
     "assumption"),
    ("no unit", lambda lv: lv[SCALE].pop("unit"), f"levers.{SCALE}.unit", "required"),
])
def test_a_bad_lever_is_one_error_naming_the_file_and_key(case, edit, key, says):
    city = load_city()
    levers = copy.deepcopy(city.raw["levers"])
    edit(levers)
    with pytest.raises(InputError) as info:
        parse_levers(city.where, levers, city.params)
    assert info.value.where == city.where and info.value.key == key, case
    assert says in info.value.message and "\n" not in str(info.value), case


def test_loading_a_data_file_checks_its_levers(tmp_path):
    path = broken_copy(tmp_path, lambda lv: lv[SCALE].update(range=[1, 0.5]))
    with pytest.raises(InputError) as info:
        load_city(path)
    assert (info.value.where, info.value.key) == (path, f"levers.{SCALE}.range")


# -- the search, on fake evaluators with known answers ----------------------------------------------------
def axis(key: str, kind: str = "scale", high: float = 3, step: int = 1, base=100) -> wit.Axis:
    lever = Lever(key, kind, high, "unit", "assumption", "reasoning", step=step)
    return wit.Axis(lever, base, high, FIRST)


A, B = axis("m.a"), axis("m.b", "earlier", 12, base="2021-12")


def setting(c: wit.Candidate, key: str) -> float:
    return dict(c.settings)[key]


def fake(p_of, calls: list | None = None):
    """A batch evaluator from p_of(candidate) (se 0.05, median 0), recording what it was asked."""
    def evaluate(cands):
        if calls is not None:
            calls.extend(cands)
        return [wit.Evaluation(p_of(c), 0.05, 0.0, 20) for c in cands]
    return evaluate


def test_the_search_finds_the_known_smallest_factor():
    p = fake(lambda c: 0.9 if setting(c, "m.a") >= 2.0 else 0.1)        # needs factor 2 on a
    answer = wit.search([A], p, p, prob=0.8, steps=3)
    assert answer.status == "reached" and setting(answer.candidate, "m.a") == 2.0
    assert answer.candidate.size == pytest.approx(1.0) and answer.fresh.p == 0.9


def test_the_search_finds_the_smaller_of_two_levers_by_size():
    """a needs x2.5 (size 1.5), b 6 months earlier (size 0.5): b is the answer; sizes add across levers."""
    def p_of(c):
        return 0.9 if setting(c, "m.a") >= 2.5 or setting(c, "m.b") >= 6 else 0.1
    answer = wit.search([A, B], fake(p_of), fake(p_of), prob=0.8, steps=3)
    assert answer.status == "reached" and answer.candidate.direction == "m.b"
    assert setting(answer.candidate, "m.b") == 6 and setting(answer.candidate, "m.a") == 1.0
    assert answer.candidate.size == pytest.approx(0.5)
    together = wit.candidate([A, B], "together", 1.0)
    assert together.size == pytest.approx(2 + 1)                         # (3 - 1) + 12 / 12


def test_with_costs_the_search_finds_the_cheaper_lever_not_the_smaller_one():
    """The same reach as above (a x2.5, size 1.5; b 6 months earlier, size 0.5), but moving b costs ten
    times as much per unit as moving a: the cheaper change, a x2.5, is the answer."""
    def p_of(c):
        return 0.9 if setting(c, "m.a") >= 2.5 or setting(c, "m.b") >= 6 else 0.1

    def priced(cands):
        return [wit.Evaluation(p_of(c), 0.05, 0.0, 20, 1e6 * (setting(c, "m.a") - 1) + 1e7 * setting(c, "m.b") / 12)
                for c in cands]
    answer = wit.search([A, B], priced, priced, prob=0.8, steps=3)
    assert answer.status == "reached" and answer.candidate.direction == "m.a"
    assert setting(answer.candidate, "m.a") == 2.5 and answer.search.cost == pytest.approx(1.5e6)
    assert "public cost 2m yuan" in answer.sentence("t")


def test_not_reachable_when_even_every_lever_at_its_bound_falls_short():
    checked = []
    p = fake(lambda c: 0.3 * (setting(c, "m.a") - 1) / 2 + 0.2 * setting(c, "m.b") / 12)    # at most 0.5
    answer = wit.search([A, B], p, fake(lambda c: 1.0, checked), prob=0.8)
    assert answer.status == "not reachable" and not checked                 # nothing to re-evaluate
    assert answer.candidate.direction == "together" and answer.search.p == pytest.approx(0.5)
    assert "not reachable with these measures inside their bounds" in answer.sentence("t")
    assert {r["phase"] for r in answer.rows} == {"bounds"} and len(answer.rows) == 4    # plan, a, b, together


def test_the_levers_that_help_are_moved_together_without_those_working_against_the_target():
    """a and c help a little each, b hurts: neither alone nor all together reach it, a and c together do."""
    c_axis = axis("m.c", high=2)

    def p_of(c):
        return max(0.0, 0.45 * (setting(c, "m.a") - 1) / 2 + 0.45 * (setting(c, "m.c") - 1) - 0.1 * setting(c, "m.b"))
    answer = wit.search([A, B, c_axis], fake(p_of), fake(p_of), prob=0.8, steps=3)
    assert answer.status == "reached" and answer.candidate.direction == "helping"
    assert setting(answer.candidate, "m.b") == 0 and setting(answer.candidate, "m.a") == 3
    assert setting(answer.candidate, "m.c") == 2
    together = next(r for r in answer.rows if r["direction"] == "together")
    assert together["p_met"] < 0.8


def test_re_evaluation_rejects_a_candidate_that_passed_only_on_noise():
    """On the search draws a passes from x1.5 (luck); on fresh draws it does not, nor does the together point
    that holds it: b (12 months), the third smallest, is taken."""
    def search_p(c):
        return 0.85 if setting(c, "m.a") >= 1.5 or setting(c, "m.b") >= 12 else 0.1

    def fresh_p(c):
        return 0.9 if setting(c, "m.b") >= 12 else 0.3
    answer = wit.search([A, B], fake(search_p), fake(fresh_p), prob=0.8, checks=3)
    assert answer.status == "reached" and answer.candidate.direction == "m.b" and answer.fresh.p == 0.9
    verdicts = [r["verdict"] for r in answer.rows if r["phase"] == "check"]
    assert verdicts == ["not confirmed", "not confirmed", "reached"]
    assert wit.search([A, B], fake(search_p), fake(fresh_p), prob=0.8, checks=2).status == "not confirmed"


def test_a_candidate_short_by_less_than_one_standard_error_is_borderline_and_none_left_is_not_confirmed():
    p = fake(lambda c: 0.9 if setting(c, "m.a") >= 2 else 0.1)
    borderline = wit.search([A], p, fake(lambda c: 0.78), prob=0.8)      # 0.78 + 0.05 >= 0.8
    assert borderline.status == "borderline" and "borderline" in borderline.sentence("t")
    refuted = wit.search([A], p, fake(lambda c: 0.5), prob=0.8)
    assert refuted.status == "not confirmed"


def test_a_scenario_that_already_reaches_it_needs_no_change():
    answer = wit.search([A, B], fake(lambda c: 0.95), fake(lambda c: 0.9), prob=0.8)
    assert answer.status == "already" and answer.candidate.size == 0 and answer.candidate.direction == "plan"


def test_identical_settings_are_evaluated_once():
    """Common random numbers make an evaluation a function of the settings: a month step of 12 puts several
    grid points on one setting, and those are not run again."""
    calls = []
    yearly = axis("m.y", "earlier", 12, step=12, base="2023-09")
    answer = wit.search([yearly], fake(lambda c: 0.9 if setting(c, "m.y") == 12 else 0.0, calls),
                        fake(lambda c: 0.9), prob=0.8, steps=3)
    assert answer.status == "reached" and setting(answer.candidate, "m.y") == 12
    assert len(calls) == len({c.settings for c in calls}) == 2                      # the plan and 12 months


def test_an_axis_moves_values_and_months_within_the_run():
    scale = axis("m.s", high=2)
    assert scale.apply([7600, 2800], 1.5) == [11400, 4200] and scale.apply(0.004, 1.5) == pytest.approx(0.006)
    months = axis("m.t", "earlier", 12)
    assert months.apply(["2021-07", "2023-09"], 12) == ["2021-01", "2022-09"]     # held at the first month
    assert months.size(6) == 0.5 and scale.size(1.5) == 0.5


# -- the levers of a real scenario --------------------------------------------------------------------------
def test_only_levers_of_the_scenarios_measures_are_searched_and_a_set_moves_the_start():
    setup = wit.prepare("measure_skill_evaluation", "high_skilled_talent_2025", 1000, 1)
    assert {a.key for a in setup.axes} == {"skill_evaluation.key_enterprise_mult", "skill_evaluation.start"}
    assert all("not switched on" in why for _, why in setup.left)
    start = next(a for a in setup.axes if a.key == "skill_evaluation.start")
    assert start.high == 6                                                  # 2021-07 to the run's first month
    more = wit.prepare("measure_skills_upgrading", "high_skilled_talent_2025", 1000, 1,
                       {"policies.skills_upgrading.person_times_2021_2025": 160000})
    a = next(a for a in more.axes if a.key == SCALE)
    assert a.base == 160000 and a.high == pytest.approx(1.5)               # up to 3 x the plan's 80,000


def test_a_lever_the_ensemble_samples_acts_on_each_draws_value(tmp_path):
    setup = wit.prepare("measure_skill_evaluation", "high_skilled_talent_2025", 1000, 1)
    table = ensemble.draws([(setup.scenario, setup.data)], 3, 5)
    key = "policies.skill_evaluation.key_enterprise_mult"
    assert key in table                                                     # an assumption with a range: sampled
    c = wit.candidate(setup.axes, "skill_evaluation.key_enterprise_mult", 1.0)
    points = wit.Ensemble(setup, table, "t", tmp_path).points(c)
    assert [p[key] for p in points] == pytest.approx(list(2 * table[key]))
    assert [p["run.seed"] for p in points] == list(table["seed"])
    plan = wit.Ensemble(setup, table, "t", tmp_path).points(wit.candidate(setup.axes, "plan", 0))
    assert [p[key] for p in plan] == pytest.approx(list(table[key]))


# -- the command ----------------------------------------------------------------------------------------------
def test_a_small_real_search_answers_from_its_runs(tmp_path, capsys):
    out = tmp_path / "o"
    rc = main(["what-it-takes", "measure_skill_evaluation", "--target", "high_skilled_talent_2025", *FAST,
               "--steps", "1", "--prob", "0.5", "--out", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert {"answer.csv", "candidates.csv", "levers.csv", "draws.csv", "fresh_draws.csv", "manifest.json",
            "runs"} <= set(os.listdir(out))
    answer = pd.read_csv(out / "answer.csv").iloc[0]
    rows = pd.read_csv(out / "candidates.csv")
    assert answer["status"] in wit.STATUSES and answer["sentence"] in printed and "size" in printed
    bounds = rows[rows["phase"] == "bounds"]
    assert list(bounds["direction"]) == ["plan", "skill_evaluation.key_enterprise_mult", "skill_evaluation.start",
                                         "together"]
    assert (rows.loc[rows["phase"] != "check", "draws"] == 2).all() and rows["p_met"].between(0, 1).all()
    assert (rows["cost_yuan"] > 0).all() and answer["cost_yuan"] > 0     # every candidate is priced by its runs
    if answer["status"] == "not reachable":                 # the answer is the runs': consistent with them
        assert (bounds["p_met"] < 0.5).all() and answer["p_met_search"] == bounds["p_met"].max()
    else:
        checks = rows[rows["phase"] == "check"]
        assert not checks.empty and (checks["draws"] == 4).all()
        assert (answer["p_met_fresh"] >= 0.5) == (answer["status"] in ("reached", "already"))


@pytest.mark.parametrize("args, key", [
    (["plan_2025", "--target", "high_skilled_talent_2030"], "--target"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--prob", "1.2"], "--prob"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--prob", "0"], "--prob"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--draws", "1"], "--draws"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--scale", "0"], "--scale"),
    (["baseline", "--target", "high_skilled_talent_2025"], "policies"),
    (["plan_2025", "--target", "subsidised_training_2021-2025"], "delivered by assumption"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--set",
      "policies.skills_upgrading.person_times_2021_2025=300000"], "--set policies.skills_upgrading.person_times_2021_2025"),
    (["plan_2025", "--target", "high_skilled_talent_2025", "--set", 'policies.order_training.start="2020-06"'],
     "--set policies.order_training.start"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, monkeypatch, args, key):
    monkeypatch.chdir(tmp_path)
    rc = main(["what-it-takes", *args, "--out", str(tmp_path / "runs" / "o")])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1 and key in err, err
    assert "high_skilled_talent_2025" in err if key == "--target" else True      # the valid ids are listed
    assert not os.listdir(tmp_path)
