"""What `sim calibrate` writes (sim/smm.py fits): fit.csv, parameters.csv, evaluations.csv, fit.md
(template fit.md.j2), the manifest, and the fitted values in the data file (comments kept).

`fit` arguments are `sim.smm.Fit` results (not imported here: smm imports this module)."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError
from .outputs import atomic_write_text
from .params import CityData, load_city


# -- tables -----------------------------------------------------------------------------------------
def fit_report(fit) -> pd.DataFrame:
    """Each moment: role, observed, sigma (fitted rows), model before and after, error after (percent),
    and whether a fitted moment is fit (|m - d| <= 2 sigma)."""
    before = fit.table_start.set_index("moment")["simulated"]
    t = fit.table_best.copy()
    t.insert(3, "simulated_before", t["moment"].map(before))
    sigma = dict(zip(fit.moments.indicators, fit.moments.sigma, strict=True))
    t.insert(t.columns.get_loc("observed") + 1, "sigma", t["moment"].map(sigma))
    z = (t["simulated"] - t["observed"]) / t["sigma"]
    t["fits"] = [bool(abs(v) <= 2.0) if not math.isnan(v) else None for v in z]
    return t.rename(columns={"simulated": "simulated_after"})


def parameter_report(fit, data: CityData) -> pd.DataFrame:
    """Each fitted parameter before and after, its standard error, interval and identification."""
    rows = []
    for i, n in enumerate(fit.names):
        e = fit.estimates[i] if fit.estimates else None
        rows.append({"parameter": n, "before": fit.start[n], "after": fit.best[n],
                     "se": e.se if e else math.nan, "ci_low": e.ci_low if e else math.nan,
                     "ci_high": e.ci_high if e else math.nan, "identified": e.identified if e else None,
                     "identification": (e.why or "identified") if e else "not computed (budget)",
                     "range_low": fit.ranges[n][0], "range_high": fit.ranges[n][1], "unit": data.params[n].unit})
    return pd.DataFrame(rows)


def objective_summary(fit, budget: int) -> dict:
    """The objective, the J test and the evaluation counts, for fit.md and the manifest."""
    o = fit.overid
    noise = (f"sd_sim over {fit.seeds} seeds at the start point" if fit.seeds > 1 else
             "one seed: simulation noise not estimated, sigma = sd_data alone")
    return {"j_start": fit.objective_start, "j_best": fit.objective_best, "moments": len(fit.moments.indicators),
            "parameters": len(fit.names), "dof": o.dof, "p_value": o.p_value, "verdict": o.verdict, "noise": noise,
            "search": fit.evaluations("search"), "jacobian": fit.evaluations("jacobian"), "budget": budget,
            "step": fit.step, "not_fit": [i for i, r in zip(fit.moments.indicators, fit.moments.residuals(fit.table_best),
                                                             strict=True) if abs(r) > 2.0]}


def note_text(fit, scale: int, seeds: list[int]) -> str:
    o = fit.overid
    test = "exactly identified" if o.p_value is None else f"J test p {o.p_value:.2g} ({o.dof} dof)"
    return (f"fitted by `sim calibrate` on {dt.date.today().isoformat()}: back-cast 2016-2020 at scale {scale}, "
            f"seeds {seeds}, {len(fit.history)} evaluations, objective {fit.objective_start:.2g} -> "
            f"{fit.objective_best:.2g}, {test}")


def fit_markdown(objective: dict, report: pd.DataFrame, params: pd.DataFrame, note: str) -> str:
    """fit.md (template fit.md.j2): the objective and J test, the parameters with their standard errors,
    and every moment with its role, sigma and whether it is fit."""
    from .render import render

    return render("fit.md.j2", note=note, objective=objective, parameters=params.to_dict("records"),
                  moments=report.to_dict("records"))


def write_calibration(out, fit, city: str, scale: int, seeds: list[int], write_data: bool = True,
                      budget: int | None = None) -> str:
    """The fit report (atomic directory) and, unless told not to, the fitted values in the data file."""
    from .backcast import provenance_manifest
    from .outputs import atomic_directory, write_manifest
    from .params import resolve_city_path

    data = load_city(city)
    note = note_text(fit, scale, seeds)
    report, params, summary = fit_report(fit), parameter_report(fit, data), objective_summary(fit, budget or len(fit.history))
    text = fit_markdown(summary, report, params, note)
    manifest = provenance_manifest(city, scale, seeds, kind="calibration", budget=summary["budget"],
                                   evaluations=len(fit.history), objective=fit.objective_best, dof=summary["dof"],
                                   p_value=summary["p_value"], verdict=summary["verdict"], fitted=fit.best,
                                   finite_difference_step=fit.step, wrote_data_file=write_data)
    with atomic_directory(Path(out)) as tmp:
        report.to_csv(tmp / "fit.csv", index=False)
        params.to_csv(tmp / "parameters.csv", index=False)
        pd.DataFrame(fit.history).to_csv(tmp / "evaluations.csv", index=False)
        (tmp / "fit.md").write_text(text, encoding="utf-8")
        write_manifest(tmp, manifest)
    if write_data:
        ses = {n: e.se for n, e in zip(fit.names, fit.estimates, strict=True)} if fit.estimates else {}
        write_values(resolve_city_path(city), fit.best, note, ses)
    return text


# -- writing the data file --------------------------------------------------------------------------
def write_values(path: Path, values: dict[str, float], note: str, ses: dict[str, float] | None = None) -> None:
    """Replace each parameter's `value:` (and `note:`) line in the YAML text, keeping comments; atomic.
    `ses` are the fit's standard errors: each finite one is written as the parameter's `se:`; a parameter
    without one (not computed, or not identified: infinite) loses any `se:` an earlier fit wrote."""
    text = Path(path).read_text(encoding="utf-8")
    for name, value in values.items():
        text = _replace_in_block(text, name, "value", _fmt(value), path)
        text = _replace_in_block(text, name, "note", _quote(note), path, insert_after="value")
        se = (ses or {}).get(name, math.inf)
        text = (_replace_in_block(text, name, "se", _fmt(se), path, insert_after="note") if math.isfinite(se)
                else _drop_from_block(text, name, "se", path))
    CityData(yaml.safe_load(text), str(path))          # the result must still load
    atomic_write_text(Path(path), text)


def _drop_from_block(text: str, name: str, key: str, where) -> str:
    lines = text.split("\n")
    start, end, indent = _block(lines, name, where)
    return "\n".join(line for i, line in enumerate(lines) if not (start <= i < end and line.startswith(f"{indent}{key}:")))


def _block(lines: list[str], name: str, where) -> tuple[int, int, str]:
    """Line span of parameter `a.b.c`'s block in a block-style YAML file, and its key indent."""
    start, end, indent = 0, len(lines), ""
    for depth, key in enumerate(name.split(".")):
        indent = "  " * depth
        pattern = re.compile(rf"^{indent}{re.escape(key)}:\s*(#.*)?$")
        hit = next((i for i in range(start, end) if pattern.match(lines[i])), None)
        if hit is None:
            raise InputError(where, name, "not found as a block-style parameter; edit the file by hand")
        start = hit + 1
        end = next((i for i in range(start, end) if lines[i].strip() and not lines[i].startswith(indent + " ")), end)
    return start, end, indent + "  "


def _replace_in_block(text: str, name: str, key: str, value: str, where, insert_after: str | None = None) -> str:
    lines = text.split("\n")
    start, end, indent = _block(lines, name, where)
    for i in range(start, end):
        if lines[i].startswith(f"{indent}{key}:"):
            lines[i] = f"{indent}{key}: {value}"
            return "\n".join(lines)
    if insert_after is None:
        raise InputError(where, name, f"has no '{key}:' line")
    after = next(i for i in range(start, end) if lines[i].startswith(f"{indent}{insert_after}:"))
    lines.insert(after + 1, f"{indent}{key}: {value}")
    return "\n".join(lines)


def written(value: float) -> float:
    """A fitted value at the precision written into the data file (4 significant digits)."""
    return float(f"{value:.4g}")


def _fmt(value: float) -> str:
    return repr(written(value))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
