"""Command line: parse, validate, call library functions, write files. No model logic here.

    sim run SCENARIO [SCENARIO ...] [--seed N] [--replicates R] [--scale K] [--set key=value ...] [--workers N]
            [--out DIR] [--lang en|zh]
    sim attribute SCENARIO [--scale K] [--seed N] [--replicates R | --draws N] [--method auto|exact|grouped|sampled]
            [--out DIR]
    sim sweep SPEC --out DIR [--workers N] [--scheduler ADDR] [--resume]
    sim compare RUN_OR_SWEEP_DIR ... [--out DIR] [--lang en|zh]
    sim report RUN_OR_SWEEP_DIR ... [--out report.html] [--lang zh|en]
    sim calibrate [--budget N] [--scale K] [--seeds 1,2,3,4] [--out DIR] [--no-write]
    sim backcast [--scale K] [--seed N] [--replicates R] [--out DIR]
    sim sensitivity SCENARIO --method morris|sobol [--scale K] [--trajectories R | --samples N] [--out DIR] ...
    sim forecast SCENARIO [SCENARIO ...] [--draws N] [--scale K] [--seed S] [--workers N | --scheduler ADDR] [--out DIR]
    sim what-it-takes SCENARIO --target ID [--prob 0.8] [--draws N] [--scale K] [--seed S] [--set key=value ...]
            [--workers N] [--out DIR]
    sim effects SCENARIO --measure NAME [--scale K] [--seed N] [--replicates R] [--out DIR]
    sim list scenarios|policies|indicators|parameters

One module per subcommand, each with `add_parser(subparsers)` and `handle(args) -> int`; shared
argument helpers are in `common`. Only here are strings parsed (`--set key=value` becomes typed
overrides); the library gets typed values. Bad input (files, keys, values, arguments) prints one
line naming the file and key and exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import InputError
from ..params import DEFAULT_CITY
from . import (attribute, backcast, calibrate, common, compare, effects, forecast, report, run, sensitivity, sweep,
               what_it_takes)
from . import list as list_command

EXIT_BAD_INPUT = 2
COMMANDS = {"run": run, "attribute": attribute, "sweep": sweep, "compare": compare, "calibrate": calibrate,
            "backcast": backcast, "sensitivity": sensitivity, "forecast": forecast, "what-it-takes": what_it_takes,
            "effects": effects, "list": list_command, "report": report}


def build_parser() -> argparse.ArgumentParser:
    p = common.Parser(prog="sim", description="Agent-based labour-market simulator of a city and its plans' targets "
                                               f"(default city: {DEFAULT_CITY})")
    sub = p.add_subparsers(dest="command", required=True, parser_class=common.Parser)
    for module in COMMANDS.values():
        module.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command].handle(args)
    except InputError as exc:
        print(f"sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("sim: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:          # e.g. `sim list parameters | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
