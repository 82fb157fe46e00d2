"""Linking the skill ladder and the professional-title ladder ([002] 二、(二)5, 二、(三)8; [004] 一、(四)四是,
二、三是; [003] 第六章第三节 ¶实施“乡村工匠”工程).

Mechanism: high-skilled workers (高级工 and above, `min_skill_level`) may apply for professional titles
(高技能人才参加职称评审; Guangdong links the two ladders in engineering). In the monthly title entry
(`sim.rules.titles`) employed workers without a title at that level or above get `entry_weight` on
top of their education's odds, so more of them become professional-technical talent.
"""

from __future__ import annotations

from .base import Policy, register


@register
class SkillTitleCrossing(Policy):
    name = "skill_title_crossing"
    source = "[002] 二、(二)5; [004] 一、(四); [003] 第六章第三节"
    summary = "high-skilled workers may enter the professional-title ladder"
    cost_note = "a change of title-evaluation rules; applicants pay no more than others and the plans give it no budget"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        world.levers.title_skill_weight += self["entry_weight"] * x
        world.levers.title_skill_level = int(self["min_skill_level"])
