"""The methods, through SALib: the problem definition, the Morris and Saltelli samplers, the Morris
and Sobol analysers, the tidy table of indices per outcome, and the noise floor an input without
effect would score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .inputs import Factor

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4                 # grid levels per input (SALib default; Morris 1991 uses p = 4)
INDEX_COLUMNS = {"morris": ["mu", "mu_star", "sigma", "mu_star_conf"], "sobol": ["S1", "S1_conf", "ST", "ST_conf"]}
RANK_BY = {"morris": "mu_star", "sobol": "ST"}


def problem(chosen: list[Factor]) -> dict:
    """The SALib problem definition."""
    return {"num_vars": len(chosen), "names": [f.key for f in chosen], "bounds": [[f.low, f.high] for f in chosen]}


def sample(prob: dict, method: str, n: int, seed: int) -> np.ndarray:
    """Morris trajectories (n = r) or Saltelli samples (n = N, a power of two), from a seeded generator."""
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(prob, N=n, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol

    return sobol.sample(prob, n, calc_second_order=False, seed=seed)


def runs_needed(method: str, n: int, k: int) -> int:
    return n * (k + 1) if method == "morris" else n * (k + 2)


def analyse(prob: dict, method: str, X: np.ndarray, Y: np.ndarray, seed: int) -> pd.DataFrame:
    """SALib's indices for one outcome, one row per input. An outcome that does not vary at all gets
    zeros (no variance to apportion) rather than Sobol's 0/0."""
    cols = INDEX_COLUMNS[method]
    Y = np.asarray(Y, dtype=float)
    if not np.all(np.isfinite(Y)):
        raise ValueError("every design point needs a finished run (the gap has missing values)")
    if np.ptp(Y) == 0:
        return pd.DataFrame(0.0, index=prob["names"], columns=cols)
    if method == "morris":
        from SALib.analyze import morris

        si = morris.analyze(prob, X, Y, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        from SALib.analyze import sobol

        si = sobol.analyze(prob, Y, calc_second_order=False, seed=seed)
    return pd.DataFrame({c: np.asarray(si[c], dtype=float) for c in cols}, index=prob["names"])


def sensitivity_table(chosen: list[Factor], method: str, X: np.ndarray, Y: pd.DataFrame, targets: list[dict],
                      seed: int, floors: dict[str, float] | None = None) -> pd.DataFrame:
    """Tidy table: outcome, target, parameter, provenance, interval, indices, rank (1 = moves the gap most),
    and the outcome's noise floor with whether the index clears it (NaN / empty without noise runs)."""
    prob, parts = problem(chosen), []
    meta = pd.DataFrame([{"parameter": f.key, "provenance": f.provenance, "how": f.how, "low": f.low, "high": f.high,
                          "integer": f.integer, "value": f.value} for f in chosen])
    for t in targets:
        idx = analyse(prob, method, X, Y[t["outcome"]].to_numpy(), seed).reset_index(drop=True)
        part = pd.concat([meta, idx], axis=1)
        key = RANK_BY[method]
        part["rank"] = part[key].rank(ascending=False, method="min").astype(int)
        floor = (floors or {}).get(t["outcome"], np.nan)
        part["noise_floor"] = floor
        part["above_noise"] = (part[key] - part[f"{key}_conf"] > floor) if np.isfinite(floor) else pd.NA
        part.insert(0, "comparator", t["comparator"])
        part.insert(0, "target", float(t["value"]))
        part.insert(0, "period", t["period"])
        part.insert(0, "year", t["year"])
        part.insert(0, "indicator", t["indicator"])
        part.insert(0, "outcome", t["outcome"])
        parts.append(part.sort_values("rank", kind="stable"))
    return pd.concat(parts, ignore_index=True)


def noise_floor(method: str, sd: float, replicates: int, y: np.ndarray) -> float:
    """What an input without effect would score: mu_star (Morris) or a variance share (Sobol)."""
    if method == "morris":
        delta = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
        return 2 * sd / (np.sqrt(np.pi * replicates) * delta)
    var = float(np.var(y))
    return min(1.0, sd ** 2 / replicates / var) if var > 0 else 0.0
