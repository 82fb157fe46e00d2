"""Writing and printing an attribution (`sim attribute`): attribution.csv, interactions.csv and the
manifest, written atomically like a run directory, and the text the command prints (each outcome's
effect, the players' contributions with their standard errors and cost per unit, the interactions).
The attribution itself is `sim.attribution`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import pandas as pd

from .outputs import atomic_directory, manifest, scenario_entry, write_manifest
from .scenario import Scenario


def write_attribution(out: Path, table: pd.DataFrame, scenario: Scenario, chart_fn=None,
                      pairs: pd.DataFrame | None = None, seeds: list[int] | None = None, **settings) -> None:
    """CSV (and interactions.csv when `pairs` is given), manifest and waterfall charts, written atomically
    like a run directory; `seeds` (the replicates' seeds, if not the scenario's) and `settings` go into
    the manifest."""
    entry = scenario_entry(scenario, **({"seeds": seeds} if seeds else {}))
    with atomic_directory(out) as tmp:
        table.to_csv(tmp / "attribution.csv", index=False)
        if pairs is not None:
            pairs.to_csv(tmp / "interactions.csv", index=False)
        write_manifest(tmp, manifest("attribution", city=scenario.city, scenarios=[entry],
                                     method=table["method"].iloc[0], **settings))
        if chart_fn is not None:
            chart_fn(table, tmp, scenario)


def format_attribution(table: pd.DataFrame, pairs: pd.DataFrame | None = None, notes: list[str] = ()) -> str:
    """Each outcome's effect, the players' contributions (±se), largest first, and the interactions of the
    largest players, as the text `sim attribute` prints."""
    from .indicators import BY_ID

    lines = [_se_line(table)] if "contribution_se" in table else []
    for (ind, year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        fmt = _formatter(BY_ID[ind].unit)
        lines.append(f"{ind} {period or year}: baseline {t['baseline'].iloc[0]:,.2f} -> {t['with_measures'].iloc[0]:,.2f} "
                     f"(effect {fmt(t['total_effect'].iloc[0])}; sum of contributions {fmt(t['contribution'].sum())})")
        for _, r in t.sort_values("contribution", key=abs, ascending=False).iterrows():
            lines.append(f"    {r['player']:<28} {fmt(r['contribution']):>14}{_pm(fmt, r.get('contribution_se')):<12}"
                         + _cost_note(r, BY_ID[ind].unit))
        lines += _pair_lines(pairs, ind, year, period, fmt)
    return "\n".join(lines + [f"note: {n}" for n in notes])


def _cost_note(r: pd.Series, unit: str) -> str:
    """'  1,234 yuan per person' (or per pp) and per point of the gap closed, where estimable."""
    per = r.get("cost_per_unit", float("nan"))
    if per is None or math.isnan(per):
        return ""
    what = "pp" if unit == "percent" else unit.rstrip("s").replace("person-time", "person-time")
    gap = r.get("cost_per_gap_point", float("nan"))
    return f"  {per:,.0f} yuan per {what}" + ("" if math.isnan(gap) else f"; {gap / 1e6:,.2f}m per 1% of the gap")


def _se_line(table: pd.DataFrame) -> str:
    r = table.iloc[0]
    return (f"±se: Monte Carlo standard error over {r['replicates']} replicate(s) "
            f"({r.get('uncertainty', 'seeds')}{', and the sampled orders' if r['method'] == 'sampled' else ''})")


def _formatter(unit: str) -> Callable[[float], str]:
    return (lambda v: f"{v:+.2f} pp") if unit == "percent" else (lambda v: f"{v:+,.0f}")


def _pm(fmt: Callable[[float], str], se) -> str:
    """' ±se' in the contribution's unit (no sign); ' ±nan' where not estimable, '' without a column."""
    if se is None or (isinstance(se, float) and math.isnan(se)):
        return "" if se is None else "  ±nan"
    return f"  ±{fmt(se).lstrip('+')}"


def _pair_lines(pairs: pd.DataFrame | None, ind: str, year: int, period: str, fmt) -> list[str]:
    if pairs is None or pairs.empty:
        return []
    mine = pairs[(pairs["indicator"] == ind) & (pairs["year"] == year) & (pairs["period"].fillna("") == period)]
    return [f"    interaction {r['player_a']} x {r['player_b']}: {fmt(r['interaction'])}{_pm(fmt, r['interaction_se'])}"
            for _, r in mine.iterrows()]
