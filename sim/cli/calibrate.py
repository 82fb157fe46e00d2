"""`sim calibrate`: fit the 'calibrated' parameters to the 2016-2020 record (simulated moments)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..params import DEFAULT_CITY
from . import common


def add_parser(sub) -> None:
    cal = sub.add_parser("calibrate", help="fit the 'calibrated' parameters to the 2016-2020 record (simulated moments)")
    cal.add_argument("--budget", type=int, default=30,
                     help="most model evaluations in all (default 30; each is one back-cast per seed; "
                          "one per parameter is kept back for the standard errors)")
    cal.add_argument("--scale", type=int, default=20, help="persons per agent in the back-cast runs (default 20)")
    cal.add_argument("--seeds", default="1,2,3,4",          # sim.smm.DEFAULT_SEEDS (not imported: `sim --help` stays light)
                     help="common random numbers: the seeds every candidate is run with (default 1,2,3,4)")
    cal.add_argument("--city", default=DEFAULT_CITY, help=f"city data file to fit and write (default: {DEFAULT_CITY})")
    cal.add_argument("--out", type=Path, default=Path("runs/calibration"), help="fit report directory")
    cal.add_argument("--no-write", action="store_true", help="report only; leave the data file unchanged")


def handle(args) -> int:
    from ..params import load_city, resolve_city_path
    from ..smm import calibrate, write_calibration

    common.at_least("--budget", args.budget, 2)
    common.at_least("--scale", args.scale)
    seeds = common.seed_list(args.seeds)
    load_city(args.city)                                 # a bad city file fails before anything runs
    common.check_out(args.out)
    t0 = time.time()
    print(f"sim: calibrating at scale {args.scale}, seeds {seeds}, at most {args.budget} evaluations", file=sys.stderr)
    fit = calibrate(args.city, args.scale, seeds, args.budget,
                    progress=lambda i, j: print(f"  evaluation {i}: objective {j:.4f} ({time.time() - t0:.0f} s)",
                                                file=sys.stderr))
    text = write_calibration(args.out, fit, args.city, args.scale, seeds, write_data=not args.no_write, budget=args.budget)
    print(text)
    where = "left unchanged (--no-write)" if args.no_write else f"written to {resolve_city_path(args.city)}"
    print(f"\nfitted values {where}; report in {args.out}/ (fit.csv, parameters.csv, evaluations.csv, fit.md)")
    return 0
