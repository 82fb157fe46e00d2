"""The back-cast chart (`sim backcast`, backcast.png/.svg), drawn from tidy tables (never the model).

Left: each check's simulated-versus-observed error in percent, coloured by its role (fitted,
identified, held-out, input; sim/backcast.py says what they mean), with the ±15% goal band. Right:
the simulated stock paths from end-2015 against the 2020 outturns, and the ceiling the plans' own
certificate flows allow (`sim.backcast.feasibility`). English only, like the rest of the back-cast.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch

from . import style
from .style import plt

ROLE_COLOURS = {"fitted": "#d9822b", "identified": "#888888", "held-out": "#1f5fa8", "input": "#bbbbbb"}
STOCKS = (("professional_technical_talent", "#6a4c93"), ("skilled_talent", "#2a9d8f"), ("high_skilled_talent", "#9b2226"))


def backcast_chart(table: pd.DataFrame, annual: pd.DataFrame, ceilings: pd.DataFrame, stem) -> list:
    """Write `stem`.png/.svg from backcast.csv (`table`), the annual tidy table and the feasibility rows
    (`ceilings`: one row per ceiling, column `ceiling`); returns the paths."""
    with plt.rc_context(style.rc("en")):
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(style.SLIDE[0] * 1.4, style.SLIDE[1] * 1.2),
                                      gridspec_kw={"width_ratios": [1.15, 1]})
        _errors_panel(ax, table)
        _stocks_panel(ax2, table, annual, ceilings)
        fig.tight_layout()
        return style.save(fig, stem)


def _errors_panel(ax, table: pd.DataFrame) -> None:
    t = table.iloc[::-1]
    ax.barh(t["indicator"] + " " + t["period"], t["error_pct"].clip(-100, 100), color=t["role"].map(ROLE_COLOURS))
    ax.axvspan(-15, 15, color="#2a9d8f", alpha=0.12)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("simulated vs observed, % (clipped at ±100)")
    ax.set_title("Back-cast 2016-2020 against the 13th-plan record")
    handles = [Patch(color=c, label=role) for role, c in ROLE_COLOURS.items()]
    handles.append(Patch(color="#2a9d8f", alpha=0.12, label="±15% goal (the rate: ±0.5 pt)"))
    ax.legend(handles=handles, loc="lower right", fontsize=9)


def _stocks_panel(ax, table: pd.DataFrame, annual: pd.DataFrame, ceilings: pd.DataFrame) -> None:
    for ind, colour in STOCKS:
        rows = annual[annual["indicator"] == ind].groupby("year")["value"].mean()
        ax.plot(rows.index, rows.values / 1e4, color=colour, label=f"{ind} (simulated)")
        obs = table.loc[table["indicator"] == ind, "observed"].iloc[0]
        ax.plot([2020], [obs / 1e4], marker="*", ms=14, color=colour, ls="none")
    for ceiling in ceilings["ceiling"]:
        ax.plot([2020], [ceiling / 1e4], marker="_", ms=22, mew=2, color="black", ls="none",
                label="ceiling from the plans' certificate flows")
    ax.set_ylabel("万人 (10,000 persons)")
    ax.set_title("Stocks from end-2015; ★ = 2020 outturn ([003] 第一章第一节)", fontsize=12)
    ax.legend(fontsize=9)
