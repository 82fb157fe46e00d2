"""The model's core rules written the plain Mesa way: one `mesa.Agent` per worker (a reference).

`benchmarks/compare_naive.py` times it against the project's vectorised model and
`tests/test_naive_reference.py` checks that both give the same unemployment path. Both run the same
*core rule set*, month by month in this order:

    firms revise their wage offers from last month's hiring, wages indexed (January) -> ageing,
    deaths, retirement -> full- and part-time subsidised courses
    progress (pass -> certified one level up) -> firms close and are replaced, firms plan demand -> quits at sector rates, then
    layoffs where headcount exceeds target -> subsidised training: who applies (take-up), enrolment from
    the applicants -> PES registration and
    lapse -> search (inactive search, on-the-job search with its own intensity and efficiency,
    discouragement), applications through the
    channels (informal contacts, the PES for the registered, the online market), screening (skill,
    age limit, suitability), ranking, the
    conflict rule of `sim.matching` over its offer rounds (ranking by months out of work; reservation wages with the minimum wage
    and the outside option), hires; each firm's posts, hires and queue recorded for wage setting

The project side is `CoreModel`: `LabourMarketModel` itself, with `phases` cut to those rules, so
the code timed is the project's own. Left out of both: policies (baseline levers only), cohort
entry, schools (students stay in school), workplace certification, titles, programmes and
Shenzhen (no offers, no returns; its wage still enters reservation wages as the outside option).
The firm side stays aggregate in both (`FirmPopulation`: demand, vacancies, the posted-wage rule
`adjust_offers`); the naive model's workers are agents with verbs (`separate`, `train`,
`register`, `search`, `apply`, `choose`, ...). Every parameter is read from the same city data file
(`world.data`); the end-2020 city is the one `LabourMarketModel` synthesises for the same seed, and
the firms' monthly demand shocks are the project model's draws for that seed (common random
numbers on the aggregate firm side). Every other draw comes from the model's own seeded numpy
Generator (`self.rng`), agent by agent; nothing uses the global random state.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.rules import demand, demography, matching, registration, separations, training, wages
from sim.rules.scaling import stochastic_round
from sim.agents.workers import EMP_LOCAL, EXITED, INACTIVE, PROGRAMME_COURSE, SCHOOL, UNEMP
from sim.matching import INFORMAL, ONLINE, PES
from sim.model import LabourMarketModel

WORKER_FIELDS = ("age_m", "female", "place", "urban", "edu", "skill", "status", "status_m", "sector", "firm", "wage",
                 "registered", "reg_m", "programme", "school_left", "target_skill", "course_left", "searching",
                 "service_left", "out_m", "reg_total", "recognised", "ui_left")


def progress_courses(model, rng) -> None:
    """Courses only: full-time course-takers count down and finish; other students stay in school."""
    pop = model.pop
    course = np.flatnonzero((pop.status == SCHOOL) & (pop.programme == PROGRAMME_COURSE))
    pop.school_left[course] -= 1
    training.finish_courses(model, rng, course[pop.school_left[course] <= 0])
    training.finish_part_time_courses(model, rng)


CORE_PHASES = (("wages", wages.set_wages), ("demography", demography.age_and_exit), ("schooling", progress_courses),
               ("demand", demand.plan_demand), ("separations", separations.separate), ("training", training.train),
               ("registration", registration.register_jobseekers), ("matching", matching.search_and_match_locally))


class CoreModel(LabourMarketModel):
    """The project's model running only the core rules (see the module docstring)."""

    phases = CORE_PHASES


