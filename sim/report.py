"""`sim report`: one self-contained HTML file from run, sweep, forecast and compare directories.

The report is built only from the files those directories hold (read by `sim.report_inputs`) and the
city data file; nothing reruns. It has the target table (met or
not, probability, gap), one chart per target, each scenario's measures and timetable, the assumptions
used with their plausible ranges, and the source clause of every target. Charts are embedded as
base64 PNG and the CSS is inline: the file opens offline and can be mailed as it is. `lang="zh"`
gives Chinese labels, titles and headers (words from `sim.locale`, indicator names from
`sim.indicators`, measure and scenario names from the city data's `meta.labels_zh`); it needs a CJK
font for the charts (`sim.charts.style`). This module prepares the data (rows of text, base64 charts);
the page is laid out by the template `sim/templates/report.html.j2` with `report.css` inlined
(`sim.render`). The file is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from . import locale
from .charts import chart_indicator, chart_subtitle, indicator_title, scenario_label, style, timetable_chart
from .compare import first_met
from .errors import InputError
from .indicators import BY_ID, INDICATORS
from .params import CityData
from .render import render
from .report_inputs import ScenarioInfo, forecast_targets, load_inputs
from .outputs import atomic_write_text, code_revision
from .runner import delivered, target_table

LANGS = ("zh", "en")
REPORT_DPI = 110                 # embedded charts: 1100 px wide, sharp in a browser, small file


# -- tables ------------------------------------------------------------------------------------------
def target_rows(annual: pd.DataFrame, data: CityData, order: list[str]) -> pd.DataFrame:
    """The target table with the gap (median - target) and the first year the median meets it."""
    t = target_table(annual, data)
    t = t.merge(first_met(annual, data), on=["scenario", "indicator", "year", "period"], how="left")
    t["gap"] = t["p50"] - t["target"]
    rank = {i.id: k for k, i in enumerate(INDICATORS)}
    t["_i"], t["_s"] = t["indicator"].map(rank), t["scenario"].map({s: k for k, s in enumerate(order)})
    return t.sort_values(["_i", "year", "period", "_s"], kind="stable").drop(columns=["_i", "_s"]).reset_index(drop=True)


def with_forecasts(t: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """The target rows with a forecast's own P(met), its standard error and `delivered_by_assumption`
    where the forecast has them (its P(met) may be weighted by observed outturns)."""
    if forecast.empty:
        return t.assign(prob_met_se=np.nan, delivered_by_assumption=False)
    keys = ["scenario", "indicator", "year", "period"]
    cols = [c for c in ("prob_met_se", "delivered_by_assumption", "status") if c in forecast]
    f = forecast[[*keys, "prob_met", *cols]].rename(columns={"prob_met": "_p", "status": "_status"})
    out = t.merge(f, on=keys, how="left")
    out["prob_met"] = out["_p"].fillna(out["prob_met"])
    if "_status" in out:
        out["status"] = out["_status"].fillna(out["status"]) if "status" in out else out["_status"]
    out = out.drop(columns=[c for c in ("_p", "_status") if c in out])
    return out.assign(delivered_by_assumption=out["delivered_by_assumption"].fillna(False).astype(bool))


def how(tx: dict, tol: float, infos: list[ScenarioInfo]) -> str:
    """How to read the target table: replicates at fixed parameters, and for a forecast what it varied."""
    text = tx["how"].format(tol=tol)
    forecasts = [i for i in infos if i.kind == "forecast"]
    if forecasts:
        text += " " + tx["how_forecast"].format(runs=forecasts[0].replicates)
    return text


def timetable(data: CityData, infos: list[ScenarioInfo]) -> pd.DataFrame:
    """measure, start, full-strength and end months of every measure any scenario switches on."""
    rows = {}
    for info in infos:
        for name, over in info.policies.items():
            if name in rows:
                continue
            def get(k, over=over, name=name):
                return over.get(k, data.get(f"policies.{name}.{k}"))
            start, ramp = str(get("start")), int(get("ramp_months"))
            rows[name] = {"measure": name, "start": start, "full": _add_months(start, ramp - 1), "end": str(get("end"))}
    return pd.DataFrame(list(rows.values()), columns=["measure", "start", "full", "end"])


def _add_months(month: str, n: int) -> str:
    y, m = map(int, month.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def assumptions_used(data: CityData, infos: list[ScenarioInfo]) -> tuple[list[dict], list[dict]]:
    """(what the inputs set or swept, every assumption of the measures used and of the city)."""
    enabled = {n for i in infos for n in i.policies}
    changed = [{"scenario": i.name, "path": k, "value": v, "param": data.params.get(k)}
               for i in infos for k, v in i.overrides.items()]
    changed += [{"scenario": i.name, "path": f"policies.{n}.{k}", "value": v, "param": data.params.get(f"policies.{n}.{k}")}
                for i in infos for n, over in i.policies.items() for k, v in over.items() if k != "enabled"]
    used = [p for p in data.assumptions() if not p.path.startswith("policies.") or p.path.split(".")[1] in enabled]
    return changed, [{"path": p.path, "value": p.value, "param": p} for p in used]


# -- data for the template (sim/templates/report.html.j2) -------------------------------------------
def _s(x) -> str:
    """A cell's text: None is empty."""
    return "" if x is None else str(x)


