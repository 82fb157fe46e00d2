"""Attracting high-skilled workers ([003] 第六章第二节 ¶大力引育高技能人才; 第六章第四节 ¶创新人才服务管理政策).

Mechanism: firms are encouraged to bring in the technicians and senior technicians (技师、高级技师)
their industries need, with a settling subsidy (探索建立高技能人才吸引政策). They arrive from outside as
jobseekers at level 技师 or 高级技师 (`sim.rules.programmes.inflows`, `skilled_recruited`) and look for
work like anyone else: the high-skilled stock rises by those who stay in Shanwei.
"""

from __future__ import annotations

from .base import Charge, Policy, per_month, register


@register
class HighSkillAttraction(Policy):
    name = "high_skill_attraction"
    source = "[003] 第六章第二节 ¶大力引育高技能人才; 第六章第四节 ¶创新人才服务管理政策"
    summary = "technicians and senior technicians recruited from outside arrive as jobseekers"
    pays = (Charge("settling_subsidy", "event", who="skilled_recruited"),)

    def apply(self, world, month_index: int) -> None:
        world.levers.skilled_inflow += per_month(self["recruited_per_year"]) * self.intensity(month_index)
