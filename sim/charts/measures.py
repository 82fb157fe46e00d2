"""Charts of what the measures do, drawn from tidy tables (never the model).

`waterfall` (and `write_waterfalls`, one per outcome, for `sim attribute`): the baseline, each
measure's or group's Shapley contribution (with an error bar of ±1.96 Monte Carlo standard errors
where the table has a finite `contribution_se`) and the level with all measures, against the target.
`chart_effects`: each measure's effect alone (notebooks, scripts/measure_effects.py).
`chart_tradeoff`: two outcomes against one lever's values (`sim.analysis.tradeoff`).
`timetable_chart`: when each measure starts, reaches full strength and ends (the report).
Words come from `sim.locale`, names from the city data's labels (`sim.charts.labels`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .. import locale
from ..indicators import BY_ID
from . import style
from .labels import indicator_title, player_label

ERROR_Z = 1.96                 # error bars of the waterfall: ±1.96 standard errors (a 95% normal interval)


def waterfall(t: pd.DataFrame, lang: str = "en", meta: dict | None = None):
    """One outcome's waterfall: baseline, each player's Shapley contribution (largest first), with all;
    an error bar of ±1.96 standard errors on each contribution whose `contribution_se` is finite."""
    ind = BY_ID[t["indicator"].iloc[0]]
    t = t.reindex(t["contribution"].abs().sort_values(ascending=False).index)
    base = float(t["baseline"].iloc[0])
    target = t["target"].iloc[0]
    with style.figure(lang, (style.SLIDE[0], max(style.SLIDE[1], 0.42 * len(t) + 2.8))) as (fig, ax):
        ax.barh(0, base, color="#9aa5b1")
        level, labels, ends = _contribution_bars(ax, t, base, ind.unit, lang, meta)
        ax.barh(len(t) + 1, level, color=style.COLOURS[0])
        labels = [locale.text("waterfall.baseline", lang), *labels, locale.text("waterfall.with_measures", lang)]
        if pd.notna(target):
            ax.axvline(target, color=style.TARGET, ls="--", lw=1.4)
            ax.annotate(f"{style.t('target', lang)} {style.fmt(target, ind.unit)}", (target, len(t) + 1.45),
                        xytext=(3, 0), textcoords="offset points", fontsize=10, color=style.TARGET)
            ends.append(float(target))
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        span = max(max(ends) - min(ends), 1e-9)
        ax.set_xlim(min(ends) - 0.25 * span, max(ends) + 0.18 * span)
        ax.xaxis.set_major_formatter(style.ticker.FuncFormatter(lambda v, _: style.fmt(v, ind.unit)))
        _waterfall_text(fig, ax, t, ind, lang)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return fig


def _errors(t: pd.DataFrame) -> pd.Series:
    """Half-widths of the error bars, 1.96 se (0 where the se is missing or not finite)."""
    se = pd.to_numeric(t["contribution_se"], errors="coerce") if "contribution_se" in t else pd.Series(0.0, t.index)
    return (ERROR_Z * se).where(np.isfinite(se), 0.0)


def _contribution_bars(ax, t: pd.DataFrame, base: float, unit: str, lang: str, meta) -> tuple[float, list, list]:
    """One bar per player from the running level, its error bar, its label; returns the level with all,
    the labels and the x values the axis must show."""
    level, labels, ends = base, [], [base]
    for i, ((_, r), e) in enumerate(zip(t.iterrows(), _errors(t), strict=True), start=1):
        c = r["contribution"]
        ax.barh(i, c, left=level, color=style.MET if c >= 0 else style.NOT_MET)
        if e > 0:
            ax.errorbar(level + c, i, xerr=e, fmt="none", ecolor=style.TARGET, elinewidth=1.2, capsize=3)
            ends += [level + c - e, level + c + e]
        ax.annotate(("+" if c >= 0 else "") + style.fmt(c, unit), (max(level, level + c + e), i),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
        level += c
        ends.append(level)
        labels.append(player_label(r["player"], lang, meta))
    return level, labels, ends


def _waterfall_text(fig, ax, t: pd.DataFrame, ind, lang: str) -> None:
    """Title and footnote (with what the error bars are, when there are any)."""
    period, year = t["period"].iloc[0], t["year"].iloc[0]
    total = style.fmt(float(t["total_effect"].iloc[0]), ind.unit)
    when = locale.text("waterfall.period", lang, period=period) if period else locale.text("waterfall.year", lang, year=year)
    ax.set_title(locale.text("waterfall.title", lang, indicator=indicator_title(ind.id, lang), when=when),
                 loc="left", fontweight="bold")
    note = locale.text("waterfall.footnote", lang, method=t["method"].iloc[0], replicates=t["replicates"].iloc[0],
                       scale=t["scale"].iloc[0], total=total)
    if (_errors(t) > 0).any():
        draws = t["uncertainty"].iloc[0] == "seeds and parameter draws" if "uncertainty" in t else False
        sources = locale.text("waterfall.draws" if draws else "waterfall.seeds", lang)
        note += " " + locale.text("waterfall.error_bars", lang, sources=sources)
    style.footnote(fig, note)


def write_waterfalls(table: pd.DataFrame, out: Path, scenario=None) -> list[Path]:
    """One waterfall (PNG and SVG) per outcome; returns the PNG paths."""
    paths = []
    for (indicator, _year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        stem = Path(out) / f"attribution_{indicator}{'_' + period if period else ''}"
        paths.append(style.save(waterfall(t), stem)[0])
    return paths


def chart_effects(effects: pd.DataFrame, indicator: str, lang: str = "en", meta: dict | None = None):
    """Bars: each measure's effect alone on one indicator (measure_effects), largest first."""
    ind = BY_ID[indicator]
    s = effects[indicator].sort_values(key=abs, ascending=True)
    labels_zh = (meta or {}).get("labels_zh", {}).get("policies", {})
    labels = [labels_zh.get(m, m) if lang == "zh" else m.replace("_", " ") for m in s.index]
    with style.figure(lang, (style.SLIDE[0], max(style.SLIDE[1], 0.32 * len(s) + 1.6))) as (fig, ax):
        ax.barh(range(len(s)), s.to_numpy(), color=[style.MET if v >= 0 else style.NOT_MET for v in s])
        ax.set_yticks(range(len(s)), labels, fontsize=10)
        ax.axvline(0, color=style.TARGET, lw=1)
        ax.xaxis.set_major_formatter(style.ticker.FuncFormatter(lambda v, _: style.fmt(v, ind.unit)))
        ax.set_title(f"{indicator_title(indicator, lang)}: {locale.text('effects.title', lang)}", loc="left", fontweight="bold")
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return fig


