"""The plain-Mesa reference (benchmarks/naive_model.py) and the project's model implement the same
core rules: same city, same seed, the same unemployment path within sampling noise.

Statistic: D = the unemployment rate (unemployed / (unemployed + employed in Shanwei), percent),
naive minus project, averaged over the months and over the seeds (the two runs of a seed start
from the same synthetic city and share the firms' demand shocks; every worker-side draw differs).
Tolerance: 3 standard errors of D under sampling noise alone. One month's rate among L agents in the
labour force has binomial standard deviation s = 100 sqrt(u (1 - u) / L); a mean over months is no
noisier than one month, a difference of two independent runs has sd s sqrt(2), and the mean over
n seeds divides that by sqrt(n): tolerance = 3 s sqrt(2 / n). Observed at this size (scale 300,
about 5,800 agents of whom 3,600 in the labour force, 6 seeds, 36 months): D = 0.04 points against
a tolerance of 0.41; with the naive model's separation rate tripled D = 0.90 (doubled: 0.46), so
the test can fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from naive_model import CoreModel, NaiveModel, naive_path, project_path  # noqa: E402
from sim import runner, scenario  # noqa: E402
from sim.params import load_city  # noqa: E402

SCALE, MONTHS, SEEDS = 300, 36, (1, 2, 3, 4, 5, 6)


def _project_runs() -> tuple[np.ndarray, float]:
    """Unemployment paths of the project's model (one row per seed) and its mean labour force in agents."""
    paths, labour_force = [], []
    for seed in SEEDS:
        sc = scenario.load("baseline", {"run.scale": SCALE})
        model = CoreModel(sc, seed=seed, data=runner.city_data(sc))
        for _ in range(MONTHS):
            model.step()
        paths.append(project_path(model))
        labour_force += [(r["unemployed"] + r["employed_local"]) / SCALE for r in model.monthly]
    return np.array(paths), float(np.mean(labour_force))


def _naive_runs(overrides: dict) -> np.ndarray:
    paths = []
    for seed in SEEDS:
        sc = scenario.load("baseline", {"run.scale": SCALE, **overrides})
        reference = NaiveModel(sc, seed=seed, data=runner.city_data(sc))
        reference.run(MONTHS)
        paths.append(naive_path(reference))
    return np.array(paths)


def _difference_and_tolerance(project: np.ndarray, naive: np.ndarray, labour_force: float) -> tuple[float, float]:
    u = project.mean() / 100
    s = 100 * np.sqrt(u * (1 - u) / labour_force)
    return float((naive - project).mean()), float(3 * s * np.sqrt(2 / len(SEEDS)))


@pytest.fixture(scope="module")
def project():
    return _project_runs()


def test_naive_reference_gives_the_same_unemployment_path(project):
    paths, labour_force = project
    naive = _naive_runs({})
    assert paths.shape == naive.shape == (len(SEEDS), MONTHS)
    d, tol = _difference_and_tolerance(paths, naive, labour_force)
    assert abs(d) <= tol, f"naive - project = {d:.3f} points, tolerance {tol:.3f}"


def test_a_different_separation_rate_makes_them_disagree(project):
    paths, labour_force = project
    tripled = 3 * load_city("shanwei").get("firms.separation_scale")
    naive = _naive_runs({"assumptions.firms.separation_scale": tripled})
    d, tol = _difference_and_tolerance(paths, naive, labour_force)
    assert d > tol, f"a tripled separation rate went unnoticed: naive - project = {d:.3f} points, tolerance {tol:.3f}"
