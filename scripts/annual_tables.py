"""Record, or compare against a recorded reference, the annual tables of fixed runs.

The refactors of the house issue must leave tables bit-identical except where a bug fix moves them;
this script is how that is checked and how docs/CHANGELOG.md's 'what moved' tables are made.

    python scripts/annual_tables.py record benchmarks/reference/annual_v0.3.0.csv
    python scripts/annual_tables.py compare benchmarks/reference/annual_v0.3.0.csv

`benchmarks/reference/` holds the tables of each version (annual_v0.2.0.csv was recorded before the
house refactor, its ids renamed as in 0.3.0; docs/CHANGELOG.md says what moved between them).

Runs `baseline` and `plan_2025` at scale 50, seeds 1-4 (change with --scale/--seeds/--scenarios).
`compare` prints every (scenario, indicator, year) whose mean over the seeds moved, with the
relative change, and exits 1 if anything moved (0 if the tables are identical). Indicators the
reference does not have (added since) are named on one line and not compared.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from sim import runner, scenario


def tables(scenarios: list[str], scale: int, seeds: list[int]) -> pd.DataFrame:
    parts = []
    for name in scenarios:
        scen = scenario.load(name, overrides={"run.scale": scale})
        data = runner.city_data(scen)
        for r, seed in enumerate(seeds):
            parts.append(runner.run(scen, seed, r, data).annual)
    return pd.concat(parts, ignore_index=True)[["scenario", "seed", "year", "indicator", "value"]]


def compare(reference: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    keys = ["scenario", "seed", "year", "indicator"]
    both = reference.merge(now, on=keys, how="outer", suffixes=("_before", "_after"), indicator=True)
    both["differs"] = ~np.isclose(both["value_before"], both["value_after"], rtol=0, atol=0, equal_nan=True)
    moved = both[both["differs"] | (both["_merge"] != "both")]
    mean = moved.groupby(["scenario", "indicator", "year"])[["value_before", "value_after"]].mean()
    mean["change_pct"] = 100 * (mean["value_after"] / mean["value_before"] - 1)
    return mean.reset_index()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", choices=["record", "compare"])
    p.add_argument("path")
    p.add_argument("--scenarios", nargs="+", default=["baseline", "plan_2025"])
    p.add_argument("--scale", type=int, default=50)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    a = p.parse_args(argv)
    now = tables(a.scenarios, a.scale, a.seeds)
    if a.action == "record":
        now.to_csv(a.path, index=False, float_format="%.17g")
        print(f"wrote {len(now)} rows to {a.path}")
        return 0
    reference = pd.read_csv(a.path)
    new = sorted(set(now["indicator"]) - set(reference["indicator"]))
    if new:
        print(f"not in the reference (added since), not compared: {new}")
    moved = compare(reference, now[~now["indicator"].isin(new)])
    if moved.empty:
        print("identical: no annual value moved")
        return 0
    with pd.option_context("display.max_rows", 500, "display.width", 200):
        print(moved.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
