"""Effects of a programme on its participants and on the city (issue 15; `sim effects`).

For a measure of a scenario, two runs with the same seed: the scenario as it is ("treated") and the
scenario with the measure switched off ("control"). Each phase draws from its own random stream, so
the runs share every draw the measure does not change (common random numbers), and a person is the
same person in both (`pid`). The measure's participants are the people it took in (its seats,
posts or start-up support: `funder`) in the treated run, each with the month they entered.

- **Participants** (the effect of the treatment on the treated, as a programme evaluation measures
  it): for each participant and each horizon k (6, 12, 24, 36 months after entry, where the run
  reaches it), employment (in the city or outside), monthly earnings (the wage of the job, the
  outside market's wage for someone working there, 0 otherwise) and whether they hold a certificate at
  the level their course aimed at, in both runs. The effect is the mean paired difference; its
  standard error is the paired standard deviation over participants and seeds / sqrt(n).
- **Deadweight**: participants who hold that certificate k months after entry in the control run too
  (they would have earned it anyway), as a count and a share of those certified in the treated run.
- **City**: the whole city's employment and earnings in the two runs, k months after the measure
  starts, against the sum of the participants' own gains at that month. The difference is
  displacement (participants' jobs taken from others) and any spill-over: displacement share =
  1 - city gain / participants' gain.
- **Take-up**: participants against the seats the measure offered (training measures). People the
  measure brought into the city (attracted graduates, recruited professionals) have no counterfactual
  self: they are counted (`arrived_with_measure`) and left out of the participants' effects.

Costs: the measure's public cost in the treated run (sim.costs), per participant, per additional
certificate (beyond deadweight) and per additional job in the city at the last horizon.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .agents.workers import EMP_LOCAL, EMP_OUT, ID_BLOCK, SCHOOL
from .scenario import Scenario

HORIZONS = (6, 12, 24, 36)                # months after entry (participants) or after the start (city)
FUNDERS = {"shenzhen_cooperation": ("shenzhen_training_points", "shenzhen_cooperation")}   # else the measure
EFFECT_COLUMNS = ["scope", "months", "outcome", "unit", "treated", "control", "effect", "effect_se", "n", "seeds"]


def funders_of(measure: str) -> tuple[str, ...]:
    return FUNDERS.get(measure, (measure,))


# -- following people through a run -------------------------------------------------------------------
@dataclass
class Tracker:
    """What one run records about the participants: who entered when (treated run only), their state at
    each horizon after entry and at each horizon after the measure's start, and the city's totals."""

    funders: tuple[str, ...]
    start: int                                            # the measure's first month (run index)
    entries: dict[int, int] = field(default_factory=dict)  # pid -> month of entry (given for the control run)
    learn: bool = True                                    # find entries (treated) or follow given ones (control)
    panel: list[dict] = field(default_factory=list)       # pid, entry, months, employed, earnings, skill
    city: list[dict] = field(default_factory=list)        # months, employed, earnings, participants' states
    seats: float = 0.0
    target: dict[int, int] = field(default_factory=dict)  # pid -> the level their course aims at (courses only)

    def __post_init__(self) -> None:
        self.by_month: dict[int, list[int]] = {}          # the participants by month of entry
        for pid, t0 in self.entries.items():
            self.by_month.setdefault(t0, []).append(pid)

    def observe(self, model) -> None:
        """After each month: new entrants, then the states due this month."""
        if self.learn:
            self._find_entries(model)
            self.seats += sum(model.last_events.get(f"seats:{f}", 0) for f in self.funders) * model.world.scale
        due = [(pid, model.t - k, k) for k in HORIZONS for pid in self.by_month.get(model.t - k, ())]
        if due:
            self.panel += states(model, [d[0] for d in due], [{"pid": p, "entry": t0, "months": k} for p, t0, k in due])
        if model.t - self.start in HORIZONS:
            self.city.append(city_state(model, model.t - self.start, self.entries))

    def _find_entries(self, model) -> None:
        pop, names = model.pop, model.world.funder_names
        ids = [names.index(f) for f in self.funders if f in names]
        rows = np.flatnonzero(np.isin(pop.funder, ids)) if ids else np.empty(0, np.int64)
        for row, pid in zip(rows.tolist(), pop.pid[rows].tolist(), strict=True):
            if pid not in self.entries:
                self.entries[pid] = model.t
                self.by_month.setdefault(model.t, []).append(pid)
                if pop.status[row] == SCHOOL or pop.course_left[row] > 0:     # a course, not a post or a firm
                    self.target[pid] = int(pop.target_skill[row])


def rows_of(model, pids: list[int]) -> np.ndarray:
    """Rows of the people `pids` in this run (-1 for someone not in it)."""
    index = pd.Index(model.pop.pid[: model.pop.n])
    return index.get_indexer(pd.Index(pids))


def earnings(model, rows: np.ndarray) -> np.ndarray:
    """Monthly earnings: the job's wage, the outside market's wage for a worker there, else 0."""
    pop = model.pop
    outside = model.world.outside_wage(model.t, pop.skill[rows])
    return np.where(pop.status[rows] == EMP_LOCAL, pop.wage[rows], np.where(pop.status[rows] == EMP_OUT, outside, 0.0))


def states(model, pids: list[int], keys: list[dict]) -> list[dict]:
    rows = rows_of(model, pids)
    present = rows >= 0
    safe = np.where(present, rows, 0)
    employed = present & np.isin(model.pop.status[safe], (EMP_LOCAL, EMP_OUT))
    pay = np.where(present, earnings(model, safe), 0.0)
    skill = np.where(present, model.pop.skill[safe], -1)
    return [{**k, "employed": bool(e), "earnings": float(w), "skill": int(s)}
            for k, e, w, s in zip(keys, employed, pay, skill, strict=True)]


def city_state(model, months: int, entries: dict[int, int]) -> dict:
    pop, k = model.pop, model.world.scale
    everyone = np.arange(pop.n)
    working = np.isin(pop.status[: pop.n], (EMP_LOCAL, EMP_OUT))
    so_far = [pid for pid, t0 in entries.items() if t0 <= model.t]
    people = states(model, so_far, [{"pid": p} for p in so_far])
    return {"months": months, "employed": float(working.sum() * k), "earnings": float(earnings(model, everyone).sum() * k),
            "participants": {p["pid"]: (p["employed"], p["earnings"]) for p in people}}


# -- the two runs -------------------------------------------------------------------------------------
@dataclass
class Pair:
    treated: Tracker
    control: Tracker
    cost: float                 # the measure's public cost in the treated run (yuan)
    scale: int
    control_pids: set = field(default_factory=set)   # everyone who was ever in the control run


def run_pair(scenario: Scenario, data, measure: str, seed: int, control_data=None) -> Pair:
    """The scenario with and without `measure`, seed `seed`, following the measure's participants."""
    from .inputs import city_data
    from .model import LabourMarketModel

    treated_model = LabourMarketModel(scenario, seed=seed, data=data)
    policy = next(p for p in treated_model.policies if p.name == measure)
    treated = Tracker(funders_of(measure), policy.start - treated_model.world.start.index)
    step_all(treated_model, treated)
    off = {k: v for k, v in scenario.policies.items() if k != measure}
    control_sc = dataclasses.replace(scenario, policies=off, name=f"{scenario.name} without {measure}")
    control_model = LabourMarketModel(control_sc, seed=seed, data=control_data or city_data(control_sc))
    control = Tracker(treated.funders, treated.start, dict(treated.entries), learn=False)
    step_all(control_model, control)
    cost = sum(line["cost"] for line in treated_model.cost_lines if line["measure"] == measure)
    return Pair(treated, control, cost, scenario.scale, set(control_model.pop.pid.tolist()))


