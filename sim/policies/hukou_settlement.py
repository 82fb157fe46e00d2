"""Hukou reform: easier settlement in towns ([000] 二、(二)9).

Mechanism: migrants who work at urban units and pay social insurance may take local hukou: rural
residents with such a job settle in the towns at `settle_rate` a month after `settle_after_months`
(sim/rules/settlement.py), and count as urban from then on (the registered rate's population). Easier
settlement for graduates and families also makes coming back more attractive: a few more Shanwei
graduates return and Shanwei workers in Shenzhen return a little more often.
"""

from __future__ import annotations

from .base import Policy, register


@register
class HukouSettlement(Policy):
    name = "hukou_settlement"
    source = "[000] 二、(二)9"
    summary = "rural residents with urban jobs settle in the towns; more graduates and migrants come back"
    cost_note = "a change of settlement rules ([000] 二、(二)9); the plans give it no budget"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        world.levers.college_return_add += self["return_add"] * x
        world.levers.outside_return_mult *= 1 + (self["outside_return_mult"] - 1) * x
        world.levers.settlement_rate += self["settle_rate"] * x
        world.levers.settlement_min_months = int(self["settle_after_months"])
