"""Entrepreneurship support and incubation bases ([003] 第二章第三节; 第四章第二节; [000] 二、(二)8).

Mechanism: of the 10,000+ people supported into entrepreneurship in 2021-25, a share start new
firms: unemployed people become founders of firms that post a few vacancies (创业带动就业). The
five incubation bases open over the ramp.
"""

from __future__ import annotations

from .base import Charge, Policy, per_month_of_plan, register


@register
class Entrepreneurship(Policy):
    name = "entrepreneurship"
    source = "[003] 第二章第三节; 第四章第二节; [000] 二、(二)8"
    summary = "unemployed people start firms that post vacancies"
    pays = (Charge("startup_grant", "event", who="startups"), Charge("rent_subsidy", "event", who="startups"),
            Charge("hiring_subsidy", "event", who="startups_posts"), Charge("loan_interest_subsidy", "event", who="startups"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        world.levers.startups_per_month += per_month_of_plan(self["supported_2021_2025"]) * self["new_firm_share"] * x
        world.levers.startup_posts = max(world.levers.startup_posts, self["startup_posts"])
