"""`sim list`: the scenarios, policies, indicators (with their targets) or parameters at hand."""

from __future__ import annotations


def add_parser(sub) -> None:
    ls = sub.add_parser("list", help="list scenarios, policies, indicators or parameters")
    ls.add_argument("what", choices=["scenarios", "policies", "indicators", "parameters"])


def handle(args) -> int:
    from ..listing import LISTINGS

    for line in LISTINGS[args.what]():
        print(line)
    return 0
