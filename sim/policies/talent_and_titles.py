"""Professional-title reform and talent introduction ([000] 二、(三)13-16; [003] 第六章第四节).

Mechanism: seniority requirements for the next title are cut by a year for people who have worked
in Shanwei continuously for four years or more (在我市连续工作4年以上; their current job spell);
evaluation is eased (more promotions among the eligible) and opened to staff of private firms (wider
entry into professional-technical titles); professionals are recruited from outside (they arrive
with junior or intermediate titles and look for work).
"""

from __future__ import annotations

from .base import Charge, Policy, per_month, register


@register
class TalentAndTitles(Policy):
    name = "talent_and_titles"
    source = "[000] 二、(三)13-16; [003] 第六章第四节"
    summary = "shorter seniority, easier promotion, titles for private-firm staff, recruited professionals"
    pays = (Charge("housing_subsidy", "event", who="talent_recruited"),)
    cost_note = "the title rules themselves cost nothing; the recruited professionals' housing does"

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        lv = world.levers
        lv.title_years_cut = max(lv.title_years_cut, self["seniority_cut_years"])
        lv.title_cut_service_months = int(self["service_years"] * 12)
        lv.title_promotion_mult *= 1 + (self["promotion_mult"] - 1) * x
        lv.title_entry_mult *= 1 + (self["entry_mult"] - 1) * x
        lv.title_private_weight += self["private_weight"] * x
        lv.talent_inflow += per_month(self["recruited_per_year"]) * x
