"""The chart of `sim effects`, drawn from treatment_effects.csv (never the model).

Two panels: the participants' effect on their employment rate (percentage points) and on their
monthly earnings, 6-36 months after entry, each with ±1.96 standard errors; beside them, the city's
gain per participant, which is smaller where participants' gains are others' losses (displacement).
English labels (the analysts' evaluation chart; the report's charts carry the Chinese ones).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from . import style

ERROR_Z = 1.96


def effects_chart(table: pd.DataFrame, stem, measure: str) -> list:
    """Write `stem`.png/.svg; returns the paths."""
    with plt.rc_context(style.rc("en")):
        fig, axes = plt.subplots(1, 2, figsize=(style.SLIDE[0] * 1.3, style.SLIDE[1]))
        for ax, (outcome, city_outcome, scale, label) in zip(axes, (
                ("employment_rate", "employed", 100, "employment, percentage points"),
                ("monthly_earnings", "earnings", 1, "monthly earnings, yuan")), strict=True):
            _panel(ax, table, outcome, city_outcome, scale, label)
        fig.suptitle(f"{measure}: effect on participants against the same people without the measure")
        fig.tight_layout()
        return style.save(fig, stem)


def _panel(ax, table: pd.DataFrame, outcome: str, city_outcome: str, scale: float, label: str) -> None:
    p = table[(table["scope"] == "participants") & (table["outcome"] == outcome)].sort_values("months")
    ax.errorbar(p["months"], p["effect"] * scale, yerr=ERROR_Z * p["effect_se"].fillna(0) * scale, marker="o",
                capsize=4, color=style.COLOURS[0], label="participants (months after entry)")
    c = table[(table["scope"] == "city") & (table["outcome"] == city_outcome)].sort_values("months")
    per = c["effect"] / c["n"].where(c["n"] > 0)
    ax.plot(c["months"], per * scale, marker="s", ls="--", color=style.COLOURS[1],
            label="whole city, per participant (months after the start)")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("months")
    ax.set_ylabel(label)
    ax.legend(fontsize=8)
