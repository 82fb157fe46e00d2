"""Shenzhen-Shanwei labour cooperation ([003] 第三章).

Mechanism: a shared labour-information platform gives mobile Shanwei seekers more contacts with
Shenzhen vacancies (`platform_contact_mult`) and shows Shanwei vacancies to Shanwei workers in
Shenzhen (a higher return rate); shared graduate information brings Shanwei graduates home and draws
Shenzhen graduates to Shanwei; Shenzhen training points in Shanwei add training seats; returnee
incubators let returnees start firms that post local vacancies; pension portability lowers the
cost of working in Shenzhen. The trade-off shows by itself: more Shanwei workers employed in
Shenzhen lower local unemployment but take skilled people out of the stocks the talent indicators
count (people living in Shenzhen are not in Shanwei's stocks).
"""

from __future__ import annotations

from .base import CERTIFICATE_SUBSIDY, Charge, Policy, SeatOffer, per_month, register


@register
class ShenzhenCooperation(Policy):
    name = "shenzhen_cooperation"
    source = "[003] 第三章 (第一节, 第二节, 第三节)"
    summary = "shared job platform both ways, graduates, training points, returnee start-ups, pension portability"
    pays = (Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY, who="shenzhen_training_points"),
            Charge("returnee_startup_grant", "event", "costs.entrepreneurship.startup_grant", who="returnee_startups"),
            Charge("returnee_hiring_subsidy", "event", "costs.entrepreneurship.hiring_subsidy",
                   who="returnee_startups_posts"),
            Charge("platform_running", "active_years"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        lv = world.levers
        lv.outside_contact_mult *= 1 + (self["platform_contact_mult"] - 1) * x
        lv.outside_return_mult *= 1 + (self["return_information_mult"] - 1) * x
        lv.outside_cost_mult *= 1 - (1 - self["moving_cost_mult"]) * x
        lv.college_return_add += self["graduate_return_add"] * x
        lv.graduate_inflow += per_month(self["shenzhen_graduates_per_year"]) * x
        lv.targeted_seats["shenzhen_training_points"] = SeatOffer(per_month(self["training_point_seats_per_year"]) * x)
        lv.returnee_startup_rate += self["returnee_startup_rate"] * x
        lv.startup_posts = max(lv.startup_posts, self["startup_posts"])
