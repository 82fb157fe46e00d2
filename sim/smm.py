"""Calibration by the method of simulated moments (SMM) against the 2016-2020 record.

Which parameters: every scalar parameter the city file marks `calibrated` (a friction or propensity no
source gives), searched within its `range` (P of them). Which moments: the `fitted` rows of the
back-cast (sim/backcast.py CHECKS; M of them, M >= P, else an InputError). The other rows are
identified at build time (sim/calibration.py), inputs, or held out for validation; the report lists
every row with its role, so a fitted moment is never shown as validation. Nothing here depends on
which parameters or moments these are.

Method (McFadden 1989; Gourieroux & Monfort 1996): the model is simulated from the end-2015 city for
2016-2020 with a fixed set of S seeds (common random numbers: every candidate sees the same random
streams, so differences between candidates are not noise). Each fitted moment k has a standard error
sigma_k^2 = sd_data,k^2 + sd_sim,k^2 / S: sd_data is the stated uncertainty of the observed value
(measurement and definition), from the city file's `calibration` group -
`calibration.moment_sd_relative.<indicator>` as a share of the observed value, or
`calibration.moment_sd_absolute.<indicator>` in the moment's own unit (percentage points for a rate in
percent), exactly one per fitted moment - and sd_sim is the spread over the seeds at the start point
(fixed for the whole search, so the objective is one sum of squares; with one seed it is not
estimated and sigma is sd_data alone). The objective is J = sum_k ((m_k - d_k) / sigma_k)^2.

Search: scipy's bounded least squares on the weighted residuals over the unit cube of the ranges
(finite-difference step `STEP` of each range, large enough for a noisy simulator). `budget` is the
most model evaluations in all: P of them are kept back for the standard errors when the budget leaves
room for at least the start point besides; every candidate's values are rounded to what the data file
will hold (4 significant digits), so the reported point is one that was simulated.

Results (sim/smm_stats.py): Hansen's (1982) over-identification test (J at the optimum is
approximately chi-square(M - P) if the model is right; M = P is "exactly identified: J says
nothing"); standard errors Var(theta) = (G'G)^-1 from forward differences G of the weighted residuals
at the optimum (step `STEP` of each range), approximate 95% intervals clipped to the range, a flag
where a parameter is not identified (G'G near singular, or the interval covers the range); and, per
moment, whether it is fit (|m - d| <= 2 sigma). Outputs: sim/smm_report.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import backcast, smm_stats as stats
from .errors import InputError
from .params import DEFAULT_CITY, CityData, load_city
from .smm_report import fit_markdown, write_calibration, write_values, written

__all__ = ["Fit", "Moments", "Problem", "calibrate", "fit", "fit_markdown", "write_calibration", "write_values", "written"]

STEP = 0.05                      # finite-difference step, as a share of each parameter's range
DEFAULT_SEEDS = (1, 2, 3, 4)     # common random numbers; two seeds left the objective too noisy to search
SD_GROUPS = ("calibration.moment_sd_relative", "calibration.moment_sd_absolute")


@dataclass(frozen=True)
class Moments:
    """The fitted moments: their ids (`Check.moment`: indicator and period), observed values, stated sd of
    each and the total sigma."""

    indicators: list[str]
    observed: np.ndarray
    data_sd: np.ndarray
    sigma: np.ndarray
    sim_sd: np.ndarray | None = None        # spread over the seeds at the start (None until known)

    def simulated(self, table: pd.DataFrame) -> np.ndarray:
        return table.set_index("moment").loc[self.indicators, "simulated"].to_numpy(float)

    def residuals(self, table: pd.DataFrame) -> np.ndarray:
        return stats.residuals(self.simulated(table), self.observed, self.sigma)

    def objective(self, table: pd.DataFrame) -> float:
        return stats.objective(self.residuals(table))

    def with_simulation_noise(self, table: pd.DataFrame, seeds: int) -> Moments:
        sd = table.set_index("moment").loc[self.indicators, "sd"].to_numpy(float)
        return replace(self, sim_sd=sd, sigma=stats.sigmas(self.data_sd, sd, seeds))


@dataclass
class Fit:
    """The result of a calibration: parameters, moments, statistics and every evaluation."""

    names: list[str]
    ranges: dict[str, tuple[float, float]]
    start: dict[str, float]
    best: dict[str, float]
    objective_start: float
    objective_best: float
    table_start: pd.DataFrame
    table_best: pd.DataFrame
    moments: Moments
    overid: stats.Overid
    estimates: list[stats.Estimate] | None     # None: the budget left no room for the standard errors
    seeds: int = 1
    step: float = STEP
    history: list[dict] = field(default_factory=list)

    def evaluations(self, purpose: str) -> int:
        return sum(h["purpose"] == purpose for h in self.history)


# -- what is fitted to what -------------------------------------------------------------------------
def calibrated_parameters(data: CityData) -> dict[str, tuple[float, float]]:
    """Every scalar `calibrated` parameter and its search range."""
    out = {}
    for path, p in data.params.items():
        if p.provenance != "calibrated" or isinstance(p.value, list):
            continue
        if p.range is None:
            raise InputError(data.where, path, "a calibrated parameter needs a 'range' to search within")
        out[path] = (float(p.range[0]), float(p.range[1]))
    return out


def fitted_checks() -> list[backcast.Check]:
    return [c for c in backcast.CHECKS if c.role == "fitted"]


def data_sd(data: CityData, check: backcast.Check) -> float:
    """The stated standard error of `check`'s observed value, from the `calibration` group."""
    keys = [f"{group}.{check.indicator}" for group in SD_GROUPS]
    have = [k for k in keys if k in data.params]
    if len(have) != 1:
        raise InputError(data.where, keys[0], f"fitted moment {check.indicator!r} needs exactly one stated standard "
                         f"error: {keys[0]} (share of the observed value) or {keys[1]} (absolute, in its unit)"
                         + ("; found both" if have else ""))
    sd = float(data.get(have[0]))
    if not sd > 0:
        raise InputError(data.where, have[0], f"must be a standard error > 0, got {sd!r}")
    return sd * abs(check.observed(data)) if have[0] == keys[0] else sd


