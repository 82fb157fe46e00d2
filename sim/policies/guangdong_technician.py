"""'广东技工' (Guangdong Technician) programme and the '善美工匠' brand ([003] 第六章第三节 ¶打造"善美工匠"品牌).

Mechanism: extra subsidised training seats in manufacturing trades, open to jobseekers and to
workers in those sectors; graduates who pass are certified one level up.
"""

from __future__ import annotations

from .base import Policy, per_month, register


@register
class GuangdongTechnician(Policy):
    name = "guangdong_technician"
    source = "[003] 第六章第三节 ¶打造“善美工匠”品牌; [000] 二、(四)18"
    summary = "training seats in manufacturing trades"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x:
            world.levers.targeted_seats[self.name] = (per_month(self["seats_per_year"]) * x, list(self["sectors"]), False)
