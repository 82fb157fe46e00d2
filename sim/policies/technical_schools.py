"""Technical-school expansion: the plan's project table ([003] 附件 重大项目表; 第二章第三节; 第七章第一节).

Mechanism: new places open on the projects' dates (高级技工学校二期 / technician college, 陆丰高级技工学校,
陆河新能源技工学校, 海丰技工学校), about 25,000 places by 2025. Each new campus is a school agent with
its place, capacity, opening month and share of 高级工 classes. Recruitment widens as places open:
a larger share of the cohort applies and young adults enrol in adult classes; schools admit the
nearest applicants. Enrolment then follows from applicants, not from the capacity figure.
"""

from __future__ import annotations

from ..agents.schools import TechnicalSchool
from ..calendar import parse_month
from .base import Charge, Policy, register


@register
class TechnicalSchools(Policy):
    name = "technical_schools"
    source = "[003] 附件 rows 1, 3-5; 第二章第三节; 第七章第一节"
    summary = "new campuses and schools on the project table's dates; wider recruitment"
    pays = (Charge("capital", "capital_outlay"), Charge("running_grant", "new_place_student_years"))

    def setup(self, model) -> None:
        w = model.world
        self.opening, self.school_rows = [], []
        for project, place, cap, month, adv in zip(self["projects"], self["places"], self["capacities"],
                                                   self["opening_months"], self["advanced_shares"], strict=False):
            opens = parse_month(f"policies.{self.name}", "opening_months", month).index
            self.opening.append((opens, cap))
            self.school_rows.append(len(w.schools))
            w.schools.append(TechnicalSchool(model, len(w.schools), project, w.place_ids.index(place), cap, 0.0, adv,
                                             opens=opens - w.start.index))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        total = sum(cap for _, cap in self.opening)
        share_open = sum(cap for opens, cap in self.opening if opens <= month_index) / total if total else 0.0
        world.levers.tech_applicant_share += self["applicant_share_add"] * share_open * x
        world.levers.tech_adult_rate += self["adult_enrolment_rate"] * share_open * x
