"""Stronger public employment services ([003] 第四章第四节 ¶提升基本公共就业服务效能, ¶强化就业援助和就业服务指导;
[000] 二、(二)12; measures.md A4).

Mechanism: the PES offices get more staff and windows (their monthly contact capacity is x
`capacity_mult`), refer their registered jobseekers more often through the "四送" campaigns and job
fairs (`referral_mult` on PES applications), and extend the real-name register to rural areas and
priority groups (`registration_mult` on contact with registering services, everywhere). Cost: the
job-referral subsidy (职业介绍补贴, "继续实施...职业介绍补贴政策") on every placement through the PES, and
the running cost of the extra service.
"""

from __future__ import annotations

from ..matching import PES
from .base import Charge, Policy, register


@register
class PESStrengthening(Policy):
    name = "pes_strengthening"
    source = "[003] 第四章第四节 ¶提升基本公共就业服务效能, ¶强化就业援助和就业服务指导; [000] 二、(二)12"
    summary = "PES offices: more capacity, more referrals, the register extended to rural areas"
    pays = (Charge("referral_subsidy", "event", who=f"hires_channel_{PES}"), Charge("service_running", "active_years"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        if x == 0:
            return
        lv = world.levers
        lv.pes_capacity_mult *= 1 + (self["capacity_mult"] - 1) * x
        lv.pes_rate_mult *= 1 + (self["referral_mult"] - 1) * x
        lv.registration_mult *= 1 + (self["registration_mult"] - 1) * x
