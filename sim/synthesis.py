"""The synthetic end-2020 city: residents aged 16-64, Shanwei workers in Shenzhen, and firms.

Marginals come from the city data file (age bands, places, education, sectors); the talent stocks
the plans report are placed exactly: round(stock / scale) agents get a skill certificate,
a high skill level, a professional title, a senior title, so the 2020 row of the annual table
equals the plans' figures up to rounding (DESIGN §3, issue 2 point 5). Who holds them is drawn
with weights (sector skill intensity, education, age), without replacement (Efraimidis-Spirakis).
The registered unemployed are placed so the 2020 registered urban rate equals the plan's 2.33%.
"""

from __future__ import annotations

import numpy as np

from .agents.workers import (EMP_LOCAL, EMP_OUT, EXITED, FIELDS, INACTIVE, PROGRAMME_COLLEGE, PROGRAMME_GENERAL,
                             PROGRAMME_TECH, SCHOOL, UNEMP, WorkerPopulation)
from .world import World


def weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct indices drawn with probability proportional to `weights` (Efraimidis-Spirakis)."""
    w = np.asarray(weights, dtype=float)
    ok = np.flatnonzero(w > 0)
    if k > ok.size:
        raise ValueError(f"cannot draw {k} from {ok.size} eligible rows")
    if k == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(rng.random(ok.size)) / w[ok]
    return ok[np.argpartition(-keys, k - 1)[:k]]


def _ages(world: World, rng, n: int) -> np.ndarray:
    bands = world.data.table("age_bands")
    lo = np.array([b["lo"] for b in bands.values()])
    hi = np.array([b["hi"] for b in bands.values()])
    share = np.array([b["pop_share"] for b in bands.values()])
    band = rng.choice(len(share), size=n, p=share / share.sum())
    return (lo[band] * 12 + rng.integers(0, (hi[band] - lo[band] + 1) * 12)).astype(np.int32)


def _band_value(world: World, age_m: np.ndarray, column: str) -> np.ndarray:
    bands = world.data.table("age_bands")
    lo = np.array([b["lo"] for b in bands.values()])
    vals = np.array([b[column] for b in bands.values()], dtype=float)
    return vals[np.clip(np.searchsorted(lo, age_m // 12, side="right") - 1, 0, len(lo) - 1)]


def _education(world: World, rng, age_m: np.ndarray) -> np.ndarray:
    rows = sorted(world.data.table("education_by_age").values(), key=lambda r: r["lo"])
    table = np.array([[r["primary"], r["junior"], r["senior"], r["college"]] for r in rows])
    lo = np.array([r["lo"] for r in rows])
    group = np.clip(np.searchsorted(lo * 12, age_m, side="right") - 1, 0, len(rows) - 1)
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)[group]
    return (rng.random(age_m.size)[:, None] > cum).sum(axis=1).clip(0, 3).astype(np.int8)


def empty_columns(n: int) -> dict[str, np.ndarray]:
    cols = {name: np.zeros(n, dtype=dtype) for name, dtype in FIELDS.items()}
    for name in ("sector", "firm", "provider", "order_firm", "funder"):
        cols[name][:] = -1
    return cols


def residents(world: World, rng) -> dict[str, np.ndarray]:
    d = world.data
    n = round(d.get("population.resident_2020") * d.get("population.working_age_share") / world.scale)
    c = empty_columns(n)
    c["age_m"] = _ages(world, rng, n)
    c["female"] = rng.random(n) < d.get("population.female_share")
    c["place"] = rng.choice(world.n_places, size=n, p=world.place_pop_share)
    c["urban"] = rng.random(n) < world.place_urban_share[c["place"]]
    c["edu"] = _education(world, rng, c["age_m"])
    _assign_status(world, rng, c)
    return c


def _assign_status(world: World, rng, c: dict) -> None:
    n = c["age_m"].size
    in_school = rng.random(n) < _band_value(world, c["age_m"], "in_school")
    part = np.where(c["female"], _band_value(world, c["age_m"], "participation_female"),
                    _band_value(world, c["age_m"], "participation_male"))
    in_lf = ~in_school & (rng.random(n) < part)
    unemployed = in_lf & (rng.random(n) < world.data.get("labour_market.unemployment_rate_2020"))
    c["status"] = np.select([in_school, unemployed, in_lf], [SCHOOL, UNEMP, EMP_LOCAL], INACTIVE).astype(np.int8)
    college_age = c["age_m"] >= 19 * 12
    c["programme"][in_school] = np.where(college_age[in_school], PROGRAMME_COLLEGE, PROGRAMME_GENERAL)
    c["edu"][in_school] = np.where(college_age[in_school], 3, np.maximum(c["edu"][in_school], 2))
    months = np.where(college_age, world.data.get("schooling.college_months") - 36,
                      world.data.get("schooling.senior_secondary_months"))
    c["school_left"][in_school] = rng.integers(1, months[in_school] + 1)
    _route_to_college(world, rng, c)
    d = world.data
    c["status_m"] = rng.integers(0, d.get("labour_market.status_months_max_2020"), n).astype(np.int16)
    unemp = c["status"] == UNEMP
    spell = d.get("labour_market.unemployment_spell_months_2020")
    longest = d.get("labour_market.unemployment_spell_max_months_2020")
    c["status_m"][unemp] = rng.geometric(1 / spell, unemp.sum()).clip(1, longest) - 1
    out_of_work = (c["status"] == UNEMP) | (c["status"] == INACTIVE)
    c["out_m"][out_of_work] = c["status_m"][out_of_work]     # the current spell out of work (earlier ones unknown)


def _route_to_college(world: World, rng, c: dict) -> None:
    """Senior-secondary students at the start go on to college with the cohort paths' odds."""
    d = world.data
    college = d.get("schooling.share_college")
    general = max(1e-9, 1 - d.get("schooling.share_leave_at_16") - d.get("schooling.share_technical_school"))
    rows = np.flatnonzero((c["status"] == SCHOOL) & (c["programme"] == PROGRAMME_GENERAL))
    go = rows[rng.random(rows.size) < min(1.0, college / general)]
    c["programme"][go] = PROGRAMME_COLLEGE
    c["school_left"][go] += d.get("schooling.college_months") - d.get("schooling.senior_secondary_months")
    c["edu"][go] = 3


