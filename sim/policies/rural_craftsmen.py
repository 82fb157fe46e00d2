"""'乡村工匠' (Rural Craftsman) programme ([003] 第六章第三节 ¶实施"乡村工匠"工程).

Mechanism: training seats for rural residents in building trades (3,000+ person-times by 2022,
continuing at that pace); graduates who pass are certified one level up.
"""

from __future__ import annotations

from .base import TrainingProgrammePolicy, per_month, register


@register
class RuralCraftsmen(TrainingProgrammePolicy):
    name = "rural_craftsmen"
    source = "[003] 第六章第三节 ¶实施“乡村工匠”工程"
    summary = "training seats for rural residents in building trades"
    rural_only = True

    def seats_per_month(self) -> float:
        return per_month(self["person_times_per_year"])
