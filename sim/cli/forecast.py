"""`sim forecast`: P(met) of every target over what we do not know (an uncertainty ensemble, issue 14)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import InputError
from . import common

FORECAST_HELP = """Each draw samples every assumption uniformly over its range, every calibrated value from a normal
of its standard error truncated to its range, and a seed; every scenario runs every draw (common random
numbers), so plan - baseline has a distribution of its own. Writes targets.csv (P(met) with its Monte
Carlo standard error, median and 5-95% band of each projection), effects.csv (each scenario against the
baseline, paired by draw, with P(effect > 0)), priors.csv (what each input is drawn from), draws.csv and
manifest.json. `sim run` stays the fixed-parameter run. Interrupted? Run the same command with --resume.
Not yet: the split of variance between parameters and seeds, conditioning on observed outturns and
scenario discovery (issue 14)."""


def add_parser(sub) -> None:
    f = sub.add_parser("forecast", help="P(met) of every target over parameter uncertainty (an ensemble of draws)",
                       description=FORECAST_HELP)
    f.add_argument("scenarios", nargs="+", help="scenario names in scenarios/ or paths, e.g. baseline plan_2025")
    f.add_argument("--draws", type=int, default=40, help="ensemble draws (default 40); each runs every scenario once")
    f.add_argument("--scale", type=int, default=200, help="persons per agent (default 200; smaller is finer and slower)")
    f.add_argument("--seed", type=int, default=1, help="ensemble seed: the draws' values and seeds seed..seed+draws-1")
    f.add_argument("--out", type=Path, help="output directory (default runs/forecast)")
    common.add_workers(f)
    f.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    f.add_argument("--resume", action="store_true", help="reuse the runs already done for --out")


def handle(args) -> int:
    from .. import ensemble
    from .. import scenario as scen
    from ..runner import city_data, format_targets

    common.at_least("--draws", args.draws, 2)
    common.at_least("--scale", args.scale)
    common.at_least("--seed", args.seed, 0)
    common.workers(args.workers, args.scheduler)
    if len(set(args.scenarios)) < len(args.scenarios):
        raise InputError("command line", "scenarios", f"each scenario once, got {args.scenarios}")
    runs = []
    for ref in args.scenarios:
        sc = scen.load(ref, {"run.scale": args.scale, "run.seed": args.seed}, scen.COMMAND_LINE)
        runs.append((sc, city_data(sc)))
    if len({sc.city for sc, _ in runs}) > 1:
        raise InputError("command line", "scenarios", "every scenario of a forecast must use the same city data file")
    out = args.out or Path("runs") / "forecast"
    ensemble.check_out(out, args.resume)
    if args.scheduler:                                  # unreachable scheduler: bad input, before anything runs
        from ..sweep import connect

        connect(args.scheduler).close()
    table = ensemble.draws(runs, args.draws, args.seed)
    print(f"sim: forecast of {', '.join(sc.name for sc, _ in runs)}: {args.draws} draws of "
          f"{len(table.columns) - 2} inputs at scale {args.scale}, seeds {args.seed}..{args.seed + args.draws - 1}, "
          f"{args.draws * len(runs)} runs", file=sys.stderr)
    t0 = time.time()
    try:
        annual, summary = ensemble.run_forecast(runs, table, args.scale, out, args.workers, args.scheduler, args.resume)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {ensemble.work_dir(out)}; continue with --resume",
              file=sys.stderr)
        return 130
    if summary["failed"]:
        print(f"sim: {summary['failed']} run(s) failed (errors in {ensemble.work_dir(out)}); nothing summarised; "
              "fix the cause and continue with --resume", file=sys.stderr)
        return 1
    settings = {"draws": args.draws, "scale": args.scale, "seed": args.seed, "seeds": [args.seed, args.seed + args.draws - 1],
                "common_random_numbers": True, "inputs": len(table.columns) - 2, "seconds": round(time.time() - t0, 1)}
    tables = ensemble.write_forecast(out, runs, table, annual, settings)
    print(f"P(met) over {args.draws} draws of the uncertain inputs (each with its own seed); ±se is the Monte Carlo "
          "standard error")
    print(format_targets(tables["targets"], band=("p05", "p95")))
    print(f"\nwrote {out}/ (targets.csv, effects.csv, priors.csv, draws.csv, manifest.json, runs/) in "
          f"{time.time() - t0:.1f} s")
    return 0
