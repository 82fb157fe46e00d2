"""Labour demand: firms move their target employment (`FirmPopulation.plan_demand`).

Unfilled openings are partly withdrawn (`firms.vacancy_withdrawal`, calibrated), then each target
follows its sector's trend, an idiosyncratic shock (`firms.demand_noise`) and the scenario's demand
and automation shocks and the measures' sector demand lever (a log random walk, DESIGN §3 "Firms").
"""

from __future__ import annotations


def plan_demand(model, rng) -> None:
    model.firms.plan_demand(rng, model.month, model.t)
