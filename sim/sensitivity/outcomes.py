"""The outcomes: the targets of the final target year, the gap (projected - target) of each design
point averaged over replicates, the spread of each gap over the noise runs and over the design."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from ..params import CityData


def final_year(data: CityData) -> int | None:
    return max((t.year for t in data.targets), default=None)


def outcome_targets(data: CityData, year: int) -> list[dict]:
    """The targets of `year`, each with an outcome label ('skilled_talent 2025', 'certificates_issued 2021-2025')."""
    out = []
    for t in data.targets:
        if t.year == year:
            period = f"{t.period[0]}-{t.period[1]}" if t.period else ""
            out.append({**asdict(t), "outcome": f"{t.indicator} {period or year}", "period": period})
    return out


def gaps(results: pd.DataFrame, targets: list[dict], n_points: int) -> pd.DataFrame:
    """Gap (projected - target) per design point (rows, in point order) and outcome (columns),
    averaged over replicates. A point without a finished run is NaN."""
    from ..runner import projected

    annual = results.assign(scenario=results["point"])
    cols = {}
    for t in targets:
        period = [int(y) for y in t["period"].split("-")] if t["period"] else None
        v = projected(annual, t["indicator"], t["year"], period)
        cols[t["outcome"]] = (v.groupby(level="scenario").mean() - float(t["value"])).reindex(range(n_points))
    return pd.DataFrame(cols, index=pd.RangeIndex(n_points, name="point"))


def noise_sd(results: pd.DataFrame, targets: list[dict]) -> dict[str, float]:
    """Standard deviation of each gap over the seeds of the noise runs (one point, several seeds)."""
    from ..runner import projected

    annual = results.assign(scenario=results["point"])
    out = {}
    for t in targets:
        period = [int(y) for y in t["period"].split("-")] if t["period"] else None
        out[t["outcome"]] = float(projected(annual, t["indicator"], t["year"], period).std(ddof=1))
    return out


def outcome_summary(Y: pd.DataFrame, targets: list[dict]) -> pd.DataFrame:
    """How far each gap spreads over the sampled inputs (the design points are not a random sample for
    Morris: read the spread as a range explored, not a probability)."""
    rows = []
    for t in targets:
        y = Y[t["outcome"]].to_numpy(float)
        rows.append({"outcome": t["outcome"], "indicator": t["indicator"], "year": t["year"], "period": t["period"],
                     "target": float(t["value"]), "comparator": t["comparator"], "gap_mean": float(np.mean(y)),
                     "gap_min": float(np.min(y)), "gap_p10": float(np.percentile(y, 10)),
                     "gap_p50": float(np.median(y)), "gap_p90": float(np.percentile(y, 90)),
                     "gap_max": float(np.max(y)), "points": int(y.size), "varies": bool(np.ptp(y) > 0)})
    return pd.DataFrame(rows)
