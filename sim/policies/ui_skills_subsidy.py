"""The unemployment-insurance skills-upgrading subsidy ([003] 第五章第二节 ¶完善失业保险制度; measures.md G3).

Mechanism: "完善失业保险技能提升补贴政策 ... 推动失业保险从基本生活保障向职业技能提升扩展": insured employees
who earn a certificate are reimbursed from the UI fund, a purse apart from the employment fund's
training subsidy. In the model: part-time seats for employees (`persons_per_year`, about the take-up
of the insured), filled from the month's applicants as other seats are. Cost: the UI fund's schedule
per certificate by level.
"""

from __future__ import annotations

from .base import Charge, TrainingProgrammePolicy, per_month, register


@register
class UISkillsSubsidy(TrainingProgrammePolicy):
    name = "ui_skills_subsidy"
    source = "[003] 第五章第二节 ¶完善失业保险制度"
    summary = "UI fund pays insured employees' certificates: part-time upgrading seats"
    employed_only = True
    pays = (Charge("certificate_subsidy", "certificates"),)

    def seats_per_month(self) -> float:
        return per_month(self["persons_per_year"])
