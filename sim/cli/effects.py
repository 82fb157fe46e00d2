"""`sim effects`: a programme's effects on its participants (6-36 months after entry) and on the city,
against the same people in the run without it (common random numbers)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from . import common

EFFECTS_HELP = """The effect of one measure of a scenario on the people it took in, as a programme evaluation
would estimate it: their employment rate, monthly earnings and certificates 6, 12, 24 and 36 months
after entry, against the same people in a run without the measure with the same seed (common random
numbers); and the effect on the whole city (which includes displacement). Also take-up, deadweight
(certificates the participants would have earned anyway) and cost per participant, per additional
certificate and per additional job. Seeds: --replicates (default 3: the city's effect, a difference of
two whole runs, needs several to have a standard error). Writes treatment_effects.csv, participation.csv,
manifest.json and a chart."""
DEFAULT_SEEDS = 3


def add_parser(sub) -> None:
    a = sub.add_parser("effects", help="a measure's effects on participants and on the city", description=EFFECTS_HELP)
    a.add_argument("scenario", help="a scenario that switches the measure on, e.g. plan_2025")
    a.add_argument("--measure", required=True, help="the measure, e.g. skills_upgrading (sim list policies)")
    common.add_run_settings(a, with_help=False)
    a.add_argument("--out", type=Path, help="output directory (default runs/effects_SCENARIO_MEASURE)")
    a.add_argument("--no-charts", action="store_true")


def handle(args) -> int:
    from ..charts.effects import effects_chart
    from ..effects import estimate, format_effects, write_effects
    from ..runner import city_data

    if args.replicates is None:
        args.replicates = DEFAULT_SEEDS
    sc = common.load_scenario(args.scenario, args)
    on = sorted(n for n, p in sc.policies.items() if p.get("enabled", True))
    if args.measure not in on:
        raise InputError("command line", "--measure", f"{args.measure!r} is not switched on in {sc.name}; "
                         f"its measures: {on}")
    out = args.out or Path("runs") / f"effects_{sc.name}_{args.measure}"
    common.check_out(out)
    print(f"sim: effects of {args.measure} in {sc.name!r}: {sc.replicates} seed(s) x 2 runs, scale {sc.scale}",
          file=sys.stderr)
    result = estimate(sc, city_data(sc), args.measure)
    chart = None if args.no_charts else (lambda t, tmp, s, m: effects_chart(t, tmp / "treatment_effects", m))
    write_effects(out, result, sc, args.measure, chart)
    print(format_effects(result, args.measure))
    print(f"\nwrote {out}/ (treatment_effects.csv, participation.csv, manifest.json"
          + ("" if args.no_charts else ", treatment_effects.png") + ")")
    return 0
