"""'南粤家政' (South Guangdong Housekeeping) programme ([003] 专栏2 row 20; 专栏9; 第六章第三节).

Mechanism: 28,000 person-times of housekeeping training in 2021-25, open to jobseekers and
household-service workers; employee-based housekeeping firms and the industrial park raise
household-service labour demand a little.
"""

from __future__ import annotations

import numpy as np

from .base import Policy, register


@register
class Housekeeping(Policy):
    name = "housekeeping"
    source = "[003] 专栏2 row 20; 专栏9; [000] 二、(一)5"
    summary = "housekeeping training seats; more household-service demand"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x:
            world.levers.targeted_seats[self.name] = (self["person_times_2021_2025"] / 60 * x, ["household_services"], False)
            world.levers.sector_demand[world.sector_index["household_services"]] += np.log1p(self["demand_growth"]) / 12 * x
