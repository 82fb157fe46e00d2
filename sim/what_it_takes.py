"""What it takes (issue 14, point 4): the smallest change of a scenario's measures that reaches a target
with a given probability under the uncertainty ensemble, or "not reachable with these measures inside
their bounds" (`sim what-it-takes`, sim/cli/what_it_takes.py).

Levers. The data file's `levers:` section (`sim.levers`: `Lever`, `Axis`; which a scenario gets:
`sim.lever_axes.axes`) says how far a measure's parameter may move, with the bound's provenance: `scale`
multiplies the value (a number, or each element of a list) by a factor up to `high` times the data
file's value (the plan's figure); `earlier` moves the month (each month of a list) up to `high` months
before the data file's month, in multiples of `step`, and never before the first simulated month (a
measure cannot start before the run does: a month of a list that would is held there). A scenario starts
from its own value: if it sets a lever's parameter beyond the lever's range (in its file or with --set),
that is bad input. Only levers of the measures the scenario switches on are searched. Writing the
answer: `sim.what_it_takes_output`.

A lever whose parameter the ensemble samples (an assumption with a range) acts on each draw's value:
the candidate runs the draw's value times the factor, so the uncertainty about the measure stays in the
answer and factor 1 is the plain forecast (the factor's top is checked against the parameter's hard
bounds at the top of its range).

Size of a change: the relative intensity, the sum over levers of (factor - 1) for scale and months / 12
for earlier. "Smallest" compares the public cost of a candidate's runs (`public_cost` summed over the
run, the mean over the draws: sim.costs) once it is evaluated, and the size before that (and where an
evaluator reports no cost): the search minimises what the change costs.

Search (`search`). Directions: each lever alone along its range, all the scenario's levers together
(the same fraction t of every range), and "helping": the levers that alone at their bound bring the
target closer (a higher P(met), or the same with the median nearer the target), together, when they are
some but not all of them, so that levers which do nothing for this target, or work against it, neither
spoil nor inflate the change. A direction's settings at t in [0, 1] lie on a grid of 2**steps points (an
earlier lever also on its step). Round 1 evaluates the scenario itself (t = 0) and every direction at its
bound (t = 1). Where a direction reaches P(met) >= prob at its bound, bisection on t
(`steps` rounds, every direction's midpoint in one batch) finds its smallest reaching point; a direction
whose failing lower end is already no smaller than the best found is dropped. If no direction reaches
the probability at its bound, the answer is "not reachable with these measures inside their bounds",
with the best P(met) achieved and its setting.

Noise. Every candidate is evaluated on the same draws and seeds (common random numbers: the difference
between two candidates is the levers', not the luck of the draw), and identical settings are evaluated
once. Before success is declared, the smallest reaching candidates (one per direction, smallest size
first, at most `checks`) are re-evaluated on fresh draws (another ensemble seed, twice the draws). Both
evaluations report P(met) with its Monte Carlo standard error sqrt(p (1 - p) / n). A candidate is
accepted if its fresh P(met) >= prob, "borderline" if it falls short by less than one standard error;
otherwise the next one is checked.

Running (`Ensemble`): a batch of candidates is one `sim.sweep` (local worker processes, or in-process),
a design point per (candidate, draw) holding the draw's values (`sim.ensemble.draws`,
`sim.sensitivity.inputs.overrides`), the candidate's lever values and the draw's seed; P(met), its
standard error and the median projection come from `sim.ensemble.target_summary` over `runner.outcomes`
(which applies `runner.met`). A target a measure takes as its input ("delivered by assumption",
`runner.assumed_targets`) is not searched.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import pandas as pd

from .errors import InputError
from .lever_axes import axes
from .levers import Axis
from .params import CityData, Target
from .runner import target_id
from .scenario import Scenario

STATUSES = ("already", "reached", "borderline", "not confirmed", "not reachable")
DEFAULT_STEPS = 3          # bisection rounds: a direction's smallest point to 1/8 of its range
DEFAULT_CHECKS = 2         # candidates re-evaluated on fresh draws before giving up


# -- targets ----------------------------------------------------------------------------------------------
def find_target(data: CityData, tid: str) -> Target:
    """The target called `tid` (`runner.target_id`: INDICATOR_YEAR or INDICATOR_FIRST-LAST); an unknown id
    is bad input listing the valid ones."""
    ids = {target_id(t): t for t in data.targets}
    if tid not in ids:
        raise InputError("command line", "--target", f"unknown target {tid!r}; valid: {', '.join(ids)}")
    return ids[tid]


# -- candidates and the search ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A setting of every axis (identity where not moved): `direction` (plan, a lever's key, or together)
    at fraction `t` of its range."""

    direction: str
    t: float
    settings: tuple[tuple[str, float], ...]
    size: float
    text: str


