"""`sim what-it-takes`: the smallest change of a scenario's measures that reaches a target with a given
probability under the uncertainty ensemble, or "not reachable with these measures inside their bounds"
(issue 14, point 4; the search is sim/what_it_takes.py)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ..errors import InputError
from . import common

HELP = """Searches the intensities and timetables of the scenario's measures, inside the bounds the data file's
`levers:` section states (each with its reasoning), for the smallest change reaching the target with
probability --prob over the uncertainty ensemble of `sim forecast`. Directions: each lever alone, all levers
together, and the levers that help (alone at their bound) together; bisection along those that reach it at
their bound. Size of a change: the relative
intensity, the sum of (factor - 1) over scaled levers and months / 12 over earlier ones (it becomes the cost
once the measures have costs). Noise: every candidate runs the same draws and seeds (common random numbers);
the smallest candidates are re-evaluated on fresh draws (another seed, twice the draws) before success is
declared, with P(met) and its Monte Carlo standard error on both. Writes answer.csv, candidates.csv (every
evaluation), levers.csv, draws.csv, fresh_draws.csv, manifest.json and runs/."""


def add_parser(sub) -> None:
    w = sub.add_parser("what-it-takes", help="the smallest change of the measures reaching a target with probability p",
                       description=HELP)
    w.add_argument("scenario", help="a scenario name in scenarios/ or a path, e.g. plan_2025")
    w.add_argument("--target", required=True,
                   help="target id INDICATOR_YEAR or INDICATOR_FIRST-LAST, e.g. high_skilled_talent_2025")
    w.add_argument("--prob", type=float, default=0.8, help="probability to reach, in (0, 1) (default 0.8)")
    w.add_argument("--draws", type=int, default=20, help="ensemble draws per candidate (default 20; fresh checks use twice)")
    w.add_argument("--scale", type=int, default=200, help="persons per agent (default 200)")
    w.add_argument("--seed", type=int, default=1, help="ensemble seed of the search draws (the fresh draws use seed + draws)")
    w.add_argument("--steps", type=int, default=3, help="bisection rounds per direction (default 3: 1/8 of a range)")
    w.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, e.g. --set policies.order_training.seats_per_year=2000")
    common.add_workers(w)
    w.add_argument("--out", type=Path, help="output directory (default runs/what_it_takes_SCENARIO_TARGET)")


def _fmt(unit: str):
    return (lambda v: f"{v:.2f}%") if unit == "percent" else (lambda v: f"{v:,.0f}")


def handle(args) -> int:
    from .. import indicators
    from .. import scenario as scen
    from .. import what_it_takes as wit
    from .. import what_it_takes_output as wit_out

    if not 0 < args.prob < 1:
        raise InputError("command line", "--prob", f"{args.prob} is out of range; must be in (0, 1)")
    common.at_least("--draws", args.draws, 2)
    common.at_least("--scale", args.scale)
    common.at_least("--seed", args.seed, 0)
    common.at_least("--steps", args.steps, 0)
    common.workers(args.workers)
    setup = wit.prepare(args.scenario, args.target, args.scale, args.seed, scen.parse_sets(args.set))
    tid = wit.target_id(setup.target)
    out = args.out or Path("runs") / f"what_it_takes_{setup.scenario.name}_{tid}"
    common.check_out(out)
    t = setup.target
    fmt = _fmt(indicators.BY_ID[t.indicator].unit)
    comp = {"about": "≈", "=": "="}.get(t.comparator, t.comparator)
    label = f"{tid} ({comp}{fmt(t.value)})"
    print(f"sim: what it takes for {label} with P >= {args.prob:.0%} in {setup.scenario.name}: {len(setup.axes)} levers "
          f"({', '.join(a.key for a in setup.axes)}), {args.draws} draws at scale {args.scale}", file=sys.stderr)
    t0 = time.time()
    created = not out.parent.exists()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.runs.", dir=out.parent))
    try:
        answer, table, fresh = wit.run(setup, args.prob, args.draws, args.seed, work, args.workers, args.steps,
                                       say=lambda s: print(f"sim: {s}", file=sys.stderr))
        sentence = answer.sentence(label, fmt)
        settings = {"target": tid, "prob": args.prob, "draws": args.draws, "fresh_draws": 2 * args.draws,
                    "scale": args.scale, "seed": args.seed, "fresh_seed": args.seed + args.draws, "steps": args.steps,
                    "sets": args.set, "levers": [a.key for a in setup.axes], "status": answer.status,
                    "size_measure": "compared by public cost (mean over the draws); size: sum of (factor - 1) and months / 12",
                    "common_random_numbers": True, "seconds": round(time.time() - t0, 1)}
        wit_out.write(out, setup, answer, sentence, {"draws": table, "fresh_draws": fresh}, settings, work)
    except wit.RunsFailed as exc:
        print(f"sim: {exc}; nothing written", file=sys.stderr)
        return 1
    finally:
        wit_out.remove(work)
        if created and not any(out.parent.iterdir()):
            out.parent.rmdir()
    print(_table(answer, fmt))
    print(f"\n{sentence}")
    print(f"(candidates are compared by their public cost over the run, the mean over the draws; size: the sum of "
          f"(factor - 1) and months / 12 over the levers moved)\nwrote {out}/ (answer.csv, candidates.csv, levers.csv, "
          f"draws.csv, fresh_draws.csv, manifest.json, runs/) in {time.time() - t0:.1f} s")
    return 0


def _table(answer, fmt) -> str:
    lines = [f"{'phase':<7} {'size':>6} {'P(met)':>7} {'±se':>5} {'median':>12}  setting"]
    for r in answer.rows:
        if r["reused"]:
            continue
        lines.append(f"{r['phase']:<7} {r['size']:>6.2f} {r['p_met']:>6.0%} {r['p_met_se']:>5.0%} "
                     f"{fmt(r['median']):>12}  {r['settings'][:90]}" + (f"  -> {r['verdict']}" if "verdict" in r else ""))
    return "\n".join(lines)
