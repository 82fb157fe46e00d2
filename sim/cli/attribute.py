"""`sim attribute`: per-measure Shapley values of a scenario's effect on each 2025 target, each with its
Monte Carlo standard error, and the pairwise interactions of the largest measures."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from . import common

ATTRIBUTE_HELP = """Shapley values of the measures' effect on each 2025 target (they add up to the total effect), each
with its Monte Carlo standard error (±se) over the replicates, and the pairwise Shapley interaction
index of the three largest players per outcome (exact and grouped methods). Replicates are seeds with
the scenario's fixed parameters (--replicates), or with --draws N ensemble draws of the uncertain
inputs (as `sim forecast` draws them), each with its own seed, so that the standard error covers seeds
and parameter uncertainty together (--draws and --replicates exclude each other). Writes
attribution.csv (contribution, contribution_se, uncertainty), interactions.csv, manifest.json and a
waterfall chart per outcome with ±1.96 se error bars."""


def add_parser(sub) -> None:
    a = sub.add_parser("attribute", help="split a scenario's effect on each 2025 target into per-measure Shapley values",
                       description=ATTRIBUTE_HELP)
    a.add_argument("scenario", help="a scenario with measures, e.g. plan_2025")
    common.add_run_settings(a, with_help=False)
    a.add_argument("--method", choices=["auto", "exact", "grouped", "sampled"], default="auto",
                   help="auto: exact for up to 6 measures, else grouped by mechanism")
    a.add_argument("--permutations", type=int, default=8, help="orders sampled with --method sampled")
    a.add_argument("--draws", type=int, default=0,
                   help="replicates under N ensemble draws of the uncertain inputs (default 0: fixed parameters)")
    a.add_argument("--out", type=Path, help="output directory (default runs/attribution_SCENARIO)")
    a.add_argument("--no-charts", action="store_true")


def check_draws(args) -> None:
    """--draws: 0 (fixed parameters) or at least 2, and not together with --replicates."""
    if args.draws != 0 and args.draws < 2:
        raise InputError("command line", "--draws", f"{args.draws} is out of range; 0 (fixed parameters) or >= 2")
    if args.draws and args.replicates is not None:
        raise InputError("command line", "--draws", "give --draws or --replicates, not both "
                         "(with --draws each draw is one replicate)")


def replicates_for(args, sc, data) -> list:
    from .. import scenario as scen
    from ..attribution import draw_replicates, seed_replicates

    if not args.draws:
        return seed_replicates(sc, data)
    return draw_replicates(args.scenario, args.draws, common.run_overrides(args), scen.COMMAND_LINE)


def handle(args) -> int:
    from ..attribution import attribution, players_for
    from ..attribution_output import format_attribution, write_attribution
    from ..charts import write_waterfalls
    from ..runner import city_data

    check_draws(args)
    sc = common.load_scenario(args.scenario, args)
    data = city_data(sc)
    if not any(p.get("enabled", True) for p in sc.policies.values()):
        raise InputError(sc.path, "policies", "the scenario switches on no measure: nothing to attribute")
    common.at_least("--permutations", args.permutations)
    out = args.out or Path("runs") / f"attribution_{sc.name}"
    common.check_out(out)
    method, players = players_for(sc, args.method)
    reps = replicates_for(args, sc, data)
    _announce(sc, method, len(players), args, len(reps))
    result = attribution(sc, data, args.method, args.permutations, reps)
    write_attribution(out, result.table, sc, None if args.no_charts else write_waterfalls, result.interactions,
                      uncertainty=result.table["uncertainty"].iloc[0], replicates=len(reps), draws=args.draws,
                      seeds=[r.seed for r in reps])
    print(format_attribution(result.table, result.interactions, result.notes))
    print(f"\nwrote {out}/ (attribution.csv, interactions.csv, manifest.json"
          + ("" if args.no_charts else ", one waterfall PNG per outcome") + ")")
    return 0


def _announce(sc, method: str, n: int, args, replicates: int) -> None:
    runs = 2 ** n if method != "sampled" else f"up to {args.permutations * n + 1}"
    what = f"{replicates} ensemble draw(s), each with its own seed" if args.draws else f"{replicates} replicate(s)"
    print(f"sim: attributing {sc.name!r}: {n} players ({method}), {runs} coalitions x {what}, scale {sc.scale}",
          file=sys.stderr)
