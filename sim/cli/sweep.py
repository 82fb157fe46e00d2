"""`sim sweep`: a parameter sweep on local processes or a Dask cluster."""

from __future__ import annotations

import sys
from pathlib import Path

from . import common


def add_parser(sub) -> None:
    sw = sub.add_parser("sweep", help="run a parameter sweep on local processes or a Dask cluster")
    sw.add_argument("spec", help="a sweep spec (TOML), e.g. scenarios/sweeps/example.toml")
    sw.add_argument("--out", type=Path, required=True, help="sweep directory (results/, runs.csv, manifest.json)")
    common.add_workers(sw)
    sw.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    sw.add_argument("--resume", action="store_true", help="run only what is missing in --out")


def handle(args) -> int:
    from ..sweep import load_spec, sweep

    workers = common.workers(args.workers, args.scheduler)
    spec = load_spec(args.spec)
    try:
        summary = sweep(spec, args.out, workers, args.scheduler, args.resume)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {args.out}/results; continue with --resume", file=sys.stderr)
        return 130
    print(f"sweep {spec.name!r}: {summary['runs']} runs ({summary['skipped_as_done']} already done), "
          f"{summary['done']} done, {summary['failed']} failed, {summary['seconds']:.1f} s; "
          f"results in {args.out}/results, log in {args.out}/runs.csv")
    return 0 if summary["failed"] == 0 else 1
