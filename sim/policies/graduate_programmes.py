"""Graduate programmes: attraction (2.4万 by 2022) and grassroots posts (三支一扶)
([000] 一、(二), 二、(二)10-11; [003] 第四章第三节 ¶促进高校毕业生就业创业).

Mechanism: more Shanwei graduates come back (`return_add`); graduates from elsewhere arrive as
jobseekers (the non-local share of the 24,000 to be attracted in 2021-22, continuing at that pace);
about 100 graduates a year take two-year posts at rural public-service employers.
"""

from __future__ import annotations

from .base import Charge, Policy, per_month, register


@register
class GraduateProgrammes(Policy):
    name = "graduate_programmes"
    source = "[000] 一、(二), 二、(二)10-11"
    summary = "graduates come back or are attracted; 三支一扶 grassroots posts"
    pays = (Charge("grassroots_stipend", "grassroots_post_months"),
            Charge("graduate_subsidy", "event", who="graduates_attracted"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        lv = world.levers
        lv.college_return_add += self["return_add"] * x
        lv.graduate_inflow += self["attracted_by_2022"] * self["nonlocal_share"] / 24 * x
        lv.grassroots_posts += per_month(self["grassroots_per_year"]) * x
        lv.grassroots_months = int(self["grassroots_years"] * 12)
