"""Projected-versus-target charts and attribution waterfalls, drawn from tidy tables (never the model).

One chart per targeted indicator: the 2020 base, per scenario the median with p10-p90 and p25-p75
bands across replicates (or across a sweep's runs), every target as a dashed line labelled with its
level and source clause, and at each target year a green (met in most replicates) or red ring with
the share of replicates meeting it. Flow indicators whose only target is a five-year total are drawn
cumulatively from 2021. How things look (sizes, fonts, colours, marks) is `sim.style`'s business;
every chart is written as PNG and SVG. `lang="zh"` puts Chinese titles and labels on the charts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import style
from .indicators import BY_ID, INDICATORS

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def scenario_label(name: str, lang: str, meta: dict | None = None) -> str:
    """A scenario's display name: Chinese from the city data's `meta.labels_zh` when there is one."""
    if lang != "zh" or not meta:
        return name
    labels = meta.get("labels_zh", {})
    if name in labels.get("scenarios", {}):
        return labels["scenarios"][name]
    measure = name.removeprefix("measure_")
    if measure != name and measure in labels.get("policies", {}):
        return f"仅{labels['policies'][measure]}"
    return name


def indicator_title(indicator: str, lang: str) -> str:
    ind = BY_ID[indicator]
    return ind.name_zh if lang == "zh" else f"{ind.name_zh}  {ind.name_en}"


def is_cumulative(indicator: str, targets: pd.DataFrame) -> bool:
    """A flow whose targets are all multi-year totals is shown as a running total."""
    tg = targets[targets["indicator"] == indicator]
    return BY_ID[indicator].kind == "flow" and len(tg) > 0 and (tg["period"].fillna("") != "").all()


def quantiles(annual: pd.DataFrame, indicator: str, cumulative: bool) -> pd.DataFrame:
    """scenario, year and the QUANTILES of the indicator across replicates (running totals if cumulative)."""
    rows = annual[annual["indicator"] == indicator].sort_values("year").copy()
    if cumulative:
        rows["value"] = rows.groupby(["scenario", "replicate"])["value"].cumsum()
    return rows.groupby(["scenario", "year"])["value"].quantile(list(QUANTILES)).unstack().reset_index()


def chart_indicator(annual: pd.DataFrame, targets: pd.DataFrame, indicator: str, path: Path | None = None,
                    subtitle: str = "", lang: str = "en", names: dict | None = None):
    """Draw one indicator; writes PNG and SVG at `path` (suffix ignored) and returns the paths, or
    returns the figure when `path` is None (notebooks display it)."""
    ind, names = BY_ID[indicator], names or {}
    tg = targets[targets["indicator"] == indicator]
    cumulative = is_cumulative(indicator, targets)
    with style.figure(lang) as (fig, ax):
        q = quantiles(annual, indicator, cumulative)
        top = q[q["year"] == q["year"].max()].set_index("scenario")[0.5].idxmax() if len(q) else None
        for i, (scen, s) in enumerate(q.groupby("scenario", sort=False)):
            colour = style.COLOURS[i % len(style.COLOURS)]
            style.band(ax, s["year"], s, colour, f"{names.get(scen, scen)}{'：' if lang == 'zh' else ': '}{style.t('band', lang)}")
            _mark_met(ax, _target_rows(tg[tg["scenario"] == scen], ind, cumulative), s, lang, above=(scen == top))
        if ind.kind != "flow" and len(q):
            first = q[q["year"] == q["year"].min()]
            style.mark_base(ax, int(first["year"].iloc[0]), float(first[0.5].iloc[0]), ind.unit, lang)
        _draw_targets(ax, tg, ind, cumulative, lang)
        cum = f"（{style.t('cumulative', lang)}）" if lang == "zh" else f"  ({style.t('cumulative', lang)})"
        ax.set_title(indicator_title(indicator, lang) + (cum if cumulative else ""), loc="left", fontweight="bold")
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


def chart_subtitle(annual: pd.DataFrame, scale=None, n_assumptions: int = 0, lang: str = "en") -> str:
    reps = int(annual.groupby("scenario")["replicate"].nunique().max())
    if lang == "zh":
        return (f"模拟：{reps}次重复运行" + (f"；1个主体代表{scale}人" if scale else "")
                + (f"；{n_assumptions}项输入为假设（见报告“假设”一节）" if n_assumptions else "")
                + "。规划目标从未用于模型校准。")
    return (f"Simulated: {', '.join(annual['scenario'].unique())}; {reps} replicates"
            + (f"; 1 agent = {scale} persons" if scale else "")
            + (f"; {n_assumptions} inputs are assumptions (see manifest.json and sim list parameters)" if n_assumptions else "")
            + ". Targets never used in fitting.")


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


def player_label(player: str, lang: str, meta: dict | None = None) -> str:
    """A measure's or a group's display name (Chinese from the city data's `meta.labels_zh`)."""
    labels = (meta or {}).get("labels_zh", {})
    if lang != "zh":
        return player.replace("_", " ")
    return labels.get("policies", {}).get(player) or labels.get("groups", {}).get(player) or player


def waterfall(t: pd.DataFrame, lang: str = "en", meta: dict | None = None):
    """One outcome's waterfall: baseline, each player's Shapley contribution (largest first), with all."""
    ind = BY_ID[t["indicator"].iloc[0]]
    t = t.reindex(t["contribution"].abs().sort_values(ascending=False).index)
    base = float(t["baseline"].iloc[0])
    target = t["target"].iloc[0]
    with style.figure(lang, (style.SLIDE[0], max(style.SLIDE[1], 0.42 * len(t) + 2.8))) as (fig, ax):
        level, labels = base, ["baseline" if lang == "en" else "基准情景"]
        ax.barh(0, base, color="#9aa5b1")
        for i, (_, r) in enumerate(t.iterrows(), start=1):
            c = r["contribution"]
            ax.barh(i, c, left=level, color=style.MET if c >= 0 else style.NOT_MET)
            ax.annotate(("+" if c >= 0 else "") + style.fmt(c, ind.unit), (max(level, level + c), i),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
            level += c
            labels.append(player_label(r["player"], lang, meta))
        ax.barh(len(t) + 1, level, color=style.COLOURS[0])
        labels.append("with the measures" if lang == "en" else "实施措施后")
        ends = [base, level, *(base + t["contribution"].cumsum())]
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
        period, year = t["period"].iloc[0], t["year"].iloc[0]
        total = style.fmt(float(t["total_effect"].iloc[0]), ind.unit)
        if lang == "zh":
            when = f"{period}累计" if period else f"{year}年"
            ax.set_title(f"{indicator_title(ind.id, lang)}（{when}）：各措施的贡献", loc="left", fontweight="bold")
            style.footnote(fig, f"Shapley分解（{t['method'].iloc[0]}；{t['replicates'].iloc[0]}次重复运行，共同随机数，"
                           f"1个主体代表{t['scale'].iloc[0]}人）；各项贡献之和等于总效果{total}。")
        else:
            when = f"{period} total" if period else str(year)
            ax.set_title(f"{indicator_title(ind.id, lang)}, {when}: who contributes what", loc="left", fontweight="bold")
            style.footnote(fig, f"Shapley contributions ({t['method'].iloc[0]}; {t['replicates'].iloc[0]} replicates, "
                           f"common random numbers, scale {t['scale'].iloc[0]}); they add up to the total effect {total}.")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return fig


def write_waterfalls(table: pd.DataFrame, out: Path, scenario=None) -> list[Path]:
    """One waterfall (PNG and SVG) per outcome; returns the PNG paths."""
    paths = []
    for (indicator, _year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        stem = Path(out) / f"attribution_{indicator}{'_' + period if period else ''}"
        paths.append(style.save(waterfall(t), stem)[0])
    return paths


# -- analysis charts (notebooks) --------------------------------------------------------------------
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
        what = "单项措施的效果（相对基准情景）" if lang == "zh" else "effect of each measure alone (versus baseline)"
        ax.set_title(f"{indicator_title(indicator, lang)}: {what}", loc="left", fontweight="bold")
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


def chart_probabilities(targets: pd.DataFrame, lang: str = "en", names: dict | None = None):
    """P(met) of every target, one bar per scenario or sweep; green when at least 0.5."""
    names = names or {}
    name = (lambda i: BY_ID[i].name_zh) if lang == "zh" else (lambda i: BY_ID[i].name_en)
    t = targets.assign(label=[f"{name(i)} {p or y}" for i, p, y in
                              zip(targets["indicator"], targets["period"].fillna(""), targets["year"])])
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
            for yi, v in zip(y, p):
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
