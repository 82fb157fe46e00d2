"""`sim backcast`: run 2016-2020 from end-2015 stocks and compare with the 13th-plan record."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..params import DEFAULT_CITY
from . import common


def add_parser(sub) -> None:
    bc = sub.add_parser("backcast", help="run 2016-2020 from end-2015 stocks and compare with the 13th-plan record")
    bc.add_argument("--scale", type=int, default=20, help="persons per agent (default 20)")
    bc.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    bc.add_argument("--replicates", type=int, default=3, help="seeds seed..seed+R-1, averaged (default 3)")
    bc.add_argument("--city", default=DEFAULT_CITY, help=f"city data file (default: {DEFAULT_CITY})")
    bc.add_argument("--out", type=Path, default=Path("runs/backcast"))
    bc.add_argument("--no-charts", action="store_true")


def handle(args) -> int:
    from ..backcast import backcast, provenance_manifest, validation_summary, write_backcast
    from ..params import load_city

    common.at_least("--scale", args.scale)
    common.at_least("--replicates", args.replicates)
    common.at_least("--seed", args.seed, 0)
    load_city(args.city)                                 # a bad city file fails before anything runs
    common.check_out(args.out)
    seeds = list(range(args.seed, args.seed + args.replicates))
    t0 = time.time()
    print(f"sim: back-cast 2016-2020 at scale {args.scale}, seeds {seeds}", file=sys.stderr)
    table, annual, data = backcast(args.scale, seeds, args.city)
    write_backcast(args.out, table, annual, data, provenance_manifest(args.city, args.scale, seeds),
                   charts=not args.no_charts)
    print(validation_summary(table))
    print(f"\nwrote {args.out}/ (backcast.csv, backcast.md, annual.parquet, manifest.json"
          + ("" if args.no_charts else ", backcast.png/.svg") + f") in {time.time() - t0:.1f} s")
    return 0