def step_all(model, tracker: Tracker) -> None:
    for _ in range(model.n_steps):
        model.step()
        tracker.observe(model)


# -- the tables ---------------------------------------------------------------------------------------
def participant_rows(pairs: list[Pair]) -> list[dict]:
    """Per horizon: employment rate, earnings and certified share of participants, treated v control."""
    frames = []
    for s, pair in enumerate(pairs):
        t, c = pd.DataFrame(pair.treated.panel), pd.DataFrame(pair.control.panel)
        if t.empty:
            continue
        both = t.merge(c, on=["pid", "entry", "months"], suffixes=("_t", "_c"))
        both = both[both["skill_c"] >= 0]          # people who came because of the measure have no counterfactual
        both["target"] = both["pid"].map(pair.treated.target)
        both["seed"] = s
        frames.append(both)
    if not frames:
        return []
    panel = pd.concat(frames, ignore_index=True)
    rows = []
    for k, g in panel.groupby("months"):
        for outcome, unit, col in (("employment_rate", "share", "employed"), ("monthly_earnings", "yuan", "earnings")):
            rows.append(paired(k, outcome, unit, g[f"{col}_t"].astype(float), g[f"{col}_c"].astype(float), len(pairs)))
        course = g[g["target"].notna()]
        if len(course):
            rows.append(paired(k, "certified_share", "share", (course["skill_t"] >= course["target"]).astype(float),
                               (course["skill_c"] >= course["target"]).astype(float), len(pairs)))
    return rows


