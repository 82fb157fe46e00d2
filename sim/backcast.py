"""The 2016-2020 back-cast: start from end-2015 stocks, run the baseline to end-2020, compare with the record.

The model normally starts from the plans' end-2020 stocks. Here the same city file is rebased to
end-2015 (`derive_2015`): the initial-stock parameters get end-2015 values and the model runs
2016-01 .. 2020-12 with no 14th-plan measure switched on. How each end-2015 stock is obtained:

- 专业技术人才: the 2020 stock (10.78万) / (1 + 9.89%) - both in [003] 第一章第一节 ¶人才队伍不断壮大;
- 高技能人才: the 2020 stock (5.12万) / (1 + 205%) - same clause;
- senior titles: the 2020 seed scaled like all professional-technical talent (no 2015 figure);
- 技能人才, the registered unemployment rate, residents and Shanwei workers in Shenzhen: the
  `backcast.*` assumptions in the city file (not in the plans; reasoning and range there);
- everything else (rates, schools, sectors, flows such as the 2020 certificate volume) as in 2020.
  Wage levels stay at 2020 values: only ratios of wages enter the rules.

`compare` sets the simulated 2016-2020 record beside the observed one ([003] 专栏1 and 第一章第一节)
and says for each row what role it plays, so no fitted moment is ever read as validation:
`fitted` (sim/smm.py fits the `calibrated` parameters to it), `identified` (a build-time rate is
solved from it, sim/calibration.py, so agreement is by construction), `held-out` (validation),
`input` (a volume the model is given). `feasibility` shows, from the plans' own volumes, which
outturns no flows consistent with the plans can reach (统计口径调整, [003] 专栏1).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import scenario as scen
from .params import DEFAULT_CITY, CityData, load_city
from .runner import run

START_YEAR, END = 2015, "2020-12"
HELD_OUT_GOAL = "25%"      # every held-out row: within 25% of the outturn, or its gap explained (`gap_explanations`)


@dataclass(frozen=True)
class Check:
    """One comparison with the 2016-2020 record."""

    indicator: str
    period: str            # "2020" (December value) or "2016-2020" (sum of the yearly flow)
    observed_key: str      # parameter in the city file holding the observed value
    role: str              # fitted | identified | held-out | input
    goal: str = ""         # "15%" (relative) or "0.5pt" (absolute, percentage points); "" = none
    source: str = ""
    statistic: str = ""    # "" (December value, or sum over a span of years) or "growth" (annualised, first to last December)
    less_key: str = ""     # a parameter subtracted from the observed value (a total less its last year's part)

    @property
    def moment(self) -> str:
        """The row's id (an indicator may be compared in more than one period)."""
        return f"{self.indicator} {self.period}"

    def observed(self, data: CityData) -> float:
        value = float(data.get(self.observed_key))
        return value - float(data.get(self.less_key)) if self.less_key else value


def time_split(indicator: str, key: str, goal: str, total: str, last: str) -> list[Check]:
    """A five-year total split in time: 2016-2019 (the total less 2020's part) fitted, 2020 held out.
    `key` names the total in `record_2016_2020`; its 2020 part is `key`_2020 (a city report)."""
    total_key, last_key = f"record_2016_2020.{key}", f"record_2016_2020.{key}_2020"
    return [Check(indicator, "2016-2019", total_key, "fitted", goal,
                  f"[003] 第一章第一节 ({total} in 2016-2020) less 2020's {last} ({last_key})", less_key=last_key),
            Check(indicator, "2020", last_key, "held-out", HELD_OUT_GOAL,
                  f"2020's {last} ({last_key}: a city report, medium confidence)")]


