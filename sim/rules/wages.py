"""Wages of people in jobs rise each January with nominal wage growth (`labour_market.wage_growth`).

Wage offers follow the same index (`World.wage_index`), so incumbents and new hires move together.
"""

from __future__ import annotations

from ..agents.workers import EMP_LOCAL


def index_wages(model, rng) -> None:
    if model.month.month != 1 or model.t == 0:
        return
    employed = model.pop.status == EMP_LOCAL
    model.pop.wage[employed] *= 1 + model.world.data.get("labour_market.wage_growth")