def paired(k: int, outcome: str, unit: str, treated: pd.Series, control: pd.Series, seeds: int) -> dict:
    diff = treated - control
    se = float(diff.std(ddof=1) / math.sqrt(len(diff))) if len(diff) > 1 else float("nan")
    return {"scope": "participants", "months": int(k), "outcome": outcome, "unit": unit,
            "treated": float(treated.mean()), "control": float(control.mean()), "effect": float(diff.mean()),
            "effect_se": se, "n": int(len(diff)), "seeds": seeds}


def city_rows(pairs: list[Pair]) -> list[dict]:
    """Per horizon after the start: the city's employment and earnings, treated v control, the
    participants' own gain at that month, and the displacement share."""
    rows = []
    for k in HORIZONS:
        found = [(p, next((c for c in p.treated.city if c["months"] == k), None),
                  next((c for c in p.control.city if c["months"] == k), None)) for p in pairs]
        found = [(p, t, c) for p, t, c in found if t and c]
        if not found:
            continue
        for outcome, unit, j in (("employed", "persons", 0), ("earnings", "yuan a month", 1)):
            rows.append(city_row(k, outcome, unit, j, found))
    return rows


def city_row(k: int, outcome: str, unit: str, j: int, found: list) -> dict:
    key = "employed" if j == 0 else "earnings"
    gains = np.array([t[key] - c[key] for _, t, c in found])
    own = np.array([sum(float(v[j]) - float(c["participants"].get(pid, (0, 0.0))[j])
                        for pid, v in t["participants"].items()) * p.scale for p, t, c in found])
    share = 1 - gains.mean() / own.mean() if own.mean() else float("nan")
    return {"scope": "city", "months": k, "outcome": outcome, "unit": unit,
            "treated": float(np.mean([t[key] for _, t, _ in found])), "control": float(np.mean([c[key] for _, _, c in found])),
            "effect": float(gains.mean()), "effect_se": float(gains.std(ddof=1) / math.sqrt(len(gains))) if len(gains) > 1
            else float("nan"), "n": int(np.mean([len(t["participants"]) for _, t, _ in found]) * found[0][0].scale),
            "seeds": len(found), "participants_effect": float(own.mean()), "displacement_share": float(share)}


def summary(pairs: list[Pair], effects: pd.DataFrame) -> pd.DataFrame:
    """participation.csv: take-up, deadweight and costs per participant and per additional outcome."""
    participants = np.mean([len(p.treated.entries) for p in pairs]) * pairs[0].scale
    seats = np.mean([p.treated.seats for p in pairs])
    cost = float(np.mean([p.cost for p in pairs]))
    part = effects[(effects["scope"] == "participants") & (effects["outcome"] == "certified_share")]
    last = part.sort_values("months").tail(1)
    in_courses = np.mean([len(p.treated.target) for p in pairs]) * pairs[0].scale
    certified = float(last["treated"].iloc[0] * in_courses) if len(last) else float("nan")
    anyway = float(last["control"].iloc[0] * in_courses) if len(last) else float("nan")
    jobs = effects[(effects["scope"] == "city") & (effects["outcome"] == "employed")].sort_values("months").tail(1)
    extra_jobs = float(jobs["effect"].iloc[0]) if len(jobs) else float("nan")
    arrived = np.mean([sum(pid >= ID_BLOCK and pid not in present for pid in p.treated.entries)
                       for p in pairs for present in [p.control_pids]]) * pairs[0].scale
    return pd.DataFrame([{
        "participants": participants, "arrived_with_measure": arrived, "seats_offered": seats if seats else float("nan"),
        "take_up": participants / seats if seats else float("nan"),
        "certified": certified, "deadweight_certified": anyway,
        "deadweight_share": anyway / certified if certified else float("nan"),
        "horizon_months": int(last["months"].iloc[0]) if len(last) else None,
        "cost_yuan": cost, "cost_per_participant": cost / participants if participants else float("nan"),
        "cost_per_additional_certificate": cost / (certified - anyway) if certified > anyway else float("nan"),
        "cost_per_additional_job": cost / extra_jobs if extra_jobs > 0 else float("nan"),
        "jobs_horizon_months": int(jobs["months"].iloc[0]) if len(jobs) else None}])