class Worker(mesa.Agent):
    """One resident aged 16-64 (or a Shanwei worker in Shenzhen), with the same attributes as a row."""

    def __init__(self, model: "NaiveModel", values: dict):
        super().__init__(model)
        for name in WORKER_FIELDS:
            setattr(self, name, values[name].item())
        self.county = int(model.world.place_county[self.place])
        self.offers: list = []

    # -- bookkeeping ----------------------------------------------------------------------------
    def move(self, status: int) -> None:
        self.status, self.status_m = status, 0

    def leave_job(self) -> None:
        """Leave a job in the city; the firm recruits again up to its plan."""
        if self.status == EMP_LOCAL:
            self.model.firms.headcount[self.firm] -= 1
            self.firm = -1

    def exit_age_m(self) -> int:
        p = self.model.p
        urban_job = self.status == EMP_LOCAL and self.model.firms.urban[self.firm]
        if urban_job or self.urban:
            return p["retire_female_m"] if self.female else p["retire_male_m"]
        return p["rural_exit_m"]

    # -- the month ------------------------------------------------------------------------------
    def index_wage(self) -> None:
        if self.status == EMP_LOCAL:
            self.wage *= 1 + self.model.p["wage_growth"]

    def age(self) -> None:
        """A month older; dies (Gompertz) or retires at the exit age."""
        p, rng = self.model.p, self.model.rng
        self.age_m += 1
        self.status_m += 1
        self.out_m += self.status in (UNEMP, INACTIVE)
        q = min(1.0, p["mortality_at_40"] * math.exp(p["mortality_growth"] * (self.age_m / 12 - 40)))
        if rng.random() < 1 - (1 - q) ** (1 / 12) or self.age_m >= self.exit_age_m():
            self.leave_job()
            self.deregister()
            self.move(EXITED)
            self.remove()

    def study(self) -> None:
        """Full-time and part-time subsidised courses progress; those who finish may pass."""
        p, rng = self.model.p, self.model.rng
        if self.status == SCHOOL and self.programme == PROGRAMME_COURSE:
            self.school_left -= 1
            if self.school_left <= 0:
                if rng.random() < p["pass_rate"]:
                    self.skill = max(self.skill, self.target_skill)
                self.programme = 0
                self.move(UNEMP)
        if self.course_left > 0:
            self.course_left -= 1
            if self.course_left == 0 and rng.random() < p["pass_rate"]:
                self.skill = max(self.skill, self.target_skill)

    def separate(self) -> None:
        """Quit at the sector's rate, unless serving a committed term."""
        if self.status != EMP_LOCAL:
            return
        if self.service_left > 0:
            self.service_left -= 1
        elif self.model.rng.random() < self.model.p["separation"][self.sector]:
            self.end_job()

    def end_job(self, involuntary: bool = False) -> None:
        """Leave the job for unemployment or inactivity; an involuntary end of an insured urban job brings UI."""
        m = self.model
        if involuntary and self.status == EMP_LOCAL and m.firms.urban[self.firm] and m.rng.random() < m.p["ui_insured_share"]:
            self.ui_left = m.p["ui_months"]
        self.leave_job()
        self.move(INACTIVE if self.model.rng.random() < self.model.p["quit_to_inactive"] else UNEMP)

    def can_train(self, full_time: bool) -> bool:
        p = self.model.p
        if self.skill >= 5 or self.age_m >= p["training_max_age_m"]:
            return False
        if full_time:
            return self.status == UNEMP or (self.status == INACTIVE and self.searching)
        return self.status == EMP_LOCAL and self.course_left == 0

    def applies(self) -> bool:
        """Take-up (sim.rules.takeup): an eligible person considers a course (reach) and applies if it is
        worth it: the premium of one more level over the years left, the subsidy on passing, the fee
        and the time cost, with a logistic taste shock."""
        m, p = self.model, self.model.p
        employed = self.status == EMP_LOCAL
        wage = self.wage if self.wage > 0 else m.world.minimum_wage(m.t)
        level = min(self.skill + 1, len(p["subsidy"]))
        years = max(0.0, (self.exit_age_m() - self.age_m) / 12)
        annuity = (1 - (1 + p["discount"]) ** -years) / p["discount"] if p["discount"] else years
        gain = p["wage_step"] * wage / (1 + p["wage_step"] * self.skill)
        benefit = p["pass_rate"] * (gain * 12 * annuity + p["subsidy"][level - 1])
        cost = p["subsidy"][level - 1] * p["fee_markup"] + p["course_months"] * wage * (
            p["employed_time_cost"] if employed else p["jobseeker_time_cost"])
        reach = p["employee_reach"] if employed else p["jobseeker_reach"]
        return m.rng.random() < reach / (1 + math.exp(-(benefit - cost) / p["taste_scale"]))

    def train(self, full_time: bool) -> None:
        months = self.model.p["course_months"]
        if full_time:
            self.move(SCHOOL)
            self.deregister()
            self.programme, self.school_left = PROGRAMME_COURSE, months
        else:
            self.course_left = months
        self.target_skill = min(5, self.skill + 1)

    def register(self) -> None:
        """UI runs down while unemployed; the registered report (always if they draw UI or are certified hard
        to employ) or not; a registration lapses after `lapse_months` without contact or on leaving
        unemployment; the unemployed may register, the more the more it brings them (UI, assistance)."""
        p, rng = self.model.p, self.model.rng
        if self.status == UNEMP and self.ui_left > 0:
            self.ui_left -= 1
        if self.registered:
            reported = self.ui_left > 0 or self.recognised or rng.random() < p["contact_rate"]
            self.reg_m = 0 if reported else self.reg_m + 1
            self.reg_total += 1
            if self.reg_m >= p["lapse_months"] or self.status != UNEMP:
                self.deregister()
            elif self.reg_total == p["year_rule_months"]:
                self.apply_for_certification()
        if self.status == UNEMP and not self.registered:
            rate = p["pes_contact_urban"] if self.urban else p["pes_contact_rural"]
            motive = (1 + p["ui_gain"] * (self.ui_left > 0)) * (1 + p["assistance_gain"] * self.old_enough())
            if rng.random() < min(1.0, rate * self.model.world.levers.registration_mult[self.place] * motive):
                self.registered, self.reg_m, self.reg_total = True, 0, 0
                if self.old_enough():
                    self.apply_for_certification()

    def old_enough(self) -> bool:
        return self.age_m >= 12 * (self.model.p["hard_age_female"] if self.female else self.model.p["hard_age_male"])

    def apply_for_certification(self) -> None:
        if self.model.rng.random() < self.model.p["recognition"]:
            self.recognised = True

    def deregister(self) -> None:
        self.registered, self.recognised, self.reg_total = False, False, 0

    def decide_search(self) -> bool:
        """Inactive people and employees may search this month; long-term unemployed may give up."""
        p, rng = self.model.p, self.model.rng
        self.searching = False
        if self.status == INACTIVE and self.age_m < self.exit_age_m() - 24:
            self.searching = rng.random() < p["inactive_search"] * self.model.world.levers.inactive_search_mult[self.place]
        elif self.status == EMP_LOCAL and self.service_left == 0:
            self.searching = rng.random() < p["on_the_job_search"]
        elif self.status == UNEMP and self.status_m >= 6 and rng.random() < p["discouragement"]:
            self.deregister()
            self.move(INACTIVE)
        return self.status == UNEMP or self.searching

    def contact_rates(self) -> list[float]:
        """Applications a month by channel: informal contacts, the PES (registered, rationed), online."""
        p, m = self.model.p, self.model
        age_steps = max(0.0, (self.age_m / 12 - 35) / 10)
        use = min(1.0, p["online_use_young_college"] * p["online_use_decay"] ** (age_steps + 3 - self.edu)
                  + m.world.levers.online_use_add)
        pes = p["pes_rate"] * m.pes_ration[self.county] * m.world.levers.pes_rate_mult if self.registered else 0.0
        rates = [p["informal_applications"], pes, p["online_rate"] * use * m.world.levers.online_rate_mult]
        return [r * p["on_the_job_intensity"] for r in rates] if self.status == EMP_LOCAL else rates

    def reservation_wage(self) -> float:
        p = self.model.p
        if self.status == EMP_LOCAL:
            return self.wage * (1 + p["switch_premium"])
        searching_m = 0 if self.ui_left > 0 else self.status_m          # benefits hold it up while they last
        ratio = max(0.0, p["reservation_start"] - p["reservation_decay"] * searching_m)
        return max(self.model.min_wage, ratio * self.wage, self.outside_option())

    def outside_option(self) -> float:
        """A share of the net outside wage, scaled by mobility (by age) and the outside market's demand."""
        p, m = self.model.p, self.model
        age = self.age_m / 12
        if not p["mobile_ages"][0] <= age <= p["mobile_ages"][1]:
            return 0.0
        mobility = 0.5 ** (max(0.0, age - p["mobility_reference_age"]) / p["mobility_age_scale"])
        net = m.world.outside_wage(m.t, self.skill) * (1 - min(1.0, p["living_cost_share"]))
        return p["outside_option_weight"] * m.world.outside_demand(m.month) * mobility * net

    def search(self) -> None:
        """Send Poisson(rate) applications through each channel, each to a vacancy within the channel's reach."""
        m, rng = self.model, self.model.rng
        self.offers = []
        self.reservation = self.reservation_wage()
        for channel, rate in zip((INFORMAL, PES, ONLINE), self.contact_rates(), strict=True):
            if rate <= 0:
                continue
            for _ in range(min(int(rng.poisson(rate)), m.params["max_applications"])):
                scope = int(rng.choice(3, p=m.params["reach"][channel]))
                listed = m.listings[channel][scope].get((self.place, self.county, 0)[scope], ())
                if listed:
                    self.apply(listed[int(rng.random() * len(listed))], channel)

    def apply(self, vacancy: int, channel: int) -> None:
        """An application the firm can rank: skill requirement met, judged suitable after screening;
        fit = skill, duration, channel noise."""
        m = self.model
        efficiency = m.p["on_the_job_efficiency"] if self.status == EMP_LOCAL else 1.0
        if self.skill < m.vac.required[vacancy] or m.rng.random() >= min(1.0, m.params["suitability"] * efficiency):
            return
        if self.age_m > m.vac.max_age_m[vacancy]:       # the post's age limit
            return
        if m.vac.urban[vacancy] and self.age_m >= (m.p["retire_female_m"] if self.female else m.p["retire_male_m"]):
            return                                      # an urban unit's labour contract ends at the statutory age
        fit = (m.params["skill_weight"] * self.skill - m.params["duration_penalty"] * math.log1p(self.out_m)
               + m.params["screening_noise"][channel] * m.rng.standard_normal())
        m.applicants.setdefault(vacancy, []).append((fit, self, channel))

    def receive_offer(self, vacancy: int, channel: int) -> None:
        m = self.model
        firm = int(m.vac.firm[vacancy])
        commute = min(0.9, m.p["commute_cost_per_km"] * m.world.distance_km[self.place, m.vac.place[vacancy]])
        self.offers.append((m.wage_offer(firm, self.skill) * (1 - commute), firm, vacancy))

    def choose(self) -> None:
        """Take the best offer net of commuting, if it beats the reservation wage."""
        if not self.offers:
            return
        net, firm, vacancy = max(self.offers, key=lambda o: o[0])
        self.offers = []
        if net >= self.reservation:
            self.take_job(firm)
            self.model.filled.add(vacancy)
            self.model.placed.add(self.unique_id)

    def take_job(self, firm: int) -> None:
        m = self.model
        self.leave_job()
        self.firm, self.sector = firm, int(m.firms.sector[firm])
        self.wage = m.wage_offer(firm, self.skill)
        self.deregister()
        self.out_m, self.ui_left = 0, 0
        m.firms.headcount[firm] += 1
        m.hires += 1
        self.move(EMP_LOCAL)


