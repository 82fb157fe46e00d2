"""`sim report`: one self-contained HTML file from run, sweep and compare directories.

The report is built only from the files those directories hold (annual.parquet or results/*.parquet,
manifest.json or sweep.json) and the city data file; nothing reruns. It has the target table (met or
not, probability, gap), one chart per target, each scenario's measures and timetable, the assumptions
used with their plausible ranges, and the source clause of every target. Charts are embedded as
base64 PNG and the CSS is inline: the file opens offline and can be mailed as it is. `lang="zh"`
gives Chinese labels, titles and headers (indicator names from `sim.indicators`, measure and scenario
names from the city data's `meta.labels_zh`); it needs a CJK font for the charts (`sim.style`).
The file is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import style
from .charts import chart_indicator, chart_subtitle, indicator_title, scenario_label
from .compare import first_met, load_annual
from .errors import InputError
from .indicators import BY_ID, INDICATORS
from .params import CityData, load_city
from .runner import code_revision, target_table

LANGS = ("zh", "en")
REPORT_DPI = 110                 # embedded charts: 1100 px wide, sharp in a browser, small file
TEXT = {
    "en": {"title": "Shanwei labour-market simulation: the plans' targets", "generated": "Generated",
           "inputs": "Inputs", "summary": "Summary", "targets": "Targets: projected versus planned",
           "charts": "One chart per target", "measures": "Measures and timetable", "assumptions": "Assumptions used",
           "sources": "Sources of the targets", "indicator": "Indicator", "year": "Year", "target": "Target",
           "scenario": "Scenario", "median": "Median (p10-p90)", "p_met": "P(met)", "gap": "Gap (median - target)",
           "verdict": "Verdict", "first": "First year met", "met": "met", "not_met": "not met",
           "n_met": "targets met in most replicates", "measure": "Measure", "clause": "Plan clause",
           "start": "Start", "full": "Full strength", "end": "End", "parameter": "Parameter", "value": "Value used",
           "range": "Plausible range", "unit": "Unit", "why": "Reasoning", "changed": "Set by this run or sweep",
           "all_assumptions": "All {n} assumptions these scenarios use, from the city data file (click to open)", "none": "none",
           "no_measures": "no measures (baseline)", "fact": "Fact id", "plans": "Plan documents",
           "swept": "swept", "replicates": "replicates", "runs": "runs", "scale": "1 agent = {k} persons",
           "timetable": "Timetable of the measures (light: ramping up; dark: full strength)",
           "how": ("Projections are medians across replicates (a sweep pools its runs, so its band also spans the "
                   "swept assumptions). A target is met in a replicate when the projection reaches it; '≈' and '=' "
                   "targets count as met within {tol:.0%} below. Targets are never used to fit the model."),
           "revision": "Code revision", "data": "City data", "cumulative": "total"},
    "zh": {"title": "汕尾市劳动力市场仿真：规划目标评估报告", "generated": "生成时间",
           "inputs": "输入", "summary": "概要", "targets": "规划目标：模拟预测与目标值对比",
           "charts": "各目标图表", "measures": "政策措施与实施时间表", "assumptions": "所用假设",
           "sources": "目标出处", "indicator": "指标", "year": "年份", "target": "目标值",
           "scenario": "情景", "median": "中位数（p10-p90）", "p_met": "达成概率", "gap": "差距（中位数−目标）",
           "verdict": "结论", "first": "首次达成年份", "met": "达成", "not_met": "未达成",
           "n_met": "项目标在多数重复运行中达成", "measure": "措施", "clause": "规划条款",
           "start": "开始", "full": "全面实施", "end": "结束", "parameter": "参数", "value": "取值",
           "range": "合理区间", "unit": "单位", "why": "依据（英文）", "changed": "本次运行或扫描设定的值",
           "all_assumptions": "本报告各情景所用的全部{n}项假设（来自城市数据文件，点击展开）", "none": "无",
           "no_measures": "无新措施（基准情景）", "fact": "数据编号", "plans": "规划文件",
           "swept": "扫描", "replicates": "次重复运行", "runs": "次运行", "scale": "1个主体代表{k}人",
           "timetable": "措施实施时间表（浅色：逐步推开；深色：全面实施）",
           "how": ("预测值为各次重复运行的中位数（参数扫描合并全部运行，区间同时反映假设的不确定性）。"
                   "某次运行的预测达到目标即计为达成；“≈”和“=”类目标低于目标值{tol:.0%}以内亦计为达成。"
                   "规划目标从未用于模型校准。"),
           "revision": "代码版本", "data": "城市数据", "cumulative": "累计"},
}


@dataclass
class ScenarioInfo:
    """What one scenario (or sweep) in the inputs used: measures, overrides, scale, replicates."""
    name: str
    source: Path
    kind: str                                        # run | sweep
    policies: dict[str, dict] = field(default_factory=dict)   # enabled measure -> its overrides
    overrides: dict = field(default_factory=dict)    # assumption path -> value (or swept spec)
    scale: int | None = None
    replicates: int | None = None


# -- reading the inputs ------------------------------------------------------------------------------
def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, "", f"cannot read ({exc.__class__.__name__}); is the directory complete?") from None


def _run_infos(path: Path) -> list[ScenarioInfo]:
    out = []
    for e in _read_json(path / "manifest.json").get("scenarios", []):
        resolved = e.get("resolved_scenario", {})
        chosen = {k: v for k, v in resolved.get("policies", {}).items() if v.get("enabled", True)}
        out.append(ScenarioInfo(e["scenario"], path, "run", chosen, dict(e.get("assumption_overrides", {})),
                                e.get("scale"), len(e.get("seeds", []))))
    return out


def _sweep_info(path: Path) -> ScenarioInfo:
    meta = _read_json(path / "sweep.json")
    try:
        spec = tomllib.loads(meta.get("spec", ""))
    except tomllib.TOMLDecodeError:
        spec = {}
    policies = {}
    if spec.get("base"):
        from . import scenario as scen
        try:
            base = scen.load(spec["base"], [])
            policies = {k: v for k, v in base.policies.items() if v.get("enabled", True)}
        except InputError:
            pass                                     # base scenario no longer at hand: measures unknown
    swept = {k.removeprefix("assumptions."): v for k, v in spec.get("parameters", {}).items()}
    runs = pd.read_csv(path / "runs.csv") if (path / "runs.csv").is_file() else pd.DataFrame()
    done = int((runs["status"] == "done").sum()) if "status" in runs else None
    return ScenarioInfo(meta.get("name", path.name), path, "sweep", policies, swept, spec.get("scale"), done)


def _expand(paths: list[Path]) -> list[Path]:
    """Check each directory; a compare directory stands for the directories it compared."""
    out = []
    for p in map(Path, paths):
        if not p.is_dir():
            raise InputError(p, "", "no such directory; give run, sweep or compare directories "
                             "(written by sim run, sim sweep, sim compare)")
        manifest = p / "manifest.json"
        if (p / "comparison.csv").is_file() and manifest.is_file():
            out += _expand([Path(c) for c in _read_json(manifest).get("compared", [])])
        elif (p / "annual.parquet").is_file() or (p / "results").is_dir():
            out.append(p)
        else:
            raise InputError(p, "", "not a run directory (annual.parquet), a sweep directory (results/) "
                             "or a compare directory (comparison.csv)")
    return out


def load_inputs(paths: list[Path]) -> tuple[pd.DataFrame, list[ScenarioInfo], CityData]:
    """Tidy annual rows of every input, what each scenario used, and the city data."""
    dirs = _expand(paths)
    annual = pd.concat([_annual(p) for p in dirs], ignore_index=True)
    infos = [i for p in dirs for i in (_run_infos(p) if (p / "annual.parquet").is_file() else [_sweep_info(p)])]
    names = [i.name for i in infos]
    if len(set(names)) < len(names):
        raise InputError("command line", "RUN_OR_SWEEP_DIR", f"scenario names must differ across inputs, got {names}")
    return annual, infos, load_city(_city_of(dirs[0]))


def _annual(path: Path) -> pd.DataFrame:
    try:
        return load_annual(path)
    except (OSError, ValueError, KeyError) as exc:      # pyarrow's errors are ValueErrors or OSErrors
        if isinstance(exc, InputError):
            raise
        raise InputError(path, "", f"cannot read its tables ({exc.__class__.__name__}); is the directory complete?") from None


def _city_of(path: Path) -> str:
    if (path / "manifest.json").is_file():
        for e in _read_json(path / "manifest.json").get("scenarios", []):
            return e.get("resolved_scenario", {}).get("run", {}).get("city", "shanwei")
    return "shanwei"


# -- tables ------------------------------------------------------------------------------------------
def target_rows(annual: pd.DataFrame, data: CityData, order: list[str]) -> pd.DataFrame:
    """The target table with the gap (median - target) and the first year the median meets it."""
    t = target_table(annual, data)
    t = t.merge(first_met(annual, data), on=["scenario", "indicator", "year", "period"], how="left")
    t["gap"] = t["p50"] - t["target"]
    rank = {i.id: k for k, i in enumerate(INDICATORS)}
    t["_i"], t["_s"] = t["indicator"].map(rank), t["scenario"].map({s: k for k, s in enumerate(order)})
    return t.sort_values(["_i", "year", "period", "_s"], kind="stable").drop(columns=["_i", "_s"]).reset_index(drop=True)


def timetable(data: CityData, infos: list[ScenarioInfo]) -> pd.DataFrame:
    """measure, start, full-strength and end months of every measure any scenario switches on."""
    rows = {}
    for info in infos:
        for name, over in info.policies.items():
            if name in rows:
                continue
            get = lambda k: over.get(k, data.get(f"policies.{name}.{k}"))  # noqa: E731
            start, ramp = str(get("start")), int(get("ramp_months"))
            rows[name] = {"measure": name, "start": start, "full": _add_months(start, ramp - 1), "end": str(get("end"))}
    return pd.DataFrame(list(rows.values()), columns=["measure", "start", "full", "end"])


def _add_months(month: str, n: int) -> str:
    y, m = map(int, month.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _year_frac(month: str) -> float:
    y, m = map(int, month.split("-"))
    return y + (m - 1) / 12


def assumptions_used(data: CityData, infos: list[ScenarioInfo]) -> tuple[list[dict], list[dict]]:
    """(what the inputs set or swept, every assumption of the measures used and of the city)."""
    enabled = {n for i in infos for n in i.policies}
    changed = [{"scenario": i.name, "path": k, "value": v, "param": data.params.get(k)}
               for i in infos for k, v in i.overrides.items()]
    changed += [{"scenario": i.name, "path": f"policies.{n}.{k}", "value": v, "param": data.params.get(f"policies.{n}.{k}")}
                for i in infos for n, over in i.policies.items() for k, v in over.items() if k != "enabled"]
    used = [p for p in data.assumptions() if not p.path.startswith("policies.") or p.path.split(".")[1] in enabled]
    return changed, [{"path": p.path, "value": p.value, "param": p} for p in used]


# -- HTML --------------------------------------------------------------------------------------------
def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _img(fig, alt: str) -> str:
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=REPORT_DPI)
    finally:
        style.plt.close(fig)
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode("ascii")}">'


def _fmt_signed(value: float, unit: str, lang: str) -> str:
    """A gap with its sign; rates in percentage points."""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if unit == "percent":
        return f"{sign}{abs(value):.2f} " + ("个百分点" if lang == "zh" else "pp")
    return sign + style.fmt(abs(value), unit)


def _when(row, lang: str) -> str:
    if row["period"]:
        return f"{row['period']} {TEXT[lang]['cumulative']}"
    return str(row["year"])


def _section_summary(t: pd.DataFrame, infos: list[ScenarioInfo], names: dict, lang: str, tol: float) -> str:
    tx = TEXT[lang]
    cards = []
    for info in infos:
        rows = t[t["scenario"] == info.name]
        n_met = int((rows["prob_met"] >= 0.5).sum())
        size = (f"{info.replicates} {tx['runs'] if info.kind == 'sweep' else tx['replicates']}" if info.replicates else "")
        scale = tx["scale"].format(k=info.scale) if info.scale else ""
        cards.append(f'<div class="card"><div class="name">{_e(names[info.name])}</div><div class="big">{n_met} / '
                     f'{len(rows)}</div><div>{_e(tx["n_met"])}</div><div class="small">{_e(size)}'
                     f'{"；" if lang == "zh" else "; "}{_e(scale)}</div></div>')
    return f'<div class="cards">{"".join(cards)}</div><p class="note">{_e(tx["how"].format(tol=tol))}</p>'


def _section_targets(t: pd.DataFrame, names: dict, lang: str) -> str:
    tx = TEXT[lang]
    rows, last = [], None
    for _, r in t.iterrows():
        ind = BY_ID[r["indicator"]]
        key = (r["indicator"], r["year"], r["period"])
        ok = r["prob_met"] >= 0.5
        first = "" if pd.isna(r["first_year_met"]) else str(int(r["first_year_met"]))
        rows.append([
            f"<b>{_e(indicator_title(r['indicator'], lang))}</b>" if last is None or r["indicator"] != last[0] else "",
            _e(_when(r, lang)) if key != last else "",
            _e(style.COMPARATOR_TEXT.get(r["comparator"], r["comparator"]) + style.fmt(r["target"], ind.unit)) if key != last else "",
            _e(names.get(r["scenario"], r["scenario"])),
            f'{_e(style.fmt(r["p50"], ind.unit))} <span class="small">({_e(style.fmt(r["p10"], ind.unit))}–'
            f'{_e(style.fmt(r["p90"], ind.unit))})</span>',
            f'<span class="{"ok" if ok else "no"}">{r["prob_met"]:.0%}</span>',
            _e(_fmt_signed(r["gap"], ind.unit, lang)),
            f'<span class="badge {"ok" if ok else "no"}">{_e(tx["met"] if ok else tx["not_met"])}</span>',
            _e(first or "–")])
        last = key
    return _table([tx["indicator"], tx["year"], tx["target"], tx["scenario"], tx["median"], tx["p_met"], tx["gap"],
                   tx["verdict"], tx["first"]], rows, "targets")


def _section_charts(annual: pd.DataFrame, t: pd.DataFrame, infos, data: CityData, names: dict, lang: str) -> str:
    scale = infos[0].scale if len({i.scale for i in infos}) == 1 else None
    subtitle = chart_subtitle(annual, scale, len(data.assumptions()), lang)
    parts = []
    for ind in INDICATORS:
        if ind.targeted and (t["indicator"] == ind.id).any():
            fig = chart_indicator(annual, t, ind.id, None, subtitle, lang, names)
            parts.append(f'<figure id="chart-{ind.id}">{_img(fig, indicator_title(ind.id, lang))}</figure>')
    return "".join(parts)


def _measure_name(name: str, data: CityData, lang: str) -> str:
    zh = data.meta.get("labels_zh", {}).get("policies", {}).get(name)
    return zh if lang == "zh" and zh else name.replace("_", " ")


def _timetable_chart(tt: pd.DataFrame, data: CityData, lang: str):
    tt = tt.sort_values("start", kind="stable").reset_index(drop=True)
    with style.figure(lang, (style.SLIDE[0], max(3.0, 0.34 * len(tt) + 1.4))) as (fig, ax):
        for i, r in tt.iterrows():
            s, f, e = _year_frac(r["start"]), _year_frac(r["full"]), _year_frac(r["end"]) + 1 / 12
            ax.barh(i, f + 1 / 12 - s, left=s, color=style.COLOURS[0], alpha=0.35, height=0.6)
            ax.barh(i, max(e - f - 1 / 12, 0), left=f + 1 / 12, color=style.COLOURS[0], height=0.6)
        ax.set_yticks(range(len(tt)), [_measure_name(m, data, lang) for m in tt["measure"]], fontsize=10)
        ax.invert_yaxis()
        ax.set_xlim(2021, 2026)
        ax.xaxis.set_major_locator(style.ticker.MultipleLocator(1))
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return fig


def _section_measures(infos: list[ScenarioInfo], data: CityData, names: dict, lang: str) -> str:
    from .policies import all_policies

    tx, registry = TEXT[lang], all_policies()
    tt = timetable(data, infos).set_index("measure") if any(i.policies for i in infos) else None
    parts = []
    for info in infos:
        parts.append(f"<h3>{_e(names[info.name])}</h3>")
        if not info.policies:
            parts.append(f"<p>{_e(tx['no_measures'])}</p>")
            continue
        rows = []
        for m in sorted(info.policies, key=lambda m: tt.loc[m, "start"]):
            cls = registry.get(m)
            rows.append([_e(_measure_name(m, data, lang)), _e(cls.source if cls else ""),
                         _e(tt.loc[m, "start"]), _e(tt.loc[m, "full"]), _e(tt.loc[m, "end"])])
        parts.append(_table([tx["measure"], tx["clause"], tx["start"], tx["full"], tx["end"]], rows, "measures"))
    if tt is not None:
        parts.append(f'<figure>{_img(_timetable_chart(tt.reset_index(), data, lang), tx["timetable"])}'
                     f'<figcaption>{_e(tx["timetable"])}</figcaption></figure>')
    return "".join(parts)


def _param_row(path: str, value, p, lang: str, scenario: str | None = None) -> list[str]:
    rng = f"{p.range[0]} – {p.range[1]}" if p is not None and p.range else ""
    if isinstance(value, dict) and {"low", "high"} <= set(value):
        value = f"{TEXT[lang]['swept']} {value['low']} – {value['high']}"
    elif isinstance(value, list) and scenario is not None:
        value = f"{TEXT[lang]['swept']} {value}"
    why = (p.meta.get("reasoning") or p.source) if p is not None else ""
    row = [f"<code>{_e(path)}</code>", _e(value), _e(rng), _e(p.unit if p is not None else ""), _e(why)]
    return ([_e(scenario)] if scenario is not None else []) + row


def _section_assumptions(infos: list[ScenarioInfo], data: CityData, names: dict, lang: str) -> str:
    tx = TEXT[lang]
    changed, used = assumptions_used(data, infos)
    head = [tx["parameter"], tx["value"], tx["range"], tx["unit"], tx["why"]]
    out = [f"<h3>{_e(tx['changed'])}</h3>"]
    out.append(_table([tx["scenario"]] + head, [_param_row(c["path"], c["value"], c["param"], lang,
                                                            names.get(c["scenario"], c["scenario"])) for c in changed],
                      "params") if changed else f"<p>{_e(tx['none'])}</p>")
    rows = [_param_row(u["path"], u["value"], u["param"], lang) for u in used]
    out.append(f"<details><summary>{_e(tx['all_assumptions'].format(n=len(rows)))}</summary>"
               f"{_table(head, rows, 'params')}</details>")
    return "".join(out)


def _section_sources(data: CityData, lang: str) -> str:
    tx = TEXT[lang]
    rows = []
    for t in data.targets:
        ind = BY_ID[t["indicator"]]
        when = f"{t['period'][0]}-{t['period'][1]} {tx['cumulative']}" if t.get("period") else str(t["year"])
        rows.append([_e(indicator_title(t["indicator"], lang)), _e(when),
                     _e(style.COMPARATOR_TEXT.get(t["comparator"], t["comparator"]) + style.fmt(t["value"], ind.unit)),
                     _e(t["source"]), f"<code>{_e(t.get('fact_id', ''))}</code>"])
    plans = "".join(f"<li><b>{_e(k)}</b> {_e(v.get(lang, v.get('en', '')))} <span class='small'>({_e(v.get('file', ''))})"
                    f"</span></li>" for k, v in data.meta.get("plans", {}).items())
    return (_table([tx["indicator"], tx["year"], tx["target"], tx["clause"], tx["fact"]], rows, "sources")
            + (f"<h3>{_e(tx['plans'])}</h3><ul>{plans}</ul>" if plans else ""))


# -- the page ----------------------------------------------------------------------------------------
CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
 "Helvetica Neue",Arial,sans-serif;color:#222;max-width:1180px;margin:24px auto;padding:0 24px;line-height:1.5}
h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;border-bottom:2px solid #1f5fa8;padding-bottom:4px;margin-top:36px}
h3{font-size:16px;margin:18px 0 6px}.meta{color:#555;font-size:13px}.note{color:#444;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:8px 0}
th{background:#1f5fa8;color:#fff;text-align:left;padding:6px 8px;font-weight:600}
td{padding:5px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}tbody tr:nth-child(even){background:#f6f8fa}
.targets td:nth-child(n+5){white-space:nowrap}.small{color:#666;font-size:12px}
.ok{color:#2b9348;font-weight:600}.no{color:#c1121f;font-weight:600}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;color:#fff !important}
.badge.ok{background:#2b9348}.badge.no{background:#c1121f}
.cards{display:flex;gap:16px;flex-wrap:wrap;margin:10px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 18px;min-width:220px;background:#fafbfc}
.card .big{font-size:30px;font-weight:700;color:#1f5fa8}.card .name{font-weight:600;margin-top:4px}
figure{margin:18px 0;page-break-inside:avoid}figure img{width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:13px}code{font-size:12px;color:#333}
details summary{cursor:pointer;color:#1f5fa8;margin:8px 0}
.sources td:nth-child(4){min-width:320px}.sources td:nth-child(5) code{font-size:11px;word-break:break-all}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
"""


