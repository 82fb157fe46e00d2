"""What the measures cost the public purse, month by month (issue 15; docs/costs_evidence.md).

Each policy says what it pays for (`Policy.pays`, a tuple of `Charge`: an item, the quantity it is
paid on, and the parameter holding its unit cost). The unit costs are parameters of the city data
file under `costs.*`, each with its provenance: the plans' figures (the project table's investment
in technical schools), Guangdong's published standards (the training subsidy per certificate by
level and its +30% at 高级工 and above, the public-welfare post subsidy at the minimum wage, start-up
grants), or assumptions with a range (the running cost of a township market). The quantities are
what the agents' rules recorded that month: certificates passed on the measure's seats by level,
people holding its posts, founders, arrivals, sites open. `month_costs` prices them; nothing here
changes what agents do, and a measure that is off has no charges at all.

Costs are nominal yuan at the standards' levels, held flat over the run, except the items priced as
a share of the month's minimum wage, which follow the dated minimum-wage schedule.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .agents.workers import EMP_LOCAL, HIGH_SKILL, TOP_SKILL
from .policies.base import CERTIFICATE_SUBSIDY, Charge
from .rules.training import STANDING

LEVELS = range(1, TOP_SKILL + 1)      # certificate levels 初级工 .. 高级技师, the subsidy schedule's order


def certificates(model, events: dict, policy, who: str) -> np.ndarray:
    """Certificates passed on courses `who` paid for this month, by level (persons)."""
    return np.array([events.get(f"certified:{who}:{level}", 0) for level in LEVELS], float) * model.world.scale


def uplifted_subsidy(model, events: dict, policy, who: str) -> float:
    """The +30%: the standard subsidy on every funded certificate at 高级工 and above this month (yuan),
    times the measure's uplift (a share); the item's unit is the share of them in shortage occupations."""
    schedule = np.asarray(model.world.data.get("costs.training.certificate_subsidy"), float)
    funded = sum(certificates(model, events, policy, name) for name in model.world.funder_names)
    if not isinstance(funded, np.ndarray):
        return 0.0
    high = np.array([level >= HIGH_SKILL for level in LEVELS])
    return float((funded * schedule)[high].sum()) * policy["advanced_subsidy_uplift"] / 100


def event(model, events: dict, policy, who: str) -> float:
    """A count the rules record (`who` names the event: starts, founders, arrivals), in persons."""
    return events.get(who, 0) * model.world.scale


def welfare_post_wages(model, events: dict, policy, who: str) -> float:
    """Persons in public-welfare posts this month times the month's minimum wage (yuan)."""
    return welfare_post_months(model, events, policy, who) * model.world.minimum_wage(model.t)


def welfare_post_months(model, events: dict, policy, who: str) -> float:
    """Persons holding a public-welfare post this month (the only time-limited posts, `post_left`)."""
    pop = model.pop
    return float(((pop.post_left > 0) & (pop.status == EMP_LOCAL)).sum() * model.world.scale)


def grassroots_post_months(model, events: dict, policy, who: str) -> float:
    """Graduates serving a grassroots (三支一扶) term at a public-service employer this month."""
    pop = model.pop
    serving = (pop.service_left > 0) & (pop.status == EMP_LOCAL) & model.world.in_public_service(pop.sector)
    return float(serving.sum() * model.world.scale)


def site_years(model, events: dict, policy, who: str) -> float:
    """Township markets open this month, in site-years (a month is 1/12)."""
    return sum(m.is_open(model.t) for m in policy.markets) / 12


def sites_opening(model, events: dict, policy, who: str) -> float:
    """Township markets opening this month (their fit-out is paid then)."""
    return float(sum(m.opens == model.t for m in policy.markets))


def active_years(model, events: dict, policy, who: str) -> float:
    """1/12 in a month the measure runs (a yearly running cost), 0 otherwise."""
    return (policy.intensity(model.month.index) > 0) / 12


def at_start(model, events: dict, policy, who: str) -> float:
    """In the measure's first month, how many of `who` it sets up (studios, bases: a one-off grant each)."""
    return float(policy[who]) if model.month.index == policy.start else 0.0


def while_running(model, events: dict, policy, who: str) -> float:
    """How many of `who` the measure keeps this month (chief technicians: a monthly allowance each)."""
    return float(policy[who]) * policy.intensity(model.month.index)