class NaiveModel(mesa.Model):
    """One `Worker` agent per row of the same end-2020 city; firms aggregate; the core rules per agent."""

    def __init__(self, scenario, seed: int, data=None):
        super().__init__(rng=seed + 1_000_003)      # its own stream, not the project model's
        city = CoreModel(scenario, seed=seed, data=data)   # the same synthetic city, firms and calibration
        self.world, self.firms, self.scale, self.t = city.world, city.firms, city.world.scale, 0
        self.n_steps, self.params = city.n_steps, matching.matching_params(city.world.data)
        self.demand_rng = city.streams["demand"]   # firms' demand shocks: the project's draws (common random numbers)
        self.p = self._parameters(city)
        pop = city.pop
        alive = np.flatnonzero(pop.status != EXITED)
        columns = {name: getattr(pop, name)[alive] for name in WORKER_FIELDS}
        for i in range(alive.size):
            Worker(self, {name: col[i] for name, col in columns.items()})
        self.workers = self.agents_by_type[Worker]
        self.datacollector = mesa.DataCollector(model_reporters={
            "unemployed": lambda m: m.count(UNEMP), "employed": lambda m: m.count(EMP_LOCAL)})

    def _parameters(self, city) -> dict:
        d, w = self.world.data, self.world
        get = d.get
        return {
            "wage_growth": get("labour_market.wage_growth"),
            "retire_female_m": int(get("demography.retirement_age_female") * 12),
            "retire_male_m": int(get("demography.retirement_age_male") * 12),
            "rural_exit_m": int(get("demography.rural_exit_age") * 12),
            "mortality_at_40": get("demography.mortality_at_40"), "mortality_growth": get("demography.mortality_growth"),
            "pass_rate": get("training.pass_rate"), "course_months": get("training.course_months"),
            "subsidy": list(get("costs.training.certificate_subsidy")), "wage_step": get("firms.skill_wage_step"),
            "discount": get("training.takeup.discount_rate"), "fee_markup": get("training.takeup.course_fee_markup"),
            "taste_scale": get("training.takeup.taste_scale"), "employee_reach": get("training.takeup.employee_reach"),
            "jobseeker_reach": get("training.takeup.jobseeker_reach"),
            "employed_time_cost": get("training.takeup.employed_time_cost"),
            "jobseeker_time_cost": get("training.takeup.jobseeker_time_cost"),
            "unemployed_share": get("training.unemployed_share"),
            "training_max_age_m": get("allocation.training_max_age") * 12,
            "separation": list(w.sector_separation * get("firms.separation_scale")),
            "quit_to_inactive": get("matching.quit_to_inactive"),
            "lapse_months": get("registration.lapse_months"), "contact_rate": get("registration.contact_rate"),
            "year_rule_months": get("registration.hard_to_employ_months"),
            "recognition": get("registration.hard_to_employ_recognition"),
            "hard_age_female": get("registration.hard_to_employ_age_female"),
            "hard_age_male": get("registration.hard_to_employ_age_male"),
            "ui_gain": get("registration.ui_gain"), "assistance_gain": get("registration.assistance_gain"),
            "ui_months": get("registration.ui_months"), "ui_insured_share": city.calibrated["ui_insured_share"],
            "pes_contact_urban": city.calibrated["pes_contact_urban"], "pes_contact_rural": get("registration.pes_contact_rural"),
            "inactive_search": get("matching.inactive_search"), "on_the_job_search": get("matching.on_the_job_search"),
            "discouragement": get("matching.discouragement"),
            "informal_applications": get("matching.informal_applications"),
            "pes_rate": get("matching.pes_applications"), "pes_capacity": get("matching.pes_capacity_per_office"),
            "online_rate": get("matching.online_applications"),
            "online_use_young_college": get("matching.online_use_young_college"),
            "online_use_decay": get("matching.online_use_decay"),
            "reservation_start": get("matching.reservation_start"), "reservation_decay": get("matching.reservation_decay"),
            "switch_premium": get("matching.switch_premium"),
            "on_the_job_intensity": get("matching.on_the_job_intensity"),
            "on_the_job_efficiency": get("matching.on_the_job_efficiency"),
            "commute_cost_per_km": get("matching.commute_cost_per_km"),
            "skill_wage_step": get("firms.skill_wage_step"),
            "outside_option_weight": get("matching.outside_option_weight"), "mobile_ages": get("outside_market.age_range"),
            "mobility_reference_age": get("outside_market.mobility_reference_age"),
            "mobility_age_scale": get("outside_market.mobility_age_scale"),
            "living_cost_share": get("outside_market.living_cost_share"),
        }

    def count(self, status: int) -> int:
        return sum(1 for a in self.workers if a.status == status) * self.scale

    def wage_offer(self, firm: int, skill: int) -> float:
        w = self.world
        base = w.sector_wage[self.firms.sector[firm]] * math.exp(self.firms.premium[firm] + self.firms.wage_adj[firm])
        return max(base * (1 + self.p["skill_wage_step"] * skill) * w.wage_index(self.t), w.minimum_wage(self.t))

    # -- the month ------------------------------------------------------------------------------
    def step(self) -> None:
        self.month = self.world.month(self.t)
        if self.t > 0:
            self.firms.adjust_offers()          # from last month's posts, hires and queues (`record_hiring`)
        if self.month.month == 1 and self.t > 0:
            self.workers.do("index_wage")
        self.workers.do("age")
        self.workers.do("study")
        self.turn_over_firms()
        self.firms.plan_demand(self.demand_rng, self.month, self.t)
        self.workers.do("separate")
        self.lay_off()
        self.enrol_in_training()
        self.workers.do("register")
        self.match()
        self.datacollector.collect(self)
        self.t += 1

    def run(self, months: int | None = None) -> None:
        for _ in range(self.n_steps if months is None else months):
            self.step()

    def turn_over_firms(self) -> None:
        """Firms close (the aggregate firms' hazard, drawn from the shared firm-side stream); their
        staff end their jobs; a firm of the same sector and town replaces each with its target."""
        firms, rng = self.firms, self.demand_rng
        closed = firms.closing(rng, self.t)
        if closed.size == 0:
            return
        targets = firms.plan[closed].copy()
        staff = [a for a in self.workers if a.status == EMP_LOCAL and a.firm in set(closed.tolist())]
        rng.spawn(1)                      # the project's layoffs draw from a child stream: spawn it too (stays aligned)
        for worker in staff:
            worker.end_job(involuntary=True)
        firms.close(closed)
        firms.add_firms(firms.sector[closed], firms.place[closed], np.zeros(closed.size), targets, rng,
                        born=self.t, represents=firms.represents[closed])

    def lay_off(self) -> None:
        """Each firm over its limit lays off its excess, employees taken in a random order."""
        excess = self.firms.excess()
        employees = [a for a in self.workers if a.status == EMP_LOCAL]
        for i in self.rng.permutation(len(employees)):
            worker = employees[i]
            if excess[worker.firm] > 0:
                excess[worker.firm] -= 1
                worker.end_job(involuntary=True)

    def enrol_in_training(self) -> None:
        """Subsidised seats: eligible workers decide whether to apply (take-up); a share of the seats goes to
        jobseeking applicants (full time), the rest to employed ones (part time); seats nobody applied for
        stay empty."""
        seats = stochastic_round(self.rng, self.world.levers.training_seats / self.scale)
        applicants = {full: [a for a in self.workers if a.can_train(full) and a.applies()] for full in (True, False)}
        if seats <= 0:
            return
        k_full = int(self.rng.binomial(seats, self.p["unemployed_share"]))
        for full_time, k in ((True, k_full), (False, None)):
            pool = applicants[full_time]
            k = min(seats - k_full if k is None else k, len(pool))
            if full_time:
                k_full = k
            for i in self.rng.choice(len(pool), size=k, replace=False) if pool else ():
                pool[i].train(full_time)

    def match(self) -> None:
        """Vacancies posted (aggregate firms); seekers apply; in each offer round every open post offers
        to its best applicant not yet placed or asked, and each person takes the best offer in hand
        (the conflict rule of `sim.matching`, `offer_rounds` rounds a month)."""
        seekers = [a for a in self.workers if a.decide_search()]
        self.vac = self.firms.post_vacancies(self.rng, self.month, np.empty(0, int), 0.0)
        self.listings = self._listings()
        self.pes_ration = self._pes_ration(seekers)
        self.min_wage = self.world.minimum_wage(self.t)
        self.applicants: dict = {}
        self.filled, self.placed, asked = set(), set(), set()
        self.hires = 0
        for worker in seekers:
            worker.search()
        queues = {v: sorted(apps, key=lambda a: -a[0]) for v, apps in self.applicants.items()}
        for _ in range(self.params["offer_rounds"]):
            receivers = []
            for vacancy, queue in queues.items():
                pick = next((a for a in queue if a[1].unique_id not in self.placed
                             and (a[1].unique_id, vacancy) not in asked), None)
                if vacancy in self.filled or pick is None:
                    continue
                asked.add((pick[1].unique_id, vacancy))
                pick[1].receive_offer(vacancy, pick[2])
                receivers.append(pick[1])
            for worker in dict.fromkeys(receivers):
                worker.choose()
        filled = np.array(sorted(self.filled), dtype=np.int64)
        queue = np.array([len(self.applicants.get(v, ())) for v in range(len(self.vac))], dtype=float)
        self.firms.record_hiring(self.vac.firm, self.vac.firm[filled], queue)

    def _listings(self) -> dict:
        """channel -> scope (own place, own county, city) -> key -> vacancies listed there."""
        vac = self.vac
        listed_on = {INFORMAL: np.ones(len(vac), bool), PES: vac.on_pes, ONLINE: vac.online}
        out = {ch: ({}, {}, {}) for ch in listed_on}
        for v in range(len(vac)):
            keys = (int(vac.place[v]), int(vac.county[v]), 0)
            for ch, on in listed_on.items():
                if on[v]:
                    for scope in range(3):
                        out[ch][scope].setdefault(keys[scope], []).append(v)
        return out

    def _pes_ration(self, seekers: list) -> dict:
        """Each county's PES scales its referrals down when registered seekers' demand exceeds capacity."""
        registered = {}
        for a in seekers:
            if a.registered:
                registered[a.county] = registered.get(a.county, 0) + 1
        demand = {c: n * self.p["pes_rate"] * self.scale for c, n in registered.items()}
        return {c: min(1.0, self.p["pes_capacity"] / demand[c]) if demand.get(c, 0) > 0 else 1.0
                for c in range(len(self.world.county_names))}


def unemployment_rate(unemployed, employed) -> np.ndarray:
    """Unemployed / (unemployed + employed in Shanwei), percent (the core rules' unemployment path)."""
    u, e = np.asarray(unemployed, float), np.asarray(employed, float)
    return 100 * u / (u + e)


def project_path(model: LabourMarketModel) -> np.ndarray:
    return unemployment_rate([r["unemployed"] for r in model.monthly], [r["employed_local"] for r in model.monthly])


def naive_path(model: NaiveModel) -> np.ndarray:
    df = model.datacollector.get_model_vars_dataframe()
    return unemployment_rate(df["unemployed"], df["employed"])
