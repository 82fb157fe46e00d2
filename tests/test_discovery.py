"""Scenario discovery (sim/discovery.py): a planted condition is found, pure noise is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import discovery

DRAWS, SEEDS, INPUTS = 40, 2, 170        # the default ensemble's shape: 40 draws x 2 seeds over ~170 inputs


def ensemble(seed: int, rule=None, noise: float = 0.1):
    """Outcome rows of one target and the draws table: the target is met where `rule(draws)` holds
    (flipped in a share `noise` of the runs), or at random in 40% of the runs without a rule."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(rng.random((DRAWS, INPUTS)), columns=[f"x{i}" for i in range(INPUTS)])
    table.insert(0, "draw", np.arange(DRAWS))
    draw = np.repeat(np.arange(DRAWS), SEEDS)
    met = rule(table).to_numpy()[draw] ^ (rng.random(draw.size) < noise) if rule else rng.random(draw.size) < 0.4
    rows = pd.DataFrame({"scenario": "plan", "target_id": "t_2025", "indicator": "t", "year": 2025, "period": "",
                         "draw": draw, "replicate": np.arange(draw.size), "met": met})
    return rows, table


def test_a_planted_condition_is_found_with_its_threshold():
    """Met where x3 > 0.6 (10% of runs flipped): in most of 5 ensembles PRIM bounds x3 near 0.6, from below
    when it describes the runs that meet the target, from above when (met in most runs) those that miss it."""
    found = []
    for seed in range(5):
        rows, table = ensemble(seed, lambda t: t["x3"] > 0.6)
        out = discovery.discover(rows, table, {"plan": [c for c in table.columns if c != "draw"]})
        prim = out[(out["method"] == "prim") & (out["input"] == "x3")]
        if len(prim) != 1:
            found.append(False)
            continue
        low, high = prim["low"].iloc[0], prim["high"].iloc[0]
        bound, open_side = (low, high) if prim["outcome_of_interest"].iloc[0] == "met" else (high, low)
        found.append(0.45 < bound < 0.8 and np.isinf(open_side))
        assert prim["density"].iloc[0] > 0.65 and prim["coverage"].iloc[0] > 0.6
        assert "x3" in set(out[out["method"] == "cart"]["input"])
    assert sum(found) >= 4, found


def test_pure_noise_gives_no_condition_in_nearly_every_ensemble():
    """No input matters: at most 1 of 10 ensembles reports a restriction (the screen's Holm correction)."""
    false = 0
    for seed in range(10):
        rows, table = ensemble(100 + seed)
        out = discovery.discover(rows, table, {"plan": [c for c in table.columns if c != "draw"]})
        false += int((out["input"].fillna("") != "").any())
    assert false <= 1


def test_the_rarer_outcome_is_the_one_described_and_certain_targets_are_skipped():
    rows, table = ensemble(7, lambda t: t["x5"] < 0.8, noise=0.05)         # met in ~80%: describe "missed"
    out = discovery.discover(rows, table, {"plan": [c for c in table.columns if c != "draw"]})
    assert set(out["outcome_of_interest"]) == {"missed"}
    prim = out[(out["method"] == "prim") & (out["input"] == "x5")]
    assert len(prim) == 1 and prim["low"].iloc[0] == pytest.approx(0.8, abs=0.12)
    always = rows.assign(met=True)
    assert discovery.discover(always, table, {"plan": list(table.columns[1:])}).empty


def test_a_sentence_reads_the_box():
    rows, table = ensemble(3, lambda t: t["x3"] > 0.6)
    out = discovery.discover(rows, table, {"plan": [c for c in table.columns if c != "draw"]})
    text = discovery.sentence(out[out["method"] == "prim"])
    assert text.startswith("met in ") and "x3 >= " in text and "coverage" in text


def test_the_discovery_chart_draws_the_runs_and_the_box(tmp_path):
    from sim.charts.forecast import discovery_chart

    rows, table = ensemble(0, lambda t: t["x3"] > 0.6)
    out = discovery.discover(rows, table, {"plan": [c for c in table.columns if c != "draw"]})
    paths = discovery_chart(out, table, rows, tmp_path / "disc")
    assert sorted(p.suffix for p in paths) == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)
    assert discovery_chart(out[out["method"] == "cart"], table, rows, tmp_path / "none") == []   # no PRIM box: none