class Evaluation(NamedTuple):
    """P(met) over an ensemble's draws, its Monte Carlo standard error, the median projection and the mean
    public cost of the runs (`public_cost` summed over the run, yuan; NaN where not measured)."""

    p: float
    se: float
    median: float
    draws: int
    cost: float = float("nan")


PLAN, TOGETHER, HELPING = "plan", "together", "helping"
COST = "public_cost"            # the indicator candidates are priced by (sim.costs)


def candidate(all_axes: list[Axis], direction: str, t: float, moving: set[str] | None = None) -> Candidate:
    """The candidate `direction` at fraction t: the axes in `moving` (by default: none for the plan, every
    one for together, else the lever `direction` itself) moved to t, the others at identity."""
    if moving is None:
        moving = {a.key for a in all_axes} if direction == TOGETHER else {direction} if direction != PLAN else set()
    settings = tuple((a.key, a.setting(t) if a.key in moving else a.identity) for a in all_axes)
    by_key = {a.key: a for a in all_axes}
    size = round(sum(by_key[k].size(s) for k, s in settings), 6)
    text = "; ".join(by_key[k].describe(s) for k, s in settings if s != by_key[k].identity) or "the scenario as it is"
    return Candidate(direction, t, settings, size, text)


@dataclass
class Answer:
    """The search's answer: `status` (one of STATUSES), the candidate it is about (the accepted one; for
    'not reachable' the one with the best P(met)), its evaluation on the search draws and on fresh draws,
    and every evaluation made (`rows`)."""

    status: str
    candidate: Candidate
    search: Evaluation
    fresh: Evaluation | None
    prob: float
    rows: list[dict] = field(default_factory=list)

    def sentence(self, target: str, fmt: Callable[[float], str] = "{:,.0f}".format) -> str:
        c, s, f, q = self.candidate, self.search, self.fresh, self.prob
        on_search = f"P(met) {s.p:.0%} ± {s.se:.0%} on {s.draws} search draws"
        on_fresh = f"{f.p:.0%} ± {f.se:.0%} on {f.draws} fresh draws" if f else ""
        cost = f"; public cost {s.cost / 1e6:,.0f}m yuan over the run" if math.isfinite(s.cost) else ""
        where = f"{c.text} (size {c.size:.2f}{cost})"
        if self.status == "already":
            return f"{target}: already reached without a change: {on_search}, {on_fresh} (>= {q:.0%})"
        if self.status == "reached":
            return f"{target}: reached by {where}: {on_search}, {on_fresh} (>= {q:.0%})"
        if self.status == "borderline":
            return (f"{target}: borderline: {where} gives {on_search} but {on_fresh}, within one standard error of "
                    f"{q:.0%}; run again with more --draws to decide")
        if self.status == "not confirmed":
            return (f"{target}: not confirmed: the smallest candidates reaching {q:.0%} on the search draws fell short "
                    f"on fresh draws (the smallest, {where}: {on_search}, {on_fresh}); run again with more --draws")
        close = " (within one standard error: run again with more --draws)" if s.p + s.se >= q else ""
        return (f"{target}: not reachable with these measures inside their bounds: the best was {on_search} at "
                f"{where}, median projection {fmt(s.median)}{close}")


Evaluate = Callable[[list[Candidate]], list[Evaluation]]


def one_at_a_time(f: Callable[[Candidate], tuple[float, float, float]], draws: int = 0) -> Evaluate:
    """A batch evaluator from a function of one candidate returning (p, se, median)."""
    return lambda cands: [Evaluation(*f(c), draws) for c in cands]


