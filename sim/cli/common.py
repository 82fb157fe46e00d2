"""Argument helpers shared by the subcommands: the one-line parser, range checks, --set, --out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import scenario as scen
from ..errors import InputError

LANGS = ["en", "zh"]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints a usage block)
        raise InputError("command line", "", message)


def at_least(flag: str, value: int, lo: int = 1) -> int:
    """`value` of `flag`, which must be >= `lo`."""
    if value < lo:
        raise InputError("command line", flag, f"{value} is out of range; must be >= {lo}")
    return value


def seed_list(text: str) -> list[int]:
    """'1,2,3' -> [1, 2, 3]: distinct non-negative integers."""
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        seeds = []
    if not seeds or any(s < 0 for s in seeds) or len(set(seeds)) < len(seeds):
        raise InputError("command line", "--seeds", f"expected distinct non-negative integers like 1,2,3, got {text!r}")
    return seeds


def add_run_settings(p: argparse.ArgumentParser, with_help: bool = True) -> None:
    """--seed, --replicates, --scale and --set: the scenario's run settings from the command line."""
    p.add_argument("--seed", type=int, help="first seed (replicate r uses seed + r)" if with_help else None)
    p.add_argument("--replicates", type=int, help="number of replicates" if with_help else None)
    p.add_argument("--scale", type=int, help="persons per agent (1 = the full city)" if with_help else None)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=("override a scenario value, e.g. --set assumptions.outside_market.wage_premium=0.6"
                         if with_help else None))


def run_overrides(args) -> dict[str, Any]:
    """Typed scenario overrides from --set items, then --seed, --replicates and --scale (which win)."""
    overrides = scen.parse_sets(args.set)
    for flag, key, lo in (("seed", "run.seed", 0), ("replicates", "run.replicates", 1), ("scale", "run.scale", 1)):
        value = getattr(args, flag)
        if value is not None:
            overrides[key] = at_least(f"--{flag}", value, lo)
    return overrides


def load_scenario(ref: str, args) -> scen.Scenario:
    """The scenario `ref` with the command line's run settings (errors say '(with --set)')."""
    return scen.load(ref, run_overrides(args), scen.COMMAND_LINE)


def workers(value: int | None, scheduler: str | None = None) -> int | None:
    """--workers: >= 0, and not together with --scheduler."""
    if value is not None:
        at_least("--workers", value, 0)
    if value is not None and scheduler:
        raise InputError("command line", "--workers", "give --workers or --scheduler, not both")
    return value


def add_workers(p: argparse.ArgumentParser, what: str = "") -> None:
    p.add_argument("--workers", type=int,
                   help=f"local worker processes{what} (default: the number of cores; 0 = in-process)")


def check_out(out: Path) -> None:
    """--out must be new, empty, or an earlier run directory (replaced only when the new run completes)."""
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / "manifest.json").is_file())):
        raise InputError("command line", "--out", f"{out} exists and is not an earlier run directory; "
                         "choose a new or empty directory (a run directory is replaced only when the new run completes)")
