"""Order-based (订单式) and reserve training, and the new apprenticeship
([000] 二、(一)3, 二、(四)18; [003] 第六章第二节; 第七章第三节 ¶促进产教融合发展).

Mechanism: firms with open posts (key enterprises and manufacturers first) order trainees from the
nearest technical school; the school fills the seats, shared with its regular places, from young
jobseekers and inactive people nearest to it; trainees take `months`, some drop out, those who pass
are certified at the ordered `level` and join the ordering firm under a `service_months` term
(no quits, no job search). Apprentices (招工即招生、入企即入校) are workers at key enterprises who
train for a year while employed and are certified one level up.
"""

from __future__ import annotations

from .base import Charge, Policy, per_month, register


@register
class OrderTraining(Policy):
    name = "order_training"
    source = "[000] 二、(一)3, 二、(四)18; [003] 第七章第三节"
    summary = "firms order trainees from schools and hire them; apprentices train while employed"
    pays = (Charge("order_class", "event", who="order_training_starts"),
            Charge("apprentice_subsidy", "event", who="apprenticeship_starts"))

    def apply(self, world, month_index: int) -> None:
        x = self.intensity(month_index)
        lv = world.levers
        lv.order_seats += per_month(self["seats_per_year"]) * x
        lv.order_months, lv.order_service_months, lv.order_level = (int(self["months"]), int(self["service_months"]),
                                                                     int(self["level"]))
        lv.apprentices += per_month(self["apprentices_per_year"]) * x
