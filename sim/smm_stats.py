"""The statistics of the simulated-moments calibration (sim/smm.py), as plain functions of arrays.

Nothing here runs the model, so every formula has a known-answer test (tests/test_smm.py).

- Weights: each fitted moment k has a standard error sigma_k, sigma_k^2 = sd_data,k^2 + sd_sim,k^2 / S:
  the stated uncertainty of the observed value plus the simulation noise of a mean over S seeds.
- Objective: J = sum_k r_k^2 with weighted residuals r_k = (m_k - d_k) / sigma_k.
- Search: `search` runs scipy's bounded least squares (trust-region reflective) on r over the unit
  cube of the parameters' ranges, its Jacobian by forward differences with a step large enough for
  a noisy simulator;
  the caller's residual function raises `BudgetSpent` when it may simulate no more.
- Over-identification (Hansen 1982): with these weights and the model right, J at the optimum is
  approximately chi-square with M - P degrees of freedom; M = P is exactly identified (J says nothing).
- Standard errors: Var(theta) = (G'G)^-1 with G the Jacobian of r (already divided by sigma) at the
  optimum (Gourieroux & Monfort 1996, ch. 2); moment errors are taken as independent (diagonal weights).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import chi2

FIT_LIMIT = 2.0             # a moment is fit when |m - d| <= 2 sigma
Z95 = 1.959964              # normal quantile of an approximate 95% interval
NULL_SHARE = 1e-4           # a singular value below this share of the largest is a direction the moments do not see
LOADING = 0.1               # a parameter loading more than this on such a direction is not identified


class BudgetSpent(Exception):
    """The model-evaluation budget is used up; the search stops at the best point so far."""


@dataclass(frozen=True)
class Overid:
    """The over-identification test: J at the optimum, M - P degrees of freedom, chi-square p-value."""

    j: float
    dof: int
    p_value: float | None          # None when exactly identified

    @property
    def verdict(self) -> str:
        if self.dof == 0:
            return "exactly identified: J says nothing"
        decision = "rejected" if self.p_value < 0.05 else "not rejected"
        return f"chi-square({self.dof}) p-value {self.p_value:.3g}: the model is {decision} at the 5% level"


@dataclass(frozen=True)
class Estimate:
    """One fitted value with its standard error, approximate 95% interval (clipped to the range) and
    whether the moments identify it (`why` says why not)."""

    value: float
    se: float
    ci_low: float
    ci_high: float
    identified: bool
    why: str = ""


def sigmas(data_sd: np.ndarray, sim_sd: np.ndarray, seeds: int) -> np.ndarray:
    """sigma_k = sqrt(sd_data,k^2 + sd_sim,k^2 / S)."""
    return np.sqrt(np.asarray(data_sd, float) ** 2 + np.asarray(sim_sd, float) ** 2 / seeds)


def residuals(simulated: np.ndarray, observed: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return (np.asarray(simulated, float) - np.asarray(observed, float)) / np.asarray(sigma, float)


def objective(r: np.ndarray) -> float:
    return float(np.dot(r, r))


def fits(r: np.ndarray) -> np.ndarray:
    """Which moments are fit: |m - d| <= 2 sigma."""
    return np.abs(r) <= FIT_LIMIT


def overidentification(j: float, moments: int, parameters: int) -> Overid:
    """Hansen's J test; needs moments >= parameters (the caller says so to the user)."""
    dof = moments - parameters
    if dof < 0:
        raise ValueError(f"{moments} moments cannot identify {parameters} parameters")
    return Overid(float(j), dof, float(chi2.sf(j, dof)) if dof > 0 else None)


def search(residual: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, step: float) -> None:
    """Minimise sum(residual(x)^2) over [0, 1]^P from x0 until converged or the budget is spent.

    The Jacobian is `jacobian`'s forward differences with the absolute step `step` in unit-cube
    coordinates (scipy's own `diff_step` is relative to |x|, too small near 0 for a noisy simulator);
    the caller keeps every point it evaluated and picks the best."""
    def jac(x: np.ndarray) -> np.ndarray:
        return jacobian(residual, x, step, residual(x))
    try:
        least_squares(residual, np.asarray(x0, float), jac=jac, bounds=(0.0, 1.0), method="trf",
                      x_scale=1.0, xtol=1e-3, ftol=1e-4)
    except BudgetSpent:
        pass


def jacobian(residual: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float, r0: np.ndarray,
             snap: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Forward differences of `residual` at x (backward where x + step > 1), per unit of x.

    `snap` maps a point to the one actually evaluated (e.g. after rounding), so the step divided by is
    the step taken. Costs one evaluation per parameter."""
    x = np.asarray(x, float)
    g = np.empty((len(r0), len(x)))
    for i in range(len(x)):
        xi = x.copy()
        xi[i] += step if x[i] + step <= 1.0 else -step
        xi = snap(xi) if snap else xi
        g[:, i] = (residual(xi) - r0) / (xi[i] - x[i])
    return g


def unit_covariance(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(G'G)^-1 on the directions the moments see (a pseudo-inverse), and which parameters load on a
    direction they do not see (G'G near singular: those parameters are not identified)."""
    _, s, vt = np.linalg.svd(g, full_matrices=True)
    s = np.concatenate([s, np.zeros(vt.shape[0] - s.size)])        # rank at most M: the rest are unseen
    seen = s > NULL_SHARE * s.max() if s.max() > 0 else np.zeros(s.shape, bool)
    cov = (vt[seen].T / s[seen] ** 2) @ vt[seen]
    return cov, (np.abs(vt[~seen]) > LOADING).any(axis=0)


def estimates(g: np.ndarray, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[Estimate]:
    """Each parameter's value, standard error and interval, from the Jacobian `g` of the weighted
    residuals per unit of the unit-cube coordinate `x`; `low`, `high` are the search ranges."""
    cov, blind = unit_covariance(g)
    width = np.asarray(high, float) - np.asarray(low, float)
    value = np.asarray(low, float) + np.asarray(x, float) * width
    se = np.where(blind, np.inf, np.sqrt(np.clip(np.diag(cov), 0.0, None)) * width)
    return [_estimate(v, s, lo, hi, b) for v, s, lo, hi, b in zip(value, se, low, high, blind, strict=True)]


def _estimate(value: float, se: float, low: float, high: float, blind: bool) -> Estimate:
    lo, hi = value - Z95 * se, value + Z95 * se
    why = ("the moments (nearly) do not depend on it: G'G is near singular" if blind else
           "its 95% interval covers the whole search range" if lo <= low and hi >= high else "")
    return Estimate(float(value), float(se), float(max(lo, low)), float(min(hi, high)), not why, why)