def search(all_axes: list[Axis], evaluate: Evaluate, check: Evaluate, prob: float, steps: int = DEFAULT_STEPS,
           checks: int = DEFAULT_CHECKS, better: int = 1, say: Callable[[str], None] = lambda _: None) -> Answer:
    """The smallest candidate reaching P(met) >= prob (module docstring): `evaluate` runs a batch of
    candidates on the common search draws, `check` on fresh draws; both return one Evaluation each.
    `better` is +1 where a higher projection is closer to the target, -1 where lower is (a ceiling): when
    nothing reaches it, the best candidate has the highest P(met), then the median closest to the target."""
    if not all_axes or checks < 1 or steps < 0:
        raise ValueError(f"need axes, checks >= 1 and steps >= 0; got {len(all_axes)} axes, {checks}, {steps}")
    return Search(all_axes, evaluate, check, prob, steps, better, say).answer(checks)


class Search:
    """One search's state: the directions, the evaluations made (each setting once on the search draws)
    and the rows of candidates.csv; `answer` runs its phases (bounds, bisection, checks on fresh draws)."""

    def __init__(self, all_axes, evaluate: Evaluate, check: Evaluate, prob: float, steps: int, better: int, say):
        self.axes, self.evaluate, self.check, self.prob, self.say = all_axes, evaluate, check, prob, say
        self.steps, self.grid, self.better = steps, 2 ** steps, better
        keys = [a.key for a in all_axes]
        self.keys = keys
        self.directions: dict[str, set[str]] = {k: {k} for k in keys} | ({TOGETHER: set(keys)} if len(keys) > 1 else {})
        self.known: dict[tuple, Evaluation] = {}
        self.rows: list[dict] = []

    def run(self, cands: list[Candidate], phase: str, fresh: bool = False) -> list[Evaluation]:
        """Evaluate `cands` (on fresh draws when `fresh`; settings already run on the search draws are reused)
        and record a row each."""
        store = {} if fresh else self.known
        new = list({c.settings: c for c in cands if c.settings not in store}.values())
        if new:
            self.say(f"{phase}: {len(new)} candidate(s)")
            store.update(zip([c.settings for c in new], (self.check if fresh else self.evaluate)(new), strict=True))
        for c in cands:
            e = store[c.settings]
            self.rows.append({"phase": phase, "direction": c.direction, "t": c.t, "size": c.size, "settings": c.text,
                              **{f"lever:{k}": v for k, v in c.settings}, "p_met": e.p, "p_met_se": e.se,
                              "median": e.median, "draws": e.draws, "cost_yuan": e.cost, "reaches": e.p >= self.prob,
                              "reused": c not in new})
        return [store[c.settings] for c in cands]

    def price(self, c: Candidate) -> float:
        """What "smallest" compares: the public cost of the candidate's runs once evaluated (sim.costs),
        else its size (the relative intensity)."""
        e = self.known.get(c.settings)
        return e.cost if e is not None and math.isfinite(e.cost) else c.size

    def at(self, d: str, k: int) -> Candidate:
        return candidate(self.axes, d, k / self.grid, self.directions.get(d, set()))

    def closer(self, e: Evaluation) -> tuple[float, float]:
        return e.p, self.better * e.median

    def confirm(self, c: Candidate, status: str) -> tuple[str, Evaluation]:
        fresh = self.run([c], "check", fresh=True)[0]
        verdict = status if fresh.p >= self.prob else "borderline" if fresh.p + fresh.se >= self.prob else "not confirmed"
        self.rows[-1]["verdict"] = verdict
        return verdict, fresh

    def bounds(self) -> tuple[Evaluation, dict[str, Evaluation]]:
        """Round 1: the scenario itself and every direction at its bound, then the helping levers together."""
        plan, *ends = self.run([self.at(PLAN, 0)] + [self.at(d, self.grid) for d in self.directions], "bounds")
        at_bound = dict(zip(self.directions, ends, strict=True))
        helping = {k for k in self.keys if self.closer(at_bound[k]) > self.closer(plan)}
        if 1 < len(helping) < len(self.keys):     # the levers that help, without those that do not or work against
            self.directions[HELPING] = helping
            at_bound[HELPING] = self.run([self.at(HELPING, self.grid)], "bounds")[0]
        return plan, at_bound

    def bisect(self, brackets: dict[str, list[int]]) -> None:
        """Narrow each reaching direction's [failing, reaching] grid bracket, all midpoints in one batch per
        round; a direction whose failing end is no smaller than the best reaching size is dropped."""
        for _ in range(self.steps):
            best = min(self.price(self.at(d, hi)) for d, (_, hi) in brackets.items())
            active = [d for d, (lo, hi) in brackets.items() if hi - lo > 1 and self.price(self.at(d, lo)) < best]
            if not active:
                return
            mids = {d: (brackets[d][0] + brackets[d][1]) // 2 for d in active}
            for d, e in zip(active, self.run([self.at(d, m) for d, m in mids.items()], "bisect"), strict=True):
                brackets[d][1 if e.p >= self.prob else 0] = mids[d]

    def verify(self, brackets: dict[str, list[int]], checks: int) -> Answer:
        """Re-run the smallest reaching candidates on fresh draws: the first confirmed is the answer, else the
        first borderline one, else 'not confirmed'."""
        smallest = sorted(((self.at(d, hi), self.known[self.at(d, hi).settings]) for d, (_, hi) in brackets.items()),
                          key=lambda ce: (self.price(ce[0]), -ce[1].p))
        seen, verdicts = set(), []
        for c, e in smallest:
            if c.settings in seen or len(verdicts) >= checks:
                continue
            seen.add(c.settings)
            verdict, fresh = self.confirm(c, "reached")
            if verdict == "reached":
                return Answer("reached", c, e, fresh, self.prob, self.rows)
            verdicts.append((verdict, c, e, fresh))
        verdict, c, e, fresh = next((v for v in verdicts if v[0] == "borderline"), verdicts[0])
        return Answer(verdict, c, e, fresh, self.prob, self.rows)

    def answer(self, checks: int) -> Answer:
        plan, at_bound = self.bounds()
        if plan.p >= self.prob:
            verdict, fresh = self.confirm(self.at(PLAN, 0), "already")
            if verdict == "already":
                return Answer("already", self.at(PLAN, 0), plan, fresh, self.prob, self.rows)
        brackets = {d: [0, self.grid] for d, e in at_bound.items() if e.p >= self.prob}
        if not brackets:
            best = max([(self.at(PLAN, 0), plan)] + [(self.at(d, self.grid), e) for d, e in at_bound.items()],
                       key=lambda ce: (*self.closer(ce[1]), -self.price(ce[0])))
            return Answer("not reachable", best[0], best[1], None, self.prob, self.rows)
        self.bisect(brackets)
        return self.verify(brackets, checks)


# -- evaluating candidates on an ensemble -----------------------------------------------------------------
@dataclass
class Setup:
    """What a search runs on: the scenario (as loaded, with --set), the file it came from, the --set
    overrides every run repeats, its data, the target, the axes and the levers left out, and the scale."""

    scenario: Scenario
    base: str
    sets: dict
    data: CityData
    target: Target
    axes: list[Axis]
    left: list[tuple[str, str]]
    scale: int


def prepare(ref: str, tid: str, scale: int, seed: int, sets: dict | None = None) -> Setup:
    """Load and check everything before anything runs: the scenario (with --set), the target, its
    measures and their levers. Bad input is an InputError."""
    from . import scenario as scen
    from .runner import assumed_targets, city_data
    from .sensitivity.inputs import active_policies

    sets = dict(sets or {})
    sc = scen.load(ref, {**sets, "run.scale": scale, "run.seed": seed}, scen.COMMAND_LINE)
    data = city_data(sc)
    target = find_target(data, tid)
    if target.fact_id and target.fact_id in assumed_targets(sc, data):
        raise InputError("command line", "--target", f"{tid} is delivered by assumption in {sc.name!r}: a measure it "
                         "switches on takes the target's figure as its input, so what it takes is no model result")
    active = sorted(active_policies(sc))
    if not active:
        raise InputError(sc.path, "policies", "the scenario switches on no measure: nothing to search over "
                         "(what-it-takes moves the intensities and timetables of a scenario's measures)")
    found, left = axes(sc, data, sets)
    if not found:
        raise InputError(data.where, "levers", f"no lever with room for the measures of {sc.name!r} ({', '.join(active)}); "
                         f"left out: {'; '.join(f'{k}: {why}' for k, why in left) or 'none in the file'}")
    base = str(scen.resolve_path(ref, Path.cwd()).resolve())
    runs = {k: v for k, v in sets.items() if not k.startswith("run.")}
    return Setup(sc, base, runs, data, target, found, left, scale)


class RunsFailed(RuntimeError):
    """Some runs of a batch failed (their errors are in the batch's runs.csv)."""


class Ensemble:
    """Evaluates batches of candidates on one table of ensemble draws (`sim.ensemble.draws`): every candidate
    runs every draw with the draw's seed (common random numbers). Each batch is a sweep under `work`."""

    def __init__(self, setup: Setup, table: pd.DataFrame, label: str, work: Path, workers: int | None = None,
                 progress: bool = True):
        from .ensemble import draw_points

        self.setup, self.table, self.label, self.work = setup, table, label, Path(work)
        self.workers, self.progress, self.batches = workers, progress, 0
        self.draws = draw_points(setup.scenario, setup.data, table)      # once: every candidate runs them

    def points(self, c: Candidate) -> list[dict]:
        """One design point per draw: the --set overrides, the draw's values, the levers' values, the seed."""
        by_key = {a.key: a for a in self.setup.axes}
        out = []
        for draw, seed in self.draws:
            levers = {by_key[k].lever.path: by_key[k].apply(draw.get(by_key[k].lever.path, by_key[k].base), s)
                      for k, s in c.settings if s != by_key[k].identity}
            out.append({**self.setup.sets, **draw, **levers, "run.seed": seed})
        return out

    def __call__(self, cands: list[Candidate]) -> list[Evaluation]:
        """P(met), its standard error, the median and the mean public cost of each candidate over the draws."""
        from .ensemble import outcome_table, target_summary
        from .sweep import Spec, read_results, sweep

        s, n = self.setup, len(self.table)
        points = [p for c in cands for p in self.points(c)]
        name = f"{self.label}_{self.batches:02d}"
        self.batches += 1
        text = json.dumps({"what_it_takes": {"scenario": s.scenario.name, "target": target_id(s.target),
                                             "draws": n, "candidates": [c.text for c in cands]}}, indent=2)
        spec = Spec(name=name, base=s.base, path="sim what-it-takes", replicates=1, scale=s.scale,
                    seed=int(self.table["seed"].iloc[0]), end=str(s.scenario.end),
                    indicators=[s.target.indicator, COST],
                    text=text, points=points, common_seeds=True)
        summary = sweep(spec, self.work / name, self.workers, progress=self.progress)
        if summary["failed"]:
            runs = pd.read_csv(self.work / name / "runs.csv", dtype=str, keep_default_na=False)
            first = runs.loc[runs["status"] == "failed", "error"].iloc[0]
            raise RunsFailed(f"{summary['failed']} of {summary['runs']} runs failed (first: {first})")
        res = read_results(self.work / name)
        annual = res.assign(scenario="c" + (res["point"] // n).astype(str), replicate=res["point"] % n)
        rows = outcome_table(annual, s.data)
        mine = target_summary(rows[rows["target_id"] == target_id(s.target)]).set_index("scenario")
        cost = annual[annual["indicator"] == COST].groupby("scenario")["value"].sum() / n
        out = []
        for i in range(len(cands)):
            r = mine.loc[f"c{i}"]
            out.append(Evaluation(float(r["prob_met"]), float(r["prob_met_se"]), float(r["p50"]), int(r["draws"]),
                                  float(cost.get(f"c{i}", float("nan")))))
        return out


def run(setup: Setup, prob: float, draws: int, seed: int, work: Path, workers: int | None = None,
        steps: int = DEFAULT_STEPS, checks: int = DEFAULT_CHECKS, progress: bool = True,
        say: Callable[[str], None] = lambda _: None) -> tuple[Answer, pd.DataFrame, pd.DataFrame]:
    """Search with the real ensemble: `draws` search draws from `seed`, re-evaluation on 2 x draws fresh
    draws from seed + draws (seeds and values of their own). Returns the answer and both draw tables."""
    from .ensemble import draws as ensemble_draws

    runs = [(setup.scenario, setup.data)]
    search_table = ensemble_draws(runs, draws, seed)
    fresh_table = ensemble_draws(runs, 2 * draws, seed + draws)
    evaluate = Ensemble(setup, search_table, "search", work, workers, progress)
    check = Ensemble(setup, fresh_table, "fresh", work, workers, progress)
    better = -1 if setup.target.comparator in ("<=", "<") else 1
    return search(setup.axes, evaluate, check, prob, steps, checks, better, say), search_table, fresh_table