def effects_table(pairs: list[Pair]) -> pd.DataFrame:
    table = pd.DataFrame(participant_rows(pairs) + city_rows(pairs))
    for col in EFFECT_COLUMNS + ["participants_effect", "displacement_share"]:
        if col not in table:
            table[col] = np.nan
    return table[EFFECT_COLUMNS + ["participants_effect", "displacement_share"]]


# -- the result ---------------------------------------------------------------------------------------
@dataclass
class Effects:
    """What `sim effects` writes: treatment_effects.csv and participation.csv."""

    table: pd.DataFrame
    participation: pd.DataFrame
    seeds: list[int]


def estimate(scenario: Scenario, data, measure: str, progress=None) -> Effects:
    """The measure's effects over the scenario's seeds (one pair of runs per seed)."""
    from .inputs import city_data

    off = dataclasses.replace(scenario, policies={k: v for k, v in scenario.policies.items() if k != measure})
    control_data = city_data(off)
    seeds = [scenario.seed + r for r in range(scenario.replicates)]
    pairs = []
    for i, seed in enumerate(seeds):
        pairs.append(run_pair(scenario, data, measure, seed, control_data))
        if progress:
            progress(i + 1, len(seeds))
    table = effects_table(pairs)
    return Effects(table, summary(pairs, table), seeds)


def write_effects(out, result: Effects, scenario: Scenario, measure: str, chart_fn=None) -> None:
    """The tables, the manifest and (with `chart_fn`) the chart, written atomically."""
    from .outputs import atomic_directory, manifest, scenario_entry, write_manifest

    with atomic_directory(out) as tmp:
        result.table.to_csv(tmp / "treatment_effects.csv", index=False)
        result.participation.to_csv(tmp / "participation.csv", index=False)
        write_manifest(tmp, manifest("effects", city=scenario.city, scenarios=[scenario_entry(scenario)],
                                     measure=measure, horizons=list(HORIZONS)))
        if chart_fn is not None:
            chart_fn(result.table, tmp, scenario, measure)


def format_effects(result: Effects, measure: str) -> str:
    """What `sim effects` prints: participants' effects by horizon, the city's, take-up and costs."""
    t, lines = result.table, [f"effects of {measure} (seeds {result.seeds}): treated - control, ±se"]
    for _, r in t.iterrows():
        fmt = "{:+.3f}" if r["unit"] == "share" else "{:+,.0f}"
        extra = "" if r["scope"] == "participants" else (
            f"  participants' own {fmt.format(r['participants_effect'])}; displacement {r['displacement_share']:.0%}"
            if not math.isnan(r["displacement_share"]) else "")
        lines.append(f"  {r['scope']:<12} {int(r['months']):>2} months  {r['outcome']:<18} {fmt.format(r['effect']):>12}"
                     f"  ±{fmt.format(r['effect_se']).lstrip('+')}  (n {int(r['n']):,}){extra}")
    p = result.participation.iloc[0]
    lines.append(f"  participants {p['participants']:,.0f}; take-up {p['take_up']:.0%} of seats offered; deadweight "
                 f"{p['deadweight_share']:.0%} of certificates; cost {p['cost_yuan'] / 1e6:,.1f}m yuan "
                 f"({p['cost_per_participant']:,.0f} per participant, {p['cost_per_additional_job']:,.0f} per extra job)")
    return "\n".join(lines)
