"""Workers: Shanwei's residents aged 16-64, as a vectorised population (structure of arrays).

One row stands for `scale` persons. Every person is in exactly one labour status each month
(DESIGN §3): in school or full-time training, employed in Shanwei, employed in Shenzhen,
unemployed, inactive, or exited (retired, died, or moved away for good). Rows are never deleted:
exits keep their row with status EXITED, so nobody is lost and nobody is counted twice.

All status changes go through `move`, which records the flow (reason, from, to). The model's
accounting identity - stock change = inflows - outflows, for every status, every month - is
checked against that record in the tests.

Skill levels follow the national ladder, stored ascending: 0 none, 1 初级工 (level 5), 2 中级工 (4),
3 高级工 (3), 4 技师 (2), 5 高级技师 (1). 高技能人才 are levels >= 3. Titles: 0 none, 1 初级,
2 中级, 3 高级 (专业技术人才 = title >= 1).
"""

from __future__ import annotations

import zlib
from collections import defaultdict

import numpy as np

SCHOOL, EMP_LOCAL, EMP_OUT, UNEMP, INACTIVE, EXITED = range(6)
NEW = 6  # pseudo-status "not yet in the population", the origin of entries
STATUS_NAMES = ("school", "employed_local", "employed_outside", "unemployed", "inactive", "exited")
N_STATUS = 6

# the national skill ladder, ascending (module docstring); 高技能人才 are HIGH_SKILL and above
NO_SKILL, BASIC_SKILL, INTERMEDIATE_SKILL, HIGH_SKILL, TECHNICIAN, TOP_SKILL = range(6)
NO_TITLE, JUNIOR_TITLE, INTERMEDIATE_TITLE, SENIOR_TITLE = range(4)
EDU_PRIMARY, EDU_JUNIOR, EDU_SENIOR, EDU_COLLEGE = range(4)
EDU_NAMES = ("primary", "junior", "senior", "college")
# what a person in school is doing; PROGRAMME_TECH and PROGRAMME_ORDER (order classes) count toward
# technical-school enrolment
PROGRAMME_NONE, PROGRAMME_GENERAL, PROGRAMME_TECH, PROGRAMME_COLLEGE, PROGRAMME_COURSE, PROGRAMME_ORDER = range(6)

FIELDS: dict[str, type] = {
    "age_m": np.int32,        # age in months
    "female": np.bool_,
    "place": np.int16,        # index into the city's places
    "urban": np.bool_,        # urban residence (城镇)
    "edu": np.int8,           # 0 primary .. 3 college (highest completed or being completed)
    "skill": np.int8,         # 0..5, see module docstring
    "title": np.int8,         # 0..3
    "title_m": np.int16,      # months holding the current title
    "status": np.int8,
    "status_m": np.int16,     # months in the current status
    "sector": np.int8,        # current or last sector, -1 never employed
    "firm": np.int32,         # employer row in FirmPopulation, -1 if none
    "wage": np.float32,       # current or last monthly wage, yuan
    "registered": np.bool_,   # on the public employment service's register
    "reg_m": np.int16,        # months since the registered person was last in touch with the PES
    "reg_total": np.int16,    # months on the register in the current registration
    "recognised": np.bool_,   # certified hard to employ (就业困难人员认定) while registered
    "ui_left": np.int16,      # months of unemployment-insurance entitlement left (0: none)
    "graduate": np.bool_,     # a college graduate (back home or attracted) not yet hired
    "programme": np.int8,     # what a person in school is doing (PROGRAMME_*)
    "school_left": np.int16,  # months left in the programme
    "target_skill": np.int8,  # skill level the programme certifies
    "provider": np.int16,     # school or training provider row, -1 if none
    "course_left": np.int16,  # months left in a part-time subsidised course (employed)
    "searching": np.bool_,    # inactive or employed person searching this month
    "entry_year": np.int16,   # last calendar year this person was counted as newly employed
    "reemployed_year": np.int16,  # last calendar year this person was counted as re-employed from the register
    "order_firm": np.int32,   # firm that ordered this person's training (订单式), -1 if none
    "service_left": np.int16, # months left of a service commitment (order training, grassroots post)
    "post_left": np.int16,    # months left in a time-limited post (public-welfare posts), 0 if none
    "out_m": np.int16,        # months out of work since the last job (0 while employed in the city)
    "funder": np.int16,       # programme paying for this person's current course or post (World.funder_names), -1 if none
    "pid": np.int64,          # who this is, the same in every run of the city (`WorkerPopulation.add`)
}
ID_BLOCK = 1 << 40            # pids of people who enter later: one block per reason of entry
ID_REASONS = 1 << 20          # blocks (reasons hashed into them)