def _png(fig) -> str:
    """The figure as base64 PNG, to embed in the page; closes the figure."""
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=REPORT_DPI)
    finally:
        style.plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt_signed(value: float, unit: str, lang: str) -> str:
    """A gap with its sign; rates in percentage points."""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if unit == "percent":
        return f"{sign}{abs(value):.2f} " + locale.text("report.points", lang)
    return sign + style.fmt(abs(value), unit)


def _level(comparator: str, value: float, unit: str) -> str:
    return style.COMPARATOR_TEXT.get(comparator, comparator) + style.fmt(value, unit)


def _when(row, lang: str) -> str:
    if row["period"]:
        return f"{row['period']} {locale.text('report.cumulative', lang)}"
    return str(row["year"])


def summary_cards(t: pd.DataFrame, infos: list[ScenarioInfo], names: dict, lang: str) -> list[dict]:
    """Per scenario: how many of its targets are met in most replicates, its size and scale."""
    tx = locale.strings(lang, "report.")
    cards = []
    for info in infos:
        rows = t[t["scenario"] == info.name]
        size = (f"{info.replicates} {tx['runs'] if info.kind == 'sweep' else tx['replicates']}" if info.replicates else "")
        cards.append({"name": names[info.name], "n_met": int((rows["prob_met"] >= 0.5).sum()), "n": len(rows),
                      "size": size, "scale": tx["scale"].format(k=info.scale) if info.scale else ""})
    return cards


def target_cells(t: pd.DataFrame, names: dict, lang: str) -> list[dict]:
    """The target table's rows as text; indicator, year and target are shown once per group of scenarios."""
    rows, last = [], None
    for _, r in t.iterrows():
        ind = BY_ID[r["indicator"]]
        key = (r["indicator"], r["year"], r["period"])
        first = "" if pd.isna(r["first_year_met"]) else str(int(r["first_year_met"]))
        rows.append({
            "indicator": indicator_title(r["indicator"], lang) if last is None or r["indicator"] != last[0] else "",
            "when": _when(r, lang) if key != last else "",
            "target": _level(r["comparator"], r["target"], ind.unit) if key != last else "",
            "scenario": _s(names.get(r["scenario"], r["scenario"])),
            "median": style.fmt(r["p50"], ind.unit), "p10": style.fmt(r["p10"], ind.unit), "p90": style.fmt(r["p90"], ind.unit),
            "ok": bool(r["prob_met"] >= 0.5), "p_met": _p_met(r, lang), "assumed": bool(r.get("delivered_by_assumption")),
            "gap": _fmt_signed(r["gap"], ind.unit, lang),
            "first": first or "–"})
        last = key
    return rows


def _p_met(r, lang: str) -> str:
    """P(met) as text: "input" when delivered by assumption, with ± its standard error from a forecast."""
    if delivered(r):
        return locale.text("report.assumed", lang)
    se = r.get("prob_met_se")
    return f"{r['prob_met']:.0%}" + (f" ± {se:.0%}" if se is not None and se == se else "")


def target_charts(annual: pd.DataFrame, t: pd.DataFrame, infos, data: CityData, names: dict, lang: str) -> list[dict]:
    """One embedded chart per targeted indicator: id, alt text, base64 PNG."""
    scale = infos[0].scale if len({i.scale for i in infos}) == 1 else None
    subtitle = chart_subtitle(annual, scale, len(data.assumptions()), lang)
    return [{"id": ind.id, "alt": indicator_title(ind.id, lang),
             "png": _png(chart_indicator(annual, t, ind.id, None, subtitle, lang, names))}
            for ind in INDICATORS if ind.targeted and (t["indicator"] == ind.id).any()]


def _measure_name(name: str, data: CityData, lang: str) -> str:
    zh = data.meta.get("labels_zh", {}).get("policies", {}).get(name)
    return zh if lang == "zh" and zh else name.replace("_", " ")


def measure_tables(infos: list[ScenarioInfo], data: CityData, names: dict, lang: str) -> tuple[list[dict], str | None]:
    """Per scenario its measures with clause and timetable (sorted by start), and the timetable chart (base64 PNG)."""
    from .policies import all_policies

    registry = all_policies()
    tt = timetable(data, infos).set_index("measure") if any(i.policies for i in infos) else None
    blocks = []
    for info in infos:
        rows = []
        for m in sorted(info.policies, key=lambda m: tt.loc[m, "start"]):
            cls = registry.get(m)
            rows.append({"measure": _measure_name(m, data, lang), "clause": _s(cls.source if cls else ""),
                         "start": tt.loc[m, "start"], "full": tt.loc[m, "full"], "end": tt.loc[m, "end"]})
        blocks.append({"name": names[info.name], "rows": rows})
    chart = None
    if tt is not None:
        bars = tt.reset_index()
        bars["label"] = [_measure_name(m, data, lang) for m in bars["measure"]]
        chart = _png(timetable_chart(bars, lang))
    return blocks, chart


