"""The measures set this month's levers (DESIGN §3 "Policies").

The world's levers are reset to their neutral values, then every switched-on policy changes them
(seats, contact rates, costs, posts) for this month, following its timetable. No policy writes an
indicator or a stock: agents meet the levers in the phases that follow.
"""

from __future__ import annotations


def apply_policies(model, rng) -> None:
    model.world.reset_levers()
    for policy in model.policies:
        policy.apply(model.world, model.month.index)
