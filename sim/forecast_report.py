"""A forecast's answer from its runs: the tables, their explanation (forecast.md) and its charts.

`Result.build` turns the runs of an ensemble (`sim.ensemble.run_forecast`) into the tables `sim forecast`
writes: conditioned on observed outturns when there are some (`sim.observed`), with the unconditioned
target table beside them (`targets_prior`), every target marked when it is delivered by assumption
(`runner.mark_assumed`). `forecast.md` (sim/templates/forecast.md.j2) says what was varied, how to read
each P(met) and, for every target whose answer is uncertain, how much of the uncertainty is the
parameters' and which inputs' ranges decide it (`sim.discovery`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import ensemble, observed
from .runner import TARGET_KEYS, mark_assumed

OUTCOME_COLUMNS = ["scenario", "replicate", "draw", *TARGET_KEYS, "value", "met"]


@dataclass
class Result:
    runs: list
    table: pd.DataFrame
    seeds_per_draw: int
    tables: dict[str, pd.DataFrame]
    bands: pd.DataFrame
    ess: float | None = None
    observed_file: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, runs, table, annual, seeds_per_draw: int, observations=None, observed_file=None,
              min_ess: float = 10.0) -> Result:
        rows = ensemble.outcome_table(annual, runs[0][1], seeds_per_draw)
        weights, ess, extra = None, None, {}
        if observations:
            weights, ess = observed.condition(annual, observations, min_ess, observed_file)
            extra = {"targets_prior": mark_assumed(ensemble.target_summary(rows), runs),
                     "weights": weights.reset_index(), "observed_fit": observed.fit_table(annual, observations, weights)}
        tables = ensemble.summarise(runs, table, rows, weights)
        tables["targets"] = mark_assumed(tables["targets"], runs)
        tables.update(extra, outcomes=rows[OUTCOME_COLUMNS])
        return cls(runs, table, seeds_per_draw, tables, bands(annual, runs[0][1], seeds_per_draw), ess,
                   str(observed_file) if observed_file else None)

    @property
    def header(self) -> str:
        n, r = len(self.table), self.seeds_per_draw
        text = (f"P(met) over {n} draws of the uncertain inputs x {r} seed(s) each; ±se is the Monte Carlo "
                "standard error (draws are the independent units)")
        if self.ess is not None:
            text += f"\nconditioned on {self.observed_file}: {self.ess:.1f} effective draws of {n}"
        return text

    def files(self, no_charts: bool) -> list[str]:
        names = [f"{k}.csv" for k in (*self.tables, "bands", "priors", "draws")] + ["forecast.md", "manifest.json"]
        return names + ([] if no_charts else ["charts/"])

    def extra_files(self, no_charts: bool):
        def write(tmp: Path) -> None:
            self.bands.to_csv(tmp / "bands.csv", index=False)
            (tmp / "forecast.md").write_text(self.note(), encoding="utf-8")
            if not no_charts:
                from .charts.forecast import write_forecast_charts

                write_forecast_charts(tmp, self.runs[0][1])
        return write

    def note(self) -> str:
        from .render import render

        return render("forecast.md.j2", **note_context(self))


def bands(annual: pd.DataFrame, data, seeds_per_draw: int) -> pd.DataFrame:
    """bands.csv: per scenario, targeted indicator and year, the median over the runs, the parameter band
    (5-95% of the draws' means over their seeds), the seed band (the median +- 1.645 seed standard
    deviations, the within-draw spread) and the band over all runs (5-95%)."""
    keep = {t.indicator for t in data.targets}
    rows = annual[annual["indicator"].isin(keep)]
    out = []
    for (scen, ind, year), g in rows.groupby(["scenario", "indicator", "year"], sort=True):
        by = g.groupby("draw")["value"]
        med = float(g["value"].median())
        seed_sd = float(np.sqrt(by.var(ddof=1).mean())) if seeds_per_draw > 1 else np.nan
        means = by.mean()
        out.append({"scenario": scen, "indicator": ind, "year": int(year), "median": med,
                    "param_p05": float(means.quantile(0.05)), "param_p95": float(means.quantile(0.95)),
                    "seed_low": med - 1.645 * seed_sd, "seed_high": med + 1.645 * seed_sd,
                    "all_p05": float(g["value"].quantile(0.05)), "all_p95": float(g["value"].quantile(0.95))})
    return pd.DataFrame(out)


def note_context(result: Result) -> dict:
    """Plain data for forecast.md.j2."""
    from . import discovery

    t, var, disc = result.tables["targets"], result.tables["variance"], result.tables["discovery"]
    priors = ensemble.prior_table(result.runs)
    why = []
    for _, row in t[(t["prob_met"] > 0) & (t["prob_met"] < 1) & ~t["delivered_by_assumption"]].iterrows():
        key = (row["scenario"], row["target_id"])
        v = var[(var["scenario"] == key[0]) & (var["target_id"] == key[1])]
        d = disc[(disc["scenario"] == key[0]) & (disc["target_id"] == key[1])] if not disc.empty else disc
        why.append({"scenario": key[0], "target_id": key[1], "prob_met": row["prob_met"], "se": row["prob_met_se"],
                    "share_parameters": float(v["share_parameters"].iloc[0]) if not v.empty else np.nan,
                    "found": [f"{m.upper()}: {discovery.sentence(g)}" for m, g in d.groupby("method", sort=False)]
                    if not d.empty else []})
    return {"scenarios": [sc.name for sc, _ in result.runs], "draws": len(result.table), "seeds": result.seeds_per_draw,
            "scale": result.runs[0][0].scale, "priors": priors.groupby("prior").size().to_dict(),
            "provenance": priors.groupby("provenance").size().to_dict(), "targets": t.to_dict("records"),
            "why": why, "ess": result.ess, "observed_file": result.observed_file,
            "fit": result.tables.get("observed_fit", pd.DataFrame()).to_dict("records"),
            "effects": result.tables["effects"].to_dict("records")}