CHECKS = [
    Check("professional_technical_talent", "2020", "titles.professional_technical_2020", "identified", "15%",
          "[003] 专栏1 row 6 (10.78万)"),
    *time_split("urban_new_employment", "urban_new_employment", "15%", "250,051", "52,256"),
    Check("registered_unemployment_rate", "2020", "labour_market.registered_unemployment_rate_2020", "fitted", "0.5pt",
          "[003] 第一章第一节 (2.33%)"),
    *time_split("unemployed_reemployed", "unemployed_reemployed", "", "100,005", "15,462"),
    Check("hard_to_employ_reemployed", "2016-2020", "record_2016_2020.hard_to_employ_reemployed", "fitted", "",
          "[003] 第一章第一节 (10,749)"),
    Check("employed_outside", "2020", "labour_market.outside_workers_2020", "fitted", "",
          "labour_market.outside_workers_2020 (an assumption: about 250,000 of the registered population away)"),
    Check("mean_wage", "2015-2020", "record_2016_2020.wage_growth", "fitted", "",
          "Guangdong urban wage growth 2016-2020 (docs/markets_evidence.md §2, registration_evidence.md §5)", "growth"),
    Check("job_to_job_rate", "2020", "labour_market.job_to_job_rate", "fitted", "",
          "docs/markets_evidence.md §7 (migrant job-change rates; evidence, not a count for the city)"),
    Check("mean_vacancy_duration_months", "2020", "record_2016_2020.vacancy_duration_months", "fitted", "",
          "docs/markets_evidence.md §12 (Davis, Faberman and Haltiwanger 2013; US evidence)"),
    Check("pes_vacancy_to_seeker_ratio", "2016", "record_2016_2020.pes_ratio_2016", "fitted", "",
          "Guangdong PES 求人倍率 2016 Q4 1.07 (gdhrss; docs/registration_evidence.md §4a)"),
    Check("pes_vacancy_to_seeker_ratio", "2017", "record_2016_2020.pes_ratio_2017", "held-out", HELD_OUT_GOAL,
          "Guangdong PES 求人倍率 2017 Q2 1.09 (gdhrss; docs/registration_evidence.md §4a)"),
    Check("pes_vacancy_to_seeker_ratio", "2018", "record_2016_2020.pes_ratio_city_2018", "held-out", HELD_OUT_GOAL,
          "the city's own PES 求人倍率 May 2018 1.08 (13,153 posts / 12,171 seekers; the city government's monthly "
          "市场供求 table; docs/registration_evidence.md §4d)"),
    Check("skilled_talent", "2020", "skills.skilled_talent_2020", "identified", "15%",
          "[003] 第一章第一节 (31.96万); the end-2015 stock is this figure less five years of the certificate flow "
          "(backcast.skilled_talent_2015), so agreement is largely by construction"),
    Check("high_skilled_talent", "2020", "skills.high_skilled_talent_2020", "held-out", HELD_OUT_GOAL,
          "[003] 专栏1 row 8, 第一章第一节 (5.12万)"),
    Check("pes_certified_vacancy_ratio", "2016", "record_2016_2020.pes_certified_ratio_2016", "held-out", HELD_OUT_GOAL,
          "Guangdong PES 技工求人倍率 2016 Q4 1.42 (gdhrss; docs/registration_evidence.md §4a)"),
    Check("high_skilled_share", "2020", "record_2016_2020.high_skilled_share_2020", "held-out", HELD_OUT_GOAL,
          "[003] 专栏1 row 8 (16.02%)"),
    Check("certificates_issued", "2020", "skills.certificates_2020", "identified", "", "[003] 专栏2 row 14 (18,194)"),
    Check("advanced_certificates_issued", "2020", "skills.advanced_certificates_2020", "identified", "",
          "[003] 专栏2 row 15 (3,359)"),
    Check("subsidised_training", "2016-2020", "training.subsidised_2016_2020", "input", "", "[003] 专栏2 row 16 ([5.1]万)"),
]


# -- the end-2015 city ---------------------------------------------------------------------------------
def stocks_2015(data: CityData) -> list[dict]:
    """Each initial stock's end-2020 and end-2015 value and how the latter was obtained."""
    pt_growth = 1 + data.get("titles.growth_2015_2020") / 100
    hs_growth = 1 + data.get("record_2016_2020.high_skilled_growth") / 100
    rows = [
        ("titles.professional_technical_2020", data.get("titles.professional_technical_2020") / pt_growth,
         "derived", f"2020 stock / (1 + {data.get('titles.growth_2015_2020')}%) ([003] 第一章第一节)"),
        ("titles.senior_2020", data.get("titles.senior_2020") / pt_growth,
         "derived", "2020 stock scaled like all professional-technical talent (no 2015 figure)"),
        ("skills.high_skilled_talent_2020", data.get("skills.high_skilled_talent_2020") / hs_growth,
         "derived", f"2020 stock / (1 + {data.get('record_2016_2020.high_skilled_growth')}%) ([003] 第一章第一节)"),
        ("skills.skilled_talent_2020", data.get("backcast.skilled_talent_2015"), "assumption", "backcast.skilled_talent_2015"),
        ("labour_market.registered_unemployment_rate_2020", data.get("backcast.registered_unemployment_rate_2015"),
         "assumption", "backcast.registered_unemployment_rate_2015"),
        ("population.resident_2020", data.get("backcast.resident_population_2015"), "assumption",
         "backcast.resident_population_2015"),
        ("labour_market.outside_workers_2020", data.get("backcast.outside_workers_2015"), "assumption",
         "backcast.outside_workers_2015"),
    ]
    return [{"parameter": key, "value_2020": data.get(key), "value_2015": round(float(v), 2), "provenance": prov,
             "how": how} for key, v, prov, how in rows]


