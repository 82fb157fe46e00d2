"""The Shanwei labour-market model: one `step()` is one month.

Residents aged 16-64 (a vectorised population), firms by sector and place, HR service agencies and
training providers act each month in this order (`PHASES`, DESIGN §3):

    policies set the levers -> wages indexed (January) -> age, retire, die -> the cohort turning 16
    enters (July) -> schooling and courses -> firms plan demand -> quits and layoffs -> returns from
    Shenzhen -> subsidised training -> programmes the measures fund -> workplace certification
    -> titles -> registration at the PES -> search and matching -> record indicators

Every status change goes through `WorkerPopulation.move`, so each month's flows are on record and
the accounting identity can be checked. All randomness comes from the seeded numpy generator Mesa
keeps (`self.rng`): it builds the city, then spawns one child stream per phase, so a measure that
changes what one phase draws leaves the other phases' draws in place (common random numbers).
"""

from __future__ import annotations

import mesa
import numpy as np

from . import calibration, indicators, policies, programmes
from .agents.agencies import OnlineMarket, PublicEmploymentService, TownshipMarket
from .agents.firms import build_firms
from .agents.schools import TechnicalSchool, TrainingProgramme
from .agents.workers import (EMP_SW, EMP_SZ, EXITED, INACTIVE, PROGRAMME_COLLEGE, PROGRAMME_COURSE,
                             PROGRAMME_GENERAL, PROGRAMME_ORDER, PROGRAMME_TECH, SCHOOL, UNEMP)
from .matching import INFORMAL, N_CHANNELS, ONLINE, PES, PRIVATE, TOWNSHIP, Seekers, match
from .params import CityData, load_city
from .scenario import Scenario
from .synthesis import empty_columns, build_population, place_registered
from .world import World


PHASES = ("policies", "wages", "demography", "cohort", "schooling", "demand", "separations", "shenzhen_returns",
          "training", "programmes", "certification", "titles", "registration", "matching")
PHASE_METHODS = dict(zip(PHASES, (
    "apply_policies", "index_wages", "age_and_exit", "enter_cohort", "progress_schooling", "plan_demand", "separate",
    "return_from_shenzhen", "train", "run_programmes", "certify_at_work", "progress_titles", "register_jobseekers",
    "search_and_match")))