def build_html(paths: list[Path], lang: str = "zh") -> str:
    """The whole report as one HTML string (charts embedded)."""
    if lang not in LANGS:
        raise InputError("command line", "--lang", f"{lang!r} is not allowed; choose one of {list(LANGS)}")
    if lang == "zh":
        style.require_cjk_font()
    annual, infos, data = load_inputs(paths)
    tx = TEXT[lang]
    names = {i.name: scenario_label(i.name, lang, data.meta) for i in infos}
    t = target_rows(annual, data, [i.name for i in infos])
    tol = data.get("target_rules.about_tolerance")
    sections = [("summary", _section_summary(t, infos, names, lang, tol)), ("targets", _section_targets(t, names, lang)),
                ("charts", _section_charts(annual, t, infos, data, names, lang)),
                ("measures", _section_measures(infos, data, names, lang)),
                ("assumptions", _section_assumptions(infos, data, names, lang)), ("sources", _section_sources(data, lang))]
    inputs = "; ".join(f"{names[i.name]} ← {i.source}" for i in infos)
    meta = (f"{tx['generated']}: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · {tx['inputs']}: {inputs} · "
            f"{tx['revision']}: {code_revision()[:12]} · {tx['data']}: {Path(data.where).name}")
    body = "".join(f'<h2 id="{k}">{_e(tx[k])}</h2>{v}' for k, v in sections)
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(tx["title"])}</title>'
            f'<style>{CSS}</style></head><body><h1>{_e(tx["title"])}</h1><div class="meta">{_e(meta)}</div>'
            f'{body}</body></html>')


def write_report(paths: list[Path], out: Path, lang: str = "zh") -> Path:
    """Build the report and write it to `out` atomically; nothing is written if anything fails."""
    out = Path(out)
    if out.is_dir():
        raise InputError("command line", "--out", f"{out} is a directory; give a file name such as report.html")
    if not out.parent.exists():
        raise InputError("command line", "--out", f"folder {out.parent} does not exist")
    text = build_html(paths, lang)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
