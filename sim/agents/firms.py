"""Firms by sector and place, as a vectorised population.

Each firm has a sector, a place, a wage premium and a plan (desired employment). Every month the
plan moves with the sector's trend, an idiosyncratic shock and any scenario shock (log random walk,
DESIGN §3 "Firms"). What the firm recruits for, its target, is the plan less the openings it gives up
while its posts stay unfilled; they come back once it fills its posts (`recruit_for`). It
posts vacancies for the gap between target and headcount, and lays off when headcount exceeds
target by more than its buffer (labour hoarding). Each posted vacancy
asks for a certified skill level with the sector's probability, may state an upper age limit (as
most Chinese job ads do: `firms.age_limited_post_share`, `firms.post_age_limit`), and is listed on the PES and the
online market with the data file's shares (and with private agencies, or at township markets, when
those measures are on); every vacancy is reachable through informal contacts.

Firms close with an annual hazard by age and size (`firm_exit_hazard`, `firm_exit_size`; the SAIC
2013 survival report) and a new firm of the same sector opens in the same town with the closed one's
plan, so closures reallocate jobs without moving a sector's demand (`sim.rules.demand`).
Each firm agent stands for `represents` real firms (merged small firms, a start-up agent's `scale`
founders), which is what firm entries and exits count.

Key enterprises (信利, 比亚迪) are firms with a flag (`key`), built first with their end-2020
workforce drawn from their sector's employed, nearest first; measures such as enterprise skill
self-evaluation and order-based training act through them. With K persons per agent, firms smaller than
`firms.min_agents_per_firm` agents are merged with others of the same sector and place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .workers import EMP_LOCAL, NO_SKILL


@dataclass
class Vacancies:
    """This month's open posts, one row each."""

    firm: np.ndarray
    place: np.ndarray
    county: np.ndarray
    required: np.ndarray      # minimum skill level
    on_pes: np.ndarray
    online: np.ndarray
    township: np.ndarray      # at a firm inside an open township market's catchment
    on_private: np.ndarray    # listed with a private agency
    max_age_m: np.ndarray | None = None   # oldest applicant a post considers, months (inf: no age limit)
    urban: np.ndarray | None = None       # a post at an urban-sector unit (hires under a labour contract)

    def __len__(self) -> int:
        return self.firm.size


