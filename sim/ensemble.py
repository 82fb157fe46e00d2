"""The draws of an uncertainty ensemble (issue 14): what we do not know, sampled once for every scenario.

Each draw gives every uncertain input a value and the run a seed:

- an `assumption` is drawn uniformly over its plausible `range` (the inputs are those `sim
  sensitivity` samples, `sim.sensitivity.factors`: lists and table columns marked `sample:
  scale|shift` move as one input, measures' parameters count only where the scenario switches the
  measure on, values a scenario sets itself are part of the question and stay fixed);
- a `calibrated` value is drawn from its calibration uncertainty, a normal distribution around the
  fitted value with the fit's standard error (`se` in the data file, written by `sim calibrate`),
  truncated to the parameter's search range; a calibrated value without a standard error is drawn
  uniformly over its range and said so (`prior` "uniform (no se)");
- the seed is the ensemble's base seed plus the draw's index.

The draws are one table for all the scenarios of a forecast (common random numbers): an input two
scenarios share has the same value in both in every draw, so plan - baseline has a distribution of
its own. Each input draws from a stream seeded by the ensemble's seed and its own key, so the same
input has the same draws whichever scenarios (and so whichever other inputs) an ensemble holds.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import truncnorm

from .params import CityData
from .scenario import Scenario
from .sensitivity.inputs import Factor, factors


@dataclass(frozen=True)
class Input:
    """One sampled input of the ensemble: the sensitivity factor and the prior it is drawn from."""

    factor: Factor
    prior: str            # "uniform", "truncated normal", or "uniform (no se)" for a calibrated value without one
    se: float | None = None


def inputs(runs: list[tuple[Scenario, CityData]]) -> list[Input]:
    """The union over the scenarios of what they sample, in a stable order (first seen first)."""
    seen: dict[str, Input] = {}
    for scenario, data in runs:
        for f in factors(scenario, data)[0]:
            if f.key not in seen:
                seen[f.key] = _input(f, data)
    return list(seen.values())


def _input(f: Factor, data: CityData) -> Input:
    path = f.key.removeprefix("assumptions.")
    se = data.params[path].meta.get("se") if f.provenance == "calibrated" and path in data.params else None
    if f.provenance != "calibrated":
        return Input(f, "uniform")
    return Input(f, "truncated normal", float(se)) if se else Input(f, "uniform (no se)")


def values(inp: Input, u: np.ndarray) -> np.ndarray:
    """The input's values at the unit-interval points `u` (its prior's quantiles)."""
    f = inp.factor
    if inp.prior != "truncated normal":
        return f.low + u * (f.high - f.low)
    a, b = (f.low - f.value) / inp.se, (f.high - f.value) / inp.se
    return truncnorm.ppf(u, a, b, loc=f.value, scale=inp.se)


def uniforms(key: str, n: int, seed: int) -> np.ndarray:
    """n points on the unit interval for input `key`: a stream of its own, seeded by (seed, key), so an
    input's draws do not depend on which other inputs the scenarios sample."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))]).random(n)


def draws(runs: list[tuple[Scenario, CityData]], n: int, seed: int) -> pd.DataFrame:
    """n draws: one row per draw with its seed and a column per input (the factor's key)."""
    table = pd.DataFrame({inp.factor.key: values(inp, uniforms(inp.factor.key, n, seed)) for inp in inputs(runs)})
    table.insert(0, "seed", seed + np.arange(n))
    table.insert(0, "draw", np.arange(n))
    return table


def prior_table(runs: list[tuple[Scenario, CityData]]) -> pd.DataFrame:
    """What each input is drawn from (for the ensemble's report and manifest)."""
    return pd.DataFrame([{"input": i.factor.key, "provenance": i.factor.provenance, "prior": i.prior,
                          "value": i.factor.value, "se": i.se, "low": i.factor.low, "high": i.factor.high}
                         for i in inputs(runs)])
