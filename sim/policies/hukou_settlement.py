"""Hukou reform: easier settlement in towns ([000] 二、(二)9).

Mechanism: easier settlement for graduates and families makes coming back more attractive: a few
more Shanwei graduates return and Shanwei workers in Shenzhen return a little more often.
"""

from __future__ import annotations

from .base import Policy, register


@register
class HukouSettlement(Policy):
    name = "hukou_settlement"
    source = "[000] 二、(二)9"
    summary = "easier settlement: more graduates and migrants come back"
    cost_note = "a change of settlement rules ([000] 二、(二)9); the plans give it no budget"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        world.levers.college_return_add += self["return_add"] * x
        world.levers.outside_return_mult *= 1 + (self["outside_return_mult"] - 1) * x
