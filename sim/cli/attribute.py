"""`sim attribute`: per-measure Shapley values of a scenario's effect on each 2025 target."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from . import common


def add_parser(sub) -> None:
    a = sub.add_parser("attribute", help="split a scenario's effect on each 2025 target into per-measure Shapley values")
    a.add_argument("scenario", help="a scenario with measures, e.g. plan_2025")
    common.add_run_settings(a, with_help=False)
    a.add_argument("--method", choices=["auto", "exact", "grouped", "sampled"], default="auto",
                   help="auto: exact for up to 6 measures, else grouped by mechanism")
    a.add_argument("--permutations", type=int, default=8, help="orders sampled with --method sampled")
    a.add_argument("--out", type=Path, help="output directory (default runs/attribution_SCENARIO)")
    a.add_argument("--no-charts", action="store_true")


def handle(args) -> int:
    from ..attribution import attribute, format_attribution, players_for, write_attribution
    from ..charts import write_waterfalls
    from ..runner import city_data

    sc = common.load_scenario(args.scenario, args)
    data = city_data(sc)
    if not any(p.get("enabled", True) for p in sc.policies.values()):
        raise InputError(sc.path, "policies", "the scenario switches on no measure: nothing to attribute")
    common.at_least("--permutations", args.permutations)
    out = args.out or Path("runs") / f"attribution_{sc.name}"
    common.check_out(out)
    method, players = players_for(sc, args.method)
    n = len(players)
    runs = 2 ** n if method != "sampled" else f"up to {args.permutations * n + 1}"
    print(f"sim: attributing {sc.name!r}: {n} players ({method}), {runs} coalitions x {sc.replicates} replicate(s), "
          f"scale {sc.scale}", file=sys.stderr)
    table = attribute(sc, data, args.method, args.permutations)
    write_attribution(out, table, sc, None if args.no_charts else write_waterfalls)
    print(format_attribution(table))
    print(f"\nwrote {out}/ (attribution.csv, manifest.json" + ("" if args.no_charts else ", one waterfall PNG per outcome") + ")")
    return 0