def retire_past_exit_age(world: World, c: dict) -> None:
    """Residents already past their exit age are retired at the start (not part of any flow)."""
    d = world.data
    statutory = np.where(c["female"], d.get("demography.retirement_age_female"), d.get("demography.retirement_age_male"))
    urban_job = (c["status"] == EMP_LOCAL) & (world.sector_urban[np.maximum(c["sector"], 0)] > 0) & (c["sector"] >= 0)
    exit_age = np.where(urban_job | c["urban"], statutory, d.get("demography.rural_exit_age")) * 12
    gone = c["age_m"] >= exit_age
    c["status"][gone] = EXITED
    c["sector"][gone] = -1


def assign_sectors(world: World, rng, c: dict) -> None:
    """Sector of the employed (and of the last job of the unemployed): farming is rural."""
    share = world.sector_emp_share
    urban_job = world.sector_urban.astype(bool)
    has_job = (c["status"] == EMP_LOCAL) | (c["status"] == UNEMP)
    f_urban = c["urban"][has_job].mean() if has_job.any() else 0.5
    rural_agri = min(0.9, share[~urban_job].sum() / max(1e-9, 1 - f_urban))
    p_rural = np.where(urban_job, share * (1 - rural_agri) / share[urban_job].sum(), share * rural_agri / share[~urban_job].sum())
    p_urban = np.where(urban_job, share / share[urban_job].sum(), 0.0)
    idx = np.flatnonzero(has_job)
    urban = c["urban"][idx]
    sec = np.empty(idx.size, dtype=np.int8)
    for mask, p in ((urban, p_urban), (~urban, p_rural)):
        sec[mask] = rng.choice(len(share), size=mask.sum(), p=p / p.sum())
    c["sector"][idx] = sec


def outside_workers(world: World, rng) -> dict[str, np.ndarray]:
    d = world.data
    n = round(d.get("labour_market.outside_workers_2020") / world.scale)
    lo, hi = d.get("outside_market.age_range")
    c = empty_columns(n)
    c["age_m"] = rng.integers(lo * 12, (hi + 1) * 12, n).astype(np.int32)
    c["female"] = rng.random(n) < d.get("population.female_share")
    c["place"] = rng.choice(world.n_places, size=n, p=world.place_pop_share)
    c["urban"] = rng.random(n) < world.place_urban_share[c["place"]]
    c["edu"] = _education(world, rng, c["age_m"])
    c["status"][:] = EMP_OUT
    c["status_m"] = rng.integers(0, d.get("labour_market.status_months_max_2020"), n).astype(np.int16)
    return c


