"""The age at which each person leaves the working-age population (retirement or, for rural residents
without an urban job, the end of farm work): `demography.retirement_age_*`, `demography.rural_exit_age`."""

from __future__ import annotations

import numpy as np


def exit_age_m(model, rows: np.ndarray | None = None) -> np.ndarray:
    """Age in months at which each person (or each of `rows`) leaves: statutory age with an urban job or
    residence, else rural."""
    d, pop = model.world.data, model.pop
    idx = slice(None) if rows is None else rows
    female, male, rural = (np.int32(d.get(f"demography.{key}") * 12) for key in
                           ("retirement_age_female", "retirement_age_male", "rural_exit_age"))
    urban_job = model.firms.urban_jobs(pop, rows)
    return np.where(urban_job | pop.urban[idx], np.where(pop.female[idx], female, male), rural)