def check_counts(where: str, parameters: list[str], moments: list[str]) -> None:
    """M moments can identify at most M parameters."""
    if len(moments) < len(parameters):
        raise InputError(where, ", ".join(parameters), f"{len(parameters)} calibrated parameters but only {len(moments)} "
                         "fitted moments (sim/backcast.py CHECKS): need at least as many moments as parameters")


def data_moments(data: CityData, checks: list[backcast.Check], parameters: list[str]) -> Moments:
    """The fitted moments with their stated sd; M < P is an error."""
    check_counts(data.where, parameters, [c.moment for c in checks])
    sd = np.array([data_sd(data, c) for c in checks])
    observed = np.array([c.observed(data) for c in checks])
    return Moments([c.moment for c in checks], observed, sd, sd)


# -- the problem ------------------------------------------------------------------------------------
class Problem:
    """Maps points of the unit cube to parameter values and tables of moments (memoised, counted).

    `simulate(values) -> table` (columns indicator, simulated, sd over the seeds, ...) is the only link
    to the model; every new table counts against `budget` (BudgetSpent when it is used up)."""

    def __init__(self, ranges: dict[str, tuple[float, float]], simulate: Callable[[dict], pd.DataFrame],
                 budget: int | None = None):
        self.ranges, self.simulate, self.budget = ranges, simulate, budget
        self.names = list(ranges)
        self.purpose = "search"
        self.history: list[dict] = []
        self.tables: dict[tuple, pd.DataFrame] = {}

    @classmethod
    def from_city(cls, data: CityData, scale: int, seeds: list[int], city: str, budget: int | None = None) -> Problem:
        def simulate(values: dict) -> pd.DataFrame:
            changed = data.with_overrides(values, data.where, prefix="")
            return backcast.compare(backcast.simulate(changed, scale, seeds, city), changed)
        return cls(calibrated_parameters(data), simulate, budget)

    def values(self, x: np.ndarray) -> dict[str, float]:
        """The parameter values at unit-cube point x, at the precision the data file holds."""
        x = np.clip(x, 0.0, 1.0)
        return {n: written(lo + float(xi) * (hi - lo))
                for n, xi, (lo, hi) in zip(self.names, x, self.ranges.values(), strict=True)}

    def unit(self, values: dict[str, float]) -> np.ndarray:
        return np.array([(values[n] - lo) / (hi - lo) for n, (lo, hi) in self.ranges.items()])

    def table(self, values: dict[str, float]) -> pd.DataFrame:
        """The table at `values`; each candidate is simulated once (same seeds, same table)."""
        key = tuple(values[n] for n in self.names)
        if key not in self.tables:
            if self.budget is not None and len(self.tables) >= self.budget:
                raise stats.BudgetSpent
            self.tables[key] = self.simulate(values)
            self.history.append({"evaluation": len(self.history) + 1, "purpose": self.purpose, **values})
        return self.tables[key]

    def table_at(self, x: np.ndarray) -> pd.DataFrame:
        return self.table(self.values(x))


