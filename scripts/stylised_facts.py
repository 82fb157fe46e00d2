"""Reproduce the stylised-facts table of docs/ODD.md ("Stylised facts"): the demand-shock sweep of
sim/stylised.py, then the matching function, the Beveridge curve and the unemployment durations,
seed by seed and pooled.

    .venv/bin/python scripts/stylised_facts.py                        # K = 20, seeds 1-5 (as the tests)
    .venv/bin/python scripts/stylised_facts.py --scale 10 --seeds 10  # the heavier check (a few minutes)
    .venv/bin/python scripts/stylised_facts.py --amplitude 0.15       # a wider sweep (docs/ODD.md §10)

Options `--set KEY=VALUE` pass scenario overrides to every run (e.g. a counterfactual
`--set assumptions.matching.on_the_job_search=0.0`).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from sim import scenario
from sim import stylised as st
from sim import stylised_measures as sm


def report(sweep: st.Sweep) -> str:
    lines = []
    fits = {"pooled": st.matching_function(sweep.panel)}
    fits.update({seed: st.matching_function(g) for seed, g in sweep.panel.groupby("seed")})
    unemp = {"pooled": st.matching_function(sweep.panel, "hires_from_unemployment", "unemployed")}
    unemp.update({seed: st.matching_function(g, "hires_from_unemployment", "unemployed")
                  for seed, g in sweep.panel.groupby("seed")})
    restricted = st.matching_function(sweep.panel, constant_returns=True)
    bev = st.beveridge(sweep.panel).set_index("seed")["slope"]
    slope, se = st.beveridge_pooled(sweep.panel)
    dur = sm.duration_summary(sweep.spells).set_index("seed")
    ongoing = sm.duration_summary(sweep.spells, completed=False).set_index("seed")
    pooled_done = sweep.spells[sweep.spells["completed"]]["months"]
    lines.append("| seed | alpha (SE) | beta (SE) | alpha+beta (SE) | alpha, beta (unemployed) | Beveridge slope "
                 "| completed spells: mean / median / skewness | ongoing: mean / median / skewness |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for key, f in fits.items():
        u = unemp[key]
        if key == "pooled":
            b = f"{slope:.3f} ({se:.3f})"
            d = f"{pooled_done.mean():.2f} / {pooled_done.median():.0f} / {sm.skewness(pooled_done):.2f}"
            og = sweep.spells[~sweep.spells["completed"]]["months"]
            o = f"{og.mean():.2f} / {og.median():.0f} / {sm.skewness(og):.2f}"
        else:
            b = f"{bev[key]:.3f}"
            d = f"{dur.loc[key, 'mean']:.2f} / {dur.loc[key, 'median']:.0f} / {dur.loc[key, 'skewness']:.2f}"
            o = f"{ongoing.loc[key, 'mean']:.2f} / {ongoing.loc[key, 'median']:.0f} / {ongoing.loc[key, 'skewness']:.2f}"
        lines.append(f"| {key} | {f.alpha:.3f} ({f.se_alpha:.3f}) | {f.beta:.3f} ({f.se_beta:.3f}) "
                     f"| {f.returns:.3f} ({f.se_returns:.3f}) | {u.alpha:.2f}, {u.beta:.2f} | {b} | {d} | {o} |")
    lines.append("")
    lines.append(f"constant returns imposed: alpha = {restricted.alpha:.3f} ({restricted.se_alpha:.3f})")
    panel = st.with_nonemployed_seekers(sweep.panel)
    for label, hires in (("all hires", "hires"), ("hires from non-employment", "hires_from_nonemployment")):
        f = st.matching_function(panel, hires, "nonemployed_seekers")
        lines.append(f"{label} on non-employed seekers (no on-the-job searchers): alpha = {f.alpha:.3f}, "
                     f"beta = {f.beta:.3f}, alpha+beta = {f.returns:.3f} ({f.se_returns:.3f})")
    pts = st.beveridge_points(sweep.panel).groupby("shock_size")[["u_rate", "v_rate"]].mean()
    lines.append("Beveridge points (mean over seeds, percent): " + ", ".join(
        f"{s:+.2f}: u {r.u_rate:.2f} v {r.v_rate:.2f}" for s, r in pts.iterrows()))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=st.DEFAULT_SCALE)
    ap.add_argument("--amplitude", type=float, default=max(st.SHOCK_SIZES),
                    help="largest demand shift; the sweep has five sizes from -A to +A (default 0.10)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 1..N")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE")
    ap.add_argument("--panel", help="also write the monthly panel to this CSV file")
    args = ap.parse_args()
    t0 = time.perf_counter()
    sizes = tuple(round(args.amplitude * k / 2, 6) for k in (-2, -1, 0, 1, 2))
    sweep = st.demand_sweep(sizes=sizes, seeds=tuple(range(1, args.seeds + 1)), scale=args.scale,
                           overrides=scenario.parse_sets(args.sets))
    runs = len(sizes) * args.seeds
    print(f"K = {args.scale}, seeds 1-{args.seeds}, shocks {list(sizes)} over {st.SHOCK_WINDOW}, "
          f"{runs} runs in {time.perf_counter() - t0:.0f} s; estimation from {st.ESTIMATION_START}, "
          f"Beveridge window {st.BEVERIDGE_WINDOW}" + (f"; --set {args.sets}" if args.sets else ""))
    print(report(sweep))
    if args.panel:
        pd.DataFrame(sweep.panel).to_csv(args.panel, index=False)


if __name__ == "__main__":
    main()