class WorkerPopulation:
    """Structure of arrays; `n` rows are in use."""

    def __init__(self, columns: dict[str, np.ndarray], scale: int):
        n = len(columns["age_m"])
        self.scale = scale
        self.n = n
        for name, dtype in FIELDS.items():
            setattr(self, name, np.asarray(columns[name], dtype=dtype))
        self.pid = np.arange(n, dtype=np.int64)
        self.entered: dict[str, int] = defaultdict(int)     # entrants so far, by reason (their pids)
        self.flows: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((N_STATUS + 1, N_STATUS), np.int64))
        self.events: dict[str, int] = defaultdict(int)

    # -- bookkeeping -------------------------------------------------------------------------
    def move(self, idx: np.ndarray, to: int, reason: str) -> None:
        """Change the status of rows `idx` to `to`, recording the flow under `reason`."""
        idx = np.asarray(idx, dtype=np.int64)
        if idx.size == 0:
            return
        np.add.at(self.flows[reason], (self.status[idx], np.full(idx.size, to)), 1)
        self.status[idx] = to
        self.status_m[idx] = 0

    def add(self, columns: dict[str, np.ndarray], reason: str) -> np.ndarray:
        """Append new rows (entrants); returns their indices. An entrant's `pid` is its reason's block plus
        its place among that reason's entrants, so the k-th 16-year-old of a run is the same person in a
        run with a measure that brings graduates in between (sim.effects compares the two)."""
        return self.add_groups([(columns, reason)])[0]

    def add_groups(self, groups: list[tuple[dict[str, np.ndarray], str]]) -> list[np.ndarray]:
        """Append several groups of entrants, each with its reason, in one copy of the columns; returns
        each group's indices."""
        parts, out, start = [], [], self.n
        for columns, reason in groups:
            k = len(columns["age_m"])
            block = (zlib.crc32(reason.encode()) % ID_REASONS + 1) * ID_BLOCK
            parts.append({**columns, "pid": block + self.entered[reason] + np.arange(k, dtype=np.int64)})
            self.entered[reason] += k
            out.append(np.arange(start, start + k))
            start += k
        for name, dtype in FIELDS.items():
            setattr(self, name, np.concatenate([getattr(self, name)] + [np.asarray(p[name], dtype=dtype) for p in parts]))
        self.n = start
        for (_, reason), idx in zip(groups, out, strict=True):
            np.add.at(self.flows[reason], (np.full(idx.size, NEW), self.status[idx]), 1)
        return out

    def count_event(self, name: str, k: int) -> None:
        """Count non-status events (certificates, trainings, registrations) in agents."""
        self.events[name] += int(k)

    def reset_month(self) -> tuple[dict[str, np.ndarray], dict[str, int]]:
        flows, events = dict(self.flows), dict(self.events)
        self.flows.clear()
        self.events.clear()
        return flows, events

    def stocks(self) -> np.ndarray:
        return np.bincount(self.status, minlength=N_STATUS)

    # -- verbs -----------------------------------------------------------------------------------
    def certify(self, rows: np.ndarray, level: np.ndarray, route: str) -> None:
        """Issue certificates: a person's level becomes max(old, new); every pass is a certificate."""
        self.skill[rows] = np.maximum(self.skill[rows], level)
        self.count_event("certificates", rows.size)
        self.count_event("advanced_certificates", (level >= HIGH_SKILL).sum())
        self.count_event(f"certificates_{route}", rows.size)

    def separate(self, rows: np.ndarray) -> np.ndarray:
        """Rows in Shanwei jobs among `rows` leave their employer; returns the employers (one per leaver)."""
        emp = rows[self.status[rows] == EMP_LOCAL]
        employers = self.firm[emp]
        self.firm[emp] = -1
        return employers

    def employ(self, rows: np.ndarray, firm: np.ndarray, sector: np.ndarray, wage: np.ndarray) -> None:
        """`rows` take jobs at `firm`: off the register, no longer a graduate looking for a first job.

        The status change (and its flow: a move between jobs or a hire) is the caller's."""
        self.firm[rows] = firm
        self.sector[rows] = sector
        self.wage[rows] = wage
        self.post_left[rows] = 0
        self.out_m[rows] = 0
        self.ui_left[rows] = 0
        self.deregister(rows)
        self.registered[rows] = False
        self.graduate[rows] = False

    def deregister(self, rows: np.ndarray) -> None:
        """Registration cancelled (注销): the certification as hard to employ ends with it."""
        self.registered[rows] = False
        self.recognised[rows] = False
        self.reg_total[rows] = 0

    # -- helpers used by the model's rules -----------------------------------------------------
    def age_years(self) -> np.ndarray:
        return self.age_m / 12.0

    def in_shanwei(self) -> np.ndarray:
        """Persons counted in Shanwei's talent stocks: living here and not exited."""
        return (self.status != EMP_OUT) & (self.status != EXITED)