def derive_2015(data: CityData) -> CityData:
    """The city file rebased to end-2015: initial stocks replaced, base year 2015."""
    rebased = data.with_overrides({r["parameter"]: r["value_2015"] for r in stocks_2015(data)}, data.where, prefix="")
    raw = copy.deepcopy(rebased.raw)
    raw["meta"]["base_year"] = START_YEAR
    raw["meta"]["recount_register"] = False    # the end-2015 rate is an assumption, not a count: the spin-up's stands
    return CityData(raw, data.where)


def backcast_scenario(scale: int, seed: int, city: str = DEFAULT_CITY):
    """The baseline (no 14th-plan measures) from 2016-01 to 2020-12."""
    return scen.load("baseline", {"run.scale": scale, "run.seed": seed, "run.end": END, "run.city": city},
                     scen.Origin("back-cast settings", "", "back-cast settings"))


def simulate(data: CityData, scale: int, seeds: list[int], city: str = DEFAULT_CITY) -> pd.DataFrame:
    """Annual tidy table of the back-cast for each seed (common random numbers across calls)."""
    rebased = derive_2015(data)
    parts = [run(backcast_scenario(scale, s, city), seed=s, replicate=i, data=rebased).annual
             for i, s in enumerate(seeds)]
    return pd.concat(parts, ignore_index=True)


# -- comparison ----------------------------------------------------------------------------------------
def simulated(annual: pd.DataFrame, indicator: str, period: str, statistic: str = "") -> np.ndarray:
    """One value per seed: the December value of `period`'s year, the sum over the years, or (statistic
    "growth") the annualised growth from the first year's December (the start for the base year) to the last's."""
    rows = annual[annual["indicator"] == indicator]
    if statistic == "growth":
        first, last = map(int, period.split("-"))
        by_year = rows.pivot_table(index="seed", columns="year", values="value")
        return ((by_year[last] / by_year[first]) ** (1 / (last - first)) - 1).to_numpy()
    if "-" in period:
        first, last = map(int, period.split("-"))
        rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
        return rows.groupby("seed")["value"].sum().to_numpy()
    return rows[rows["year"] == int(period)].groupby("seed")["value"].mean().to_numpy()


def within_goal(sim: float, obs: float, goal: str) -> bool | None:
    if not goal:
        return None
    if goal.endswith("pt"):
        return bool(abs(sim - obs) <= float(goal[:-2]))
    return bool(abs(sim - obs) <= float(goal[:-1]) / 100 * abs(obs))


def compare(annual: pd.DataFrame, data: CityData) -> pd.DataFrame:
    """backcast.csv: indicator, period, simulated (mean over seeds), sd, observed, error, role, goal."""
    rows = []
    for c in CHECKS:
        values = simulated(annual, c.indicator, c.period, c.statistic)
        sim, obs = float(values.mean()), c.observed(data)
        rows.append({"moment": c.moment, "indicator": c.indicator, "period": c.period, "simulated": sim,
                     "sd": float(values.std(ddof=1)) if values.size > 1 else 0.0, "observed": obs,
                     "error": sim - obs, "error_pct": 100 * (sim - obs) / obs if obs else np.nan,
                     "role": c.role, "goal": c.goal, "within_goal": within_goal(sim, obs, c.goal), "source": c.source})
    return pd.DataFrame(rows)


