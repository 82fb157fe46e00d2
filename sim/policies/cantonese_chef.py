"""'粤菜师傅' (Cantonese Chef) programme ([003] 专栏2 row 19; 第六章第三节 ¶打造"吃在汕尾"品牌).

Mechanism: 12,000 person-times of chef training in 2021-25 (the text says 10,000+, inc05), open to
jobseekers and catering workers; the "吃在汕尾" brand raises catering labour demand a little.
"""

from __future__ import annotations

from .base import TrainingProgrammePolicy, per_month_of_plan, register


@register
class CantoneseChef(TrainingProgrammePolicy):
    name = "cantonese_chef"
    source = "[003] 专栏2 row 19; 第六章第三节; [000] 二、(二)7"
    summary = "chef training seats; more catering demand"

    def seats_per_month(self) -> float:
        return per_month_of_plan(self["person_times_2021_2025"])
