"""Projected-versus-target charts, drawn from tidy tables (never from the model).

One PNG per targeted indicator: the 2020 base, the projection's median with its p10-p90 band
across replicates (one colour per scenario), every target as a marker at its year with its
comparator, value and source clause, and whether it is met (the share of replicates meeting it).
Flow indicators whose only target is a five-year total are drawn cumulatively from 2021.
Chinese labels use Noto Sans CJK SC, shipped by the `mplfonts` package, so any machine renders them.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from .indicators import BY_ID, INDICATORS  # noqa: E402

COLOURS = ["#1f5fa8", "#d9822b", "#2a9d8f", "#9b2226", "#6a4c93", "#588157"]
COMPARATOR_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "about": "≈"}


def _cjk_font() -> str | None:
    try:
        import mplfonts
    except ImportError:
        return None
    for name in ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf"):
        path = Path(mplfonts.__file__).parent / "fonts" / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def _style() -> dict:
    font = _cjk_font()
    rc = {"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.25,
          "figure.dpi": 110, "savefig.dpi": 150, "font.size": 10, "axes.unicode_minus": False}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    return rc


def _fmt(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.2f}%"
    return f"{value:,.0f}"


def _series(annual: pd.DataFrame, indicator: str, cumulative: bool) -> pd.DataFrame:
    rows = annual[annual["indicator"] == indicator].copy()
    if cumulative:
        rows = rows[rows["year"] > rows["year"].min() - 1].sort_values("year")
        rows["value"] = rows.groupby(["scenario", "replicate"])["value"].cumsum()
    return rows.groupby(["scenario", "year"])["value"].quantile([0.1, 0.5, 0.9]).unstack().reset_index()


def chart_indicator(annual: pd.DataFrame, targets: pd.DataFrame, indicator: str, path: Path, subtitle: str) -> None:
    ind = BY_ID[indicator]
    tg = targets[targets["indicator"] == indicator]
    cumulative = ind.kind == "flow" and (tg["period"] != "").all()
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(8.6, 5.6))
        for i, (scen, s) in enumerate(_series(annual, indicator, cumulative).groupby("scenario")):
            c = COLOURS[i % len(COLOURS)]
            ax.fill_between(s["year"], s[0.1], s[0.9], color=c, alpha=0.18, lw=0)
            ax.plot(s["year"], s[0.5], color=c, lw=2.2, marker="o", ms=3.5, label=f"{scen}: median, p10-p90 band")
            base = s[s["year"] == s["year"].min()]
            if not cumulative and ind.kind != "flow":
                ax.scatter(base["year"], base[0.5], color="black", zorder=5, s=28)
                ax.annotate(f"2020 base {_fmt(float(base[0.5].iloc[0]), ind.unit)}", (base["year"].iloc[0], base[0.5].iloc[0]),
                            textcoords="offset points", xytext=(6, -14), fontsize=8.5)
        _draw_targets(ax, tg, ind, cumulative)
        ax.set_title(f"{ind.name_zh}  {ind.name_en}" + ("  (cumulative from 2021)" if cumulative else ""),
                     loc="left", fontsize=12)
        ax.set_xlabel("year (end of year; flows: calendar-year totals)")
        ax.set_ylabel(ind.unit)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _fmt(v, ind.unit)))
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.legend(loc="best", fontsize=8, frameon=False)
        fig.text(0.01, 0.01, subtitle, fontsize=7.5, color="#555555", ha="left", va="bottom", wrap=True)
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        fig.savefig(path)
        plt.close(fig)


def _draw_targets(ax, tg: pd.DataFrame, ind, cumulative: bool) -> None:
    """Target markers on the chart; their values, sources and P(met) in a box below the plot."""
    lines = []
    multi = tg["scenario"].nunique() > 1
    for (value, comp, source, period), group in tg.groupby(["target", "comparator", "source", "period"], sort=False):
        if ind.kind == "flow" and not cumulative and period:
            continue  # the five-year total of an annually targeted flow is in the table, not the chart
        years = sorted(group["year"].unique())
        ax.hlines(value, min(years) - 0.3, max(years) + 0.3, colors="#444444", linestyles="--", lw=1.4, zorder=4)
        for _, t in group.iterrows():
            ax.scatter([t["year"]], [value], marker="D", s=30, zorder=6,
                       color="#2b9348" if t["prob_met"] >= 0.5 else "#c1121f")
        when = f"{years[0]}" if len(years) == 1 else f"each year {years[0]}-{years[-1]}"
        verdict = ", ".join(f"{(t['scenario'] + ' ') if multi else ''}{t['prob_met']:.0%}" for _, t in group.iterrows())
        verdict = f"by year {verdict}" if len(years) > 1 else verdict
        lines.append(f"target {when} {COMPARATOR_TEXT.get(comp, comp)}{_fmt(value, ind.unit)} "
                     f"({source[:70]}); P(met) {verdict}")
    if lines:
        ax.text(0.0, -0.2, "\n".join(lines), transform=ax.transAxes, fontsize=7.8, va="top", ha="left",
                color="#222222")
        ax.plot([], [], marker="D", ls="--", color="#444444", label="target (green: met in most replicates, red: not)")


def write_charts(annual: pd.DataFrame, targets: pd.DataFrame, out: Path, scenario=None, data=None) -> list[Path]:
    """One PNG per indicator that has a target; returns the paths written."""
    out = Path(out)
    n_assump = sum(1 for p in data.params.values() if p.provenance == "assumption") if data else 0
    reps = annual.groupby("scenario")["replicate"].nunique().max()
    subtitle = (f"Simulated: {', '.join(sorted(annual['scenario'].unique()))}; {reps} replicates"
                + (f"; 1 agent = {scenario.scale} persons" if scenario else "")
                + (f"; {n_assump} inputs are assumptions (see manifest.json and sim list parameters)" if data else "")
                + ". Targets never used in fitting.")
    paths = []
    for ind in INDICATORS:
        if ind.targeted and (targets["indicator"] == ind.id).any():
            p = out / f"{ind.id}.png"
            chart_indicator(annual, targets, ind.id, p, subtitle)
            paths.append(p)
    return paths


def write_waterfalls(table: pd.DataFrame, out: Path, scenario=None) -> list[Path]:
    """One waterfall per outcome: baseline, each measure's Shapley contribution, with all measures."""
    paths = []
    for (indicator, year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        ind = BY_ID[indicator]
        t = t.reindex(t["contribution"].abs().sort_values(ascending=False).index)
        with plt.rc_context(_style()):
            fig, ax = plt.subplots(figsize=(8.6, 0.42 * len(t) + 2.6))
            base, level = float(t["baseline"].iloc[0]), float(t["baseline"].iloc[0])
            labels, y = ["baseline"], [0]
            ax.barh(0, base, color="#9aa5b1")
            for i, (_, r) in enumerate(t.iterrows(), start=1):
                c = r["contribution"]
                ax.barh(i, c, left=level, color="#2b9348" if c >= 0 else "#c1121f")
                ax.annotate(("+" if c >= 0 else "") + _fmt(c, ind.unit), (max(level, level + c), i),
                            xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
                level += c
                labels.append(r["player"]); y.append(i)
            ax.barh(len(t) + 1, level, color="#1f5fa8")
            labels.append("with the measures"); y.append(len(t) + 1)
            if pd.notna(t["target"].iloc[0]):
                ax.axvline(t["target"].iloc[0], color="#444444", ls="--", lw=1.3)
                ax.annotate(f"target {_fmt(t['target'].iloc[0], ind.unit)}", (t["target"].iloc[0], len(t) + 1.45),
                            xytext=(3, 0), textcoords="offset points", fontsize=8, color="#444444")
            ax.set_yticks(y, labels, fontsize=8.5)
            ax.invert_yaxis()
            ends = [base, level, *(base + t["contribution"].cumsum())]
            if pd.notna(t["target"].iloc[0]):
                ends.append(float(t["target"].iloc[0]))
            lo, hi = min(ends), max(ends)
            span = max(hi - lo, 1e-9)
            ax.set_xlim(lo - 0.25 * span, hi + 0.18 * span)
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _fmt(v, ind.unit)))
            when = f"{period} total" if period else str(year)
            ax.set_title(f"{ind.name_zh}  {ind.name_en}, {when}: who contributes what", loc="left", fontsize=11)
            method = t["method"].iloc[0]
            fig.text(0.01, 0.01, f"Shapley contributions ({method}; {t['replicates'].iloc[0]} replicates, common random "
                     f"numbers, scale {t['scale'].iloc[0]}); they add up to the total effect "
                     f"{_fmt(float(t['total_effect'].iloc[0]), ind.unit)}.", fontsize=7.5, color="#555555")
            fig.tight_layout(rect=(0, 0.04, 1, 1))
            p = out / f"attribution_{indicator}{'_' + period if period else ''}.png"
            fig.savefig(p)
            plt.close(fig)
            paths.append(p)
    return paths
