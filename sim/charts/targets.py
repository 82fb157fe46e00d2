"""Projected-versus-target charts, drawn from tidy tables (never the model).

One chart per targeted indicator: the 2020 base, per scenario the median with p10-p90 and p25-p75
bands across replicates (or across a sweep's runs), every target as a dashed line labelled with its
level and source clause, and at each target year a green (met in most replicates) or red ring with
the share of replicates meeting it. Flow indicators whose only targets are multi-year totals are drawn
as running totals from the first year of each target period (2021 for the 14th plan's; a next plan's
2026-2030 total starts again at 2026). `chart_probabilities` shows P(met) of every target side by side. How things
look is `sim.charts.style`'s business; every chart is written as PNG and SVG. `lang="zh"` puts
Chinese titles and labels on the charts (words from `sim.locale`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import locale
from ..indicators import BY_ID, INDICATORS
from . import style
from .labels import chart_subtitle, indicator_title, scenario_label

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def is_cumulative(indicator: str, targets: pd.DataFrame) -> bool:
    """A flow whose targets are all multi-year totals is shown as a running total."""
    tg = targets[targets["indicator"] == indicator]
    return BY_ID[indicator].kind == "flow" and len(tg) > 0 and (tg["period"].fillna("") != "").all()


def period_starts(indicator: str, targets: pd.DataFrame) -> list[int]:
    """First years of the indicator's target periods ("2021-2025" -> 2021), in order."""
    periods = targets.loc[targets["indicator"] == indicator, "period"].fillna("")
    return sorted({int(str(p).split("-")[0]) for p in periods if p})


def quantiles(annual: pd.DataFrame, indicator: str, cumulative: bool, starts: list[int] | None = None) -> pd.DataFrame:
    """scenario, year and the QUANTILES of the indicator across replicates (running totals if cumulative,
    starting again at each year of `starts`: the first years of the target periods)."""
    rows = annual[annual["indicator"] == indicator].sort_values("year").copy()
    if cumulative:
        block = rows["year"].map(lambda y: sum(y >= s for s in starts or []))
        rows["value"] = rows.groupby([rows["scenario"], rows["replicate"], block])["value"].cumsum()
    return rows.groupby(["scenario", "year"])["value"].quantile(list(QUANTILES)).unstack().reset_index()


def chart_indicator(annual: pd.DataFrame, targets: pd.DataFrame, indicator: str, path: Path | None = None,
                    subtitle: str = "", lang: str = "en", names: dict | None = None):
    """Draw one indicator; writes PNG and SVG at `path` (suffix ignored) and returns the paths, or
    returns the figure when `path` is None (notebooks display it)."""
    ind, names = BY_ID[indicator], names or {}
    tg = targets[targets["indicator"] == indicator]
    cumulative = is_cumulative(indicator, targets)
    with style.figure(lang) as (fig, ax):
        starts = period_starts(indicator, targets)
        q = quantiles(annual, indicator, cumulative, starts)
        top = q[q["year"] == q["year"].max()].set_index("scenario")[0.5].idxmax() if len(q) else None
        for i, (scen, s) in enumerate(q.groupby("scenario", sort=False)):
            colour = style.COLOURS[i % len(style.COLOURS)]
            style.band(ax, s["year"], s, colour, f"{names.get(scen, scen)}{style.t('colon', lang)}{style.t('band', lang)}")
            _mark_met(ax, _target_rows(tg[tg["scenario"] == scen], ind, cumulative), s, lang, above=(scen == top))
        if ind.kind != "flow" and len(q):
            first = q[q["year"] == q["year"].min()]
            style.mark_base(ax, int(first["year"].iloc[0]), float(first[0.5].iloc[0]), ind.unit, lang)
        _draw_targets(ax, tg, ind, cumulative, lang)
        since = locale.text("chart.cumulative", lang, years=locale.text("chart.and", lang).join(map(str, starts)))
        cum = locale.text("chart.cumulative_title", lang, cumulative=since) if cumulative else ""
        ax.set_title(indicator_title(indicator, lang) + cum, loc="left", fontweight="bold")
        ax.set_xlabel(style.t("year", lang))
        ax.set_ylabel(style.unit_label(ind.unit, lang))
        style.value_axis(ax, ind.unit)
        ax.legend(loc="upper left", frameon=False)
        _pad_top(ax)
        if subtitle:
            style.footnote(fig, subtitle)
        fig.tight_layout(rect=(0, 0.05 if subtitle else 0, 1, 1))
        if path is None:
            return fig
        return style.save(fig, Path(path).with_suffix(""))


