"""'南粤家政' (South Guangdong Housekeeping) programme ([003] 专栏2 row 20; 专栏9; 第六章第三节).

Mechanism: 28,000 person-times of housekeeping training in 2021-25, open to jobseekers and
household-service workers; employee-based housekeeping firms and the industrial park raise
household-service labour demand a little.
"""

from __future__ import annotations

from .base import TrainingProgrammePolicy, per_month_of_plan, register


@register
class Housekeeping(TrainingProgrammePolicy):
    name = "housekeeping"
    source = "[003] 专栏2 row 20; 专栏9; [000] 二、(一)5"
    summary = "housekeeping training seats; more household-service demand"

    def seats_per_month(self) -> float:
        return per_month_of_plan(self["person_times_2021_2025"])