def place_talent(world: World, rng, pop: WorkerPopulation) -> None:
    """Give exactly the plan's 2020 stocks of certificates and titles to weighted draws."""
    d, k = world.data, world.scale
    here = pop.in_shanwei() & (pop.status != SCHOOL)
    sector_w = np.where(pop.sector >= 0, world.sector_skill_intensity[np.maximum(pop.sector, 0)], 0.5)
    edu_w = np.asarray(d.get("allocation.skill_weight_by_education"))[pop.edu]
    age = pop.age_years()
    prime = np.where((age >= 22) & (age < 55), 1.0, d.get("allocation.skill_weight_outside_prime_age"))
    skilled = weighted_sample(rng, here * sector_w * edu_w * prime, round(d.get("skills.skilled_talent_2020") / k))
    n_high = round(d.get("skills.high_skilled_talent_2020") / k)
    high_w = np.clip(age[skilled] - 20, 1, None) * sector_w[skilled]
    high = skilled[weighted_sample(rng, high_w, n_high)]
    low = np.setdiff1d(skilled, high)
    pop.skill[low] = 1 + (rng.random(low.size) < d.get("skills.level_shares_low")[1])
    shares = np.asarray(d.get("skills.level_shares_high"), float)
    pop.skill[high] = 3 + rng.choice(3, size=high.size, p=shares / shares.sum())
    _place_titles(world, rng, pop, here, age)


def _place_titles(world: World, rng, pop: WorkerPopulation, here: np.ndarray, age: np.ndarray) -> None:
    d, k = world.data, world.scale
    public = world.in_public_service(pop.sector).astype(float)
    factor = d.get("allocation.public_sector_title_factor")
    w = here * np.asarray(d.get("allocation.title_weight_by_education"))[pop.edu] * np.where(public, factor, 1.0) * (age >= 21)
    holders = weighted_sample(rng, w, round(d.get("titles.professional_technical_2020") / k))
    senior = holders[weighted_sample(rng, np.clip(age[holders] - 32, 0, None), round(d.get("titles.senior_2020") / k))]
    rest = np.setdiff1d(holders, senior)
    pop.title[rest] = 1 + (rng.random(rest.size) < d.get("titles.intermediate_share"))
    pop.title[senior] = 3
    years = np.asarray(d.get("titles.promotion_years"))
    pop.title_m[holders] = rng.integers(0, 24 * years.max(), holders.size)


def place_registered(world: World, rng, pop: WorkerPopulation, urban_employed: int) -> None:
    """Register exactly enough urban unemployed for the 2020 registered rate; if some are registered
    already (the re-count after the spin-up), add to them or take from them at random."""
    rate = world.data.get("labour_market.registered_unemployment_rate_2020") / 100
    k = round(rate / (1 - rate) * urban_employed)
    from .rules.registration import motive, old_enough

    on_register = np.flatnonzero(pop.registered & (pop.status == UNEMP) & pop.urban)
    if on_register.size >= k:
        pop.deregister(rng.choice(on_register, size=on_register.size - k, replace=False))
        return
    k -= on_register.size
    pool = np.flatnonzero((pop.status == UNEMP) & pop.urban & ~pop.registered)
    weight = motive(world.data, pop, pool)                              # who registers is who gains from it
    chosen = rng.choice(pool, size=min(k, pool.size), replace=False, p=weight / weight.sum())   # check_data: k < pool
    pop.registered[chosen] = True
    pop.reg_m[chosen] = rng.integers(0, world.data.get("registration.lapse_months"), chosen.size)
    eligible = chosen[old_enough(world.data, pop, chosen)]
    pop.recognised[eligible[rng.random(eligible.size) < world.data.get("registration.hard_to_employ_recognition")]] = True


def place_students(world: World, rng, pop: WorkerPopulation) -> None:
    """Exactly round(4,625 / scale) young people in school are technical-school students."""
    schools = world.schools
    need = [round(s.students / world.scale) for s in schools]
    pool = np.flatnonzero((pop.status == SCHOOL) & (pop.programme == PROGRAMME_GENERAL))
    chosen = rng.choice(pool, size=sum(need), replace=False)
    months = world.data.get("schools.programme_months")
    start = 0
    for school, k in zip(schools, need, strict=True):
        rows = chosen[start:start + k]
        start += k
        pop.programme[rows] = PROGRAMME_TECH
        pop.provider[rows] = school.row
        pop.school_left[rows] = rng.integers(1, months + 1, k)
        pop.target_skill[rows] = np.where(rng.random(k) < school.advanced_share, 3, 2)


def build_population(world: World, rng) -> WorkerPopulation:
    res = residents(world, rng)
    assign_sectors(world, rng, res)
    retire_past_exit_age(world, res)
    sz = outside_workers(world, rng)
    cols = {name: np.concatenate([res[name], sz[name]]) for name in FIELDS}
    pop = WorkerPopulation(cols, world.scale)
    place_talent(world, rng, pop)
    place_students(world, rng, pop)
    return pop
