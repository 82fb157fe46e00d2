"""The age at which each person leaves the working-age population (retirement or, for rural residents
without an urban job, the end of farm work): `demography.retirement_age_*`, `demography.rural_exit_age`."""

from __future__ import annotations

import numpy as np


def statutory_age_m(model, rows: np.ndarray | None = None) -> np.ndarray:
    """The statutory retirement age in months of each person (or each of `rows`), by sex."""
    d, pop = model.world.data, model.pop
    idx = slice(None) if rows is None else rows
    female, male = (np.int32(d.get(f"demography.retirement_age_{sex}") * 12) for sex in ("female", "male"))
    return np.where(pop.female[idx], female, male)


def exit_age_m(model, rows: np.ndarray | None = None) -> np.ndarray:
    """Age in months at which each person (or each of `rows`) leaves: statutory age with an urban job or
    residence, else rural."""
    pop, idx = model.pop, slice(None) if rows is None else rows
    rural = np.int32(model.world.data.get("demography.rural_exit_age") * 12)
    urban_job = model.firms.urban_jobs(pop, rows)
    return np.where(urban_job | pop.urban[idx], statutory_age_m(model, rows), rural)