def feasibility(data: CityData) -> list[dict]:
    """Outturns that flows consistent with the plans' own volumes cannot reach, with the arithmetic."""
    hs_2020 = data.get("skills.high_skilled_talent_2020")
    hs_2015 = hs_2020 / (1 + data.get("record_2016_2020.high_skilled_growth") / 100)
    adv = data.get("skills.advanced_certificates_2020")
    ceiling = hs_2015 + 5 * adv
    return [{
        "indicator": "high_skilled_talent",
        "arithmetic": (f"end-2015 stock {hs_2015:,.0f} (= {hs_2020:,.0f} / 3.05) + 5 years x {adv:,.0f} advanced "
                       f"certificates (the 2020 volume, [003] 专栏2 row 15) = at most {ceiling:,.0f} by end-2020, "
                       f"even if no holder retired or left and every certificate went to a new person"),
        "ceiling": ceiling, "observed": hs_2020, "gap": hs_2020 - ceiling,
        "reading": ("The outturn is {:.0%} above what the certificate flow allows: the stock was re-counted "
                    "(统计口径调整 is written against this row in [003] 专栏1 row 8), so the back-cast is not tuned "
                    "to close the gap.").format(hs_2020 / ceiling - 1),
    }]


def gap_explanations(table: pd.DataFrame, data: CityData) -> dict[str, str]:
    """For each held-out row outside its goal that the plans' own figures account for: the arithmetic."""
    t = table.set_index("moment") if "moment" in table else table.set_index(table["indicator"] + " " + table["period"])
    outside = [m for m, r in t.iterrows() if r["role"] == "held-out" and r["goal"] and not bool(r["within_goal"])]
    builders = {"high_skilled_talent 2020": high_skilled_arithmetic, "high_skilled_share 2020": share_arithmetic,
                "pes_certified_vacancy_ratio 2016": certified_ratio_arithmetic,
                "unemployed_reemployed 2020": reemployed_2020_arithmetic, "pes_vacancy_to_seeker_ratio 2017": pes_2017_arithmetic}
    return {m: builders[m](t["simulated"], data).rstrip(".") for m in outside if m in builders}


def high_skilled_arithmetic(sim: pd.Series, data: CityData) -> str:
    f = feasibility(data)[0]
    return f"{f['arithmetic']}: {f['reading']}"


def share_arithmetic(sim: pd.Series, data: CityData) -> str:
    ceiling = feasibility(data)[0]["ceiling"]
    skilled = sim["skilled_talent 2020"]
    return (f"follows from the high-skilled re-count: at most {ceiling:,.0f} high-skilled over the simulated {skilled:,.0f} "
            f"skilled is at most {100 * ceiling / skilled:.1f}% against {data.get('record_2016_2020.high_skilled_share_2020')}%")


def reemployed_2020_arithmetic(sim: pd.Series, data: CityData) -> str:
    """Re-employment in 2020: the record's fall in the pandemic year against the model's own pace."""
    total = data.get("record_2016_2020.unemployed_reemployed")
    last = data.get("record_2016_2020.unemployed_reemployed_2020")
    record_pace, model_pace = (total - last) / 4, sim["unemployed_reemployed 2016-2019"] / 4
    return (f"the record re-employed {record_pace:,.0f} a year in 2016-2019 and {last:,.0f} in 2020, "
            f"{last / record_pace - 1:+.0%} in the pandemic year, which the back-cast does not model (no 2020 shock); "
            f"the model re-employs {model_pace:,.0f} a year in 2016-2019 ({model_pace / record_pace - 1:+.0%}, a fitted "
            f"moment) and {sim['unemployed_reemployed 2020']:,.0f} in 2020. The two factors multiply: "
            f"{model_pace / record_pace:.2f} x {record_pace / last:.2f} = {model_pace / last:.2f} times the 2020 outturn "
            f"if the model held its pace: the pandemic accounts for the record's fall, the model's outflow from the "
            f"register for the rest")


def pes_2017_arithmetic(sim: pd.Series, data: CityData) -> str:
    """The PES ratio a year after the fitted one: the model's path against Guangdong's."""
    m16, m17 = sim["pes_vacancy_to_seeker_ratio 2016"], sim["pes_vacancy_to_seeker_ratio 2017"]
    d16, d17 = data.get("record_2016_2020.pes_ratio_2016"), data.get("record_2016_2020.pes_ratio_2017")
    return (f"Guangdong's ratio moved {d17 / d16 - 1:+.0%} from 2016 Q4 to 2017 Q2 ({d16} to {d17}); the model's moves "
            f"{m17 / m16 - 1:+.0%} ({m16:.2f} to {m17:.2f}) on top of a 2016 value {m16 / d16 - 1:+.0%} from the fitted moment. "
            f"The rise is the back-cast's falling unemployment after the spin-up (docs/ODD.md §8.4): fewer registered "
            f"seekers at the PES against a steadier stock of posts. The row tests whether the start is a state the rules "
            f"sustain, and it fails")


