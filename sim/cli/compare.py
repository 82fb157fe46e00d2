"""`sim compare`: fan charts and P(met) across run and sweep directories."""

from __future__ import annotations

from pathlib import Path

from . import common

COLUMNS = ["scenario", "indicator", "period", "year", "target", "p50", "prob_met", "first_year_met"]


def add_parser(sub) -> None:
    c = sub.add_parser("compare", help="fan charts and P(met) across run and sweep directories")
    c.add_argument("dirs", nargs="+", type=Path, metavar="RUN_OR_SWEEP_DIR")
    c.add_argument("--out", type=Path, default=Path("runs/compare"))
    c.add_argument("--no-charts", action="store_true")
    c.add_argument("--lang", choices=common.LANGS, default="en", help="language of the fan charts' labels (default en)")


def handle(args) -> int:
    from ..compare import compare

    common.check_out(args.out)
    table = compare(args.dirs, args.out, charts=not args.no_charts, lang=args.lang)
    print(table[COLUMNS].to_string(index=False))
    print(f"\nwrote {args.out}/ (comparison.csv" + ("" if args.no_charts else ", fan charts") + ")")
    return 0
