"""'粤菜师傅' (Cantonese Chef) programme ([003] 专栏2 row 19; 第六章第三节 ¶打造"吃在汕尾"品牌).

Mechanism: 12,000 person-times of chef training in 2021-25 (the text says 10,000+, inc05), open to
jobseekers and catering workers; the "吃在汕尾" brand raises catering labour demand a little.
"""

from __future__ import annotations

import numpy as np

from .base import Policy, register


@register
class CantoneseChef(Policy):
    name = "cantonese_chef"
    source = "[003] 专栏2 row 19; 第六章第三节; [000] 二、(二)7"
    summary = "chef training seats; more catering demand"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x:
            world.levers.targeted_seats[self.name] = (self["person_times_2021_2025"] / 60 * x, ["catering"], False)
            world.levers.sector_demand[world.sector_index["catering"]] += np.log1p(self["demand_growth"]) / 12 * x