class LabourMarketModel(mesa.Model):
    phases: tuple[str, ...] = PHASES     # run in this order each month (a subclass may run a subset)

    def __init__(self, scenario: Scenario, seed: int | None = None, data: CityData | None = None):
        super().__init__(rng=scenario.seed if seed is None else seed)
        if data is None:
            data = load_city(scenario.city).with_overrides(scenario.assumptions, scenario.path)
        self.scenario = scenario
        self.world = World(data, scenario.scale, scenario.shocks, int(data.meta.get("base_year", 2020)))
        self.n_steps = scenario.end.index - self.world.start.index + 1
        self.t = 0
        self._build_institutions()
        self.pop = build_population(self.world, self.rng)
        self.firms = build_firms(self.world, self.rng, self.pop)
        urban_employed = ((self.pop.status == EMP_SW) & self.firms.urban[np.maximum(self.pop.firm, 0)]).sum()
        place_registered(self.world, self.rng, self.pop, int(urban_employed))
        self._calibrate()
        self.policies = policies.build(scenario.policies, data)
        for policy in self.policies:
            policy.setup(self)
        self.streams = dict(zip(PHASES, self.rng.spawn(len(PHASES))))
        self.prng = self.rng
        self.monthly: list[dict] = []
        open_posts = np.maximum(0.0, self.firms.target - self.firms.headcount).sum()
        self.initial = indicators.measure(self, flows={}, events={"vacancies": open_posts})

    # -- construction ----------------------------------------------------------------------------
    def _build_institutions(self) -> None:
        w, d = self.world, self.world.data
        for row, (sid, s) in enumerate(d.table("technical_schools").items()):
            w.schools.append(TechnicalSchool(self, row, s["name_zh"], w.place_ids.index(s["place"]),
                                             s["capacity"], s["students_2020"], s["advanced_share"]))
        scale_students = d.get("schools.students_2020_total") / max(1, sum(s.students for s in w.schools))
        for s in w.schools:          # the table splits the seed total; keep the total exact
            s.students *= scale_students
        for c, county in enumerate(w.county_names):
            seat = int(np.flatnonzero(w.place_county == c)[0])
            w.agencies.append(PublicEmploymentService(self, f"PES {county}", seat, [c], d.get("matching.pes_applications"),
                                                      capacity=d.get("matching.pes_capacity_per_office")))
        w.agencies.append(OnlineMarket(self, "汕尾在线人力资源市场", 0, d.get("matching.online_applications"),
                                       d.get("matching.online_use_young_college"), d.get("matching.online_use_decay")))
        self.training = TrainingProgramme(self, d.get("training.course_months"), d.get("training.pass_rate"),
                                          d.get("training.unemployed_share"))

    def _calibrate(self) -> None:
        self.calibrated = calibration.certification_hazards(self.world, self.pop)
        self.calibrated["title_entry_per_month"] = calibration.title_entry_hazard(self.world, self.pop, self.exit_age_m())
        self.calibrated["pes_contact_urban"] = calibration.pes_contact(self.world, self.pop)

    # -- the month ---------------------------------------------------------------------------------
    def step(self) -> None:
        """One month: each phase draws from its own random stream (common random numbers)."""
        self.month = self.world.month(self.t)
        for name in self.phases:
            self.prng = self.streams[name]
            getattr(self, PHASE_METHODS[name])()
        self.record()
        self.t += 1

    def run(self) -> None:
        for _ in range(self.n_steps):
            self.step()

    def index_wages(self) -> None:
        """Wages of people in jobs rise each January with nominal wage growth."""
        if self.month.month != 1 or self.t == 0:
            return
        employed = self.pop.status == EMP_SW
        self.pop.wage[employed] *= 1 + self.world.data.get("labour_market.wage_growth")

    def apply_policies(self) -> None:
        self.world.reset_levers()
        for policy in self.policies:
            policy.apply(self.world, self.month.index)

    # -- demography --------------------------------------------------------------------------------
    def exit_age_m(self) -> np.ndarray:
        """Age in months at which each person leaves: statutory age with an urban job or residence, else rural."""
        d, pop = self.world.data, self.pop
        female, male, rural = (np.int32(d.get(f"demography.{key}") * 12) for key in
                               ("retirement_age_female", "retirement_age_male", "rural_exit_age"))
        urban_job = (pop.status == EMP_SW) & self.firms.urban[np.maximum(pop.firm, 0)]
        return np.where(urban_job | pop.urban, np.where(pop.female, female, male), rural)

    def monthly_death_probability(self, age_m: np.ndarray) -> np.ndarray:
        """Gompertz mortality, as a monthly probability; looked up by age in months (a small table)."""
        d = self.world.data
        ages = np.arange(age_m.max(initial=0) + 1, dtype=np.int32)
        q = d.get("demography.mortality_at_40") * np.exp(d.get("demography.mortality_growth") * (ages / 12 - 40))
        return (1 - (1 - np.minimum(q, 1)) ** (1 / 12))[age_m]

    def age_and_exit(self) -> None:
        pop = self.pop
        alive = pop.status != EXITED
        pop.age_m += alive
        pop.status_m += alive
        dies = alive & (self.prng.random(pop.n) < self.monthly_death_probability(pop.age_m))
        retires = alive & ~dies & (pop.age_m >= self.exit_age_m())
        for mask, reason in ((dies, "death"), (retires, "retirement")):
            rows = np.flatnonzero(mask)
            self._count_attrition(rows)
            self._leave_job(rows)
            pop.registered[rows] = False
            pop.move(rows, EXITED, reason)

    def _count_attrition(self, rows: np.ndarray) -> None:
        emp = rows[self.pop.status[rows] == EMP_SW]
        self.pop.count_event("urban_attrition", self.firms.urban[self.pop.firm[emp]].sum())

    def _leave_job(self, rows: np.ndarray) -> None:
        emp = rows[(self.pop.status[rows] == EMP_SW)]
        self.firms.release(self.pop.firm[emp])
        self.pop.firm[emp] = -1

    def enter_cohort(self) -> None:
        """In July the cohort turning 16 enters: some to work, some to technical school, the rest to school."""
        if self.month.month != 7:
            return
        w, d, rng = self.world, self.world.data, self.prng
        band = d.table("age_bands")["a16_19"]
        persons = d.get("population.resident_2020") * d.get("population.working_age_share") * band["pop_share"] / 4
        persons *= (1 + d.get("population.cohort_growth")) ** (self.month.year - w.base_year)
        c = empty_columns(int(rng.poisson(persons / w.scale)))
        n = c["age_m"].size
        c["age_m"][:] = 16 * 12
        c["female"] = rng.random(n) < d.get("population.female_share")
        c["place"] = rng.choice(w.n_places, size=n, p=w.place_pop_share)
        c["urban"] = rng.random(n) < w.place_urban_share[c["place"]]
        path = rng.choice(4, size=n, p=self._cohort_paths())
        c["edu"] = np.where(path == 0, 1, np.where(path == 3, 3, 2))
        c["status"] = np.where(path == 0, UNEMP, SCHOOL)
        c["programme"] = np.where(path == 3, PROGRAMME_COLLEGE, np.where(path == 0, 0, PROGRAMME_GENERAL))
        c["school_left"] = np.where(path == 3, d.get("schooling.college_months"), d.get("schooling.senior_secondary_months"))
        rows = self.pop.add(c, "cohort_entry")
        self.admit_to_technical_schools(rows[path == 2])

    def _cohort_paths(self) -> np.ndarray:
        d = self.world.data
        leave, tech, college = (d.get("schooling.share_leave_at_16"),
                                d.get("schooling.share_technical_school") + self.world.levers.tech_applicant_share,
                                d.get("schooling.share_college"))
        general = max(0.0, 1 - leave - tech - college)
        p = np.array([leave, general, tech, college])
        return p / p.sum()

    def admit_to_technical_schools(self, cohort_applicants: np.ndarray) -> None:
        """Schools fill free places from the cohort's applicants and young jobseekers (near first)."""
        pop, rng = self.pop, self.prng
        young = np.flatnonzero((pop.status == UNEMP) & (pop.age_m < 20 * 12) & (pop.skill < 2))
        adults = np.flatnonzero(((pop.status == UNEMP) | ((pop.status == INACTIVE) & pop.searching))
                                & (pop.age_m >= 20 * 12) & (pop.age_m < 30 * 12) & (pop.skill < 3))
        young = np.concatenate([young, adults[rng.random(adults.size) < 12 * self.world.levers.tech_adult_rate]])
        applicants = np.concatenate([cohort_applicants, young])
        months = self.world.data.get("schools.programme_months")
        for school in self.world.schools:
            admitted = school.enrol(rng, pop, applicants, self.t, months)
            applicants = np.setdiff1d(applicants, admitted)
        rest = applicants[np.isin(applicants, cohort_applicants)]
        pop.programme[rest] = PROGRAMME_GENERAL   # no seat: general or vocational secondary instead

    # -- schooling and training --------------------------------------------------------------------
    def progress_schooling(self) -> None:
        pop, d, rng = self.pop, self.world.data, self.prng
        in_school = np.flatnonzero(pop.status == SCHOOL)
        tech = in_school[np.isin(pop.programme[in_school], (PROGRAMME_TECH, PROGRAMME_ORDER))]
        drop = tech[rng.random(tech.size) < d.get("schools.dropout_rate") / 12]
        pop.programme[drop] = 0
        pop.provider[drop] = -1
        pop.order_firm[drop] = -1
        pop.move(drop, UNEMP, "school_dropout")
        in_school = np.flatnonzero(pop.status == SCHOOL)
        pop.school_left[in_school] -= 1
        done = in_school[pop.school_left[in_school] <= 0]
        for programme, handler in ((PROGRAMME_GENERAL, self._leave_general), (PROGRAMME_TECH, self._graduate_tech),
                                   (PROGRAMME_ORDER, self._graduate_order),
                                   (PROGRAMME_COLLEGE, self._graduate_college), (PROGRAMME_COURSE, self._finish_course)):
            handler(done[pop.programme[done] == programme])
        self._finish_part_time_courses()

    def _leave_general(self, rows: np.ndarray) -> None:
        share = self.world.levers.vocational_certificate_share      # 1+X certificates in vocational schools
        if share > 0:
            certified = rows[self.prng.random(rows.size) < share]
            self.certify(certified, np.ones(certified.size, np.int8), "school")
        self.pop.programme[rows] = 0
        self.pop.move(rows, UNEMP, "school_leavers")

    def _graduate_tech(self, rows: np.ndarray) -> None:
        pop = self.pop
        p_pass = min(1.0, self.world.data.get("schools.pass_rate") + self.world.levers.school_pass_add)
        passed = rows[self.prng.random(rows.size) < p_pass]
        self.certify(passed, pop.target_skill[passed], "school")
        pop.programme[rows] = 0
        pop.provider[rows] = -1
        pop.move(rows, UNEMP, "technical_school_graduates")

    def _graduate_order(self, rows: np.ndarray) -> None:
        """Order-trained graduates who pass join the ordering firm under a service period."""
        pop, lv = self.pop, self.world.levers
        passed = rows[self.prng.random(rows.size) < self.world.data.get("schools.pass_rate")]
        self.certify(passed, pop.target_skill[passed], "school")
        pop.programme[rows], pop.provider[rows] = 0, -1
        failed = np.setdiff1d(rows, passed)
        pop.order_firm[failed] = -1
        pop.move(failed, UNEMP, "order_training_failed")
        firm = pop.order_firm[passed]
        self.firms.target[firm] = np.maximum(self.firms.target[firm], self.firms.headcount[firm] + 1)
        self.hire(passed, firm, np.full(passed.size, programmes.PLACEMENT))
        pop.service_left[passed] = lv.order_service_months
        pop.order_firm[passed] = -1

    def _graduate_college(self, rows: np.ndarray) -> None:
        pop = self.pop
        back = self.prng.random(rows.size) < min(1.0, self.world.data.get("schooling.college_return_share")
                                                 + self.world.levers.college_return_add)
        pop.programme[rows] = 0
        pop.graduate[rows[back]] = True
        pop.move(rows[back], UNEMP, "college_graduates")
        pop.move(rows[~back], EXITED, "graduates_stay_away")

    def _finish_course(self, rows: np.ndarray) -> None:
        pop = self.pop
        passed = rows[self.prng.random(rows.size) < self.training.pass_rate]
        self.certify(passed, pop.target_skill[passed], "training")
        pop.programme[rows] = 0
        pop.move(rows, UNEMP, "training_completed")

    def _finish_part_time_courses(self) -> None:
        pop = self.pop
        rows = np.flatnonzero(pop.course_left > 0)
        pop.course_left[rows] -= 1
        done = rows[pop.course_left[rows] == 0]
        passed = done[(pop.status[done] != EXITED) & (self.prng.random(done.size) < self.training.pass_rate)]
        self.certify(passed, pop.target_skill[passed], "training")

    def certify(self, rows: np.ndarray, level: np.ndarray, route: str) -> None:
        """Issue certificates: a person's level becomes max(old, new); every pass is a certificate."""
        pop = self.pop
        pop.skill[rows] = np.maximum(pop.skill[rows], level)
        pop.count_event("certificates", rows.size)
        pop.count_event("advanced_certificates", (level >= 3).sum())
        pop.count_event(f"certificates_{route}", rows.size)

    def train(self) -> None:
        """Subsidised training: general seats, seats aimed at 高级工 and above, and targeted programmes."""
        lv, pop, rng, k = self.world.levers, self.pop, self.prng, self.world.scale
        seats = programmes.stochastic_round(rng, lv.training_seats / k)
        advanced = int(rng.binomial(seats, min(1.0, lv.advanced_training_share))) if lv.advanced_training_share else 0
        groups = [(seats - advanced, None, 0), (advanced, (pop.skill >= 2) & (pop.skill < 5), 0)]
        for name, (per_month, sector, rural_only) in sorted(lv.targeted_seats.items()):
            mask = None
            if sector:
                in_sector = np.zeros(len(self.world.sector_ids) + 1, dtype=bool)   # last entry: sector -1
                in_sector[[self.world.sector_index[s] for s in sector]] = True
                mask = in_sector[pop.sector] | (pop.status != EMP_SW)
            if rural_only:
                mask = ~pop.urban if mask is None else mask & ~pop.urban
            groups.append((programmes.stochastic_round(rng, per_month / k), mask, name))
        candidates = self.training.candidates(pop)
        for n_seats, mask, name in groups:
            full, part = self.training.enrol(rng, pop, n_seats, mask, candidates)
            candidates = self.training.still_candidates(pop, candidates)
            # row 16 of 专栏2 (subsidised vocational training) is general training; the named
            # programmes (粤菜师傅, 南粤家政, 农村电商 ...) have their own rows and are counted apart
            pop.count_event(f"training_{name}" if name else "subsidised_training", full.size + part.size)

    def run_programmes(self) -> None:
        programmes.run_all(self, self.prng)

    def plan_demand(self) -> None:
        self.firms.plan_demand(self.prng, self.month, self.t)

    def certify_at_work(self) -> None:
        """Workplace skill assessment of the employed (hazards calibrated to the 2020 flows)."""
        pop, rng, cal = self.pop, self.prng, self.calibrated
        lv = self.world.levers
        at_key = (pop.firm >= 0) & (self.firms.key[np.maximum(pop.firm, 0)] >= 0)
        w = calibration.intensity_weight(self.world, pop) * lv.certification_mult * np.where(at_key, lv.key_certification_mult, 1.0)
        emp = pop.status == EMP_SW
        low = emp & (pop.skill < 2)
        high = emp & (pop.skill >= 2) & (pop.skill < 5)
        p = np.where(low, cal["certify_low_per_month"], np.where(high, cal["certify_high_per_month"], 0.0)) * w
        rows = np.flatnonzero(rng.random(pop.n) < p)
        self.certify(rows, pop.skill[rows] + 1, "workplace")

    def progress_titles(self) -> None:
        """Entry into professional-technical titles (calibrated) and promotion after years in post."""
        pop, d, rng, lv = self.pop, self.world.data, self.prng, self.world.levers
        holders = pop.title >= 1
        pop.title_m[holders] += 1
        weight = calibration.title_eligibility(self.world, pop, lv.title_private_weight)
        new = np.flatnonzero(rng.random(pop.n) < weight * self.calibrated["title_entry_per_month"] * lv.title_entry_mult)
        pop.title[new], pop.title_m[new] = 1, 0
        years, rates = d.get("titles.promotion_years"), d.get("titles.promotion_rate")
        for level in (1, 2):
            months = max(0.0, years[level - 1] - lv.title_years_cut) * 12
            eligible = (pop.title == level) & (pop.title_m >= months) & pop.in_shanwei()
            up = np.flatnonzero(eligible & (rng.random(pop.n) < rates[level - 1] * lv.title_promotion_mult / 12))
            pop.title[up], pop.title_m[up] = level + 1, 0
        pop.count_event("new_professional_technical", new.size)

    # -- separations and Shenzhen -----------------------------------------------------------------
    def separate(self) -> None:
        """Quits and ordinary turnover at sector rates, then layoffs where headcount exceeds target."""
        pop, rng, d = self.pop, self.prng, self.world.data
        emp = np.flatnonzero(pop.status == EMP_SW)
        committed = pop.service_left[emp] > 0          # order-trained and grassroots workers serve their term
        pop.service_left[emp[committed]] -= 1
        rate = self.world.sector_separation[pop.sector[emp]] * d.get("firms.separation_scale") * ~committed
        quits = emp[rng.random(emp.size) < rate]
        self._end_jobs(quits, "quits")
        self._end_jobs(self._layoffs(rng), "layoffs")

    def _layoffs(self, rng) -> np.ndarray:
        """Rows laid off: at each firm over its limit, its `excess` employees first in a random order."""
        pop, excess = self.pop, self.firms.excess()
        emp = np.flatnonzero(pop.status == EMP_SW)
        shedding = excess[pop.firm[emp]] > 0           # only firms that shed staff need ranking
        order = rng.permutation(emp.size)
        emp = emp[order[shedding[order]]]              # the random order, restricted to those firms
        emp = emp[np.argsort(pop.firm[emp], kind="stable")]
        firm = pop.firm[emp]
        rank = np.arange(emp.size) - np.searchsorted(firm, firm, side="left")
        return emp[rank < excess[firm]]

    def _end_jobs(self, rows: np.ndarray, reason: str) -> None:
        pop = self.pop
        self._leave_job(rows)
        inactive = self.prng.random(rows.size) < self.world.data.get("matching.quit_to_inactive")
        pop.move(rows[inactive], INACTIVE, reason)
        pop.move(rows[~inactive], UNEMP, reason)

    def return_from_shenzhen(self) -> None:
        pop, d = self.pop, self.world.data
        sz = np.flatnonzero(pop.status == EMP_SZ)
        demand = self.world.shenzhen_demand(self.month)
        rate = d.get("shenzhen.return_rate") * (1 + max(0.0, 1 - demand)) * self.world.levers.shenzhen_return_mult
        back = sz[self.prng.random(sz.size) < rate]          # downturns push people home
        pop.move(back, UNEMP, "returns_from_shenzhen")
        programmes.startups(self, self.prng, back, self.world.levers.returnee_startup_rate, "returnee_startups")

    # -- registration and matching ----------------------------------------------------------------
    def register_jobseekers(self) -> None:
        pop, d = self.pop, self.world.data
        reg = np.flatnonzero(pop.registered)
        pop.reg_m[reg] += 1
        lapsed = reg[(pop.reg_m[reg] >= d.get("registration.lapse_months")) | (pop.status[reg] != UNEMP)]
        pop.registered[lapsed] = False
        for agency in self.world.agencies:
            if isinstance(agency, PublicEmploymentService) and agency.is_open(self.t):
                new = agency.register(self.prng, pop, self.calibrated["pes_contact_urban"],
                                      d.get("registration.pes_contact_rural"), self.world.levers.registration_mult)
                pop.count_event("registrations", new.size)

    def seekers(self) -> np.ndarray:
        pop, d, rng = self.pop, self.world.data, self.prng
        pop.searching[:] = False
        inactive = np.flatnonzero((pop.status == INACTIVE) & (pop.age_m < self.exit_age_m() - 24))
        p_search = d.get("matching.inactive_search") * self.world.levers.inactive_search_mult[pop.place[inactive]]
        pop.searching[inactive[rng.random(inactive.size) < p_search]] = True
        emp = np.flatnonzero((pop.status == EMP_SW) & (pop.service_left == 0))
        pop.searching[emp[rng.random(emp.size) < d.get("matching.on_the_job_search")]] = True
        unemp = pop.status == UNEMP
        discouraged = np.flatnonzero(unemp & (pop.status_m >= 6) & (rng.random(pop.n) < d.get("matching.discouragement")))
        pop.registered[discouraged] = False
        pop.move(discouraged, INACTIVE, "discouraged")
        return np.flatnonzero((pop.status == UNEMP) | pop.searching)

    def _seeker_arrays(self, rows: np.ndarray) -> Seekers:
        pop, d, w = self.pop, self.world.data, self.world
        county = w.place_county[pop.place[rows]]
        rates = np.zeros((rows.size, N_CHANNELS))
        rates[:, INFORMAL] = d.get("matching.informal_applications")
        for agency in w.agencies:
            rates[:, agency.channel] += agency.contact_rates(pop, rows, self.t)
        rates[:, PES] *= w.levers.pes_rate_mult
        min_wage = d.get("labour_market.minimum_wage_2020") * w.wage_index(self.t)
        ratio = np.maximum(0.0, d.get("matching.reservation_start") - d.get("matching.reservation_decay") * pop.status_m[rows])
        reservation = np.maximum(min_wage, ratio * pop.wage[rows])
        employed = pop.status[rows] == EMP_SW
        reservation[employed] = pop.wage[rows][employed] * (1 + d.get("matching.switch_premium"))
        months_unemp = np.where(pop.status[rows] == UNEMP, pop.status_m[rows], 0)
        return Seekers(rows, pop.place[rows], county, pop.skill[rows], months_unemp, reservation, rates)

    def search_and_match(self) -> None:
        pop, d, w = self.pop, self.world.data, self.world
        rows = self.seekers()
        markets = [a for a in w.agencies if isinstance(a, TownshipMarket) and a.is_open(self.t)]
        township_places = np.unique(np.concatenate([a.places for a in markets])) if markets else np.empty(0, int)
        vac = self.firms.post_vacancies(self.prng, self.month, township_places, w.levers.private_vacancy_share)
        seekers = self._seeker_arrays(rows)
        commute = d.get("matching.commute_cost_per_km")

        def net_wage(s, v):
            gross = self.firms.wage_offer(vac.firm[v], seekers.skill[s], self.t)
            return gross * (1 - np.minimum(0.9, commute * w.distance_km[seekers.place[s], vac.place[v]]))

        m = match(self.prng, seekers, vac, net_wage, self.matching_params())
        sz_rows, sz_net = self.shenzhen_offers(seekers)
        local_best = np.full(rows.size, -np.inf)
        local_best[m.seeker] = m.net_wage
        to_sz = sz_rows[(sz_net > local_best[sz_rows]) & (sz_net >= seekers.reservation[sz_rows])]
        keep = ~np.isin(m.seeker, to_sz)
        self.hire(rows[m.seeker[keep]], vac.firm[m.vacancy[keep]], m.channel[keep])
        self.move_to_shenzhen(rows[to_sz])
        pop.count_event("vacancies", len(vac))
        pop.count_event("applications", m.applications)
        pop.count_event("seekers", rows.size)

    def matching_params(self) -> dict:
        """Parameters of `sim.matching.match`: each channel's reach (own place, own county, city), ranking."""
        d = self.world.data
        return {"reach": {INFORMAL: d.get("matching.informal_reach_own_place"), PES: [0.0, 1.0, 0.0],
                          ONLINE: [0.0, 0.0, 1.0], TOWNSHIP: [0.5, 0.5, 0.0], PRIVATE: [0.0, 0.0, 1.0]},
                "max_applications": d.get("matching.max_applications"),
                "offer_rounds": int(d.get("matching.offer_rounds")),
                "suitability": d.get("matching.suitability"),
                "screening_noise": d.get("matching.screening_noise"), "skill_weight": d.get("matching.skill_weight"),
                "duration_penalty": d.get("matching.duration_penalty")}

    def shenzhen_offers(self, seekers: Seekers) -> tuple[np.ndarray, np.ndarray]:
        """Positions (in `seekers`) holding a Shenzhen offer, and that offer's net value."""
        pop, d, w = self.pop, self.world.data, self.world
        rows = seekers.row
        age = pop.age_m[rows] / 12
        lo, hi = d.get("shenzhen.age_range")
        mobile = (age >= lo) & (age <= hi)
        propensity = 0.5 ** (np.maximum(0, age - 25) / d.get("shenzhen.mobility_age_scale"))
        rate = d.get("shenzhen.applications") * propensity * w.shenzhen_demand(self.month) * w.levers.shenzhen_contact_mult
        contacts = self.prng.poisson(rate * mobile)
        p_offer = np.minimum(1.0, d.get("shenzhen.offer_probability") * (1 + d.get("shenzhen.skill_offer_gain") * seekers.skill))
        offered = np.flatnonzero(self.prng.random(rows.size) < 1 - (1 - p_offer) ** contacts)
        mean_wage = (w.sector_wage * w.sector_emp_share).sum()
        gross = mean_wage * (1 + d.get("firms.skill_wage_step") * seekers.skill[offered]) * w.wage_index(self.t)
        cost = min(1.0, d.get("shenzhen.living_cost_share") * w.levers.shenzhen_cost_mult)
        return offered, gross * (1 + d.get("shenzhen.wage_premium")) * (1 - cost)

    def hire(self, rows: np.ndarray, firm: np.ndarray, channel: np.ndarray) -> None:
        pop = self.pop
        was_employed = pop.status[rows] == EMP_SW
        self._leave_job(rows[was_employed])
        entrants = ~was_employed
        self._count_reemployment(rows)
        first_this_year = entrants & (pop.entry_year[rows] != self.month.year)
        pop.count_event("urban_entries", (first_this_year & self.firms.urban[firm]).sum())
        pop.entry_year[rows[entrants]] = self.month.year
        pop.count_event("hires", rows.size)
        for ch in range(N_CHANNELS):
            pop.count_event(f"hires_channel_{ch}", (channel == ch).sum())
        pop.firm[rows] = firm
        pop.sector[rows] = self.firms.sector[firm]
        pop.wage[rows] = self.firms.wage_offer(firm, pop.skill[rows], self.t)
        pop.registered[rows] = False
        pop.graduate[rows] = False
        self.firms.hire(firm)
        pop.move(rows[was_employed], EMP_SW, "job_to_job")
        pop.move(rows[entrants], EMP_SW, "hires")

    def _count_reemployment(self, rows: np.ndarray) -> None:
        """Registered urban unemployed taking a job, and those of them who are hard to employ."""
        pop, d = self.pop, self.world.data
        reg = rows[(pop.status[rows] == UNEMP) & pop.registered[rows] & pop.urban[rows]]
        age_limit = np.where(pop.female[reg], d.get("registration.hard_to_employ_age_female"),
                             d.get("registration.hard_to_employ_age_male")) * 12
        hard = (pop.age_m[reg] >= age_limit) | (pop.status_m[reg] >= d.get("registration.hard_to_employ_months"))
        pop.count_event("reemployed_registered", reg.size)
        pop.count_event("reemployed_hard_to_employ", hard.sum())

    def move_to_shenzhen(self, rows: np.ndarray) -> None:
        pop = self.pop
        self._leave_job(rows)
        pop.registered[rows] = False
        pop.sector[rows] = -1
        pop.move(rows, EMP_SZ, "moves_to_shenzhen")

    # -- recording ---------------------------------------------------------------------------------
    def record(self) -> None:
        flows, events = self.pop.reset_month()
        row = indicators.measure(self, flows, events)
        row["month"] = str(self.month)
        self.monthly.append(row)
        self.last_flows, self.last_events = flows, events
