"""'农村电商' (Rural E-commerce) programme and '百园万站' stations ([003] 专栏2 row 21; 专栏10; [000] 二、(一)4).

Mechanism: 2,700 rural residents trained in e-commerce in 2021-25; parks and village stations raise
e-commerce labour demand a little.
"""

from __future__ import annotations

import numpy as np

from .base import Policy, register


@register
class RuralEcommerce(Policy):
    name = "rural_ecommerce"
    source = "[003] 专栏2 row 21; 专栏10; [000] 二、(一)4"
    summary = "e-commerce training for rural residents; more e-commerce demand"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x:
            world.levers.targeted_seats[self.name] = (self["persons_2021_2025"] / 60 * x, ["ecommerce"], True)
            world.levers.sector_demand[world.sector_index["ecommerce"]] += np.log1p(self["demand_growth"]) / 12 * x
