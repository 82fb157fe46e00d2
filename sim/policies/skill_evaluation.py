"""Skill evaluation by enterprises and 1+X certificates ([000] 二、(四)19; [003] 第六章第二节).

Mechanism: key enterprises (信利, 比亚迪) evaluate their own workers, so workplace assessment there
is more frequent (`key_enterprise_mult`); vocational schools issue 1+X certificates to a share of
their leavers; technical schools certify their own students (a higher pass probability). It
certifies skills people already have: no one is trained by it.
"""

from __future__ import annotations

from .base import Charge, Policy, register


@register
class SkillEvaluation(Policy):
    name = "skill_evaluation"
    source = "[000] 二、(四)19; [003] 第六章第二节 ¶完善技能人才评价激励机制"
    summary = "in-house evaluation at key enterprises, 1+X certificates, school self-certification"
    pays = (Charge("evaluation_subsidy", "event", who="certificates_key_enterprise"),)

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        world.levers.key_certification_mult *= 1 + (self["key_enterprise_mult"] - 1) * x
        world.levers.vocational_certificate_share += self["vocational_1x_share"] * x
        world.levers.school_pass_add += self["school_pass_add"] * x
