"""`sim list`: the scenarios, policies, indicators (with their targets) or parameters at hand."""

from __future__ import annotations

from ..params import DEFAULT_CITY


def add_parser(sub) -> None:
    ls = sub.add_parser("list", help="list scenarios, policies, indicators or parameters")
    ls.add_argument("what", choices=["scenarios", "policies", "indicators", "parameters"])
    ls.add_argument("--city", default=DEFAULT_CITY,
                    help=f"city data file whose targets or parameters to list (default: {DEFAULT_CITY})")


def handle(args) -> int:
    from ..listing import CITY_LISTINGS, LISTINGS

    lines = LISTINGS[args.what](args.city) if args.what in CITY_LISTINGS else LISTINGS[args.what]()
    for line in lines:
        print(line)
    return 0
