"""A forecast's charts (`sim forecast`), drawn from its tidy tables (bands.csv, targets.csv, discovery.csv,
draws.csv, outcomes.csv), never from the model.

- `fan_chart`: per targeted indicator, each scenario's median path with two bands drawn apart: the
  parameters' (shaded: 5-95% of the draws' means over their seeds) and the seed's (error bars: the
  median +- 1.645 within-draw standard deviations), and the targets as dashed lines;
- `discovery_chart`: per uncertain target, the runs on the two inputs of the PRIM box that restrict the
  most, coloured met or missed, with the box drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import locale
from ..indicators import BY_ID
from . import style
from .labels import indicator_title


def fan_chart(bands: pd.DataFrame, targets: pd.DataFrame, indicator: str, path: Path, footnote: str, lang: str = "en"):
    """Each scenario's median path, its parameter band (shaded) and its seed band (error bars, a little
    to the side of each year so that two scenarios' bars do not hide each other)."""
    ind = BY_ID[indicator]
    with style.figure(lang) as (fig, ax):
        for i, (scen, b) in enumerate(bands[bands["indicator"] == indicator].groupby("scenario", sort=False)):
            colour, dx = style.COLOURS[i % len(style.COLOURS)], 0.06 * (i - 0.5)
            ax.fill_between(b["year"], b["param_p05"], b["param_p95"], color=colour, alpha=0.2, lw=0,
                            label=locale.text("forecast.parameter_band", lang, scenario=scen))
            ax.errorbar(b["year"] + dx, b["median"], yerr=[b["median"] - b["seed_low"], b["seed_high"] - b["median"]],
                        fmt="none", ecolor=colour, elinewidth=2.2, capsize=5,
                        label=locale.text("forecast.seed_band", lang, scenario=scen))
            ax.plot(b["year"], b["median"], color=colour, lw=2.4, marker="o", ms=4)
        for _, t in targets[(targets["indicator"] == indicator) & (targets["period"].fillna("") == "")] \
                .drop_duplicates(["year", "target"]).iterrows():
            style.target_line(ax, [int(t["year"])], float(t["target"]), t["comparator"], t["source"], ind.unit, lang)
        ax.set_title(indicator_title(indicator, lang), loc="left", fontweight="bold")
        ax.set_xlabel(style.t("year", lang))
        ax.set_ylabel(style.unit_label(ind.unit, lang))
        style.value_axis(ax, ind.unit)
        ax.legend(loc="upper left", frameon=False, fontsize=9)
        style.footnote(fig, footnote)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return style.save(fig, path)


def discovery_chart(found: pd.DataFrame, draws: pd.DataFrame, outcomes: pd.DataFrame, path: Path, lang: str = "en"):
    """The PRIM rows of one scenario and target (discovery.csv) over the runs (outcomes.csv, draws.csv)."""
    box = found[found["method"] == "prim"]
    dims = [d for d in box.sort_values("quasi_p")["input"].dropna() if d][:2]
    if not dims:
        return []
    first = box.iloc[0]
    runs = outcomes[(outcomes["scenario"] == first["scenario"]) & (outcomes["target_id"] == first["target_id"])]
    x = draws.set_index("draw").loc[runs["draw"], dims].reset_index(drop=True)
    ys = x[dims[1]] if len(dims) > 1 else pd.Series(np.random.default_rng(0).random(len(x)))   # jitter, one input only
    met = runs["met"].to_numpy(bool)
    with style.figure(lang) as (fig, ax):
        ax.scatter(x[dims[0]][met], ys[met], color=style.MET, s=22, label=style.t("met", lang))
        ax.scatter(x[dims[0]][~met], ys[~met], color=style.NOT_MET, s=22, marker="x", label=locale.text("forecast.missed", lang))
        _draw_box(ax, box, dims, x, ys)
        ax.set_xlabel(dims[0])
        ax.set_ylabel(dims[1] if len(dims) > 1 else "")
        ax.set_title(f"{first['target_id']} ({first['scenario']}): P(met) {first['prob_met']:.0%}", loc="left", fontweight="bold")
        ax.legend(loc="best", fontsize=9)
        style.footnote(fig, f"{first['rule']}; coverage {first['coverage']:.0%}, density {first['density']:.0%}")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return style.save(fig, path)


def _draw_box(ax, box: pd.DataFrame, dims: list[str], x: pd.DataFrame, ys: pd.Series) -> None:
    lim = box.set_index("input")
    x0, x1 = (max(lim.loc[dims[0], "low"], x[dims[0]].min()), min(lim.loc[dims[0], "high"], x[dims[0]].max()))
    if len(dims) > 1:
        y0, y1 = max(lim.loc[dims[1], "low"], ys.min()), min(lim.loc[dims[1], "high"], ys.max())
    else:
        y0, y1 = ys.min(), ys.max()
    ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color=style.TARGET, lw=1.8, ls="--")


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:              # a table with no rows (e.g. nothing to discover)
        return pd.DataFrame()


def write_forecast_charts(folder: Path, data, lang: str = "en") -> list[Path]:
    """Every forecast chart into folder/charts/, from the tables already written in `folder`."""
    folder = Path(folder)
    read = {n: _read(folder / f"{n}.csv") for n in ("bands", "targets", "discovery", "draws", "outcomes")}
    m = pd.read_json(folder / "manifest.json", typ="series")["settings"]["ensemble"]
    note = locale.text("forecast.footnote", lang, draws=m["draws"], seeds=m["seeds_per_draw"], scale=m["scale"])
    paths = []
    for ind in read["targets"]["indicator"].unique():
        paths += fan_chart(read["bands"], read["targets"], ind, folder / "charts" / f"fan_{ind}", note, lang)
    if not read["discovery"].empty:
        for (scen, tid), g in read["discovery"].groupby(["scenario", "target_id"], sort=False):
            paths += discovery_chart(g, read["draws"], read["outcomes"], folder / "charts" / f"discovery_{tid}_{scen}", lang)
    return paths
