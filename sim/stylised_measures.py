"""Measures on a demand sweep's panel and spells (sim/stylised.py has the sweep, the concepts and the
literature): unemployment durations and their exit rates, and the cyclical behaviour of offered wages
and job-to-job moves (the market facts of issue 13, whose design is fixed in sim/stylised.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

WINDOW = ("2024-07", "2025-12")     # sim.stylised.BEVERIDGE_WINDOW: after the shock, each run near its new steady state


# -- durations -----------------------------------------------------------------------------------------
def skewness(x) -> float:
    """Sample skewness g1 = m3 / m2^1.5 (Fisher-Pearson, not bias-adjusted); > 0 is a long right tail."""
    x = np.asarray(x, float)
    d = x - x.mean()
    m2 = (d * d).mean()
    return float((d ** 3).mean() / m2 ** 1.5) if m2 > 0 else float("nan")


def exit_rates(spells: pd.DataFrame, longest: int = 24) -> pd.DataFrame:
    """Per seed and pooled (seed "all"): the exit rate from unemployment in month d of a spell, d = 1 ..
    `longest` = spells completed at d / spells lasting at least d (censored spells stay in the risk set
    to their length)."""
    rows = []
    for seed, g in [*spells.groupby("seed"), ("all", spells)]:
        months, done = g["months"].to_numpy(), g["completed"].to_numpy()
        for d in range(1, longest + 1):
            at_risk = (months >= d).sum()
            rows.append({"seed": seed, "month": d, "at_risk": int(at_risk),
                         "exit_rate": float(((months == d) & done).sum() / at_risk) if at_risk else float("nan")})
    return pd.DataFrame(rows)


def band_mean(rates: pd.DataFrame, seed, lo: int, hi: int) -> float:
    r = rates[(rates["seed"] == seed) & rates["month"].between(lo, hi)]
    return float(r["exit_rate"].mean())


def cyclical(panel: pd.DataFrame, column: str, window: tuple[str, str] = WINDOW) -> pd.DataFrame:
    """Mean of `column` (or, for "job_to_job_rate", job-to-job moves over the employed) over `window`,
    by shock size (rows) and seed (columns)."""
    p = panel[(panel["month"] >= window[0]) & (panel["month"] <= window[1])].copy()
    if column == "job_to_job_rate":
        p[column] = p["job_to_job"] / p["employed"]
    return p.pivot_table(index="shock_size", columns="seed", values=column, aggfunc="mean")


def duration_summary(spells: pd.DataFrame, completed: bool = True) -> pd.DataFrame:
    """Per seed (all shock sizes pooled): n, mean, median and skewness of spell lengths in months."""
    d = spells[spells["completed"] == completed]
    rows = []
    for seed, g in d.groupby("seed"):
        m = g["months"].to_numpy()
        rows.append({"seed": seed, "n": m.size, "mean": float(m.mean()), "median": float(np.median(m)),
                     "skewness": skewness(m)})
    return pd.DataFrame(rows)
