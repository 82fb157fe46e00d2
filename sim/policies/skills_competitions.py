"""Skills competitions ([003] 第六章第二节 ¶健全技能竞赛选拔培养机制; measures.md G11).

Mechanism: the city's skills games (职业技能竞赛"市运会") and on-the-job contests (岗位练兵技术比武) each
year; winners among employed workers at 中级工 to 技师 are promoted one skill level (contest winners
are certified at the next level). Cost: organising the games and the winners' prizes.
"""

from __future__ import annotations

from .base import Charge, Policy, register


@register
class SkillsCompetitions(Policy):
    name = "skills_competitions"
    source = "[003] 第六章第二节 ¶健全技能竞赛选拔培养机制"
    summary = "yearly skills games: winners at 中级工-技师 certified a level up"
    pays = (Charge("organisation", "active_years"), Charge("prize", "event", who="contest_winners"))

    def apply(self, world, month_index: int) -> None:
        world.levers.contest_winners += self["winners_per_year"] * self.intensity(month_index)
