"""Settling in the towns (hukou reform, [000] 二、(二)9; measures.md L1).

The model has no hukou: urban residence stands for a non-agricultural hukou in the registered rate
(sim/indicators.py). Under the reform, "migrants who work or run a business in the city and pay
social insurance may take local hukou": each month rural residents who have held a job at an
urban-sector firm (which insures its staff) for `Levers.settlement_min_months` settle at
`Levers.settlement_rate` and become urban residents, so they count in the registered rate's
denominator and, if they lose their job, may register as urban unemployed. Idle at baseline.
"""

from __future__ import annotations

import numpy as np

from ..agents.workers import EMP_LOCAL


def settle(model, rng) -> None:
    lv, pop, firms = model.world.levers, model.pop, model.firms
    if lv.settlement_rate <= 0:
        return
    working = (pop.status == EMP_LOCAL) & ~pop.urban & (pop.status_m >= lv.settlement_min_months)
    rows = np.flatnonzero(working)
    rows = rows[firms.urban[pop.firm[rows]]]
    settled = rows[rng.random(rows.size) < lv.settlement_rate]
    pop.urban[settled] = True
    pop.count_event("settlements", settled.size)
