"""`sim attribute`: Shapley values with their Monte Carlo standard errors and the pairwise interactions of the
largest players (sim.attribution). Known answers on hand-made games; the model at a coarse scale only for
the properties that need it (contributions add up, the CLI's files, --draws)."""

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sim import scenario as scen
from sim.attribution import (Game, crossed_se, draw_replicates, interaction, interactions, seed_replicates,
                             shapley_with_se)
from sim.attribution_output import format_attribution
from sim.runner import city_data

TWO_MEASURES = {"policies.skills_upgrading.enabled": True, "policies.talent_and_titles.enabled": True}
TWO_MEASURE_NAMES = {"skills_upgrading", "talent_and_titles"}
SCALE = 800


class Handmade:
    """A Game-like object with one outcome: replicate r's value of coalition S is per_replicate[r](S)."""

    targets = [("urban_new_employment", 2025, None)]

    def __init__(self, *per_replicate):
        self.per_replicate, self.replicates, self.cache = per_replicate, list(per_replicate), {}

    def values(self, members):
        return np.array([[float(f(members))] for f in self.per_replicate])

    def value(self, members):
        return self.values(members).mean(axis=0)


PLAYERS3 = {"a": ["a"], "b": ["b"], "c": ["c"]}


def pair_game(x_a, x_b, x_c, synergy):
    """Additive in a, b, c plus `synergy` when a and b are both in: phi_a = x_a + synergy / 2, I_ab = synergy."""
    return lambda s: x_a * ("a" in s) + x_b * ("b" in s) + x_c * ("c" in s) + synergy * ({"a", "b"} <= s)


@pytest.fixture(scope="module")
def handmade():
    return Handmade(pair_game(1, 4, 0.5, 2), pair_game(2, 4, 0.5, 2), pair_game(3, 4, 0.5, 8))


# -- known answers --------------------------------------------------------------------------------------
def test_phi_and_its_se_are_the_mean_and_sd_over_sqrt_r_of_the_per_replicate_values(handmade):
    """Per replicate phi_a = 2, 3, 7 and phi_b = 5, 5, 8 (by hand): means 4 and 6, se sqrt(7/3) and 1."""
    phi = shapley_with_se(handmade, PLAYERS3, "exact")
    assert_allclose([phi["a"][0][0], phi["b"][0][0], phi["c"][0][0]], [4.0, 6.0, 0.5])
    assert_allclose([phi["a"][1][0], phi["b"][1][0], phi["c"][1][0]], [math.sqrt(7 / 3), 1.0, 0.0], atol=1e-12)


def test_the_interactions_of_the_largest_players_with_their_se(handmade):
    """I_ab = synergy = 2, 2, 8 per replicate: 4 with se sqrt(12 / 3) = 2; a and b with c: 0."""
    phi = shapley_with_se(handmade, PLAYERS3, "exact")
    table = interactions(handmade, PLAYERS3, phi, "exact")
    assert list(zip(table["player_a"], table["player_b"], strict=True)) == [("b", "a"), ("b", "c"), ("a", "c")]
    assert_allclose(table["interaction"], [4.0, 0.0, 0.0], atol=1e-12)
    assert_allclose(table["interaction_se"], [2.0, 0.0, 0.0], atol=1e-12)
    assert (table["replicates"] == 3).all() and (table["method"] == "exact").all()


def test_interaction_is_zero_in_an_additive_game_and_the_synergy_for_two_players():
    additive = Handmade(pair_game(1, -2, 3, 0))
    assert_allclose([interaction(additive.values, PLAYERS3, a, b)[0, 0] for a, b in [("a", "b"), ("a", "c"), ("b", "c")]],
                    [0.0, 0.0, 0.0], atol=1e-12)
    two = {"a": ["a"], "b": ["b"]}
    v = {frozenset(): 1.0, frozenset("a"): 3.0, frozenset("b"): 2.0, frozenset("ab"): 5.5}   # 5.5 - 3 - 2 + 1 = 1.5
    assert_allclose(interaction(Handmade(v.__getitem__).values, two, "a", "b")[0, 0], 1.5)


def test_interaction_weights_the_subsets_as_grabisch_and_roubens():
    """The unanimity game of all three players: each pair's index is 1 / (3 - 1)."""
    unanimity = Handmade(lambda s: float(s == {"a", "b", "c"}))
    assert_allclose(interaction(unanimity.values, PLAYERS3, "a", "c")[0, 0], 0.5)
    assert_allclose(shapley_with_se(unanimity, PLAYERS3, "exact")["b"][0][0], 1 / 3)


