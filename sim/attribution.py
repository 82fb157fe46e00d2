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

Standard errors. The Shapley value is linear in v, and v(S) is a mean over replicates, so phi is the
mean over replicates of each replicate's own Shapley value: the game keeps every coalition's value
per replicate (`Game.values`, replicates x outcomes). For ``exact`` and ``grouped`` the standard
error is sd(per-replicate phi, ddof=1) / sqrt(R) over the R replicates; with one replicate it is not
estimable (NaN). For ``sampled`` the marginal contributions form a crossed design (orders x
replicates) and the standard error is sqrt(s_p^2 / P + s_r^2 / R), s_p^2 the variance over the P
orders of each order's mean over replicates and s_r^2 the variance over replicates of each
replicate's mean over orders: a slightly conservative estimate (the order-by-replicate part is
counted twice); with one replicate it is the error of sampling orders only, with one order it is NaN.

Replicates are seeds (`seed_replicates`: the scenario's fixed parameters, seeds seed..seed+R-1), or
ensemble draws (`draw_replicates`, `sim attribute --draws N`): replicate r runs under draw r of
`sim.ensemble.draws` (its values of the uncertain inputs and its seed), so the standard error covers
seeds and parameter uncertainty together, and phi is the attribution averaged over the draws.

Interactions. For the three largest players of each outcome (by |phi|), the pairwise Shapley
interaction index (Grabisch and Roubens 1999),
I_ij = sum over S of N minus {i, j} of |S|! (n - |S| - 2)! / (n - 1)! [v(S+ij) - v(S+i) - v(S+j) + v(S)]:
positive when i and j do more together than apart. It is linear in v too, so its standard error is
the sd of the per-replicate index / sqrt(R). It needs every coalition, so it is computed for
``exact`` and ``grouped`` (whose coalitions are all run anyway) and left out for ``sampled``.

Writing the tables and printing them: `sim.attribution_output`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Callable

import numpy as np
import pandas as pd

from .params import CityData
from .runner import projected, run
from .scenario import Origin, Scenario

GROUPS = {
    "matching infrastructure": ["township_markets", "online_hr_market", "hr_industrial_park", "pes_strengthening"],
    "employment support": ["employment_assistance", "graduate_programmes", "entrepreneurship", "job_retention"],
    "labour cooperation": ["shenzhen_cooperation", "hukou_settlement"],
    "skills and schools": ["skills_upgrading", "skill_evaluation", "order_training", "technical_schools",
                           "guangdong_technician", "cantonese_chef", "housekeeping", "rural_craftsmen",
                           "rural_ecommerce", "ui_skills_subsidy", "high_skill_revitalisation", "skills_competitions",
                           "skills_as_diplomas", "retention_clauses"],
    "titles and talent": ["talent_and_titles", "skill_title_crossing", "high_skill_attraction"],
}
MAX_EXACT = 6
TOP_PAIRS = 3                  # interactions among this many largest players per outcome
INTERACTION_COLUMNS = ["indicator", "year", "period", "player_a", "player_b", "interaction", "interaction_se",
                       "replicates", "method"]


COST = "public_cost"          # the public cost of the measures (sim.costs), attributed as an outcome


def outcomes(data: CityData) -> list[tuple[str, int, tuple | None]]:
    """(indicator, year, period) of every target dated in the targets' last year (2025), one per indicator
    and kind, and last the public cost summed over the run's years up to then (the cost outcome)."""
    seen, out = set(), []
    end = max(t.year for t in data.targets)
    for t in data.targets:
        key = (t.indicator, t.year, t.period)
        if t.year == end and key not in seen:
            seen.add(key)
            out.append(key)
    first = min(t.period[0] if t.period else t.year for t in data.targets)
    return out + [(COST, end, (first, end))]


# -- replicates: seeds, or ensemble draws -----------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Replicate:
    """One replicate of the game: the scenario it runs (fixed, or one ensemble draw's), its data and seed."""

    scenario: Scenario
    data: CityData
    seed: int
    draw: int | None = None


def seed_replicates(scenario: Scenario, data: CityData) -> list[Replicate]:
    """The scenario's fixed parameters with seeds seed, seed + 1, ..., one per replicate."""
    return [Replicate(scenario, data, scenario.seed + r) for r in range(scenario.replicates)]


def draw_replicates(ref: str, n: int, overrides: dict | None = None, origin: Origin | None = None) -> list[Replicate]:
    """Replicate d runs ensemble draw d of scenario `ref` (with `overrides`): the draw's input values and
    seed (`sim.ensemble.draws` with the scenario's seed), loaded as a sweep loads a design point (the
    scenario file again, with the point's overrides on top)."""
    from . import ensemble
    from . import scenario as scen
    from .inputs import city_data

    origin = origin or Origin()
    base = scen.load(ref, overrides, origin)
    data = city_data(base)
    out = []
    for d, (point, seed) in enumerate(ensemble.draw_points(base, data, ensemble.draws([(base, data)], n, base.seed))):
        sc = scen.load(ref, {**(overrides or {}), **point, "run.seed": seed, "run.replicates": 1}, origin)
        out.append(Replicate(sc, city_data(sc), seed, d))
    return out


def uncertainty(replicates: list[Replicate]) -> str:
    return "seeds and parameter draws" if any(r.draw is not None for r in replicates) else "seeds"


# -- the game -------------------------------------------------------------------------------------------
class Game:
    """Coalition values, computed once each with common random numbers: `values(S)` per replicate
    (replicates x outcomes), `value(S)` their mean, v(S)."""

    def __init__(self, replicates: list[Replicate]):
        self.replicates = replicates
        self.targets = outcomes(replicates[0].data)
        self.cache: dict[frozenset, np.ndarray] = {}

    def values(self, members: frozenset) -> np.ndarray:
        if members not in self.cache:
            self.cache[members] = np.array([self._run(rep, r, members) for r, rep in enumerate(self.replicates)])
        return self.cache[members]

    def value(self, members: frozenset) -> np.ndarray:
        return self.values(members).mean(axis=0)

    def _run(self, rep: Replicate, r: int, members: frozenset) -> list[float]:
        chosen = {k: v for k, v in rep.scenario.policies.items() if k in members}
        sc = dataclasses.replace(rep.scenario, policies=chosen, name="coalition")
        annual = run(sc, rep.seed, r, rep.data).annual
        return [float(projected(annual, ind, year, period).mean()) for ind, year, period in self.targets]


def _union(players: dict[str, list[str]], names) -> frozenset:
    return frozenset(m for n in names for m in players[n])


def _exact(v: Callable, players: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """Shapley values of the game v (any array-valued v: linear, so per replicate if v is)."""
    names, n = list(players), len(players)
    phi = {}
    for name in names:
        others = [o for o in names if o != name]
        phi[name] = sum(math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
                        * (v(_union(players, subset + (name,))) - v(_union(players, subset)))
                        for k in range(n) for subset in itertools.combinations(others, k))
    return phi


def _marginals(v: Callable, players: dict[str, list[str]], permutations: int, rng) -> dict[str, np.ndarray]:
    """Each player's marginal contribution in each of `permutations` random orders (orders x shape of v)."""
    names = list(players)
    out: dict[str, list] = {name: [] for name in names}
    for _ in range(permutations):
        before = []
        for name in [names[i] for i in rng.permutation(len(names))]:
            out[name].append(v(_union(players, before + [name])) - v(_union(players, before)))
            before.append(name)
    return {name: np.array(c) for name, c in out.items()}


def exact_shapley(game, players: dict[str, list[str]]) -> dict[str, np.ndarray]:
    return _exact(game.value, players)


def sampled_shapley(game, players: dict[str, list[str]], permutations: int, rng) -> dict[str, np.ndarray]:
    return {name: c.mean(axis=0) for name, c in _marginals(game.value, players, permutations, rng).items()}


# -- standard errors and interactions ---------------------------------------------------------------
def replicate_se(per_replicate: np.ndarray) -> np.ndarray:
    """sd over replicates (axis 0, ddof 1) / sqrt(R); NaN with one replicate (not estimable)."""
    r = per_replicate.shape[0]
    if r < 2:
        return np.full(per_replicate.shape[1:], np.nan)
    return per_replicate.std(axis=0, ddof=1) / math.sqrt(r)


def crossed_se(c: np.ndarray) -> np.ndarray:
    """Standard error of the mean of marginal contributions c (orders x replicates x outcomes):
    sqrt(s_orders^2 / P + s_replicates^2 / R), a term of one replicate counted 0, of one order NaN."""
    p, r = c.shape[:2]
    orders = c.mean(axis=1).var(axis=0, ddof=1) / p if p > 1 else np.full(c.shape[2:], np.nan)
    seeds = c.mean(axis=0).var(axis=0, ddof=1) / r if r > 1 else 0.0
    return np.sqrt(orders + seeds)


def shapley_with_se(game: Game, players: dict[str, list[str]], method: str, permutations: int = 8,
                    rng=None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each player's Shapley value per outcome and its Monte Carlo standard error (module docstring)."""
    if method == "sampled":
        marginals = _marginals(game.values, players, permutations, rng or np.random.default_rng())
        return {name: (c.mean(axis=(0, 1)), crossed_se(c)) for name, c in marginals.items()}
    return {name: (p.mean(axis=0), replicate_se(p)) for name, p in _exact(game.values, players).items()}


def interaction(v: Callable, players: dict[str, list[str]], a: str, b: str) -> np.ndarray:
    """The Shapley interaction index of players a and b (Grabisch and Roubens 1999) in the game v."""
    n, others = len(players), [o for o in players if o not in (a, b)]
    total = 0.0
    for k in range(n - 1):
        weight = math.factorial(k) * math.factorial(n - k - 2) / math.factorial(n - 1)
        for s in itertools.combinations(others, k):
            total = total + weight * (v(_union(players, s + (a, b))) - v(_union(players, s + (a,)))
                                      - v(_union(players, s + (b,))) + v(_union(players, s)))
    return total


def top_pairs(phi: dict[str, tuple[np.ndarray, np.ndarray]], j: int, top: int = TOP_PAIRS) -> list[tuple[str, str]]:
    """The pairs among the `top` players with the largest |phi| for outcome j (largest first)."""
    largest = sorted(phi, key=lambda name: -abs(phi[name][0][j]))[:top]
    return list(itertools.combinations(largest, 2))


def interactions(game: Game, players: dict[str, list[str]], phi: dict, method: str) -> pd.DataFrame:
    """interactions.csv: per outcome, the index of each pair of its largest players with its standard error."""
    rows, per_pair = [], {}
    for j, (indicator, year, period) in enumerate(game.targets):
        for a, b in top_pairs(phi, j):
            if (a, b) not in per_pair:
                per_pair[a, b] = interaction(game.values, players, a, b)
            rows.append({"indicator": indicator, "year": year, "period": _period(period), "player_a": a,
                         "player_b": b, "interaction": float(per_pair[a, b][:, j].mean()),
                         "interaction_se": float(replicate_se(per_pair[a, b])[j]),
                         "replicates": len(game.replicates), "method": method})
    return pd.DataFrame(rows, columns=INTERACTION_COLUMNS)


def _period(period) -> str:
    return f"{period[0]}-{period[1]}" if period else ""


# -- the attribution ------------------------------------------------------------------------------------
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


@dataclasses.dataclass
class Attribution:
    """What `sim attribute` writes and prints: the contributions, the interactions and notes on both."""

    table: pd.DataFrame                # attribution.csv
    interactions: pd.DataFrame         # interactions.csv
    notes: list[str]


def attribution(scenario: Scenario, data: CityData, method: str = "auto", permutations: int = 8,
                replicates: list[Replicate] | None = None) -> Attribution:
    """Shapley values with standard errors and the interactions of the largest players; `replicates`
    default to the scenario's seeds with its fixed parameters (`seed_replicates`)."""
    game = Game(replicates or seed_replicates(scenario, data))
    method, players = players_for(scenario, method)
    phi = shapley_with_se(game, players, method, permutations, np.random.default_rng(scenario.seed))
    table = _table(game, players, phi, method, permutations, scenario, data)
    pairs = (pd.DataFrame(columns=INTERACTION_COLUMNS) if method == "sampled"
             else interactions(game, players, phi, method))
    return Attribution(table, pairs, _notes(method, len(players), len(game.replicates), permutations))


def attribute(scenario: Scenario, data: CityData, method: str = "auto", permutations: int = 8,
              replicates: list[Replicate] | None = None) -> pd.DataFrame:
    """Tidy table: outcome, player (measure or group), its members, contribution and its standard error, totals."""
    return attribution(scenario, data, method, permutations, replicates).table


def _table(game: Game, players: dict, phi: dict, method: str, permutations: int, scenario: Scenario,
           data: CityData) -> pd.DataFrame:
    base, full = game.value(frozenset()), game.value(_union(players, players))
    target_of = {(t.indicator, t.year, t.period): t for t in data.targets}
    c = game.targets.index(next(o for o in game.targets if o[0] == COST))
    rows = []
    for j, (indicator, year, period) in enumerate(game.targets):
        target = target_of.get((indicator, year, period))
        for name, members in players.items():
            effect, se, cost = float(phi[name][0][j]), float(phi[name][1][j]), float(phi[name][0][c])
            rows.append({"indicator": indicator, "year": year, "period": _period(period),
                         "target": float(target.value) if target else float("nan"),
                         "player": name, "members": " ".join(members), "contribution": effect,
                         "contribution_se": se,
                         "baseline": float(base[j]), "with_measures": float(full[j]),
                         "total_effect": float(full[j] - base[j]),
                         **cost_per_outcome(target, effect, se, cost, float(phi[name][1][c]), float(base[j])),
                         "method": method,
                         "permutations": permutations if method == "sampled" else None,
                         "coalitions_run": len(game.cache), "replicates": len(game.replicates), "scale": scenario.scale,
                         "uncertainty": uncertainty(game.replicates)})
    return pd.DataFrame(rows)


def cost_per_outcome(target, effect: float, se: float, cost: float, cost_se: float, baseline: float) -> dict:
    """A player's public cost (its Shapley share of the cost outcome, yuan) and what it buys: yuan per unit
    of the outcome moved toward the target (per person, per percentage point), and yuan per point (1%) of
    the baseline's gap to the target closed. Both are NaN when the contribution does not move toward the
    target by more than two standard errors (the ratio of noise), or for the cost outcome itself."""
    out = {"cost_yuan": cost, "cost_se": cost_se, "cost_per_unit": float("nan"), "cost_per_gap_point": float("nan")}
    if target is None:
        return out
    toward = -effect if target.comparator in ("<=", "<") else effect
    if toward <= 0 or (not math.isnan(se) and toward <= 2 * se):
        return out
    out["cost_per_unit"] = cost / toward
    gap = (baseline - target.value) if target.comparator in ("<=", "<") else (target.value - baseline)
    if gap > 0:
        out["cost_per_gap_point"] = cost / (100 * toward / gap)
    return out


def _notes(method: str, players: int, replicates: int, permutations: int) -> list[str]:
    notes = []
    if replicates < 2 and method != "sampled":
        notes.append("one replicate: the standard errors are not estimable (NaN); use --replicates 2 or more, or --draws")
    if replicates < 2 and method == "sampled":
        notes.append("one replicate: the standard errors cover the sampling of orders only, not the seeds")
    if permutations < 2 and method == "sampled":
        notes.append("one order: the standard errors are not estimable (NaN); use --permutations 2 or more")
    if method == "sampled":
        notes.append("interactions not computed with --method sampled (each pair needs every coalition); "
                     "use --method exact or grouped")
    elif players < 2:
        notes.append("one player: no interactions")
    return notes
