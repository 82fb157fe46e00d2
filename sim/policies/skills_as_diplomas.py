"""Skill levels treated as equal to diplomas ([003] 第七章第三节 ¶改革完善技工教育政策体系).

Mechanism: holders of 中级工, 高级工 and 技师 certificates (technical-school graduates included) count as
holding 中专, 大专 and 本科 diplomas in recruitment, grading, title evaluation and pay. Two channels
the model has: (1) title evaluation weighs the diploma a person's skill level counts as
(`equivalent_education`, by level), applied by a share `recognition_share` of evaluations
(`sim.calibration.education_weight`); (2) a technical-school place is worth more, so a larger share
of the cohort applies (`applicant_share_add`; it fills places only where schools have room, as
when the technical_schools measure opens new ones). The model has no diploma requirement in hiring
or pay, so the recruitment and pay side is not modelled.
"""

from __future__ import annotations

from .base import Policy, register


@register
class SkillsAsDiplomas(Policy):
    name = "skills_as_diplomas"
    source = "[003] 第七章第三节 ¶改革完善技工教育政策体系"
    summary = "skill levels count as diplomas in title evaluation; more young people apply to technical schools"
    cost_note = "a rule of equivalence; the plans give it no budget"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        lv = world.levers
        lv.skill_diploma_education = tuple(int(e) for e in self["equivalent_education"])
        lv.skill_diploma_weight = max(lv.skill_diploma_weight, self["recognition_share"] * x)
        lv.tech_applicant_share += self["applicant_share_add"] * x