def test_sampled_se_combines_the_orders_and_the_replicates():
    """Contributions (orders x replicates) [[1, 3], [5, 7]]: var of order means 8 / 2 + var of replicate means 2 / 2."""
    assert_allclose(crossed_se(np.array([[[1.0], [3.0]], [[5.0], [7.0]]])), [math.sqrt(5)])
    assert np.isnan(crossed_se(np.array([[[1.0], [3.0]]]))).all()              # one order: not estimable
    assert_allclose(crossed_se(np.array([[[1.0]], [[3.0]]])), [math.sqrt(2 / 2)])  # one replicate: orders only


def test_sampled_equals_exact_on_an_additive_game_with_the_same_se():
    game = Handmade(pair_game(1, 4, 0.5, 0), pair_game(2, 4, 0.5, 0), pair_game(6, 4, 0.5, 0))
    exact = shapley_with_se(game, PLAYERS3, "exact")
    sampled = shapley_with_se(game, PLAYERS3, "sampled", 4, np.random.default_rng(3))
    for name in PLAYERS3:
        assert_allclose(sampled[name][0], exact[name][0])
        assert_allclose(sampled[name][1], exact[name][1], atol=1e-12)
    assert exact["a"][1][0] > 0


def test_one_replicate_gives_no_standard_error():
    phi = shapley_with_se(Handmade(pair_game(1, 4, 0.5, 2)), PLAYERS3, "exact")
    assert np.isnan(phi["a"][1]).all() and phi["a"][0][0] == 2.0


# -- the model ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_game():
    sc = scen.load("baseline", {"run.scale": SCALE, "run.replicates": 3, **TWO_MEASURES})
    game = Game(seed_replicates(sc, city_data(sc)))
    players = {"skills_upgrading": ["skills_upgrading"], "talent_and_titles": ["talent_and_titles"]}
    return game, players, shapley_with_se(game, players, "exact")


def test_model_contributions_add_up_to_the_total_effect_and_the_se_is_over_replicates(model_game):
    game, players, phi = model_game
    v, none, both = game.values, frozenset(), frozenset(TWO_MEASURE_NAMES)
    assert_allclose(sum(p[0] for p in phi.values()), (v(both) - v(none)).mean(axis=0), atol=1e-6)
    skills = frozenset({"skills_upgrading"})
    per_replicate = 0.5 * (v(skills) - v(none)) + 0.5 * (v(both) - v(both - skills))     # phi with n = 2, by hand
    assert_allclose(phi["skills_upgrading"][0], per_replicate.mean(axis=0), atol=1e-9)
    assert_allclose(phi["skills_upgrading"][1], per_replicate.std(axis=0, ddof=1) / math.sqrt(3), atol=1e-9)
    assert np.isfinite(phi["skills_upgrading"][1]).all() and (phi["skills_upgrading"][1] > 0).any()


def test_model_interaction_of_two_measures_is_the_coalitions_difference(model_game):
    game, players, phi = model_game
    table = interactions(game, players, phi, "exact")
    v = game.values
    both = v(frozenset(TWO_MEASURE_NAMES)) - v(frozenset({"skills_upgrading"})) - v(frozenset({"talent_and_titles"})) \
        + v(frozenset())
    assert len(table) == len(game.targets) and len(game.cache) == 4         # one pair per outcome, nothing re-run
    assert_allclose(table["interaction"], both.mean(axis=0), atol=1e-9)
    assert_allclose(table["interaction_se"], both.std(axis=0, ddof=1) / math.sqrt(3), atol=1e-9)


# -- the command ----------------------------------------------------------------------------------------
def sim_cli(monkeypatch, capsys, cwd, *args):
    from sim.cli import main

    monkeypatch.chdir(cwd)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


SETS = [x for key in TWO_MEASURES for x in ("--set", f"{key}=true")]


