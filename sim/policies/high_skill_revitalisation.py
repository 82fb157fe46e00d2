"""Revitalising high-skilled talent: skill-master studios, high-skill training bases, chief technicians
([003] 第六章第二节 ¶大力引育高技能人才; 专栏13 item 1; 第七章第一节; measures.md G10).

Mechanism: national and city skill-master studios (技能大师工作室) and the public high-skill training
bases (城区, 海丰; 汕尾技师学院's national base) train employed workers at 中级工 and above toward the
next level (part-time seats for employees at `min_skill` or above: studios x mentees + the bases'
seats), and the "首席技师" programme pays chief technicians an allowance for leading them. Cost: the
studios' and bases' one-off grants when they open, the chief technicians' allowance, and the
certificate subsidy on what the seats certify.
"""

from __future__ import annotations

from .base import CERTIFICATE_SUBSIDY, Charge, TrainingProgrammePolicy, per_month, register


@register
class HighSkillRevitalisation(TrainingProgrammePolicy):
    name = "high_skill_revitalisation"
    source = "[003] 第六章第二节 ¶大力引育高技能人才; 专栏13 item 1; 第七章第一节"
    summary = "skill-master studios, training bases and chief technicians train workers at 中级工+ up a level"
    employed_only = True
    pays = (Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY),
            Charge("studio_grant", "at_start", who="studios"), Charge("base_grant", "at_start", who="training_bases"),
            Charge("chief_technician_allowance", "while_running", who="chief_technicians"))

    def seats_per_month(self) -> float:
        return per_month(self["studios"] * self["mentees_per_studio"] + self["base_seats_per_year"])
