"""`sim forecast`: P(met) of every target over what we do not know (an uncertainty ensemble, issue 14)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import InputError
from . import common

FORECAST_HELP = """Each draw samples every assumption uniformly over its range, every calibrated value from a normal
of its standard error truncated to its range, and runs with --seeds-per-draw seeds; every scenario runs
every draw with the same seeds (common random numbers), so plan - baseline has a distribution of its own.
Writes targets.csv (P(met) with its Monte Carlo standard error, median and 5-95% band of each
projection), effects.csv (each scenario against the baseline, paired by run, with P(effect > 0)),
variance.csv (the shares of parameters and seed in each projection's variance), discovery.csv (PRIM and
CART: the inputs whose ranges decide each uncertain target), forecast.md (the answer explained),
outcomes.csv (every run's projection), priors.csv, draws.csv and manifest.json. --observed FILE (CSV:
indicator, year, value, source, tolerance) weights the draws by how well they reproduce outturns
(approximate Bayesian computation) and reports the effective sample size. `sim run` stays the
fixed-parameter run. Interrupted? Run the same command with --resume."""


def add_parser(sub) -> None:
    f = sub.add_parser("forecast", help="P(met) of every target over parameter uncertainty (an ensemble of draws)",
                       description=FORECAST_HELP)
    f.add_argument("scenarios", nargs="+", help="scenario names in scenarios/ or paths, e.g. baseline plan_2025")
    f.add_argument("--draws", type=int, default=40, help="ensemble draws (default 40); each runs every scenario")
    f.add_argument("--seeds-per-draw", type=int, default=2,
                   help="runs of each draw with different seeds (default 2; 2 or more separate seed noise from parameters)")
    f.add_argument("--scale", type=int, default=200, help="persons per agent (default 200; smaller is finer and slower)")
    f.add_argument("--seed", type=int, default=1, help="ensemble seed: the draws' values and their seeds")
    f.add_argument("--observed", type=Path, metavar="FILE",
                   help="CSV of observed outturns (indicator, year, value, source, tolerance[, scenario]) to condition on")
    f.add_argument("--min-ess", type=float, default=10.0,
                   help="with --observed: fewest effective draws accepted as an answer (default 10)")
    f.add_argument("--out", type=Path, help="output directory (default runs/forecast)")
    common.add_workers(f)
    f.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    f.add_argument("--resume", action="store_true", help="reuse the runs already done for --out")
    f.add_argument("--no-charts", action="store_true", help="write the tables and forecast.md only")


def handle(args) -> int:
    from .. import ensemble, observed
    from ..runner import format_targets

    runs = _checked(args)
    out = args.out or Path("runs") / "forecast"
    ensemble.check_out(out, args.resume)
    years = range(min(d.raw["meta"]["base_year"] + 1 for _, d in runs), max(sc.end.year for sc, _ in runs) + 1)
    observations = observed.read(args.observed, [sc.name for sc, _ in runs], years) if args.observed else None
    if args.scheduler:                                  # unreachable scheduler: bad input, before anything runs
        from ..sweep import connect

        connect(args.scheduler).close()
    r = args.seeds_per_draw
    table = ensemble.draws(runs, args.draws, args.seed, r)
    print(f"sim: forecast of {', '.join(sc.name for sc, _ in runs)}: {args.draws} draws of {len(table.columns) - 2} "
          f"inputs x {r} seed(s) at scale {args.scale}, {args.draws * r * len(runs)} runs", file=sys.stderr)
    t0 = time.time()
    try:
        annual, summary = ensemble.run_forecast(runs, table, args.scale, out, args.workers, args.scheduler, args.resume,
                                                seeds_per_draw=r)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {ensemble.work_dir(out)}; continue with --resume",
              file=sys.stderr)
        return 130
    if summary["failed"]:
        print(f"sim: {summary['failed']} run(s) failed (errors in {ensemble.work_dir(out)}); nothing summarised; "
              "fix the cause and continue with --resume", file=sys.stderr)
        return 1
    result = _summarise(args, runs, table, annual, observations)
    settings = _settings(args, table, result, time.time() - t0)
    ensemble.write_forecast(out, runs, table, result.tables, settings, result.extra_files(args.no_charts))
    print(result.header)
    print(format_targets(result.tables["targets"], band=("p05", "p95")))
    print(f"\nwrote {out}/ ({', '.join(result.files(args.no_charts))}, runs/) in {time.time() - t0:.1f} s")
    return 0


def _checked(args) -> list:
    """The scenarios with their data, after the arguments' checks."""
    from .. import scenario as scen
    from ..runner import city_data

    common.at_least("--draws", args.draws, 2)
    common.at_least("--seeds-per-draw", args.seeds_per_draw, 1)
    common.at_least("--scale", args.scale)
    common.at_least("--seed", args.seed, 0)
    if not args.min_ess > 0:
        raise InputError("command line", "--min-ess", f"must be > 0, got {args.min_ess}")
    common.workers(args.workers, args.scheduler)
    if len(set(args.scenarios)) < len(args.scenarios):
        raise InputError("command line", "scenarios", f"each scenario once, got {args.scenarios}")
    runs = []
    for ref in args.scenarios:
        sc = scen.load(ref, {"run.scale": args.scale, "run.seed": args.seed}, scen.COMMAND_LINE)
        runs.append((sc, city_data(sc)))
    if len({sc.city for sc, _ in runs}) > 1:
        raise InputError("command line", "scenarios", "every scenario of a forecast must use the same city data file")
    return runs


def _summarise(args, runs, table, annual, observations):
    from ..forecast_report import Result

    return Result.build(runs, table, annual, args.seeds_per_draw, observations, args.observed, args.min_ess)


def _settings(args, table, result, seconds: float) -> dict:
    return {"draws": args.draws, "seeds_per_draw": args.seeds_per_draw, "scale": args.scale, "seed": args.seed,
            "seeds": [args.seed, args.seed + args.draws * args.seeds_per_draw - 1], "common_random_numbers": True,
            "inputs": len(table.columns) - 2, "observed": str(args.observed) if args.observed else None,
            "effective_draws": result.ess, "seconds": round(seconds, 1)}
