"""Command line: parse, validate, call library functions, write files. No model logic here.

    sim run SCENARIO [SCENARIO ...] [--seed N] [--replicates R] [--scale K] [--set key=value ...] [--out DIR] [--lang en|zh]
    sim attribute SCENARIO [--scale K] [--seed N] [--replicates R] [--method auto|exact|grouped|sampled] [--out DIR]
    sim sweep SPEC --out DIR [--workers N] [--scheduler ADDR] [--resume]
    sim compare RUN_OR_SWEEP_DIR ... [--out DIR] [--lang en|zh]
    sim report RUN_OR_SWEEP_DIR ... [--out report.html] [--lang zh|en]
    sim calibrate [--budget N] [--scale K] [--seeds 1,2] [--out DIR] [--no-write]
    sim backcast [--scale K] [--seed N] [--replicates R] [--out DIR]
    sim sensitivity SCENARIO --method morris|sobol [--scale K] [--trajectories R | --samples N] [--out DIR] ...
    sim list scenarios|policies|indicators|parameters

Bad input (files, keys, values, arguments) prints one line naming the file and key and exits 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import indicators, policies, scenario as scen
from .errors import InputError

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints a usage block)
        raise InputError("command line", "", message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sim", description="Shanwei labour-market simulator")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="run a scenario and write tables, targets and charts")
    r.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="one or more scenario names in scenarios/ or paths to .toml files (run side by side)")
    r.add_argument("--seed", type=int, help="first seed (replicate r uses seed + r)")
    r.add_argument("--replicates", type=int, help="number of replicates")
    r.add_argument("--scale", type=int, help="persons per agent (1 = the full city)")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, e.g. --set assumptions.shenzhen.wage_premium=0.6")
    r.add_argument("--out", type=Path, help="output directory (default runs/SCENARIO)")
    r.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    r.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the charts' labels (default en)")
    a = sub.add_parser("attribute", help="split a scenario's effect on each 2025 target into per-measure Shapley values")
    a.add_argument("scenario", help="a scenario with measures, e.g. plan_2025")
    a.add_argument("--seed", type=int)
    a.add_argument("--replicates", type=int)
    a.add_argument("--scale", type=int)
    a.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a.add_argument("--method", choices=["auto", "exact", "grouped", "sampled"], default="auto",
                   help="auto: exact for up to 6 measures, else grouped by mechanism")
    a.add_argument("--permutations", type=int, default=8, help="orders sampled with --method sampled")
    a.add_argument("--out", type=Path, help="output directory (default runs/attribution_SCENARIO)")
    a.add_argument("--no-charts", action="store_true")
    sw = sub.add_parser("sweep", help="run a parameter sweep on local processes or a Dask cluster")
    sw.add_argument("spec", help="a sweep spec (TOML), e.g. scenarios/sweeps/example.toml")
    sw.add_argument("--out", type=Path, required=True, help="sweep directory (results/, runs.csv, sweep.json)")
    sw.add_argument("--workers", type=int, help="local worker processes (default: the number of cores; 0 = in-process)")
    sw.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    sw.add_argument("--resume", action="store_true", help="run only what is missing in --out")
    c = sub.add_parser("compare", help="fan charts and P(met) across run and sweep directories")
    c.add_argument("dirs", nargs="+", type=Path, metavar="RUN_OR_SWEEP_DIR")
    c.add_argument("--out", type=Path, default=Path("runs/compare"))
    c.add_argument("--no-charts", action="store_true")
    c.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the fan charts' labels (default en)")
    _add_credibility_parsers(sub)
    add_sensitivity_parser(sub)
    ls = sub.add_parser("list", help="list scenarios, policies, indicators or parameters")
    ls.add_argument("what", choices=["scenarios", "policies", "indicators", "parameters"])
    add_report_parser(sub)
    return p


def _add_credibility_parsers(sub) -> None:
    cal = sub.add_parser("calibrate", help="fit the 'calibrated' parameters to the 2016-2020 record (simulated moments)")
    cal.add_argument("--budget", type=int, default=30, help="most model evaluations (default 30; each is one back-cast per seed)")
    cal.add_argument("--scale", type=int, default=20, help="persons per agent in the back-cast runs (default 20)")
    cal.add_argument("--seeds", default="1,2", help="common random numbers: the seeds every candidate is run with (default 1,2)")
    cal.add_argument("--city", default="shanwei", help="city data file to fit and write (default: the packaged Shanwei file)")
    cal.add_argument("--out", type=Path, default=Path("runs/calibration"), help="fit report directory")
    cal.add_argument("--no-write", action="store_true", help="report only; leave the data file unchanged")
    bc = sub.add_parser("backcast", help="run 2016-2020 from end-2015 stocks and compare with the 13th-plan record")
    bc.add_argument("--scale", type=int, default=20, help="persons per agent (default 20)")
    bc.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    bc.add_argument("--replicates", type=int, default=3, help="seeds seed..seed+R-1, averaged (default 3)")
    bc.add_argument("--city", default="shanwei", help="city data file (default: the packaged Shanwei file)")
    bc.add_argument("--out", type=Path, default=Path("runs/backcast"))
    bc.add_argument("--no-charts", action="store_true")


def _positive(flag: str, value: int, lo: int = 1) -> int:
    if value < lo:
        raise InputError("command line", flag, f"{value} is out of range; must be >= {lo}")
    return value


def _seed_list(text: str) -> list[int]:
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        seeds = []
    if not seeds or any(s < 0 for s in seeds) or len(set(seeds)) < len(seeds):
        raise InputError("command line", "--seeds", f"expected distinct non-negative integers like 1,2,3, got {text!r}")
    return seeds


def cmd_backcast(args) -> int:
    from .backcast import backcast, provenance_manifest, validation_summary, write_backcast
    from .params import load_city

    _positive("--scale", args.scale)
    _positive("--replicates", args.replicates)
    _positive("--seed", args.seed, 0)
    load_city(args.city)                                 # a bad city file fails before anything runs
    _check_out(args.out)
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


def cmd_calibrate(args) -> int:
    from .params import load_city, resolve_city_path
    from .smm import calibrate, write_calibration

    _positive("--budget", args.budget, 2)
    _positive("--scale", args.scale)
    seeds = _seed_list(args.seeds)
    load_city(args.city)
    _check_out(args.out)
    t0 = time.time()
    print(f"sim: calibrating at scale {args.scale}, seeds {seeds}, at most {args.budget} evaluations", file=sys.stderr)
    fit = calibrate(args.city, args.scale, seeds, args.budget,
                    progress=lambda i, j: print(f"  evaluation {i}: objective {j:.4f} ({time.time() - t0:.0f} s)",
                                                file=sys.stderr))
    text = write_calibration(args.out, fit, args.city, args.scale, seeds, write_data=not args.no_write)
    print(text)
    where = "left unchanged (--no-write)" if args.no_write else f"written to {resolve_city_path(args.city)}"
    print(f"\nfitted values {where}; report in {args.out}/ (fit.csv, parameters.csv, evaluations.csv, fit.md)")
    return 0


def _run_sets(args) -> dict:
    sets = scen.parse_sets(args.set)
    for flag, key, lo in (("seed", "run.seed", 0), ("replicates", "run.replicates", 1), ("scale", "run.scale", 1)):
        value = getattr(args, flag)
        if value is not None:
            if value < lo:
                raise InputError("command line", f"--{flag}", f"{value} is out of range; must be >= {lo}")
            sets[key] = value
    return sets


def cmd_run(args) -> int:
    from .charts import write_charts
    from .runner import city_data, run_replicates, write_run

    sets = _run_sets(args)
    loaded = [scen.load(ref, sets, scen.COMMAND_LINE) for ref in args.scenarios]
    names = [sc.name for sc in loaded]
    if len(set(names)) < len(names):
        raise InputError("command line", "SCENARIO", f"scenario names must differ, got {names}")
    datas = [city_data(sc) for sc in loaded]          # validates everything before anything is written
    out = args.out or Path("runs") / "_vs_".join(names)
    _check_out(out)
    t0 = time.time()
    runs = []
    for sc, data in zip(loaded, datas):
        print(f"sim: running {sc.name!r}: {sc.replicates} replicate(s), scale {sc.scale}, "
              f"seeds {sc.seed}..{sc.seed + sc.replicates - 1}", file=sys.stderr)
        tables = run_replicates(sc, progress=lambda i, n: print(f"  replicate {i}/{n} done ({time.time() - t0:.1f} s)",
                                                                 file=sys.stderr))
        runs.append((sc, data, tables))
    charts = (lambda a, t, o, sc, d: write_charts(a, t, o, sc, d, lang=args.lang))
    targets = write_run(out, runs, None if args.no_charts else charts)
    print(format_targets(targets))
    print(f"\nwrote {out}/ (manifest.json, monthly.parquet, annual.parquet, targets.csv"
          + ("" if args.no_charts else ", one PNG per targeted indicator") + f") in {time.time() - t0:.1f} s")
    return 0


def cmd_attribute(args) -> int:
    from .attribution import attribute, players_for, write_attribution
    from .charts import write_waterfalls
    from .runner import city_data

    sc = scen.load(args.scenario, _run_sets(args), scen.COMMAND_LINE)
    data = city_data(sc)
    if not any(p.get("enabled", True) for p in sc.policies.values()):
        raise InputError(sc.path, "policies", "the scenario switches on no measure: nothing to attribute")
    if args.permutations < 1:
        raise InputError("command line", "--permutations", f"{args.permutations} is out of range; must be >= 1")
    out = args.out or Path("runs") / f"attribution_{sc.name}"
    _check_out(out)
    method, players = players_for(sc, args.method)
    n = len(players)
    runs = 2 ** n if method != "sampled" else f"up to {args.permutations * n + 1}"
    print(f"sim: attributing {sc.name!r}: {n} players ({method}), {runs} coalitions x {sc.replicates} replicate(s), "
          f"scale {sc.scale}", file=sys.stderr)
    table = attribute(sc, data, args.method, args.permutations)
    write_attribution(out, table, sc, None if args.no_charts else write_waterfalls)
    print(format_attribution(table))
    print(f"\nwrote {out}/ (attribution.csv, manifest.json" + ("" if args.no_charts else ", one waterfall PNG per outcome") + ")")
    return 0


def format_attribution(table) -> str:
    lines = []
    for (ind, year, period), t in table.groupby(["indicator", "year", "period"], sort=False):
        unit = indicators.BY_ID[ind].unit
        fmt = (lambda v: f"{v:+.2f} pp") if unit == "percent" else (lambda v: f"{v:+,.0f}")
        lines.append(f"{ind} {period or year}: baseline {t['baseline'].iloc[0]:,.2f} -> {t['with_measures'].iloc[0]:,.2f} "
                     f"(effect {fmt(t['total_effect'].iloc[0])}; sum of contributions {fmt(t['contribution'].sum())})")
        for _, r in t.sort_values("contribution", key=abs, ascending=False).iterrows():
            lines.append(f"    {r['player']:<28} {fmt(r['contribution']):>14}")
    return "\n".join(lines)


def cmd_sweep(args) -> int:
    from .sweep import load_spec, sweep

    if args.workers is not None and args.workers < 0:
        raise InputError("command line", "--workers", f"{args.workers} is out of range; must be >= 0")
    if args.workers is not None and args.scheduler:
        raise InputError("command line", "--workers", "give --workers or --scheduler, not both")
    spec = load_spec(args.spec)
    try:
        summary = sweep(spec, args.out, args.workers, args.scheduler, args.resume)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {args.out}/results; continue with --resume", file=sys.stderr)
        return 130
    print(f"sweep {spec.name!r}: {summary['runs']} runs ({summary['skipped_as_done']} already done), "
          f"{summary['done']} done, {summary['failed']} failed, {summary['seconds']:.1f} s; "
          f"results in {args.out}/results, log in {args.out}/runs.csv")
    return 0 if summary["failed"] == 0 else 1


def cmd_compare(args) -> int:
    from .compare import compare

    _check_out(args.out)
    table = compare(args.dirs, args.out, charts=not args.no_charts, lang=args.lang)
    cols = ["scenario", "indicator", "period", "year", "target", "p50", "prob_met", "first_year_met"]
    print(table[cols].to_string(index=False))
    print(f"\nwrote {args.out}/ (comparison.csv" + ("" if args.no_charts else ", fan charts") + ")")
    return 0


# -- sim report -----------------------------------------------------------------------------------
def add_report_parser(sub) -> None:
    rp = sub.add_parser("report", help="one self-contained HTML report (tables, charts, measures, assumptions, sources)")
    rp.add_argument("dirs", nargs="+", type=Path, metavar="RUN_OR_SWEEP_DIR",
                    help="run, sweep or compare directories (sim run / sim sweep / sim compare)")
    rp.add_argument("--out", type=Path, default=Path("report.html"), help="the HTML file to write (default report.html)")
    rp.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of labels, titles and headers")


def cmd_report(args) -> int:
    from .report import write_report

    t0 = time.time()
    out = write_report(args.dirs, args.out, args.lang)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in any browser) "
          f"in {time.time() - t0:.1f} s")
    return 0


def _check_out(out: Path) -> None:
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / "manifest.json").is_file())):
        raise InputError("command line", "--out", f"{out} exists and is not an earlier run directory; "
                         "choose a new or empty directory (a run directory is replaced only when the new run completes)")


def format_targets(targets) -> str:
    """The projected-versus-target table as aligned text."""
    multi = targets["scenario"].nunique() > 1
    targets = targets.sort_values(["indicator", "year", "period", "scenario"], kind="stable",
                                  key=lambda c: c.map({i.id: k for k, i in enumerate(indicators.INDICATORS)})
                                  if c.name == "indicator" else c) if multi else targets
    lines = [f"{'indicator':<30} {'year':<10} " + (f"{'scenario':<14} " if multi else "")
             + f"{'target':>14} {'p10':>12} {'median':>12} {'p90':>12} {'P(met)':>7}  source"]
    for _, t in targets.iterrows():
        ind = indicators.BY_ID[t["indicator"]]
        fmt = (lambda v: f"{v:.2f}%") if ind.unit == "percent" else (lambda v: f"{v:,.0f}")
        when = t["period"] or str(t["year"])
        comp = {"about": "≈", "=": "="}.get(t["comparator"], t["comparator"])
        lines.append(f"{t['indicator']:<30} {when:<10} " + (f"{t['scenario'][:14]:<14} " if multi else "")
                     + f"{comp + fmt(t['target']):>14} {fmt(t['p10']):>12} "
                     f"{fmt(t['p50']):>12} {fmt(t['p90']):>12} {t['prob_met']:>6.0%}  {t['source'][:48]}")
    return "\n".join(lines)


def cmd_list(args) -> int:
    if args.what == "scenarios":
        for path in sorted(scen.SCENARIO_DIR.glob("*.toml")):
            doc = scen.read_document(path)
            print(f"{path.stem:<28} {doc.get('description', '')}")
    elif args.what == "policies":
        for name, cls in sorted(policies.all_policies().items()):
            print(f"{name:<24} {cls.summary}\n{'':<24} source: {cls.source}")
    elif args.what == "indicators":
        from .params import load_city

        targets = load_city("shanwei").targets
        for ind in indicators.INDICATORS:
            tag = "" if ind.targeted else "  (diagnostic)"
            print(f"{ind.id:<32} {ind.unit:<13} {ind.kind:<6} {ind.name_zh} / {ind.name_en}{tag}")
            for t in (t for t in targets if t.indicator == ind.id):
                when = f"{t.period[0]}-{t.period[1]} total" if t.period else t.year
                print(f"{'':<32} target {when}: {t.comparator} {t.value:,}  ({t.source})")
    else:
        from .params import load_city

        data = load_city("shanwei")
        for path, p in data.params.items():
            extra = f"range {list(p.range)}" if p.range else (p.source or p.meta.get("moment", ""))
            print(f"{path:<48} {str(p.value):<22} {p.unit[:22]:<22} {p.provenance:<10} {extra[:70]}")
        for name in data.tables:
            print(f"{name + '.<row>.<column>':<48} (table; see sim/data/shanwei.yaml)")
    return 0


# -- sim sensitivity (one block: parser and command) ------------------------------------------------
SENSITIVITY_HELP = """Global sensitivity of every 2025 target gap (projected - target) to the assumption and
calibrated parameters (and the parameters of the measures the scenario switches on), each sampled over
its range. Morris: R trajectories, R x (k + 1) runs for k inputs; Sobol: N x (k + 2) runs. Every run
uses the same seeds (common random numbers); 8 more runs at the scenario's own values with seeds
S..S+7 give each gap's noise floor. The defaults (Morris, 4 trajectories, scale 400, 1 replicate) took
4.5 minutes on 2 shared cores for plan_2025 (127 inputs, 512 + 8 runs). To scale up: more
trajectories (--trajectories 10-20), a finer population (--scale 100), --replicates 2-3 to average the
model's noise, --method sobol --samples 64+ for variance shares, and --scheduler to spread the runs on
a Dask cluster. Interrupted? Run the same command with --resume."""


def add_sensitivity_parser(sub) -> None:
    s = sub.add_parser("sensitivity", help="which assumptions move each 2025 target gap most (Morris or Sobol, SALib)",
                       description=SENSITIVITY_HELP)
    s.add_argument("scenario", help="a scenario name in scenarios/ or a path, e.g. plan_2025")
    s.add_argument("--method", required=True, help="morris (screening: mu*, sigma) or sobol (variance shares S1, ST)")
    s.add_argument("--scale", type=int, default=400, help="persons per agent (default 400; smaller is finer and slower)")
    s.add_argument("--trajectories", type=int, help="Morris trajectories R (default 4)")
    s.add_argument("--samples", type=int, help="Sobol base samples N, a power of two (default 16)")
    s.add_argument("--replicates", type=int, default=1, help="seeds per design point, averaged (default 1)")
    s.add_argument("--seed", type=int, default=1, help="model seed of replicate 0 (same at every point) and sampler seed")
    s.add_argument("--noise-runs", type=int, default=8,
                   help="extra runs at the scenario's own values with different seeds, for the noise floor (default 8; 0: none)")
    s.add_argument("--end", help="last simulated month YYYY-MM (default: the scenario's, 2025-12; must cover 2025)")
    s.add_argument("--only", action="append", default=[], metavar="PREFIX",
                   help="sample only inputs whose key starts with PREFIX (repeatable), e.g. --only shenzhen --only policies.order_training")
    s.add_argument("--out", type=Path, help="output directory (default runs/sensitivity_SCENARIO_METHOD)")
    s.add_argument("--workers", type=int, help="local worker processes (default: the number of cores; 0 = in-process)")
    s.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    s.add_argument("--resume", action="store_true", help="reuse the runs already done in --out (interrupted or finished)")
    s.add_argument("--no-charts", action="store_true", help="skip sensitivity.png/.svg")


def _sensitivity_settings(args):
    from .sensitivity import METHODS, Settings

    if args.method not in METHODS:
        raise InputError("command line", "--method", f"must be one of {list(METHODS)}, got {args.method!r}")
    wrong = "--samples" if args.method == "morris" else "--trajectories"
    if getattr(args, wrong.lstrip("-")) is not None:
        raise InputError("command line", wrong, f"does not apply to --method {args.method} "
                         f"(use {'--trajectories' if args.method == 'morris' else '--samples'})")
    if args.workers is not None and (args.workers < 0 or args.scheduler):
        raise InputError("command line", "--workers", "must be >= 0, and not given with --scheduler")
    n = args.trajectories if args.method == "morris" else args.samples
    n = n if n is not None else (4 if args.method == "morris" else 16)
    only = tuple(o.strip() for o in args.only)
    if any(not o for o in only):
        raise InputError("command line", "--only", "must be a non-empty parameter key prefix, e.g. shenzhen")
    return Settings(args.scenario, args.method, n, args.scale, args.replicates, args.seed, args.end, only, args.noise_runs)


def cmd_sensitivity(args) -> int:
    from . import sensitivity as sens

    p = sens.plan(_sensitivity_settings(args))
    s = p.settings
    out = args.out or Path("runs") / f"sensitivity_{p.scenario.name}_{s.method}"
    sens.check_out(out, args.resume)
    if args.scheduler:                                  # unreachable scheduler: bad input, before anything is printed
        from .sweep import connect

        connect(args.scheduler).close()
    print(f"sim: {s.method} sensitivity of {p.scenario.name!r}: {len(p.chosen)} inputs ({len(p.excluded)} left out, "
          f"listed in excluded.csv), {len(p.X)} design points x {s.replicates} replicate(s) at scale {s.scale}, "
          f"seeds {s.seed}..{s.seed + s.replicates - 1} at every point, to {p.scenario.end}; "
          f"then {s.noise_runs} noise runs", file=sys.stderr)
    t0 = time.time()
    try:
        summary = sens.execute(p, out, args.workers, args.scheduler, args.resume)
    except KeyboardInterrupt:
        print(f"\nsim: interrupted; finished runs are kept in {sens.work_dir(out)}; continue with --resume", file=sys.stderr)
        return 130
    if summary["failed"]:
        print(f"sim: {summary['failed']} run(s) failed (errors in {sens.work_dir(out)}/runs.csv); nothing analysed; "
              "fix the cause and continue with --resume", file=sys.stderr)
        return 1
    table, outcomes = sens.analyse_runs(p, out)
    sens.write(p, out, table, outcomes, time.time() - t0, charts=not args.no_charts)
    print(format_sensitivity(table, outcomes, s.method))
    print(f"\nwrote {out}/ (sensitivity.csv, outcomes.csv, excluded.csv, sensitivity.json"
          + ("" if args.no_charts else ", sensitivity.png/.svg, sensitivity_charts/") + f", runs/) in {time.time() - t0:.1f} s")
    return 0


def format_sensitivity(table, outcomes, method: str) -> str:
    import pandas as pd

    from .sensitivity import top

    key, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    lines = []
    for outcome, t in top(table).items():
        o = outcomes[outcomes["outcome"] == outcome].iloc[0]
        pct = indicators.BY_ID[o["indicator"]].unit == "percent"
        fmt = (lambda v: f"{v:.2f} pp") if pct else (lambda v: f"{v:,.0f}")
        fmt = fmt if method == "morris" else (lambda v: f"{v:.2f}")
        comp = {"about": "≈", "=": "=", ">=": "≥", "<=": "≤"}.get(o["comparator"], o["comparator"])
        target = f"{o['target']:.2f}%" if pct else f"{o['target']:,.0f}"
        lines.append(f"{outcome} (target {comp}{target}): mean gap "
                     + (f"{o['gap_mean']:+.2f} pp" if pct else f"{o['gap_mean']:+,.0f}")
                     + (f", noise floor {fmt(o['noise_floor'])}" if "noise_floor" in o else "") + ", top inputs:")
        for i, (_, r) in enumerate(t.iterrows(), start=1):
            noise = "" if pd.isna(r["above_noise"]) or r["above_noise"] else "  (not clearly above the noise floor)"
            lines.append(f"    {i}. {r['parameter']:<58} {key} {fmt(r[key])} ± {fmt(r[conf])}{noise}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        commands = {"run": cmd_run, "attribute": cmd_attribute, "sweep": cmd_sweep, "compare": cmd_compare,
                    "calibrate": cmd_calibrate, "backcast": cmd_backcast, "list": cmd_list, "report": cmd_report,
                    "sensitivity": cmd_sensitivity}
        return commands[args.command](args)
    except InputError as exc:
        print(f"sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("sim: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