def _param_row(path: str, value, p, lang: str, scenario: str | None = None) -> dict:
    rng = f"{p.range[0]} – {p.range[1]}" if p is not None and p.range else ""
    swept = locale.text("report.swept", lang)
    if isinstance(value, dict) and {"low", "high"} <= set(value):
        value = f"{swept} {value['low']} – {value['high']}"
    elif isinstance(value, list) and scenario is not None:
        value = f"{swept} {value}"
    why = (p.meta.get("reasoning") or p.source) if p is not None else ""
    row = {"path": path, "value": _s(value), "range": rng, "unit": _s(p.unit if p is not None else ""), "why": _s(why)}
    return ({"scenario": scenario} if scenario is not None else {}) | row


def assumption_rows(infos: list[ScenarioInfo], data: CityData, names: dict, lang: str) -> tuple[list[dict], list[dict]]:
    """(the values the inputs set or swept, with their scenario; every assumption the scenarios use)."""
    changed, used = assumptions_used(data, infos)
    return ([_param_row(c["path"], c["value"], c["param"], lang, _s(names.get(c["scenario"], c["scenario"]))) for c in changed],
            [_param_row(u["path"], u["value"], u["param"], lang) for u in used])


def source_rows(data: CityData, lang: str) -> tuple[list[dict], list[dict]]:
    """(every target with its level, clause and fact id; the plan documents)."""
    rows = []
    for t in data.targets:
        ind = BY_ID[t.indicator]
        when = f"{t.period[0]}-{t.period[1]} {locale.text('report.cumulative', lang)}" if t.period else str(t.year)
        rows.append({"indicator": indicator_title(t.indicator, lang), "when": when,
                     "target": _level(t.comparator, t.value, ind.unit), "clause": _s(t.source),
                     "fact": _s(t.fact_id or "")})
    plans = dict(data.meta.get("plans", {}))
    for f in data.target_files:                       # a target file's plan the labels do not list (a scenario's)
        plans.setdefault(f.plan.get("ref", Path(f.path).name), f.plan)
    return rows, [{"id": k, "name": _s(v.get(lang, v.get("en", ""))), "file": _s(v.get("file", ""))}
                  for k, v in plans.items()]


# -- the page ----------------------------------------------------------------------------------------
def build_html(paths: list[Path], lang: str = "zh") -> str:
    """The whole report as one HTML string (charts embedded), rendered from report.html.j2."""
    if lang not in LANGS:
        raise InputError("command line", "--lang", f"{lang!r} is not allowed; choose one of {list(LANGS)}")
    if lang == "zh":
        style.require_cjk_font()
    annual, infos, data = load_inputs(paths)
    tx = locale.strings(lang, "report.")
    tx["title"] = tx["title"].format(city=data.meta["name_zh" if lang == "zh" else "city"])   # the city file names it
    names = {i.name: scenario_label(i.name, lang, data.meta) for i in infos}
    forecasts = forecast_targets(list(dict.fromkeys(i.source for i in infos if i.kind == "forecast")))
    t = with_forecasts(target_rows(annual, data, [i.name for i in infos]), forecasts)
    tol = data.get("target_rules.about_tolerance")
    inputs = "; ".join(f"{names[i.name]} ← {i.source}" for i in infos)
    meta = (f"{tx['generated']}: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · {tx['inputs']}: {inputs} · "
            f"{tx['revision']}: {code_revision()[:12]} · {tx['data']}: {Path(data.where).name}")
    measures, timetable_png = measure_tables(infos, data, names, lang)
    changed, used = assumption_rows(infos, data, names, lang)
    sources, plans = source_rows(data, lang)
    return render("report.html.j2", tx=tx, html_lang=tx["html_lang"], meta=meta,
                  cards=summary_cards(t, infos, names, lang), how=how(tx, tol, infos),
                  targets=target_cells(t, names, lang), charts=target_charts(annual, t, infos, data, names, lang),
                  measures=measures, timetable=timetable_png, changed=changed, used=used,
                  all_assumptions=tx["all_assumptions"].format(n=len(used)), sources=sources, plans=plans)


def write_report(paths: list[Path], out: Path, lang: str = "zh") -> Path:
    """Build the report and write it to `out` atomically; nothing is written if anything fails."""
    out = Path(out)
    if out.is_dir():
        raise InputError("command line", "--out", f"{out} is a directory; give a file name such as report.html")
    if not out.parent.exists():
        raise InputError("command line", "--out", f"folder {out.parent} does not exist")
    atomic_write_text(out, build_html(paths, lang))
    return out
