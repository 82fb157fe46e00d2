"""The output: the files of a finished study (written atomically), its manifest, and the text summary
`sim sensitivity` prints."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from .methods import MORRIS_LEVELS
from .run import Plan, work_dir


def write(p: Plan, out: Path, table: pd.DataFrame, summary: pd.DataFrame, seconds: float, charts: bool = True) -> None:
    """DIR/sensitivity.csv, outcomes.csv, excluded.csv, manifest.json, sensitivity.png/.svg and runs/,
    written under a temporary name and renamed when complete."""
    import os

    from ..outputs import atomic_directory, write_manifest

    with atomic_directory(Path(out)) as tmp:
        table.to_csv(tmp / "sensitivity.csv", index=False)
        summary.to_csv(tmp / "outcomes.csv", index=False)
        pd.DataFrame([asdict(e) for e in p.excluded], columns=["key", "provenance", "value", "reason"]).to_csv(
            tmp / "excluded.csv", index=False)
        write_manifest(tmp, manifest(p, seconds))
        if charts:
            from ..charts import sensitivity_chart

            sensitivity_chart(table, summary, p.settings.method, tmp / "sensitivity")
        os.replace(work_dir(out), tmp / "runs")       # last: nothing above may fail after the runs moved


def manifest(p: Plan, seconds: float) -> dict:
    """`sim.outputs.manifest`, kind "sensitivity": the scenario as resolved, and the design as settings."""
    from importlib.metadata import version

    from ..outputs import manifest as result_manifest, scenario_entry

    s = p.settings
    entry = scenario_entry(p.scenario, provenance_counts=p.data.provenance_counts())
    design = {
        "method": s.method, "trajectories" if s.method == "morris" else "samples": s.n,
        "levels": MORRIS_LEVELS if s.method == "morris" else None, "sampler_seed": s.seed,
        "model_seeds": [s.seed + r for r in range(s.replicates)], "common_random_numbers": True,
        "scale": s.scale, "end": str(p.scenario.end), "only": list(s.only), "inputs": len(p.chosen),
        "excluded": len(p.excluded), "design_points": int(len(p.X)), "runs": int(len(p.X)) * s.replicates,
        "outcomes": [t["outcome"] for t in p.targets], "salib": version("SALib"), "seconds": round(seconds, 1),
        "noise_runs": s.noise_runs, "noise_seeds": list(range(s.seed, s.seed + s.noise_runs)),
        "gap": "projected - target, in the target's unit; cumulative targets use the period total; positive = above "
               "the target (good for >=, =, about; bad for <=)",
        "references": ["Morris (1991) Technometrics 33(2)", "Campolongo, Cariboni & Saltelli (2007) EMS 22(10)",
                       "Saltelli (2002) CPC 145(2)", "Saltelli et al. (2010) CPC 181(2)"],
    }
    return result_manifest("sensitivity", city=p.scenario.city, scenarios=[entry], **design)


def top(table: pd.DataFrame, n: int = 3) -> dict[str, pd.DataFrame]:
    """The n inputs that move each outcome most (by mu_star or ST)."""
    return {o: t.nsmallest(n, "rank") for o, t in table.groupby("outcome", sort=False)}


def format_sensitivity(table: pd.DataFrame, outcomes: pd.DataFrame, method: str) -> str:
    """The top inputs of each target gap, as the text `sim sensitivity` prints."""
    from ..indicators import BY_ID

    key, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    lines = []
    for outcome, t in top(table).items():
        o = outcomes[outcomes["outcome"] == outcome].iloc[0]
        pct = BY_ID[o["indicator"]].unit == "percent"
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
