"""Training providers: technical schools (技工院校) and subsidised vocational training.

Technical schools are Mesa agents with a place, a capacity (student places), an intake each
July (when the cohort turning 16 enters), a programme length, dropout and pass rates, and the share of 高级工 classes. At end-2020
Shanwei has two, with 4,625 students ([003] 第一章第一节). Graduates are certified at the
programme's level if they pass, then enter the labour market as jobseekers.

Subsidised vocational training (职业技能培训, 51,000 person-times in 2016-2020, [003] 专栏2 row 16) is
a city-wide programme with a number of seats per month: unemployed and inactive people take
full-time courses (status "school"), employed workers take part-time upgrading courses; those who
pass are certified one level up. Seats are a lever policies can raise.
"""

from __future__ import annotations

import mesa
import numpy as np

from .workers import (EDU_SENIOR, EMP_LOCAL, HIGH_SKILL, INACTIVE, INTERMEDIATE_SKILL, PROGRAMME_COURSE, PROGRAMME_ORDER,
                      PROGRAMME_TECH, SCHOOL, TOP_SKILL, UNEMP)


class TechnicalSchool(mesa.Agent):
    def __init__(self, model, row: int, name: str, place: int, capacity: float, students: float,
                 advanced_share: float, opens: int = 0):
        super().__init__(model)
        self.row, self.name, self.place = row, name, place
        self.capacity, self.students, self.advanced_share, self.opens = capacity, students, advanced_share, opens

    def enrolled(self, pop) -> np.ndarray:
        """Students in regular and order-based classes (order classes share the school's places)."""
        rows = np.flatnonzero(pop.provider == self.row)     # few rows: test the rest on those only
        programme = pop.programme[rows]
        in_class = (pop.status[rows] == SCHOOL) & ((programme == PROGRAMME_TECH) | (programme == PROGRAMME_ORDER))
        return rows[in_class]

    def free_places(self, pop, step: int, enrolled: int | None = None) -> int:
        """Places left; `enrolled` (students now, if the caller keeps count) saves recounting them."""
        if step < self.opens:
            return 0
        enrolled = self.enrolled(pop).size if enrolled is None else enrolled
        return max(0, int(round(self.capacity / self.model.world.scale)) - enrolled)

    def enrol(self, rng, pop, applicants: np.ndarray, step: int, months: int) -> np.ndarray:
        """Admit the nearest applicants (random order within a km) up to free places; returns them."""
        k = min(self.free_places(pop, step), applicants.size)
        distance = self.model.world.distance_km[self.place, pop.place[applicants]] + rng.random(applicants.size)
        admitted = applicants[np.argsort(distance)[:k]]
        pop.move(admitted, SCHOOL, "school_entry")
        pop.programme[admitted] = PROGRAMME_TECH
        pop.provider[admitted] = self.row
        pop.school_left[admitted] = months
        pop.target_skill[admitted] = np.where(rng.random(k) < self.advanced_share, HIGH_SKILL, INTERMEDIATE_SKILL)
        pop.edu[admitted] = np.maximum(pop.edu[admitted], EDU_SENIOR)
        return admitted


class TrainingProgramme(mesa.Agent):
    """Subsidised vocational training: seats per month shared by jobseekers and employees."""

    def __init__(self, model, months: int, pass_rate: float, unemployed_share: float):
        super().__init__(model)
        self.months, self.pass_rate, self.unemployed_share = months, pass_rate, unemployed_share

    def candidates(self, pop) -> tuple[np.ndarray, np.ndarray]:
        """Rows that may take a seat: (jobseekers for full-time courses, employees for part-time ones),
        under the age limit and below the top skill level, ascending."""
        max_age = self.model.world.data.get("allocation.training_max_age")
        ok = (pop.skill < TOP_SKILL) & (pop.age_m < max_age * 12)
        seekers = np.flatnonzero(((pop.status == UNEMP) | ((pop.status == INACTIVE) & pop.searching)) & ok)
        workers = np.flatnonzero((pop.status == EMP_LOCAL) & (pop.course_left == 0) & ok)
        return seekers, workers

    @staticmethod
    def still_candidates(pop, candidates: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """`candidates` after an enrolment: those who took a seat are in school or on a course now."""
        seekers, workers = candidates
        return seekers[pop.status[seekers] != SCHOOL], workers[pop.course_left[workers] == 0]

    def enrol(self, rng, pop, seats: int, eligible: np.ndarray | None = None,
              candidates: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Fill `seats` from those `eligible` (all if None); returns (full-time jobseekers, part-time employees).

        `candidates` (from `candidates(pop)`, kept current with `still_candidates`) saves recomputing them."""
        if seats <= 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        k_u = int(rng.binomial(seats, self.unemployed_share))
        seekers, workers = self.candidates(pop) if candidates is None else candidates
        if eligible is not None:
            seekers, workers = seekers[eligible[seekers]], workers[eligible[workers]]
        full = rng.choice(seekers, size=min(k_u, seekers.size), replace=False) if seekers.size else seekers
        part = rng.choice(workers, size=min(seats - full.size, workers.size), replace=False) if workers.size else workers
        pop.move(full, SCHOOL, "training_entry")
        pop.registered[full] = False
        pop.programme[full] = PROGRAMME_COURSE
        pop.school_left[full] = self.months
        pop.course_left[part] = self.months
        for rows in (full, part):
            pop.target_skill[rows] = np.minimum(TOP_SKILL, pop.skill[rows] + 1)
        return full, part
