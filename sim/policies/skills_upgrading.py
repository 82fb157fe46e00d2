"""Subsidised skills upgrading ([003] 第六章第二节 ¶开展大规模职业技能培训; 专栏2 row 16).

Mechanism: subsidised training rises from 51,000 person-times in 2016-2020 to 80,000 in 2021-2025;
the extra seats (`Levers.upgrading_seats`, paid by this measure) are offered each month to jobseekers
and employees as the standing programme's are. The
subsidy for courses at 高级工 and above in shortage occupations is raised 30%, so a share of seats
(uplift x `advanced_share_per_uplift`) goes to courses aimed at 高级工 and above, taken by people
already at 中级工 or higher; and the subsidy a trainee at those levels gets back rises by the uplift
in the shortage share of trades, which makes such courses worth more to them (`sim.rules.takeup`).
"""

from __future__ import annotations

from .base import CERTIFICATE_SUBSIDY, Charge, Policy, per_month_of_plan, register


@register
class SkillsUpgrading(Policy):
    name = "skills_upgrading"
    source = "[003] 第六章第二节; 专栏2 row 16"
    summary = "80,000 subsidised person-times 2021-25; +30% subsidy at 高级工 and above"
    pays = (Charge("certificate_subsidy", "certificates", CERTIFICATE_SUBSIDY),
            Charge("advanced_uplift", "uplifted_subsidy", "costs.skills_upgrading.shortage_share"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        baseline = per_month_of_plan(world.data.get("training.subsidised_2016_2020"))
        world.levers.upgrading_seats += max(0.0, per_month_of_plan(self["person_times_2021_2025"]) - baseline) * x
        world.levers.advanced_training_share += self["advanced_subsidy_uplift"] * self["advanced_share_per_uplift"] * x
        shortage = world.data.get("costs.skills_upgrading.shortage_share")    # the uplift is for shortage trades only
        world.levers.advanced_subsidy_mult *= 1 + self["advanced_subsidy_uplift"] / 100 * shortage * x
