"""Conditioning a forecast on what has been observed: approximate Bayesian computation by importance weights.

An analyst who knows an outturn the plans did not (a city bulletin's 2023 registered rate, say) writes
it in a CSV file, one row per figure:

    indicator,year,value,source,tolerance
    registered_unemployment_rate,2023,2.6,"汕尾市2023年国民经济和社会发展统计公报",0.3

(`scenario` is an optional column: the scenario whose runs are compared with the figure; without it, the
forecast's last scenario, e.g. plan_2025 in `sim forecast baseline plan_2025`, the one describing what
was done.) `sim forecast --observed FILE` then weights every draw of the ensemble by how well its runs
reproduce the figures:

    w_d = mean over the draw's runs of  prod_k exp(-1/2 ((y_k - obs_k) / tol_k)^2),

a Gaussian ABC kernel whose width is each figure's tolerance (Beaumont, Zhang and Balding 2002 weight
draws by a kernel of the distance; averaging it over the draw's seeds estimates the ABC likelihood
without bias, as in pseudo-marginal samplers, Andrieu and Roberts 2009). The weighted draws are the
posterior: every statistic of the forecast (P(met), percentiles, effects) is then weighted. How many
draws carry the answer is Kish's effective sample size, (sum w)^2 / sum w^2; below `min_ess` the
forecast stops with a message saying so and what to do (wider tolerances, more draws) instead of an
answer resting on one or two draws.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

COLUMNS = ("indicator", "year", "value", "source", "tolerance")
OPTIONAL = ("scenario",)


@dataclass(frozen=True)
class Observation:
    """One observed outturn: `indicator` in `year` was `value` (from `source`), compared with the runs of
    `scenario` within a kernel of width `tolerance` (the indicator's unit)."""

    indicator: str
    year: int
    value: float
    source: str
    tolerance: float
    scenario: str


def read(path: Path, scenarios: list[str], years: range) -> list[Observation]:
    """The observations in `path`, checked against the indicators, the forecast's `scenarios` and the
    simulated `years`; anything else is an InputError naming the file, the row and the key."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "", "no such file of observed outturns (CSV with columns " + ", ".join(COLUMNS) + ")")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        _check_columns(path, reader.fieldnames or [])
        rows = [_observation(path, i, row, scenarios, years) for i, row in enumerate(reader, start=2)]
    if not rows:
        raise InputError(path, "", "no observations: the file has a header and no rows")
    return rows


def _check_columns(path: Path, names: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in names]
    unknown = [c for c in names if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        raise InputError(path, "header", f"columns must be {', '.join(COLUMNS)} (and optionally scenario); "
                         + (f"missing {missing}" if missing else f"unknown {unknown}"))


def _observation(path: Path, line: int, row: dict, scenarios: list[str], years: range) -> Observation:
    from .indicators import BY_ID

    where = f"line {line}"
    if row["indicator"] not in BY_ID:
        raise InputError(path, f"{where}: indicator", f"unknown indicator {row['indicator']!r}; `sim list indicators` shows them")
    year, value, tol = (_number(path, where, k, row[k]) for k in ("year", "value", "tolerance"))
    if year != int(year) or int(year) not in years:
        raise InputError(path, f"{where}: year", f"must be a simulated year {years.start}-{years.stop - 1}, got {row['year']}")
    if tol <= 0:
        raise InputError(path, f"{where}: tolerance", f"must be > 0 (in the indicator's unit), got {row['tolerance']}")
    scenario = (row.get("scenario") or "").strip() or scenarios[-1]
    if scenario not in scenarios:
        raise InputError(path, f"{where}: scenario", f"must be one of the forecast's scenarios {scenarios}, got {scenario!r}")
    return Observation(row["indicator"], int(year), value, (row.get("source") or "").strip(), tol, scenario)


def _number(path: Path, where: str, key: str, text: str | None) -> float:
    try:
        x = float(text)
    except (TypeError, ValueError):
        raise InputError(path, f"{where}: {key}", f"must be a number, got {text!r}") from None
    if not math.isfinite(x):
        raise InputError(path, f"{where}: {key}", f"must be finite, got {text!r}")
    return x


def simulated(annual: pd.DataFrame, obs: Observation) -> pd.DataFrame:
    """The runs' values of an observed figure: draw, replicate and value (one row per run of its scenario)."""
    rows = annual[(annual["scenario"] == obs.scenario) & (annual["indicator"] == obs.indicator) & (annual["year"] == obs.year)]
    return rows[["draw", "replicate", "value"]]


def weights(annual: pd.DataFrame, observations: list[Observation]) -> pd.Series:
    """Each draw's ABC weight (module docstring), indexed by draw; a draw whose runs lack a figure gets 0."""
    log_k = None
    for obs in observations:
        v = simulated(annual, obs).set_index(["draw", "replicate"])["value"]
        term = -0.5 * ((v - obs.value) / obs.tolerance) ** 2
        log_k = term if log_k is None else log_k.add(term, fill_value=-np.inf)
    return np.exp(log_k).groupby(level="draw").mean().rename("weight")


def ess(w: pd.Series) -> float:
    """Kish's effective sample size of the weights, (sum w)^2 / sum w^2 (0 when every weight is 0)."""
    total = float(w.sum())
    return total ** 2 / float((w ** 2).sum()) if total > 0 else 0.0


def fit_table(annual: pd.DataFrame, observations: list[Observation], w: pd.Series) -> pd.DataFrame:
    """Each observed figure beside the runs' mean before (prior) and after weighting (posterior)."""
    out = []
    for obs in observations:
        v = simulated(annual, obs)
        by = v.groupby("draw")["value"].mean()
        ww = w.reindex(by.index).fillna(0.0)
        out.append({"indicator": obs.indicator, "year": obs.year, "scenario": obs.scenario, "observed": obs.value,
                    "tolerance": obs.tolerance, "prior_mean": float(by.mean()),
                    "posterior_mean": float((by * ww).sum() / ww.sum()) if ww.sum() > 0 else np.nan,
                    "source": obs.source})
    return pd.DataFrame(out)


def condition(annual: pd.DataFrame, observations: list[Observation], min_ess: float, where: Path) -> tuple[pd.Series, float]:
    """The draws' weights and their effective sample size; an InputError naming the file when fewer than
    `min_ess` draws effectively remain."""
    w = weights(annual, observations)
    n = ess(w)
    if n < min_ess:
        raise InputError(where, "tolerance", f"only {n:.1f} effective draws of {len(w)} reproduce these outturns "
                         f"(at least {min_ess:g} needed): widen the tolerances or run more --draws (finished runs "
                         "are kept: add --resume)")
    return w, n
