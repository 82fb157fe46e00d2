"""Retention clauses for trained staff, Fangchenggang's measure to try on Shanwei ([001] 二、(八)23:
落实人才流动在服务期、竞业限制、保密等方面的规定; 劳动合同法 第二十二条 service periods after training).

Mechanism: a firm that pays for an employee's training signs a service agreement (服务期). Employees
who finish a part-time subsidised course (`sim.rules.training.finish_part_time_courses`) serve
`service_months` with their employer: they do not quit and do not search on the job (so they do not
leave for Shenzhen) until it ends (`service_left`, `sim.rules.separations`, `sim.rules.matching`).
Layoffs and closures still end their jobs. Not in plan_2025: it is another city's clause.
"""

from __future__ import annotations

from .base import Policy, register


@register
class RetentionClauses(Policy):
    name = "retention_clauses"
    source = "[001] 二、(八)23 (Fangchenggang)"
    summary = "employees who finish a course their employer paid for serve a period with it"
    cost_note = "a contract term between employer and employee; the employer pays the training"

    def apply(self, world, month_index: int) -> None:
        if self.intensity(month_index) > 0:
            lv = world.levers
            lv.training_service_months = max(lv.training_service_months, int(self["service_months"]))
