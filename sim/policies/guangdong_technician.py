"""'广东技工' (Guangdong Technician) programme and the '善美工匠' brand ([003] 第六章第三节 ¶打造"善美工匠"品牌).

Mechanism: extra subsidised training seats in manufacturing trades, open to jobseekers and to
workers in those sectors; graduates who pass are certified one level up.
"""

from __future__ import annotations

from .base import TrainingProgrammePolicy, per_month, register


@register
class GuangdongTechnician(TrainingProgrammePolicy):
    name = "guangdong_technician"
    source = "[003] 第六章第三节 ¶打造“善美工匠”品牌; [000] 二、(四)18"
    summary = "training seats in manufacturing trades"

    def seats_per_month(self) -> float:
        return per_month(self["seats_per_year"])
