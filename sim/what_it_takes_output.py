"""Writing what `sim what-it-takes` found: answer.csv, candidates.csv (every evaluation), levers.csv,
the draws and the manifest, written atomically; the search's runs move into the result (`write`) or are
removed (`remove`). The search itself is `sim.what_it_takes`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .outputs import atomic_directory, manifest, scenario_entry, write_manifest
from .targets import target_id

if TYPE_CHECKING:
    from .what_it_takes import Answer, Setup


def lever_table(setup: Setup) -> pd.DataFrame:
    """Every lever of the data file: searched (with the scenario's value and room) or left out (why)."""
    rows = [{"lever": a.key, "kind": a.lever.kind, "searched": True, "scenario_value": json.dumps(a.base, ensure_ascii=False),
             "range_high": a.lever.high, "room": a.high, "step": a.lever.step if a.lever.kind == "earlier" else "",
             "unit": a.lever.unit, "provenance": a.lever.provenance,
             "reasoning": a.lever.reasoning or a.lever.source, "why_not": ""} for a in setup.axes]
    lev = setup.data.levers
    rows += [{"lever": k, "kind": lev[k].kind, "searched": False, "scenario_value": "", "range_high": lev[k].high,
              "room": "", "step": "", "unit": lev[k].unit, "provenance": lev[k].provenance,
              "reasoning": lev[k].reasoning or lev[k].source, "why_not": why} for k, why in setup.left]
    return pd.DataFrame(rows)


def answer_table(setup: Setup, answer: Answer, sentence: str) -> pd.DataFrame:
    c, s, f, t = answer.candidate, answer.search, answer.fresh, setup.target
    return pd.DataFrame([{
        "scenario": setup.scenario.name, "target_id": target_id(t), "indicator": t.indicator, "year": t.year,
        "period": f"{t.period[0]}-{t.period[1]}" if t.period else "", "target": t.value, "comparator": t.comparator,
        "prob": answer.prob, "status": answer.status, "direction": c.direction, "settings": c.text, "size": c.size,
        "cost_yuan": answer.search.cost,
        "size_measure": "relative intensity: sum of (factor - 1) and months / 12; candidates are compared by their public cost",
        "p_met_search": s.p, "p_met_se_search": s.se, "median_search": s.median, "draws_search": s.draws,
        "p_met_fresh": f.p if f else np.nan, "p_met_se_fresh": f.se if f else np.nan,
        "median_fresh": f.median if f else np.nan, "draws_fresh": f.draws if f else 0,
        "source": t.source, "sentence": sentence}])


def write(out: Path, setup: Setup, answer: Answer, sentence: str, tables: dict[str, pd.DataFrame],
          settings: dict, work: Path | None = None) -> None:
    """DIR/answer.csv, candidates.csv (every evaluation), levers.csv, draws.csv, fresh_draws.csv and
    manifest.json, written under a temporary name and renamed when complete; the runs move to DIR/runs."""
    with atomic_directory(Path(out)) as tmp:
        answer_table(setup, answer, sentence).to_csv(tmp / "answer.csv", index=False)
        pd.DataFrame(answer.rows).to_csv(tmp / "candidates.csv", index=False)
        lever_table(setup).to_csv(tmp / "levers.csv", index=False)
        for name, t in tables.items():
            t.to_csv(tmp / f"{name}.csv", index=False)
        entry = scenario_entry(setup.scenario, provenance_counts=setup.data.provenance_counts())
        m = manifest("what_it_takes", city=setup.scenario.city, scenarios=[entry], what_it_takes=settings)
        write_manifest(tmp, m)
        if work is not None and Path(work).exists():
            os.replace(work, tmp / "runs")


def remove(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