def chart_tradeoff(table: pd.DataFrame, left: str, right: str, lang: str = "en", title: str = ""):
    """Two outcomes against one lever's values (analysis.tradeoff): a line each, two y axes."""
    x = [str(v) for v in table.index]
    with style.figure(lang) as (fig, ax):
        twin = ax.twinx()
        for axis, ind_id, colour in ((ax, left, style.COLOURS[0]), (twin, right, style.COLOURS[1])):
            ind = BY_ID[ind_id]
            axis.plot(x, table[ind_id], color=colour, lw=2.6, marker="o", ms=7, label=indicator_title(ind_id, lang))
            axis.set_ylabel(indicator_title(ind_id, lang), color=colour)
            axis.yaxis.set_major_formatter(style.ticker.FuncFormatter(lambda v, _, u=ind.unit: style.fmt(v, u)))
        twin.grid(False)
        twin.spines["right"].set_visible(True)
        ax.set_xlabel(table.index.name)
        ax.set_title(title, loc="left", fontweight="bold")
        fig.tight_layout()
        return fig


def _year_frac(month: str) -> float:
    y, m = map(int, month.split("-"))
    return y + (m - 1) / 12


def timetable_chart(tt: pd.DataFrame, lang: str = "en"):
    """Bars from start to end of each measure (rows: label, start, full, end as YYYY-MM), light while ramping up."""
    tt = tt.sort_values("start", kind="stable").reset_index(drop=True)
    first = math.floor(min(map(_year_frac, tt["start"])))                    # whole years around the bars
    last = math.ceil(max(_year_frac(e) + 1 / 12 for e in tt["end"]) - 1e-9)   # (a run past 2025 shows all of it)
    with style.figure(lang, (style.SLIDE[0], max(3.0, 0.34 * len(tt) + 1.4))) as (fig, ax):
        for i, r in tt.iterrows():
            s, f, e = _year_frac(r["start"]), _year_frac(r["full"]), _year_frac(r["end"]) + 1 / 12
            ax.barh(i, f + 1 / 12 - s, left=s, color=style.COLOURS[0], alpha=0.35, height=0.6)
            ax.barh(i, max(e - f - 1 / 12, 0), left=f + 1 / 12, color=style.COLOURS[0], height=0.6)
        ax.set_yticks(range(len(tt)), list(tt["label"]), fontsize=10)
        ax.invert_yaxis()
        ax.set_xlim(first, last)
        ax.xaxis.set_major_locator(style.ticker.MultipleLocator(1))
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return fig