def _target_rows(tg: pd.DataFrame, ind, cumulative: bool) -> pd.DataFrame:
    """Targets shown on the chart: a five-year total of an annually targeted flow stays in the table."""
    if ind.kind == "flow" and not cumulative:
        return tg[tg["period"].fillna("") == ""]
    return tg


def _draw_targets(ax, tg: pd.DataFrame, ind, cumulative: bool, lang: str) -> None:
    shown = _target_rows(tg, ind, cumulative)
    for (value, comp, source), group in shown.groupby(["target", "comparator", "source"], sort=False):
        style.target_line(ax, sorted(int(y) for y in group["year"].unique()), float(value), comp, source, ind.unit, lang)


def _mark_met(ax, shown: pd.DataFrame, q: pd.DataFrame, lang: str, above: bool) -> None:
    """Rings at each target year on this scenario's median with the share met (only the last of many)."""
    years = sorted(int(y) for y in shown["year"].unique())
    for y in years:
        at = q[q["year"] == y]
        if not at.empty:
            prob = float(shown[shown["year"] == y]["prob_met"].iloc[0])
            style.met_marker(ax, y, float(at[0.5].iloc[0]), prob, lang,
                             label=(len(years) <= 2 or y == years[-1]), above=above)


def _pad_top(ax) -> None:
    """Room above the highest line for the target labels and the legend, and below for the base label."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo - 0.04 * (hi - lo), hi + 0.2 * (hi - lo))


def write_charts(annual: pd.DataFrame, targets: pd.DataFrame, out: Path, scenario=None, data=None,
                 lang: str = "en") -> list[Path]:
    """One chart (PNG and SVG) per indicator that has a target; returns the PNG paths."""
    out = Path(out)
    n_assump = len(data.assumptions()) if data else 0
    subtitle = chart_subtitle(annual, scenario.scale if scenario else None, n_assump, lang)
    names = {s: scenario_label(s, lang, data.meta if data else None) for s in annual["scenario"].unique()}
    paths = []
    for ind in INDICATORS:
        if ind.targeted and (targets["indicator"] == ind.id).any():
            written = chart_indicator(annual, targets, ind.id, out / ind.id, subtitle, lang, names)
            paths.append(written[0])
    return paths


def chart_probabilities(targets: pd.DataFrame, lang: str = "en", names: dict | None = None):
    """P(met) of every target, one bar per scenario or sweep; green when at least 0.5."""
    names = names or {}
    name = (lambda i: BY_ID[i].name_zh) if lang == "zh" else (lambda i: BY_ID[i].name_en)
    t = targets.assign(label=[f"{name(i)} {p or y}" for i, p, y in
                              zip(targets["indicator"], targets["period"].fillna(""), targets["year"], strict=True)])
    labels = list(dict.fromkeys(t["label"]))
    scenarios = list(dict.fromkeys(t["scenario"]))
    h = 0.8 / len(scenarios)
    with style.figure(lang, (style.SLIDE[0], max(style.SLIDE[1], 0.36 * len(labels) * len(scenarios) ** 0.5 + 1.6))) as (fig, ax):
        for k, s in enumerate(scenarios):
            p = t[t["scenario"] == s].set_index("label")["prob_met"].reindex(labels)
            y = [i + k * h for i in range(len(labels))]
            colour = ([style.MET if v >= 0.5 else style.NOT_MET for v in p.fillna(0)] if len(scenarios) == 1
                      else style.COLOURS[k % len(style.COLOURS)])
            ax.barh(y, p, height=h, color=colour, label=names.get(s, s), alpha=0.9)
            for yi, v in zip(y, p, strict=True):
                if pd.notna(v):
                    ax.annotate(f"{v:.0%}", (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
        ax.set_yticks([i + h * (len(scenarios) - 1) / 2 for i in range(len(labels))], labels, fontsize=10)
        ax.axvline(0.5, color=style.TARGET, ls="--", lw=1.2)
        ax.set_xlim(0, 1.08)
        ax.xaxis.set_major_formatter(style.ticker.PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_title(style.t("p_met", lang), loc="left", fontweight="bold")
        if len(scenarios) > 1:
            ax.legend(loc="lower right", frameon=True)
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return fig
