"""Job retention for firms in difficulty: 稳岗返还 and collective consultation
([003] 专栏16 item 2; 第四章第四节 ¶强化就业援助和就业服务指导; 第五章第一节 ¶扩大社会保险参保续保).

Mechanism: firms in difficulty are guided to consult their staff (集体协商) and to avoid or reduce
layoffs (尽量不裁员、少裁员), and UI refunds part of the contributions of firms that lay off few or none
(发挥失业保险基金…促进企业保岗、稳岗). An urban (insured) firm over its layoff limit keeps each excess
worker on for the month with `layoffs_avoided_share` (`sim.rules.separations.retained`): cuts are
spread over months, so quits, retirements and a recovering plan absorb part of them. The refund is
paid on the insured staff of every urban firm that lays nobody off that month, most of whom were
never at risk (deadweight, counted in the cost).
"""

from __future__ import annotations

from .base import Charge, Policy, register


@register
class JobRetention(Policy):
    name = "job_retention"
    source = "[003] 专栏16 item 2; 第四章第四节 ¶强化就业援助和就业服务指导; 第五章第一节"
    summary = "firms in difficulty keep part of their excess staff on; UI refunds firms that lay off none"
    pays = (Charge("refund", "insured_staff_years", who="retention_refund_staff"),)

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        lv = world.levers
        lv.layoffs_avoided_share = max(lv.layoffs_avoided_share, self["layoffs_avoided_share"] * x)
