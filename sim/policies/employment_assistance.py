"""Employment assistance: public-welfare posts for the hard to employ ([000] 二、(二)12; [003] 第四章第三节).

Mechanism: the PES opens public-welfare posts at public-service employers in each county and places
people unemployed for six months or more in them (the posts are new: they take no vacancy from
others). Zero-employment households are among the long-term unemployed the PES reaches.
"""

from __future__ import annotations

from .base import Charge, Policy, per_month, register


@register
class EmploymentAssistance(Policy):
    name = "employment_assistance"
    source = "[000] 二、(二)12; [003] 第四章第三节 ¶帮扶困难人员就业"
    summary = "public-welfare posts for the long-term unemployed"
    pays = (Charge("post_subsidy", "welfare_post_wages", "costs.employment_assistance.post_subsidy_share"),
            Charge("social_insurance_subsidy", "welfare_post_months"))

    def apply(self, world, month_index: int) -> None:
        world.levers.welfare_posts += per_month(self["welfare_posts_per_year"]) * self.intensity(month_index)
