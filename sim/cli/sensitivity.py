"""`sim sensitivity`: which assumptions move each 2025 target gap most (Morris or Sobol, through SALib)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import InputError
from . import common

SENSITIVITY_HELP = """Global sensitivity of every 2025 target gap (projected - target) to the assumption and
calibrated parameters (and the parameters of the measures the scenario switches on), each sampled over
its range. Morris: R trajectories, R x (k + 1) runs for k inputs; Sobol: N x (k + 2) runs. Every run
uses the same seeds (common random numbers); 8 more runs at the scenario's own values with seeds
S..S+7 give each gap's noise floor. The defaults (Morris, 4 trajectories, scale 400, 1 replicate) took
4.5 minutes on 2 shared cores for plan_2025 (127 inputs, 512 + 8 runs). To scale up: more
trajectories (--trajectories 10-20), a finer population (--scale 100), --replicates 2-3 to average the
model's noise, --method sobol --samples 64+ for variance shares, and --scheduler to spread the runs on
a Dask cluster. Interrupted? Run the same command with --resume."""


def add_parser(sub) -> None:
    s = sub.add_parser("sensitivity", help="which assumptions move each 2025 target gap most (Morris or Sobol, SALib)",
                       description=SENSITIVITY_HELP)
    s.add_argument("scenario", help="a scenario name in scenarios/ or a path, e.g. plan_2025")
    s.add_argument("--method", required=True, help="morris (screening: mu*, sigma) or sobol (variance shares S1, ST)")
    s.add_argument("--scale", type=int, default=400, help="persons per agent (default 400; smaller is finer and slower)")
    s.add_argument("--trajectories", type=int, help="Morris trajectories R (default 4)")
    s.add_argument("--samples", type=int, help="Sobol base samples N, a power of two (default 16)")
    s.add_argument("--replicates", type=int, default=1, help="seeds per design point, averaged (default 1)")
    s.add_argument("--seed", type=int, default=1, help="model seed of replicate 0 (same at every point) and sampler seed")
    s.add_argument("--noise-runs", type=int, default=8,
                   help="extra runs at the scenario's own values with different seeds, for the noise floor (default 8; 0: none)")
    s.add_argument("--end", help="last simulated month YYYY-MM (default: the scenario's, 2025-12; must cover 2025)")
    s.add_argument("--only", action="append", default=[], metavar="PREFIX",
                   help="sample only inputs whose key starts with PREFIX (repeatable), "
                        "e.g. --only outside_market --only policies.order_training")
    s.add_argument("--out", type=Path, help="output directory (default runs/sensitivity_SCENARIO_METHOD)")
    common.add_workers(s)
    s.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    s.add_argument("--resume", action="store_true", help="reuse the runs already done in --out (interrupted or finished)")
    s.add_argument("--no-charts", action="store_true", help="skip sensitivity.png/.svg")


def _sensitivity_settings(args):
    from ..sensitivity import METHODS, Settings

    if args.method not in METHODS:
        raise InputError("command line", "--method", f"must be one of {list(METHODS)}, got {args.method!r}")
    wrong = "--samples" if args.method == "morris" else "--trajectories"
    if getattr(args, wrong.lstrip("-")) is not None:
        raise InputError("command line", wrong, f"does not apply to --method {args.method} "
                         f"(use {'--trajectories' if args.method == 'morris' else '--samples'})")
    common.workers(args.workers, args.scheduler)
    n = args.trajectories if args.method == "morris" else args.samples
    n = n if n is not None else (4 if args.method == "morris" else 16)
    only = tuple(o.strip() for o in args.only)
    if any(not o for o in only):
        raise InputError("command line", "--only",
                         f"must be a non-empty parameter key prefix, e.g. outside_market; got {args.only}")
    return Settings(args.scenario, args.method, n, args.scale, args.replicates, args.seed, args.end, only, args.noise_runs)


def handle(args) -> int:
    from .. import sensitivity as sens

    p = sens.plan(_sensitivity_settings(args))
    out = args.out or Path("runs") / f"sensitivity_{p.scenario.name}_{p.settings.method}"
    sens.check_out(out, args.resume)
    if args.scheduler:                                  # unreachable scheduler: bad input, before anything is printed
        from ..sweep import connect

        connect(args.scheduler).close()
    _announce(p)
    t0 = time.time()
    try:
        summary = sens.execute(p, out, args.workers, args.scheduler, args.resume)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {sens.work_dir(out)}; continue with --resume", file=sys.stderr)
        return 130
    if summary["failed"]:
        print(f"sim: {summary['failed']} run(s) failed (errors in {sens.work_dir(out)}/runs.csv); nothing analysed; "
              "fix the cause and continue with --resume", file=sys.stderr)
        return 1
    table, outcomes = sens.analyse_runs(p, out)
    sens.write(p, out, table, outcomes, time.time() - t0, charts=not args.no_charts)
    print(sens.format_sensitivity(table, outcomes, p.settings.method))
    print(f"\nwrote {out}/ (sensitivity.csv, outcomes.csv, excluded.csv, manifest.json"
          + ("" if args.no_charts else ", sensitivity.png/.svg, sensitivity_charts/") + f", runs/) in {time.time() - t0:.1f} s")
    return 0


def _announce(p) -> None:
    s = p.settings
    print(f"sim: {s.method} sensitivity of {p.scenario.name!r}: {len(p.chosen)} inputs ({len(p.excluded)} left out, "
          f"listed in excluded.csv), {len(p.X)} design points x {s.replicates} replicate(s) at scale {s.scale}, "
          f"seeds {s.seed}..{s.seed + s.replicates - 1} at every point, to {p.scenario.end}; "
          f"then {s.noise_runs} noise runs", file=sys.stderr)
