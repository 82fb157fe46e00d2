"""`sim run`: run scenarios side by side and write tables, targets and charts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import InputError
from . import common


def add_parser(sub) -> None:
    r = sub.add_parser("run", help="run a scenario and write tables, targets and charts")
    r.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="one or more scenario names in scenarios/ or paths to .toml files (run side by side)")
    common.add_run_settings(r)
    common.add_workers(r, " running the replicates (same tables whatever the number)")
    r.add_argument("--out", type=Path, help="output directory (default runs/SCENARIO)")
    r.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    r.add_argument("--lang", choices=common.LANGS, default="en", help="language of the charts' labels (default en)")


def handle(args) -> int:
    from ..charts import write_charts
    from ..runner import city_data, default_workers, format_targets, write_run

    loaded = [common.load_scenario(ref, args) for ref in args.scenarios]
    names = [sc.name for sc in loaded]
    if len(set(names)) < len(names):
        raise InputError("command line", "SCENARIO", f"scenario names must differ, got {names}")
    workers = common.workers(args.workers)
    datas = [city_data(sc) for sc in loaded]          # validates everything before anything is written
    out = args.out or Path("runs") / "_vs_".join(names)
    common.check_out(out)
    t0 = time.time()
    runs = [(sc, data, _replicates(sc, data, default_workers() if workers is None else workers, t0))
            for sc, data in zip(loaded, datas, strict=True)]

    def charts(annual, targets, tmp, sc, data):
        return write_charts(annual, targets, tmp, sc, data, lang=args.lang)

    targets = write_run(out, runs, None if args.no_charts else charts)
    print(f"P(met) at fixed parameters: {loaded[0].replicates} replicate(s) varying only the seed, every assumption "
          "at its value (`sim forecast` varies them over their ranges)")
    print(format_targets(targets))
    print(f"\nwrote {out}/ (manifest.json, monthly.parquet, annual.parquet, targets.csv, costs.csv"
          + ("" if args.no_charts else ", one PNG per targeted indicator") + f") in {time.time() - t0:.1f} s")
    return 0


def _replicates(sc, data, workers: int, t0: float):
    from ..runner import run_replicates

    print(f"sim: running {sc.name!r}: {sc.replicates} replicate(s), scale {sc.scale}, "
          f"seeds {sc.seed}..{sc.seed + sc.replicates - 1}", file=sys.stderr)
    return run_replicates(sc, progress=lambda i, n: print(f"  replicate {i}/{n} done ({time.time() - t0:.1f} s)",
                                                          file=sys.stderr), workers=workers, data=data)
