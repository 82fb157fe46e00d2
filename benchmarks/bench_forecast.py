"""Uncertainty ensembles: how long they take, and at which scale their answers stop depending on it.

    .venv/bin/python benchmarks/bench_forecast.py speed [--draws 40] [--scale 200] [--workers 2]
    .venv/bin/python benchmarks/bench_forecast.py scale [--draws 100] [--scales 400,200,100] [--workers 2]

`speed` runs `baseline` and `plan_2025` over DRAWS draws (one seed each) through the forecast's
sweeps and extrapolates the wall time linearly to 500 draws (runs are independent, so time is linear
in the number of draws; the fixed cost, imports and the summary, is timed apart). Goal (issue 14): a
500-draw ensemble of baseline and plan within 15 minutes on two cores.

`scale` runs the same draws (the same input values and seeds) at each scale and prints, per 2025
target and scenario, P(met) at each scale and the largest difference from the finest scale in units
of the combined Monte Carlo standard error of the two (draws are paired, so this is conservative).
A scale is fine enough when every difference is within 2 standard errors. Last line:
`scale=K max_z=...` for each coarser scale.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim import ensemble
from sim import scenario as scen
from sim.inputs import city_data

SCENARIOS = ("baseline", "plan_2025")


def runs_at(scale: int) -> list:
    out = []
    for name in SCENARIOS:
        sc = scen.load(name, {"run.scale": scale})
        out.append((sc, city_data(sc)))
    return out


def forecast(scale: int, draws: int, workers: int, seed: int = 1) -> tuple[pd.DataFrame, float]:
    """The target summary of an ensemble at `scale` and its wall time (runs only)."""
    runs = runs_at(scale)
    table = ensemble.draws(runs, draws, seed)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        annual, summary = ensemble.run_forecast(runs, table, scale, Path(tmp) / "fc", workers, progress=False)
        wall = time.perf_counter() - t0
    assert summary["failed"] == 0, summary
    return ensemble.target_summary(ensemble.outcome_table(annual, runs[0][1])), wall


def speed(args) -> None:
    t0 = time.perf_counter()
    targets, wall = forecast(args.scale, args.draws, args.workers)
    total = time.perf_counter() - t0
    per_draw = wall / args.draws
    print(f"{args.draws} draws x {len(SCENARIOS)} scenarios at scale {args.scale}, {args.workers} workers: "
          f"runs {wall:.1f} s ({per_draw:.2f} s per draw), total {total:.1f} s")
    print(f"draws=500 scale={args.scale} workers={args.workers} estimated_min={500 * per_draw / 60:.1f}")


def scale(args) -> None:
    scales = sorted((int(s) for s in args.scales.split(",")), reverse=True)
    tables, walls = {}, {}
    for k in scales:
        tables[k], walls[k] = forecast(k, args.draws, args.workers)
        print(f"scale {k}: {walls[k]:.1f} s", flush=True)
    finest = scales[-1]
    keys = ["scenario", "target_id"]
    base = tables[finest].set_index(keys)
    year = base.index.get_level_values("target_id").str.endswith("2025")
    rows = []
    for k in scales[:-1]:
        other = tables[k].set_index(keys).loc[base.index]
        se = np.sqrt(base["prob_met_se"] ** 2 + other["prob_met_se"] ** 2).replace(0, np.nan)
        z = ((other["prob_met"] - base["prob_met"]).abs() / se).fillna(0.0)
        z[(other["prob_met"] != base["prob_met"]) & se.isna()] = np.inf
        rows.append((k, z[year]))
    wide = pd.DataFrame({f"p_met@{k}": tables[k].set_index(keys)["prob_met"] for k in scales}).loc[base.index[year]]
    print(wide.round(3).to_string())
    for k, z in rows:
        print(f"scale={k} finest={finest} draws={args.draws} max_z={z.max():.2f} worst={z.idxmax()}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["speed", "scale"])
    p.add_argument("--draws", type=int)
    p.add_argument("--scale", type=int, default=200)
    p.add_argument("--scales", default="400,200,100")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    args.draws = args.draws or (40 if args.what == "speed" else 100)
    (speed if args.what == "speed" else scale)(args)


if __name__ == "__main__":
    main()