def certified_ratio_arithmetic(sim: pd.Series, data: CityData) -> str:
    """Why the PES ratio for certified posts misses Guangdong's: the shares the data file assumes."""
    rows = data.table("sectors").values()
    share = sum(r["certified_vacancy_share"] * r["employment_share"] for r in rows) / sum(r["employment_share"] for r in rows)
    overall, certified = sim["pes_vacancy_to_seeker_ratio 2016"], sim["pes_certified_vacancy_ratio 2016"]
    seekers = share * overall / certified
    target = data.get("record_2016_2020.pes_certified_ratio_2016") / data.get("record_2016_2020.pes_ratio_2016")
    return (f"posts ask for a certificate in about {share:.0%} of cases (sectors.certified_vacancy_share, employment-weighted), "
            f"and the registered seekers the model puts against them hold one in {seekers:.0%}, so the certified ratio is "
            f"{overall:.2f} x {share:.0%} / {seekers:.0%} = {certified:.2f}. Guangdong's 1.42 against 1.07 overall means "
            f"certified posts are {target:.2f} times as common among its PES posts as certified seekers among its seekers; "
            f"in the model {share / seekers:.2f} times. The province's PES lists the Pearl River Delta's factory posts, and the "
            f"data file's certified-vacancy shares are the city's assumptions (range 0-0.6), not fitted: this row says they, or "
            f"the certification of the registered, are off for a provincial comparison")


def validation_summary(table: pd.DataFrame) -> str:
    """Plain-language lines: goals met, held-out errors (never a fitted moment as validation)."""
    lines = []
    for _, r in table[table["goal"] != ""].iterrows():
        verdict = "within" if r["within_goal"] else "OUTSIDE"
        lines.append(f"{r['indicator']} ({r['period']}, {r['role']}): {r['error_pct']:+.1f}% "
                     f"({r['simulated']:,.2f} vs {r['observed']:,.2f}) - {verdict} the {r['goal']} goal")
    for _, r in table[table["role"] == "held-out"].iterrows():
        lines.append(f"held out: {r['indicator']} ({r['period']}): {r['error_pct']:+.1f}%")
    return "\n".join(lines)


def backcast(scale: int, seeds: list[int], city: str = DEFAULT_CITY) -> tuple[pd.DataFrame, pd.DataFrame, CityData]:
    """Run the back-cast; returns (comparison table, annual tidy table, the city data used)."""
    data = load_city(city)
    annual = simulate(data, scale, seeds, city)
    return compare(annual, data), annual, data


# -- writing -------------------------------------------------------------------------------------------
def provenance_manifest(city: str, scale: int, seeds: list[int], kind: str = "backcast", **extra) -> dict:
    """The manifest (`sim.outputs.manifest`) of a back-cast or, with kind "calibration", a calibration:
    the back-cast's scenario, scale and seeds are its settings."""
    from .outputs import manifest

    return manifest(kind, city=city, scenario="baseline (no 14th-plan measures), 2016-01..2020-12 from end-2015 stocks",
                    scale=scale, seeds=seeds, **extra)


def report_markdown(table: pd.DataFrame, data: CityData, manifest: dict) -> str:
    """backcast.md (template backcast.md.j2): how the 2015 stocks were derived, the comparison, and the
    arithmetic of the gaps."""
    from .render import render

    return render("backcast.md.j2", manifest=manifest, stocks=stocks_2015(data), checks=table.to_dict("records"),
                  feasibility=feasibility(data), explanations=gap_explanations(table, data))


def chart(table: pd.DataFrame, annual: pd.DataFrame, data: CityData, stem) -> list:
    """backcast.png/.svg (`sim.charts.backcast`): each check's error with its goal band; stock paths vs outturns."""
    from .charts import backcast_chart

    return backcast_chart(table, annual, pd.DataFrame(feasibility(data)), stem)


def write_backcast(out, table: pd.DataFrame, annual: pd.DataFrame, data: CityData, manifest: dict,
                   charts: bool = True) -> None:
    """DIR/backcast.csv, backcast.md, annual.parquet, manifest.json and the chart, atomically."""
    from .outputs import atomic_directory, write_manifest

    with atomic_directory(out) as tmp:
        table.to_csv(tmp / "backcast.csv", index=False)
        annual.to_parquet(tmp / "annual.parquet", index=False)
        (tmp / "backcast.md").write_text(report_markdown(table, data, manifest), encoding="utf-8")
        write_manifest(tmp, manifest)
        if charts:
            chart(table, annual, data, tmp / "backcast")