def test_attribute_with_draws_writes_se_interactions_and_error_bars(tmp_path, monkeypatch, capsys):
    code, out, err = sim_cli(monkeypatch, capsys, tmp_path, "attribute", "baseline", *SETS, "--scale", SCALE,
                             "--draws", "2", "--out", "a")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "a" / "attribution.csv")
    assert {"contribution", "contribution_se", "uncertainty", "total_effect", "members"} <= set(table.columns)
    assert (table["replicates"] == 2).all() and (table["uncertainty"] == "seeds and parameter draws").all()
    for _, t in table.groupby(["indicator", "year", "period"], dropna=False):
        assert_allclose(t["contribution"].sum(), t["total_effect"].iloc[0], atol=1e-6)
    assert np.isfinite(table["contribution_se"]).all() and (table["contribution_se"] > 0).any()
    pairs = pd.read_csv(tmp_path / "a" / "interactions.csv")
    assert list(pairs.columns) == ["indicator", "year", "period", "player_a", "player_b", "interaction",
                                   "interaction_se", "replicates", "method"]
    assert len(pairs) == len(table) // 2 and (pairs["replicates"] == 2).all()          # 2 players: one pair per outcome
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["draws"] == 2 and manifest["scenarios"][0]["seeds"] == [1, 2]
    assert out.count("  ±") == len(table) + len(pairs)
    assert re.search(r"interaction (skills_upgrading x talent_and_titles|talent_and_titles x skills_upgrading): ", out)
    assert "2 ensemble draw(s)" in err and list((tmp_path / "a").glob("attribution_*.png"))


def test_draws_run_each_replicate_under_its_own_values_and_seed():
    reps = draw_replicates("baseline", 3, {"run.scale": SCALE, **TWO_MEASURES})
    assert [r.seed for r in reps] == [1, 2, 3] and [r.draw for r in reps] == [0, 1, 2]
    key = "outside_market.wage_premium"
    assert len({r.scenario.assumptions[key] for r in reps}) == 3
    assert {r.data.get(key) for r in reps} == {r.scenario.assumptions[key] for r in reps}
    assert all(set(r.scenario.policies) >= TWO_MEASURE_NAMES and r.scenario.scale == SCALE for r in reps)


def test_one_replicate_prints_nan_and_says_why(tmp_path, monkeypatch, capsys):
    code, out, err = sim_cli(monkeypatch, capsys, tmp_path, "attribute", "baseline", *SETS, "--scale", SCALE,
                             "--replicates", "1", "--no-charts", "--out", "a")
    assert code == 0, err
    assert "±nan" in out and out.count("not estimable") == 1
    assert pd.read_csv(tmp_path / "a" / "attribution.csv")["contribution_se"].isna().all()


@pytest.mark.parametrize("args, message", [(["--draws", "2", "--replicates", "3"], "not both"),
                                           (["--draws", "1"], "0 (fixed parameters) or >= 2")])
def test_bad_draws_are_one_line_exit_2(tmp_path, monkeypatch, capsys, args, message):
    code, _, err = sim_cli(monkeypatch, capsys, tmp_path, "attribute", "baseline", *SETS, *args, "--out", "a")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "a").exists()


# -- printing and the chart -----------------------------------------------------------------------------
def small_table(se):
    rows = [{"indicator": "urban_new_employment", "year": 2025, "period": "2021-2025", "target": 50000.0, "player": p,
             "members": p, "contribution": c, "contribution_se": s, "baseline": 40000.0, "with_measures": 44000.0,
             "total_effect": 4000.0, "method": "exact", "permutations": None, "coalitions_run": 4, "replicates": 3,
             "scale": 800, "uncertainty": "seeds"} for p, c, s in (("a", 3000.0, se[0]), ("b", 1000.0, se[1]))]
    return pd.DataFrame(rows)


def test_format_prints_se_beside_each_contribution_and_the_pairs():
    pairs = pd.DataFrame([{"indicator": "urban_new_employment", "year": 2025, "period": "2021-2025", "player_a": "a",
                           "player_b": "b", "interaction": -250.0, "interaction_se": 40.0, "replicates": 3,
                           "method": "exact"}])
    text = format_attribution(small_table((120.0, 80.0)), pairs, ["a note"])
    assert "+3,000  ±120" in text and "+1,000  ±80" in text
    assert "interaction a x b: -250  ±40" in text and text.endswith("note: a note")
    assert text.splitlines()[0].startswith("±se: Monte Carlo standard error over 3 replicate(s) (seeds)")


def test_waterfall_draws_error_bars_only_where_the_se_is_finite():
    from matplotlib.container import ErrorbarContainer

    from sim.charts import style, waterfall

    for se, bars in (((120.0, 80.0), 2), ((120.0, float("nan")), 1), ((float("nan"), float("nan")), 0)):
        fig = waterfall(small_table(se))
        try:
            assert sum(isinstance(c, ErrorbarContainer) for c in fig.axes[0].containers) == bars
            notes = " ".join(t.get_text() for t in fig.texts)
            assert ("±1.96" in notes) == (bars > 0)
        finally:
            style.plt.close(fig)
    fig = waterfall(small_table((1.0, 1.0)).drop(columns=["contribution_se", "uncertainty"]))   # an older table
    style.plt.close(fig)
