"""Reproduce the calibrated value of `firms.separation_scale` (see sim/data/shanwei.yaml).

Moment (the 2016-2020 record, never the plans' targets): urban new employment of about 50,000 a year
(250,051 in 2016-2020, [003] 第一章第一节). The baseline is run for 2021-2022 at scale 20 with seeds
1-3 for each factor on a grid; the factor whose mean annual urban new employment is closest to the
moment is printed, with the true unemployment rate it implies for reference.

    .venv/bin/python scripts/calibrate.py
"""

from __future__ import annotations

import numpy as np

from sim import scenario
from sim.params import load_city
from sim.runner import run

GRID = [0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0]
SEEDS = [1, 2, 3]
MOMENT = 250_051 / 5


def simulate(factor: float) -> tuple[float, float]:
    sc = scenario.load("baseline", ["run.scale=20", "run.end='2022-12'", f"assumptions.firms.separation_scale={factor}"])
    une, u = [], []
    for seed in SEEDS:
        a = run(sc, seed=seed).annual
        a = a[a["year"] > 2020]
        une.append(a[a["indicator"] == "urban_new_employment"]["value"].mean())
        u.append(a[a["indicator"] == "surveyed_unemployment_rate"]["value"].mean())
    return float(np.mean(une)), float(np.mean(u))


if __name__ == "__main__":
    results = {}
    for f in GRID:
        results[f] = une, u = simulate(f)
        print(f"separation_scale {f:4.2f}: urban new employment {une:9,.0f} a year, unemployment {u:4.1f}%", flush=True)
    best = min(results, key=lambda f: abs(results[f][0] - MOMENT))
    print(f"closest to the 2016-2020 moment ({MOMENT:,.0f} a year): {best} "
          f"(data file has {load_city('shanwei').get('firms.separation_scale')})")
