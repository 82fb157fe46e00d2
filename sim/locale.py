"""Every user-facing text in English and Chinese: the report's headings and labels, the charts' labels,
titles and footnotes, unit names.

Texts are looked up by a dotted key (`report.*` for the HTML report, `chart.*` for the charts'
marks and axes, `subtitle.*`, `waterfall.*`, `effects.*` for chart titles and footnotes, `unit.*`
for indicator units, `label.*` for names built from the city data's labels). Some texts are format
strings with named fields (`{tol:.0%}`, `{n}`); `text(key, lang, **fields)` fills them in.
`text` and `strings` raise `LocaleError`, naming the key or the language and what is allowed, for a
key or a language that is not here; every key has both languages (tested).

Indicator names live with the indicators (`sim.indicators`: name_zh, name_en), and measure and
scenario names in the city data (`meta.labels_zh`); the back-cast, calibration and sensitivity
outputs are English only and keep their texts with their charts and templates.
"""

from __future__ import annotations

LANGS = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = {
    # -- the HTML report (sim report) -------------------------------------------------------------
    "report.title": {"en": "{city} labour-market simulation: the plans' targets",
                     "zh": "{city}劳动力市场仿真：规划目标评估报告"},
    "report.generated": {"en": "Generated", "zh": "生成时间"},
    "report.inputs": {"en": "Inputs", "zh": "输入"},
    "report.summary": {"en": "Summary", "zh": "概要"},
    "report.targets": {"en": "Targets: projected versus planned", "zh": "规划目标：模拟预测与目标值对比"},
    "report.charts": {"en": "One chart per target", "zh": "各目标图表"},
    "report.measures": {"en": "Measures and timetable", "zh": "政策措施与实施时间表"},
    "report.assumptions": {"en": "Assumptions used", "zh": "所用假设"},
    "report.sources": {"en": "Sources of the targets", "zh": "目标出处"},
    "report.indicator": {"en": "Indicator", "zh": "指标"},
    "report.year": {"en": "Year", "zh": "年份"},
    "report.target": {"en": "Target", "zh": "目标值"},
    "report.scenario": {"en": "Scenario", "zh": "情景"},
    "report.median": {"en": "Median (p10-p90)", "zh": "中位数（p10-p90）"},
    "report.p_met": {"en": "P(met)", "zh": "达成概率"},
    "report.gap": {"en": "Gap (median - target)", "zh": "差距（中位数−目标）"},
    "report.verdict": {"en": "Verdict", "zh": "结论"},
    "report.first": {"en": "First year met", "zh": "首次达成年份"},
    "report.met": {"en": "met", "zh": "达成"},
    "report.not_met": {"en": "not met", "zh": "未达成"},
    "report.n_met": {"en": "targets met in most replicates", "zh": "项目标在多数重复运行中达成"},
    "report.measure": {"en": "Measure", "zh": "措施"},
    "report.clause": {"en": "Plan clause", "zh": "规划条款"},
    "report.start": {"en": "Start", "zh": "开始"},
    "report.full": {"en": "Full strength", "zh": "全面实施"},
    "report.end": {"en": "End", "zh": "结束"},
    "report.parameter": {"en": "Parameter", "zh": "参数"},
    "report.value": {"en": "Value used", "zh": "取值"},
    "report.range": {"en": "Plausible range", "zh": "合理区间"},
    "report.unit": {"en": "Unit", "zh": "单位"},
    "report.why": {"en": "Reasoning", "zh": "依据（英文）"},
    "report.changed": {"en": "Set by this run or sweep", "zh": "本次运行或扫描设定的值"},
    "report.all_assumptions": {"en": "All {n} assumptions these scenarios use, from the city data file (click to open)",
                               "zh": "本报告各情景所用的全部{n}项假设（来自城市数据文件，点击展开）"},
    "report.none": {"en": "none", "zh": "无"},
    "report.no_measures": {"en": "no measures (baseline)", "zh": "无新措施（基准情景）"},
    "report.fact": {"en": "Fact id", "zh": "数据编号"},
    "report.plans": {"en": "Plan documents", "zh": "规划文件"},
    "report.swept": {"en": "swept", "zh": "扫描"},
    "report.replicates": {"en": "replicates", "zh": "次重复运行"},
    "report.runs": {"en": "runs", "zh": "次运行"},
    "report.scale": {"en": "1 agent = {k} persons", "zh": "1个主体代表{k}人"},
    "report.timetable": {"en": "Timetable of the measures (light: ramping up; dark: full strength)",
                         "zh": "措施实施时间表（浅色：逐步推开；深色：全面实施）"},
    "report.how": {
        "en": ("Projections are medians across replicates, which vary only the seed at fixed parameters (a sweep "
               "pools its runs, so its band also spans the swept assumptions). A target is met in a replicate "
               "when the projection reaches it; '≈' and '=' targets count as met within {tol:.0%} below. "
               "Targets are never used to fit the model."),
        "zh": ("预测值为各次重复运行的中位数；重复运行只改变随机种子，参数固定"
               "（参数扫描合并全部运行，区间同时反映假设的不确定性）。"
               "某次运行的预测达到目标即计为达成；“≈”和“=”类目标低于目标值{tol:.0%}以内亦计为达成。"
               "规划目标从未用于模型校准。")},
    "report.how_forecast": {
        "en": ("A forecast (sim forecast) pools {runs} runs per scenario: every assumption drawn over its range and "
               "every calibrated value from its standard error, each draw with its own seeds; its P(met) is shown ± "
               "its Monte Carlo standard error, and a target whose figure a measure takes as its volume is "
               "'delivered by assumption', not met (forecast.md in its directory explains each uncertain answer)."),
        "zh": ("不确定性集合预测（sim forecast）每个情景合并{runs}次运行：每项假设在其区间内抽样，每个校准参数按其标准误抽样，"
               "每次抽样各用随机种子；达成概率附蒙特卡洛标准误；某项措施以目标值本身为投入规模的目标记为“按假设实现”，"
               "而非“达成”（其目录中的forecast.md解释每个不确定的结果）。")},
    "report.assumed": {"en": "delivered by assumption", "zh": "按假设实现"},
    "report.revision": {"en": "Code revision", "zh": "代码版本"},
    "report.data": {"en": "City data", "zh": "城市数据"},
    "report.cumulative": {"en": "total", "zh": "累计"},
    "report.points": {"en": "pp", "zh": "个百分点"},          # a gap between two rates, in percentage points
    "report.separator": {"en": "; ", "zh": "；"},
    "report.html_lang": {"en": "en", "zh": "zh-CN"},
    # -- marks and axes on every chart (sim.charts.style) -------------------------------------------
    "chart.base": {"en": "2020 base", "zh": "2020年基数"},
    "chart.target": {"en": "target", "zh": "目标"},
    "chart.met": {"en": "met", "zh": "达成"},
    "chart.not_met": {"en": "not met", "zh": "未达成"},
    "chart.band": {"en": "median, p25-p75 and p10-p90 bands", "zh": "中位数，p25-p75与p10-p90区间"},
    "chart.year": {"en": "year (end of year; flows: calendar-year totals)", "zh": "年份（年末；流量指标为全年合计）"},
    "chart.cumulative": {"en": "cumulative from {years}", "zh": "{years}年起累计"},
    "chart.and": {"en": " and from ", "zh": "年起及"},
    "chart.cumulative_title": {"en": "  ({cumulative})", "zh": "（{cumulative}）"},
    "chart.each_year": {"en": "each year", "zh": "每年"},
    "chart.p_met": {"en": "P(met)", "zh": "达成概率"},
    "chart.legend_target": {"en": "target (line: level; label: source clause)", "zh": "目标（虚线为目标值，标注为出处条款）"},
    "chart.colon": {"en": ": ", "zh": "："},
    # -- a forecast's charts (sim.charts.forecast) ---------------------------------------------------
    "forecast.parameter_band": {"en": "{scenario}: parameters (5-95% of the draws' means)",
                                "zh": "{scenario}：参数不确定性（各抽样均值的5%-95%）"},
    "forecast.seed_band": {"en": "{scenario}: seed noise (median ± 1.645 within-draw sd)",
                           "zh": "{scenario}：随机噪声（中位数±1.645倍同抽样标准差）"},
    "forecast.footnote": {"en": "{draws} draws x {seeds} seed(s), scale {scale}; inputs drawn over their ranges (priors.csv)",
                          "zh": "{draws}次参数抽样×{seeds}个随机种子，比例{scale}；输入按其区间抽样（见priors.csv）"},
    "forecast.missed": {"en": "missed", "zh": "未达成"},
    "forecast.box": {"en": "PRIM box", "zh": "PRIM情景框"},
    # -- the footnote of the projected-versus-target charts (sim.charts.labels.chart_subtitle) -------
    "subtitle.simulated": {"en": "Simulated: {scenarios}; {reps} replicates", "zh": "模拟：{reps}次重复运行"},
    "subtitle.scale": {"en": "; 1 agent = {scale} persons", "zh": "；1个主体代表{scale}人"},
    "subtitle.assumptions": {"en": "; {n} inputs are assumptions (see manifest.json and sim list parameters)",
                             "zh": "；{n}项输入为假设（见报告“假设”一节）"},
    "subtitle.end": {"en": ". Targets never used in fitting.", "zh": "。规划目标从未用于模型校准。"},
    # -- the attribution waterfall (sim.charts.measures.waterfall) ----------------------------------
    "waterfall.baseline": {"en": "baseline", "zh": "基准情景"},
    "waterfall.with_measures": {"en": "with the measures", "zh": "实施措施后"},
    "waterfall.period": {"en": "{period} total", "zh": "{period}累计"},
    "waterfall.year": {"en": "{year}", "zh": "{year}年"},
    "waterfall.title": {"en": "{indicator}, {when}: who contributes what", "zh": "{indicator}（{when}）：各措施的贡献"},
    "waterfall.footnote": {
        "en": ("Shapley contributions ({method}; {replicates} replicates, common random numbers, scale {scale}); "
               "they add up to the total effect {total}."),
        "zh": ("Shapley分解（{method}；{replicates}次重复运行，共同随机数，1个主体代表{scale}人）；"
               "各项贡献之和等于总效果{total}。")},
    "waterfall.error_bars": {"en": "Error bars: ±1.96 Monte Carlo standard errors (over {sources}).",
                             "zh": "误差线：±1.96倍蒙特卡洛标准误（来源：{sources}）。"},
    "waterfall.seeds": {"en": "seeds", "zh": "随机种子"},
    "waterfall.draws": {"en": "seeds and parameter draws", "zh": "随机种子和参数抽样"},
    # -- each measure alone (sim.charts.measures.chart_effects) -------------------------------------
    "effects.title": {"en": "effect of each measure alone (versus baseline)", "zh": "单项措施的效果（相对基准情景）"},
    # -- names built from the city data's labels (sim.charts.labels) --------------------------------
    "label.measure_only": {"en": "{measure} only", "zh": "仅{measure}"},
    # -- units of the indicators (sim.indicators) ---------------------------------------------------
    "unit.persons": {"en": "persons", "zh": "人"},
    "unit.percent": {"en": "percent", "zh": "%"},
    "unit.person-times": {"en": "person-times", "zh": "人次"},
    "unit.posts": {"en": "posts", "zh": "个岗位"},
    "unit.yuan a month": {"en": "yuan a month", "zh": "元/月"},
    "unit.months": {"en": "months", "zh": "个月"},
    "unit.ratio": {"en": "ratio", "zh": "比值"},
    "unit.firms": {"en": "firms", "zh": "家"},
    "unit.posts per seeker": {"en": "posts per seeker", "zh": "岗位/求职者"},
    "unit.per year": {"en": "per year", "zh": "每年"},
    "unit.yuan": {"en": "yuan", "zh": "元"},
}


