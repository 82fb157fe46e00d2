"""The sensitivity chart (`sim sensitivity`, sensitivity.png/.svg and sensitivity_charts/), drawn from
sensitivity.csv and outcomes.csv (never the model).

One panel per target gap with the top inputs by mu_star (Morris, coloured by the sign of mu: raises,
lowers, either way) or by ST (Sobol, tick = S1), their 95% intervals and the noise floor; and the
same panel once more per gap as a slide-size PNG. English only, like the rest of the screen.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..indicators import BY_ID
from . import style
from .style import plt

INDEX = {"morris": "mu_star", "sobol": "ST"}      # the bar's column per method (sim.sensitivity.RANK_BY)


def sensitivity_chart(table: pd.DataFrame, summary: pd.DataFrame, method: str, stem: Path, n_top: int = 10) -> list[Path]:
    """`stem`.png/.svg: one panel per target gap with the top `n_top` inputs by mu_star (Morris, coloured
    by the sign of mu: raises / lowers / either way) or by ST (Sobol, tick = S1), their 95% intervals and
    the noise floor; and one slide-size PNG per gap in `stem`_charts/."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    ncol = 3 if len(outcomes) > 4 else len(outcomes)
    nrow = -(-len(outcomes) // ncol)
    legend = ("Morris elementary effects; bar = μ* with 95% bootstrap interval; blue: raising the input raises the gap, "
              "orange: lowers it, grey: either way" if method == "morris" else
              "Sobol' indices (Saltelli sampling); bar = ST with 95% interval, tick = S1; green: assumption, purple: calibrated")
    legend += ". Gap = projected - target. Red dashed line: noise floor (what an input without effect could score)."
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    single = stem.parent / f"{stem.name}_charts"
    single.mkdir(exist_ok=True)
    with plt.rc_context({**style.rc("en"), "font.size": 11}):
        fig, axes = plt.subplots(nrow, ncol, figsize=(7.2 * ncol, 4.6 * nrow), squeeze=False)
        for ax, outcome in zip(axes.flat, outcomes, strict=False):    # a grid may have spare axes
            _panel(ax, table[table["outcome"] == outcome], summary[summary["outcome"] == outcome].iloc[0], method, n_top)
        for ax in list(axes.flat)[len(outcomes):]:
            ax.set_visible(False)
        fig.text(0.01, 0.005, legend, fontsize=10, color="#444444")
        fig.tight_layout(rect=(0, 0.02, 1, 1))
        for path in paths:
            fig.savefig(path)
        plt.close(fig)
        for outcome in outcomes:
            fig, ax = plt.subplots(figsize=(11, 6.2))
            _panel(ax, table[table["outcome"] == outcome], summary[summary["outcome"] == outcome].iloc[0], method, n_top)
            fig.text(0.01, 0.01, legend, fontsize=8, color="#444444", wrap=True)
            fig.tight_layout(rect=(0, 0.05, 1, 1))
            paths.append(single / f"{outcome.replace(' ', '_')}.png")
            fig.savefig(paths[-1])
            plt.close(fig)
    return paths


def _panel(ax, t: pd.DataFrame, s: pd.Series, method: str, n_top: int) -> None:
    """One target gap: horizontal bars of the top inputs, intervals, noise floor, title with the target."""
    key, conf = INDEX[method], f"{INDEX[method]}_conf"
    t = t.nsmallest(n_top, "rank").iloc[::-1]
    unit = BY_ID[t["indicator"].iloc[0]].unit
    fmt = style.fmt
    if method == "morris":
        ratio = t["mu"] / t["mu_star"].where(t["mu_star"] > 0)
        colours = np.where(ratio > 0.5, "#1f5fa8", np.where(ratio < -0.5, "#d9822b", "#9aa5b1"))
    else:
        colours = np.where(t["provenance"] == "calibrated", "#6a4c93", "#2a9d8f")
    y = np.arange(len(t))
    half = t[conf].clip(lower=0).to_numpy()
    lower = np.minimum(half, t[key].clip(lower=0).to_numpy()) if method == "morris" else half
    ax.barh(y, t[key], xerr=[lower, half], color=colours, ecolor="#333333", capsize=2.5)
    if method == "sobol":
        ax.scatter(t["S1"], y, marker="|", s=160, color="#222222", zorder=3)
    ax.set_yticks(y, [k.removeprefix("assumptions.").removeprefix("policies.") for k in t["parameter"]], fontsize=9.5)
    comp = style.COMPARATOR_TEXT.get(s["comparator"], s["comparator"])
    ax.set_title(f"{s['outcome']}: gap to {comp}{fmt(s['target'], unit)}\nmean gap {fmt(s['gap_mean'], unit)} "
                 f"(range {fmt(s['gap_min'], unit)} to {fmt(s['gap_max'], unit)})", loc="left", fontsize=10.5)
    floor = t["noise_floor"].iloc[0]
    if np.isfinite(floor):
        ax.axvline(floor, color="#9b2226", ls="--", lw=1.2)
        ax.annotate("noise", (floor, len(t) - 0.5), xytext=(3, 0), textcoords="offset points", color="#9b2226", fontsize=9)
    if method == "morris":
        ax.set_xlim(left=0)
        ax.xaxis.set_major_formatter(style.ticker.FuncFormatter(
            lambda v, _: f"{v:.1f}" if unit == "percent" else f"{v:,.0f}"))
        ax.set_xlabel(f"μ* (change of the gap over the input's range, {'pp' if unit == 'percent' else unit})", fontsize=9.5)
    else:
        ax.set_xlabel("total-order index ST (share of the gap's variance)", fontsize=9.5)
