"""'农村电商' (Rural E-commerce) programme and '百园万站' stations ([003] 专栏2 row 21; 专栏10; [000] 二、(一)4).

Mechanism: 2,700 rural residents trained in e-commerce in 2021-25; parks and village stations raise
e-commerce labour demand a little.
"""

from __future__ import annotations

from .base import TrainingProgrammePolicy, per_month_of_plan, register


@register
class RuralEcommerce(TrainingProgrammePolicy):
    name = "rural_ecommerce"
    source = "[003] 专栏2 row 21; 专栏10; [000] 二、(一)4"
    summary = "e-commerce training for rural residents; more e-commerce demand"
    rural_only = True

    def seats_per_month(self) -> float:
        return per_month_of_plan(self["persons_2021_2025"])
