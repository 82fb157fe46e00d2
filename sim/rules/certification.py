"""Workplace skill assessment: the employed are certified one level up at their job.

The monthly hazards are solved when the model is built from the 2020 certificate flows
([003] 专栏2 rows 14-15) net of what schools and training certify (`sim.calibration`), weighted by
the sector's skill intensity; the measures raise them everywhere (`certification_mult`) and at key
enterprises evaluating their own staff (企业自主评价, `key_certification_mult`).
"""

from __future__ import annotations

import numpy as np

from .. import calibration
from ..agents.workers import EMP_LOCAL, INTERMEDIATE_SKILL, TOP_SKILL


def certify_at_work(model, rng) -> None:
    pop, cal, lv, firms = model.pop, model.calibrated, model.world.levers, model.firms
    at_key = (pop.firm >= 0) & (firms.key[np.maximum(pop.firm, 0)] >= 0)
    w = calibration.intensity_weight(model.world, pop) * lv.certification_mult * np.where(at_key, lv.key_certification_mult, 1.0)
    emp = pop.status == EMP_LOCAL
    low = emp & (pop.skill < INTERMEDIATE_SKILL)         # certified to 初级 or 中级
    high = emp & (pop.skill >= INTERMEDIATE_SKILL) & (pop.skill < TOP_SKILL)   # to 高级工 and above
    p = np.where(low, cal["certify_low_per_month"], np.where(high, cal["certify_high_per_month"], 0.0)) * w
    rows = np.flatnonzero(rng.random(pop.n) < p)
    pop.certify(rows, pop.skill[rows] + 1, "workplace")
    pop.count_event("certificates_key_enterprise", at_key[rows].sum())   # evaluated in-house where a scheme runs