class FirmPopulation:
    def __init__(self, sector, place, key, premium, headcount, world, born=None, represents=None):
        self.sector = np.asarray(sector, np.int16)
        self.place = np.asarray(place, np.int16)
        self.key = np.asarray(key, np.int16)              # key-enterprise row, -1 if none
        self.premium = np.asarray(premium, float)          # log wage premium (fixed: the firm's type)
        self.wage_adj = np.zeros(self.premium.size)        # log change of its offers since the start (wage setting)
        self.headcount = np.asarray(headcount, np.int64)
        self.plan = self.headcount * (1 + world.data.get("labour_market.vacancy_rate_2020"))   # desired employment
        self.target = self.plan.copy()                     # what it recruits for this month (`recruit_for`)
        self.urban = world.sector_urban[self.sector].astype(bool)
        self.county = world.place_county[self.place]
        self.world = world
        self.n = self.sector.size
        self.alive = np.ones(self.n, bool)
        self.born = np.zeros(self.n, np.int64) if born is None else np.asarray(born, np.int64)   # month index (0 = start)
        self.represents = np.ones(self.n, np.int64) if represents is None else np.asarray(represents, np.int64)
        self.forget_hiring()

    def forget_hiring(self) -> None:
        """Last month's hiring experience per firm: posts open, posts filled, suitable applications."""
        self.posts, self.filled, self.queue = np.zeros(self.n, np.int64), np.zeros(self.n, np.int64), np.zeros(self.n)
        self.contested = np.zeros(self.n, np.int64)       # posts that had a suitable applicant
        self.unfilled_m = np.zeros(self.n, np.int64)      # months in a row with posts left unfilled

    # -- verbs --------------------------------------------------------------------------------
    def plan_demand(self, rng, month, step: int, trend: bool = True) -> None:
        """Move each firm's plan (desired employment): sector trend (unless `trend` is off: the spin-up)
        + own shock + scenario shocks; then set what it recruits for."""
        w, sd = self.world, self.world.data.get("firms.demand_noise")
        drift = w.sector_trend[self.sector] / 12 * trend + (w.demand_shift(month) + w.levers.sector_demand)[self.sector]
        self.plan *= np.exp(drift + rng.normal(0, sd / np.sqrt(12), self.n))
        self.recruit_for(step)

    def recruit_for(self, step: int) -> None:
        """This month's target: the plan, less the openings a firm gives up after failing to fill its posts.
        For each month in a row its posts have stayed unfilled it keeps 1 - `firms.vacancy_withdrawal` of
        its openings, those for growth and those replacing someone who left alike (the withdrawal hazard
        rises with a vacancy's age: Andrews et al. 2008); the plan stands, so the openings come back once
        it fills its posts. A firm still staffing up (younger than `firms.staffing_months`) keeps its whole plan."""
        d = self.world.data
        openings = self.plan - self.headcount
        keep = (1 - d.get("firms.vacancy_withdrawal")) ** self.unfilled_m
        settled = step - self.born >= d.get("firms.staffing_months")
        self.target = np.where((openings > 0) & settled, self.headcount + openings * keep, self.plan)

    def add_posts(self, firm: np.ndarray, n: float | np.ndarray = 1) -> None:
        """New posts at `firm` (repeats allowed), funded or ended by a measure: plan and target move together."""
        np.add.at(self.plan, firm, n)
        np.add.at(self.target, firm, n)

    def excess(self) -> np.ndarray:
        """Workers each firm wants to shed this month (beyond its hoarding buffer)."""
        limit = self.target * (1 + self.world.data.get("firms.layoff_buffer"))
        return np.maximum(0, np.floor(self.headcount - limit)).astype(np.int64)

    def post_vacancies(self, rng, month, township_places: np.ndarray, private_share: float) -> Vacancies:
        """Open posts for the gap between target and headcount, with requirements and channels."""
        gap = np.maximum(0.0, self.target - self.headcount)
        open_posts = np.floor(gap + rng.random(self.n)).astype(np.int64)   # unbiased rounding of small gaps
        firm = np.repeat(np.arange(self.n), open_posts)
        d, w = self.world.data, self.world
        cert_share = w.sector_cert_vacancy[self.sector[firm]]
        cert_share = np.where(w.manufacturing[self.sector[firm]],
                              np.minimum(1.0, cert_share + w.automation_level(month)), cert_share)
        certified = rng.random(firm.size) < cert_share
        high = certified & (rng.random(firm.size) < d.get("firms.high_skill_post_share"))
        levels = d.get("firms.high_skill_post_level"), d.get("firms.certified_post_level")
        required = np.where(high, levels[0], np.where(certified, levels[1], NO_SKILL)).astype(np.int8)
        age_limited = rng.random(firm.size) < d.get("firms.age_limited_post_share")
        max_age = np.where(age_limited, d.get("firms.post_age_limit") * 12.0, np.inf)
        return Vacancies(firm, self.place[firm], self.county[firm], required,
                         rng.random(firm.size) < d.get("matching.vacancy_share_pes"),
                         rng.random(firm.size) < d.get("matching.vacancy_share_online"),
                         np.isin(self.place[firm], township_places),
                         rng.random(firm.size) < private_share, max_age, self.urban[firm])

    def wage_offer(self, firm: np.ndarray, skill: np.ndarray, step: int) -> np.ndarray:
        """Monthly wage for a worker of `skill` at `firm`: the sector's wage with the firm's premium and its
        adjustments since the start, the skill premium, the wage index; never below the minimum wage."""
        w = self.world
        base = w.sector_wage[self.sector[firm]] * np.exp(self.premium[firm] + self.wage_adj[firm])
        offer = base * (1 + w.data.get("firms.skill_wage_step") * skill) * w.wage_index(step)
        return np.maximum(offer, w.minimum_wage(step))

    def record_hiring(self, vac_firm: np.ndarray, filled_firm: np.ndarray, suitable_per_post: np.ndarray) -> None:
        """This month's posts, hires into them and suitable applications, per firm (read by `adjust_offers`)."""
        self.posts = np.bincount(vac_firm, minlength=self.n)
        self.filled = np.bincount(filled_firm, minlength=self.n)
        self.queue = np.bincount(vac_firm, weights=suitable_per_post, minlength=self.n)
        self.contested = np.bincount(vac_firm, weights=suitable_per_post > 0, minlength=self.n).astype(np.int64)
        # a month with no post open says nothing about how hard the firm's posts are to fill: the run carries on
        self.unfilled_m = np.where(self.posts > self.filled, self.unfilled_m + 1,
                                   np.where(self.posts > 0, 0, self.unfilled_m))

    def adjust_offers(self) -> np.ndarray:
        """Wage posting (`wages.*`): a firm whose posts have stayed unfilled for `wages.hard_to_fill_months`
        months in a row raises its offers in proportion to the share of last month's posts it lost on pay:
        a suitable applicant applied but took a better offer or found it below their reservation wage.
        A post nobody suitable applied to is a skill or age gap that pay does not close (applications
        are not directed by wages), so it raises nothing. A firm that filled every post with a long queue
        of suitable applicants behind it lowers its offers (more slowly: wages are rigid downward). Its
        plan moves against its wage (own-wage elasticity `firms.demand_elasticity`). Returns the log change."""
        d = self.world.data
        hard_to_fill = self.unfilled_m >= d.get("wages.hard_to_fill_months")
        lost = np.maximum(0, self.contested - self.filled)
        share_unfilled = np.where(hard_to_fill, lost / np.maximum(self.posts, 1), 0.0)
        long_queue = (self.posts > 0) & (self.filled >= self.posts) & (self.queue >= d.get("wages.queue_length") * self.posts)
        step = d.get("wages.raise_per_month") * share_unfilled - d.get("wages.cut_per_month") * long_queue
        self.wage_adj += step
        self.plan *= np.exp(-d.get("firms.demand_elasticity") * step)
        return step

    def add_firms(self, sector, place, headcount, target, rng, born: int = 0, represents=None) -> np.ndarray:
        """New firms (start-ups, firms replacing closed ones) born in month `born`; returns their rows."""
        sector, place = np.asarray(sector, np.int16), np.asarray(place, np.int16)
        k = sector.size
        entrant_adj = self.entrant_wage_adj(sector)
        rows = np.arange(self.n, self.n + k)
        self.sector = np.concatenate([self.sector, sector])
        self.place = np.concatenate([self.place, place])
        self.key = np.concatenate([self.key, np.full(k, -1, np.int16)])
        self.premium = np.concatenate([self.premium, rng.normal(0, self.world.data.get("firms.wage_dispersion"), k)])
        self.wage_adj = np.concatenate([self.wage_adj, entrant_adj])
        self.headcount = np.concatenate([self.headcount, np.asarray(headcount, np.int64)])
        self.plan = np.concatenate([self.plan, np.asarray(target, float)])
        self.target = np.concatenate([self.target, np.asarray(target, float)])
        self.urban = self.world.sector_urban[self.sector].astype(bool)
        self.county = self.world.place_county[self.place]
        for name in ("posts", "filled", "queue", "contested", "unfilled_m"):
            setattr(self, name, np.concatenate([getattr(self, name), np.zeros(k, np.int64)]))
        self.alive = np.concatenate([self.alive, np.ones(k, bool)])
        self.born = np.concatenate([self.born, np.full(k, born, np.int64)])
        self.represents = np.concatenate([self.represents, np.ones(k, np.int64) if represents is None
                                          else np.asarray(represents, np.int64)])
        self.n += k
        return rows

    def entrant_wage_adj(self, sector: np.ndarray) -> np.ndarray:
        """A new firm's offers start at its sector's going rate: the incumbents' mean adjustment."""
        alive = self.alive & (self.headcount > 0)
        total = np.bincount(self.sector[alive], weights=self.wage_adj[alive] * self.headcount[alive],
                            minlength=self.world.sector_wage.size)
        heads = np.bincount(self.sector[alive], weights=self.headcount[alive], minlength=self.world.sector_wage.size)
        return (total / np.maximum(heads, 1))[sector]

    # -- closures and their replacements --------------------------------------------------------
    def closing(self, rng, step: int) -> np.ndarray:
        """Rows of the firms that close this month: the annual hazard of their age band times that of their
        size class (persons per real firm), as a monthly chance. Key enterprises do not close."""
        d, w = self.world.data, self.world
        age = (step - self.born) / 12
        bands = sorted(d.table("firm_exit_hazard").values(), key=lambda r: r["from_age"])
        annual = np.select([age >= r["from_age"] for r in reversed(bands)], [r["annual"] for r in reversed(bands)],
                           bands[0]["annual"])
        size = self.headcount * w.scale / self.represents
        classes = sorted(d.table("firm_exit_size").values(), key=lambda r: r["from_size"])
        mult = np.select([size >= r["from_size"] for r in reversed(classes)], [r["multiplier"] for r in reversed(classes)],
                         classes[0]["multiplier"])
        monthly = 1 - (1 - np.minimum(1.0, annual * mult)) ** (1 / 12)
        return np.flatnonzero(self.alive & (self.key < 0) & (rng.random(self.n) < monthly))

    def close(self, rows: np.ndarray) -> None:
        """Closed firms (their staff already released) keep their rows with no target and no posts."""
        self.alive[rows] = False
        self.plan[rows] = 0.0
        self.target[rows] = 0.0

    def urban_jobs(self, pop, rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each person (or each of `rows`) holds a job at an urban-sector firm."""
        idx = slice(None) if rows is None else rows
        return (pop.status[idx] == EMP_LOCAL) & self.urban[np.maximum(pop.firm[idx], 0)]

    def hire(self, firm: np.ndarray) -> None:
        np.add.at(self.headcount, firm, 1)

    def release(self, firm: np.ndarray) -> None:
        """Workers leave `firm` (one row each); the firm recruits again for as long as its plan stands."""
        np.subtract.at(self.headcount, firm, 1)


def build_firms(world, rng, pop) -> FirmPopulation:
    """Firms from the employed: key enterprises first, then each (sector, place) cell split by size."""
    d = world.data
    emp = np.flatnonzero(pop.status == EMP_LOCAL)
    pop.firm[emp] = -1
    sectors, places, keys = _key_enterprises(world, rng, pop, emp)
    emp = emp[pop.firm[emp] < 0]
    cell = pop.sector[emp].astype(np.int64) * world.n_places + pop.place[emp]
    order = np.argsort(cell, kind="stable")
    emp, cell = emp[order], cell[order]
    firm_of = np.empty(emp.size, np.int64)
    represents = [1] * len(sectors)
    min_agents = d.get("firms.min_agents_per_firm")
    sigma = d.get("firms.size_dispersion")
    for c in np.unique(cell):
        rows = np.flatnonzero(cell == c)
        rows = rows[rng.permutation(rows.size)]
        s, p = divmod(int(c), world.n_places)
        n_firms = max(1, round(rows.size / max(min_agents, world.sector_firm_size[s] / world.scale)))
        weights = rng.lognormal(0, sigma, n_firms)
        which = rng.choice(n_firms, size=rows.size, p=weights / weights.sum())
        firm_of[rows] = len(sectors) + which
        sectors += [s] * n_firms
        places += [p] * n_firms
        keys += [-1] * n_firms
        represents += [max(1, round(rows.size / n_firms * world.scale / world.sector_firm_size[s]))] * n_firms
    pop.firm[emp] = firm_of
    employed = np.flatnonzero(pop.status == EMP_LOCAL)
    headcount = np.bincount(pop.firm[employed], minlength=len(sectors))
    premium = rng.normal(0, d.get("firms.wage_dispersion"), len(sectors))
    born = -initial_ages_months(rng, len(sectors), d)
    firms = FirmPopulation(sectors, places, keys, premium, headcount, world, born, represents)
    pop.wage[employed] = firms.wage_offer(pop.firm[employed], pop.skill[employed], 0)
    return firms


def initial_ages_months(rng, n: int, d) -> np.ndarray:
    """Ages of the end-2020 firms, drawn from the steady state of the exit hazard by age (constant
    entry: the share of firms aged a is proportional to the chance of surviving to a), up to
    `firms.initial_age_max_years`."""
    years = np.arange(int(d.get("firms.initial_age_max_years")))
    bands = sorted(d.table("firm_exit_hazard").values(), key=lambda r: r["from_age"])
    annual = np.array([next(r["annual"] for r in reversed(bands) if a >= r["from_age"] or r is bands[0]) for a in years])
    survival = np.concatenate([[1.0], np.cumprod(1 - annual)[:-1]])
    age = rng.choice(years, size=n, p=survival / survival.sum())
    return (age * 12 + rng.integers(0, 12, n)).astype(np.int64)


def _key_enterprises(world, rng, pop, emp: np.ndarray) -> tuple[list, list, list]:
    """Each key enterprise hires its end-2020 workforce from its sector's employed, nearest first."""
    sectors, places, keys = [], [], []
    for i, r in enumerate(world.data.table("key_enterprises").values()):
        s, p = world.sector_index[r["sector"]], world.place_ids.index(r["place"])
        pool = emp[(pop.sector[emp] == s) & (pop.firm[emp] < 0)]
        k = min(pool.size, max(1, round(r["employment"] / world.scale)))
        distance = world.distance_km[p, pop.place[pool]] + rng.random(pool.size)
        pop.firm[pool[np.argsort(distance)[:k]]] = len(sectors)
        sectors.append(s)
        places.append(p)
        keys.append(i)
    return sectors, places, keys