class LocaleError(LookupError):
    """A text key or a language that `sim.locale` does not have."""

    def __str__(self) -> str:        # LookupError would print the message with quotes around it
        return str(self.args[0])


def check_lang(lang: str) -> str:
    """`lang` if it is one of LANGS, else a LocaleError naming the languages there are."""
    if lang not in LANGS:
        raise LocaleError(f"language {lang!r} is not available; choose one of {list(LANGS)}")
    return lang


def text(key: str, lang: str, **fields) -> str:
    """The text of `key` in `lang`, with `fields` filled into its format fields when given."""
    check_lang(lang)
    try:
        entry = TEXTS[key]
    except KeyError:
        group = key.split(".")[0] + "."
        near = sorted(k for k in TEXTS if k.startswith(group))
        raise LocaleError(f"no text {key!r} in sim.locale" + (f"; the {group}* keys are {near}" if near else "")) from None
    return entry[lang].format(**fields) if fields else entry[lang]


def strings(lang: str, prefix: str) -> dict[str, str]:
    """Every text whose key starts with `prefix` (e.g. "report."), keyed by the rest of the key, in `lang`."""
    check_lang(lang)
    found = {k.removeprefix(prefix): v[lang] for k, v in TEXTS.items() if k.startswith(prefix)}
    if not found:
        raise LocaleError(f"no text in sim.locale starts with {prefix!r}")
    return found