def capital_outlay(model, events: dict, policy, who: str) -> np.ndarray:
    """Share of each project's investment spent this month: spread evenly over the years the project
    table gives it (`costs.technical_schools.capital_years`); months before the run are not in it."""
    year = model.month.year
    return np.array([1 / (12 * (last - first + 1)) if first <= year <= last else 0.0
                     for first, last in model.world.data.get("costs.technical_schools.capital_years")])


def new_place_student_years(model, events: dict, policy, who: str) -> float:
    """Students in the schools the measure opened this month, in student-years."""
    students = sum(model.world.schools[row].enrolled(model.pop).size for row in policy.school_rows)
    return students * model.world.scale / 12


def insured_staff_years(model, events: dict, policy, who: str) -> float:
    """Insured employees of the firms a refund is paid to this month (`who`: the event counting their
    staff, in agents), in worker-years: staff x the insured share of urban jobs (built) / 12."""
    return events.get(who, 0) * model.world.scale * model.calibrated["ui_insured_share"] / 12


DRIVERS: dict[str, Callable] = {f.__name__: f for f in (
    certificates, uplifted_subsidy, event, welfare_post_wages, welfare_post_months, grassroots_post_months,
    site_years, sites_opening, active_years, at_start, while_running, capital_outlay, new_place_student_years,
    insured_staff_years)}


STANDING_MEASURE = "standing_training"      # the subsidised training the city ran before the plan (no measure)
STANDING_CHARGES = (Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY, who=STANDING),)


def month_costs(model, events: dict) -> list[dict]:
    """This month's charges of the standing training programme and of every switched-on measure:
    measure, item, quantity (what the item is paid on, summed over levels), cost (yuan)."""
    lines = [price(model, events, None, STANDING_MEASURE, c) for c in STANDING_CHARGES]
    return lines + [price(model, events, p, p.name, c) for p in model.policies for c in p.pays]


def price(model, events: dict, policy, measure: str, charge: Charge) -> dict:
    quantity = DRIVERS[charge.driver](model, events, policy, charge.who or measure)
    unit = np.asarray(model.world.data.get(charge.unit_param(measure)), float)
    cost = float(np.dot(quantity, unit)) if np.ndim(quantity) else float(quantity) * float(unit)
    return {"measure": measure, "item": charge.item, "quantity": float(np.sum(quantity)), "cost": cost}


def charges(policy_cls, data) -> list[tuple[Charge, object]]:
    """A measure's charges with their unit-cost parameters (for `sim list policies` and the docs)."""
    return [(c, data.params[c.unit_param(policy_cls.name)]) for c in policy_cls.pays]


def cost_lines(policy_cls, data) -> list[str]:
    """What a measure pays for, one line per item: the unit cost, its unit and where it comes from."""
    if not policy_cls.pays:
        return [f"no public outlay ({policy_cls.cost_note})"]
    lines = []
    for charge, p in charges(policy_cls, data):
        where = p.source if p.provenance in ("seed", "public") else f"range {list(p.range)}"
        lines.append(f"{charge.item} = {p.value} {p.unit[:60]} [{p.provenance}: {where[:70]}]")
    return lines


COLUMNS = ["year", "measure", "item", "unit", "provenance", "quantity", "cost_yuan"]


def annual_table(lines: list[dict], data) -> pd.DataFrame:
    """The run's charges by year, measure and item: what each is paid on (`quantity`, in the unit
    cost's `unit`), the unit cost's provenance and the cost in yuan (costs.csv)."""
    if not lines:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame(lines)
    frame["year"] = frame.pop("month").str[:4].astype(int)
    out = frame.groupby(["year", "measure", "item"], sort=False, as_index=False)[["quantity", "cost"]].sum()
    param = {(m, c.item): data.params[c.unit_param(m)] for m, c in all_charges()}
    out["unit"] = [param[(m, i)].unit for m, i in zip(out["measure"], out["item"], strict=True)]
    out["provenance"] = [param[(m, i)].provenance for m, i in zip(out["measure"], out["item"], strict=True)]
    return out.rename(columns={"cost": "cost_yuan"})[COLUMNS]


def all_charges() -> list[tuple[str, Charge]]:
    """(measure, charge) for the standing programme and every registered measure."""
    from .policies import REGISTRY

    return [(STANDING_MEASURE, c) for c in STANDING_CHARGES] + [(n, c) for n, cls in REGISTRY.items() for c in cls.pays]