# -- fitting ----------------------------------------------------------------------------------------
def calibrate(city: str = DEFAULT_CITY, scale: int = 20, seeds: list[int] | None = None, budget: int = 30,
              progress: Callable[[int, float], None] | None = None) -> Fit:
    """Fit the calibrated parameters; `progress(evaluation, objective)` is called after each run."""
    data, seeds = load_city(city), seeds or list(DEFAULT_SEEDS)
    problem = Problem.from_city(data, scale, seeds, city)
    if not problem.names:
        raise InputError(data.where, "", "no parameter has provenance 'calibrated': nothing to fit")
    moments = data_moments(data, fitted_checks(), problem.names)
    return fit(problem, {n: float(data.get(n)) for n in problem.names}, moments, len(seeds), budget, progress)


def fit(problem: Problem, start: dict[str, float], moments: Moments, seeds: int, budget: int,
        progress: Callable[[int, float], None] | None = None, step: float = STEP) -> Fit:
    """Search, then standard errors and the J test; works with any `problem.simulate` (tests use fakes)."""
    p = len(problem.names)
    check_counts("calibration", problem.names, moments.indicators)
    reserve = p if budget - p >= 1 else 0                 # the standard errors' evaluations, kept back
    problem.budget, problem.purpose = budget - reserve, "search"
    x0 = problem.unit(problem.values(problem.unit(start)))
    table0 = problem.table_at(x0)
    moments = moments.with_simulation_noise(table0, seeds)
    if progress:
        progress(1, moments.objective(table0))
    stats.search(_residual_fn(problem, moments, progress), x0, step)
    best = _best(problem, moments)
    problem.budget, problem.purpose = budget, "jacobian"
    estimates = _estimates(problem, moments, best, step) if reserve else None
    return _result(problem, moments, problem.values(x0), best, estimates, seeds, step)


def _best(problem: Problem, moments: Moments) -> dict[str, float]:
    """The evaluated point with the smallest objective (the report describes a simulated point)."""
    best = min(problem.history, key=lambda h: moments.objective(problem.table(h)))
    return {n: best[n] for n in problem.names}


def _result(problem: Problem, moments: Moments, start: dict[str, float], best: dict[str, float],
            estimates: list[stats.Estimate] | None, seeds: int, step: float) -> Fit:
    j_start, j_best = moments.objective(problem.table(start)), moments.objective(problem.table(best))
    history = [{**h, "objective": moments.objective(problem.table(h))} for h in problem.history]
    overid = stats.overidentification(j_best, len(moments.indicators), len(problem.names))
    return Fit(problem.names, problem.ranges, start, best, j_start, j_best, problem.table(start), problem.table(best),
               moments, overid, estimates, seeds, step, history)


def _residual_fn(problem: Problem, moments: Moments, progress) -> Callable[[np.ndarray], np.ndarray]:
    def residual(x: np.ndarray) -> np.ndarray:
        n = len(problem.history)
        r = moments.residuals(problem.table_at(x))
        if progress and len(problem.history) > n:
            progress(len(problem.history), stats.objective(r))
        return r
    return residual


def _estimates(problem: Problem, moments: Moments, best: dict[str, float], step: float) -> list[stats.Estimate]:
    x = problem.unit(best)
    g = stats.jacobian(lambda xi: moments.residuals(problem.table_at(xi)), x, step, moments.residuals(problem.table(best)),
                       snap=lambda xi: problem.unit(problem.values(xi)))
    low, high = (np.array([r[i] for r in problem.ranges.values()]) for i in (0, 1))
    return stats.estimates(g, x, low, high)
