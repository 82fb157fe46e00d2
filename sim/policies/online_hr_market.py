"""Online HR market and job-matching apps ([000] 二、(一)1, 二、(二)12; [003] 第四章第四节).

Mechanism: online fairs, remote interviews and links to Greater Bay Area markets raise the number of
applications an online user sends (`rate_mult`), and the 善美村居 apps bring in seekers who did
not use the online market (`use_add`). Reach is city-wide; firms' online listing share is unchanged.
"""

from __future__ import annotations

from .base import Charge, Policy, register


@register
class OnlineHRMarket(Policy):
    name = "online_hr_market"
    source = "[000] 二、(一)1, 二、(二)12; [003] 第四章第四节"
    summary = "more online applications per user and more users"
    pays = (Charge("platform_running", "active_years"),)

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        world.levers.online_rate_mult *= 1 + (self["rate_mult"] - 1) * x
        world.levers.online_use_add += self["use_add"] * x
