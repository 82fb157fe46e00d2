"""Reproduce docs/ODD.md §8.2, "What the measures do in this model": each measure alone (and the
full plan) against the baseline, paired by seed (common random numbers), at K = 50, seeds 1-4.

    .venv/bin/python scripts/measure_effects.py                      # every measure_* and plan_2025 (~1 min)
    .venv/bin/python scripts/measure_effects.py measure_online_hr_market --seeds 8
    .venv/bin/python scripts/measure_effects.py --binds                # §7.8 "What binds" instead

For each scenario it prints the median paired difference from the baseline and its range over the
seeds [min, max]: hires over 2021-2025 by channel and by where the hired came from (unemployment,
inactivity, another job), and the 2025 stocks. It reads the model's monthly events and flows
directly (the run tables do not keep hires by channel), so it runs the model in process.
"""

from __future__ import annotations

import argparse
import contextlib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

import sim.rules.matching
from sim import scenario as scenario_mod
from sim.agents.workers import INACTIVE, UNEMP
from sim.matching import CHANNEL_NAMES
from sim.model import LabourMarketModel
from sim.runner import city_data

FLOWS = {"hires_from_unemployment": UNEMP, "hires_from_inactivity": INACTIVE}
STOCKS_2025 = ("unemployed", "long_term_unemployed", "inactive", "employed_local", "employed_outside",
               "registered_unemployment_rate", "surveyed_unemployment_rate", "skilled_talent")


def outcomes(name: str, scale: int, seed: int) -> dict[str, float]:
    """2021-2025 hires (by channel, by origin) and 2025 stocks of one run, in persons or percent."""
    sc = scenario_mod.load(name, overrides={"run.scale": scale})
    model = LabourMarketModel(sc, seed=seed, data=city_data(sc))
    totals: Counter = Counter()
    for _ in range(model.n_steps):
        model.step()
        events, flows = model.last_events, model.last_flows
        totals.update({f"hires_{label}": events.get(f"hires_channel_{ch}", 0) for ch, label in enumerate(CHANNEL_NAMES)})
        totals["hires"] += events.get("hires", 0)
        if "hires" in flows:
            totals.update({key: flows["hires"][origin].sum() for key, origin in FLOWS.items()})
        totals["job_to_job"] += flows["job_to_job"].sum() if "job_to_job" in flows else 0
    totals = {k: float(v) * scale for k, v in totals.items()}            # agents -> persons
    last = model.monthly[-1]
    totals.update({k: float(last[k]) for k in STOCKS_2025})
    totals["urban_new_employment_2021_25"] = float(sum(m["urban_new_employment"] for m in model.monthly))
    return totals


def effects(scenarios: list[str], scale: int, seeds: list[int]) -> pd.DataFrame:
    """Paired differences from the baseline: one row per (scenario, outcome), median and range."""
    base = {seed: outcomes("baseline", scale, seed) for seed in seeds}
    rows = []
    for name in scenarios:
        runs = {seed: outcomes(name, scale, seed) for seed in seeds}
        for key in base[seeds[0]]:
            diff = np.array([runs[s][key] - base[s][key] for s in seeds])
            rows.append({"scenario": name, "outcome": key, "baseline": float(np.median([base[s][key] for s in seeds])),
                         "median": float(np.median(diff)), "min": float(diff.min()), "max": float(diff.max())})
    return pd.DataFrame(rows)


@contextlib.contextmanager
def recording_matches(log: list):
    """Within the block, every call of the model's matching round also appends what bound it to `log`."""
    real = sim.rules.matching.match

    def recorded(rng, seekers, vac, net_wage, params):
        m = real(rng, seekers, vac, net_wage, params)
        unemployed = seekers.months_out_of_work > 0          # in a spell of a month or more
        log.append({"posts": len(vac), "posts_applied": m.posts_applied, "offers": m.offers,
                    "people_offered": m.offered.size, "hires": m.seeker.size,
                    "seekers": seekers.row.size,
                    "spell_1m_plus_offered": float(np.isin(np.flatnonzero(unemployed), m.offered).mean())})
        return m

    sim.rules.matching.match = recorded
    try:
        yield log
    finally:
        sim.rules.matching.match = real


def what_binds(scale: int, seeds: list[int]) -> pd.DataFrame:
    """Per month of 2022-2025 in the baseline, mean over months and seeds, in persons (K x agents)."""
    rows = []
    for seed in seeds:
        sc = scenario_mod.load("baseline", overrides={"run.scale": scale})
        model = LabourMarketModel(sc, seed=seed, data=city_data(sc))
        with recording_matches([]) as log:
            model.run()
        rows += log[12:]                                   # 2022-2025: leave out the first year
    d = pd.DataFrame(rows)
    counts = ["posts", "posts_applied", "offers", "people_offered", "hires", "seekers"]
    d[counts] *= scale
    return d.mean().to_frame("per month").T


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", help="default: every scenarios/measure_*.toml and plan_2025")
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--seeds", type=int, default=4, help="seeds 1..N")
    ap.add_argument("--binds", action="store_true", help="what binds the matching round (docs/ODD.md §7.8)")
    args = ap.parse_args()
    if args.binds:
        print(f"baseline, K = {args.scale}, seeds 1-{args.seeds}, 2022-2025, mean per month:")
        print(what_binds(args.scale, list(range(1, args.seeds + 1))).round(3).to_string(index=False))
        return
    names = args.scenarios or sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "scenarios").glob("measure_*.toml"))
    names += [] if args.scenarios else ["plan_2025"]
    table = effects(names, args.scale, list(range(1, args.seeds + 1)))
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 1000)
    for name, group in table.groupby("scenario", sort=False):
        print(f"\n## {name} (K = {args.scale}, seeds 1-{args.seeds}; paired difference from the baseline)")
        print(group.drop(columns="scenario").round(2).to_string(index=False))


if __name__ == "__main__":
    main()
