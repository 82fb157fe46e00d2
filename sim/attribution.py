"""Which measure contributes what: Shapley values of the plan's effect on each targeted outcome.

The effect of a scenario's measures on an outcome is v(all) - v(none), where v(S) is the outcome
(the quantity each 2025 target is about: the 2025 level, or the 2021-2025 total for cumulative
targets) averaged over replicates, with the scenario's assumptions and shocks and only the measures
in S switched on. The Shapley value of measure i is its marginal contribution v(S + i) - v(S)
averaged over all orders in which measures can be added (Shapley 1953); the contributions add up to
the total effect exactly, for every method:

- ``exact``: all 2^n coalitions (n measures);
- ``grouped``: measures grouped by the plans' mechanism (matching, support, Shenzhen, skills,
  talent) and the groups' Shapley values computed exactly, 2^g coalitions;
- ``sampled``: Monte Carlo over `permutations` random orders (Castro, Gomez and Tejada 2009), each
  order telescoping from no measure to all of them.

Every coalition is run with the same seeds (common random numbers); the model draws each phase from
its own stream, so a measure that changes one phase leaves the other phases' draws in place.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .params import CityData
from .outputs import atomic_directory, manifest, scenario_entry, write_manifest
from .runner import projected, run
from .scenario import Scenario

GROUPS = {
    "matching infrastructure": ["township_markets", "online_hr_market", "hr_industrial_park"],
    "employment support": ["employment_assistance", "graduate_programmes", "entrepreneurship"],
    "labour cooperation": ["shenzhen_cooperation", "hukou_settlement"],
    "skills and schools": ["skills_upgrading", "skill_evaluation", "order_training", "technical_schools",
                           "guangdong_technician", "cantonese_chef", "housekeeping", "rural_craftsmen",
                           "rural_ecommerce"],
    "titles and talent": ["talent_and_titles"],
}
MAX_EXACT = 6


def outcomes(data: CityData) -> list[tuple[str, int, tuple | None]]:
    """(indicator, year, period) of every target dated 2025 or ending in 2025, one per indicator and kind."""
    seen, out = set(), []
    end = max(t.year for t in data.targets)
    for t in data.targets:
        key = (t.indicator, t.year, t.period)
        if t.year == end and key not in seen:
            seen.add(key)
            out.append(key)
    return out


class Game:
    """Coalition values v(S), computed once each with common random numbers."""

    def __init__(self, scenario: Scenario, data: CityData, seeds: list[int]):
        self.scenario, self.data, self.seeds = scenario, data, seeds
        self.targets = outcomes(data)
        self.cache: dict[frozenset, np.ndarray] = {}

    def value(self, members: frozenset) -> np.ndarray:
        if members not in self.cache:
            chosen = {k: v for k, v in self.scenario.policies.items() if k in members}
            sc = dataclasses.replace(self.scenario, policies=chosen, name="coalition")
            annual = pd.concat([run(sc, seed, r, self.data).annual for r, seed in enumerate(self.seeds)])
            self.cache[members] = np.array([projected(annual, ind, year, period).mean()
                                            for ind, year, period in self.targets])
        return self.cache[members]


def _union(players: dict[str, list[str]], names) -> frozenset:
    return frozenset(m for n in names for m in players[n])


def exact_shapley(game: Game, players: dict[str, list[str]]) -> dict[str, np.ndarray]:
    names = list(players)
    n = len(names)
    phi = {name: np.zeros(len(game.targets)) for name in names}
    for name in names:
        others = [o for o in names if o != name]
        for k in range(n):
            weight = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for subset in itertools.combinations(others, k):
                phi[name] += weight * (game.value(_union(players, subset + (name,))) - game.value(_union(players, subset)))
    return phi


def sampled_shapley(game: Game, players: dict[str, list[str]], permutations: int, rng) -> dict[str, np.ndarray]:
    names = list(players)
    phi = {name: np.zeros(len(game.targets)) for name in names}
    for _ in range(permutations):
        order = [names[i] for i in rng.permutation(len(names))]
        before = []
        for name in order:
            phi[name] += (game.value(_union(players, before + [name])) - game.value(_union(players, before))) / permutations
            before.append(name)
    return phi


def players_for(scenario: Scenario, method: str) -> tuple[str, dict[str, list[str]]]:
    measures = sorted(n for n, p in scenario.policies.items() if p.get("enabled", True))
    if method == "auto":
        method = "exact" if len(measures) <= MAX_EXACT else "grouped"
    if method == "grouped":
        grouped = {g: [m for m in ms if m in measures] for g, ms in GROUPS.items()}
        rest = [m for m in measures if not any(m in ms for ms in GROUPS.values())]
        grouped.update({m: [m] for m in rest})
        return method, {g: ms for g, ms in grouped.items() if ms}
    return method, {m: [m] for m in measures}


def attribute(scenario: Scenario, data: CityData, method: str = "auto", permutations: int = 8) -> pd.DataFrame:
    """Tidy table: outcome, player (measure or group), its members, contribution, totals."""
    seeds = [scenario.seed + r for r in range(scenario.replicates)]
    game = Game(scenario, data, seeds)
    method, players = players_for(scenario, method)
    if method == "sampled":
        phi = sampled_shapley(game, players, permutations, np.random.default_rng(scenario.seed))
    else:
        phi = exact_shapley(game, players)
    base, full = game.value(frozenset()), game.value(_union(players, players))
    target_of = {(t.indicator, t.year, t.period): t.value for t in data.targets}
    rows = []
    for j, (indicator, year, period) in enumerate(game.targets):
        for name, members in players.items():
            rows.append({"indicator": indicator, "year": year, "period": f"{period[0]}-{period[1]}" if period else "",
                         "target": float(target_of[(indicator, year, period)]),
                         "player": name, "members": " ".join(members), "contribution": float(phi[name][j]),
                         "baseline": float(base[j]), "with_measures": float(full[j]),
                         "total_effect": float(full[j] - base[j]), "method": method,
                         "permutations": permutations if method == "sampled" else None,
                         "coalitions_run": len(game.cache), "replicates": len(seeds), "scale": scenario.scale})
    return pd.DataFrame(rows)


def write_attribution(out: Path, table: pd.DataFrame, scenario: Scenario, chart_fn=None) -> None:
    """CSV, manifest and waterfall charts, written atomically like a run directory."""
    with atomic_directory(out) as tmp:
        table.to_csv(tmp / "attribution.csv", index=False)
        write_manifest(tmp, manifest("attribution", city=scenario.city, scenarios=[scenario_entry(scenario)],
                                     method=table["method"].iloc[0]))
        if chart_fn is not None:
            chart_fn(table, tmp, scenario)


def format_attribution(table: pd.DataFrame) -> str:
    """Each outcome's effect and the players' contributions, largest first, as the text `sim attribute` prints."""
    from .indicators import BY_ID

    lines = []
    for (ind, year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        unit = BY_ID[ind].unit
        fmt = (lambda v: f"{v:+.2f} pp") if unit == "percent" else (lambda v: f"{v:+,.0f}")
        lines.append(f"{ind} {period or year}: baseline {t['baseline'].iloc[0]:,.2f} -> {t['with_measures'].iloc[0]:,.2f} "
                     f"(effect {fmt(t['total_effect'].iloc[0])}; sum of contributions {fmt(t['contribution'].sum())})")
        for _, r in t.sort_values("contribution", key=abs, ascending=False).iterrows():
            lines.append(f"    {r['player']:<28} {fmt(r['contribution']):>14}")
    return "\n".join(lines)
