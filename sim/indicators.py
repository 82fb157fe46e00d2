"""Official indicators, measured on the agents with the statistical definitions the plans use.

Every indicator is reported in persons (agents x scale) or in percent, whatever the scale.
`kind` says how months become a year: a *flow* is summed over the year, a *stock* or *rate* is
the December value. The 2020 row of the annual table holds the initial (end-2020) stocks.

By county (`by_county`, `county_annual`): every count of persons (kind *stock*), the rates of persons
(registered and surveyed unemployment rates, high_skilled_share, skilled_share_of_employed: each
county's numerator over its denominator) and the mean unemployment duration are also measured per
county-level unit of the data file's `places` (城区, 海丰县, 陆丰市, 陆河县 and the zones), by each
person's place of residence (technical-school students: their school's), at the same months as the
annual values. Flows, vacancies and the wage and market diagnostics are the city's only: they are
counted by event or over firms, not over residents.

Definitions (DESIGN §3):
- 城镇新增就业 urban_new_employment = entries into employment at urban units by people who were not
  employed in Shanwei when hired (job-to-job moves do not count), each person counted at most once a
  calendar year as in the real-name register, minus natural attrition (retirements and deaths) of
  people employed at urban units.
- 城镇登记失业率 registered_unemployment_rate = registered unemployed urban residents /
  (urban residents employed at urban units + registered unemployed urban residents). Registration happens only
  through contact with the public employment service, so it can move apart from true unemployment.
  The official definition (the statistical yearbooks' 主要统计指标解释; docs/registration_evidence.md
  §1 quotes it and its sources) counts in the numerator registrants of working age with
  non-agricultural hukou, and in the denominator urban-unit employment net of the rural labour
  those units employ, re-hired retirees and foreign staff, plus private owners, the self-employed
  and their workers. The model has no hukou: urban residence stands for non-agricultural hukou in
  both, so the rural residents urban-sector firms employ are left out of the denominator as the
  definition's 扣除使用的农村劳动力 requires; the model's urban-sector firms include private firms
  and the self-employed.
- 技能人才 skilled_talent = persons in Shanwei (not living in Shenzhen) holding a skill certificate;
  高技能人才 high_skilled_talent = those at 高级工 or above; high_skilled_share = high / skilled.
- skilled_share_of_employed = certified employed / employed in Shanwei (技能劳动者占就业人员总量).
- 专业技术人才 professional_technical_talent = persons in Shanwei with a professional title;
  senior_title_talent = those with a senior (高级) title.
- certificates_issued / advanced_certificates_issued = certificates passed in the period (all routes:
  technical schools, subsidised training, workplace assessment); subsidised_training = person-times
  starting general subsidised training (专栏2 row 16; the named programmes such as 粤菜师傅 and
  南粤家政 have rows of their own and are counted apart); technical_school_enrolment = students in technical schools;
  cantonese_chef_training, housekeeping_training, rural_ecommerce_training = person-times starting the
  named programmes (专栏2 rows 19-21; row 21 counts persons, and a person rarely enrols twice in it).
- 城镇失业人员再就业 unemployed_reemployed = registered urban unemployed who take a job, each person at most
  once a calendar year (the register is the real-name record the figure is counted from);
  就业困难人员再就业 hard_to_employ_reemployed = those of them who are hard to employ by the "4050" and
  one-year rules (registration.hard_to_employ_*). No targets: the 2016-2020 totals are calibration
  and validation moments (sim/smm.py, sim/backcast.py).
- Market diagnostics (no targets; `market_diagnostics`): mean_wage = mean monthly wage of those in
  jobs in the city; mean_offered_wage = what the city's firms offer a worker without a certificate,
  averaged over firms by their employment (an offered-wage index: it moves with wage setting, not
  with which firms happen to post this month); mean_posted_wage = mean gross monthly offer of the
  month's open posts at the level each asks (it moves with the mix of posts too); outside_wage = the
  outside market's gross wage for a worker without a certificate
  (before living costs); job_to_job_moves = moves between jobs in the city; firm_entries = firms
  started (start-ups: one founder agent's firm stands for `scale` firms; firms replacing closed ones)
  and firm_exits = firms closed, both in real firms (`FirmPopulation.represents`);
  mean_vacancy_duration_months = the month's open posts / posts filled in it (Little's law: the mean
  completed duration of a vacancy in a steady state, as vacancy yields are read in Davis, Faberman
  and Haltiwanger 2013); vacancy_to_seeker_ratio = open posts /
  seekers in the month's matching round; pes_vacancy_to_seeker_ratio = posts listed on the PES /
  registered seekers in the round (the PES's 求人倍率), pes_certified_vacancy_ratio the same for posts
  asking for a certificate and registered seekers holding one (技工); job_to_job_rate = job-to-job
  moves / persons employed in the city (a month's; the year's is their sum); mean_unemployment_duration_months = mean months in
  unemployment so far of those unemployed (spells in progress, not completed spells).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .agents.workers import EMP_LOCAL, EMP_OUT, HIGH_SKILL, INACTIVE, PROGRAMME_ORDER, PROGRAMME_TECH, SCHOOL, UNEMP


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    unit: str
    kind: str            # flow | stock | rate
    targeted: bool = True


INDICATORS = [
    Indicator("urban_new_employment", "城镇新增就业", "Urban new employment", "persons", "flow"),
    Indicator("registered_unemployment_rate", "城镇登记失业率", "Registered urban unemployment rate", "percent", "rate"),
    Indicator("skilled_talent", "技能人才总量", "Skilled talent", "persons", "stock"),
    Indicator("high_skilled_talent", "高技能人才", "High-skilled talent", "persons", "stock"),
    Indicator("high_skilled_share", "高技能人才占技能人才比例", "High-skilled share of skilled talent", "percent", "rate"),
    Indicator("skilled_share_of_employed", "技能劳动者占就业人员比例", "Skilled workers' share of the employed", "percent",
              "rate"),
    Indicator("professional_technical_talent", "专业技术人才总量", "Professional and technical talent", "persons", "stock"),
    Indicator("senior_title_talent", "高级职称人才", "Holders of senior professional titles", "persons", "stock"),
    Indicator("certificates_issued", "新增取得职业资格或职业技能等级证书人数", "Skill certificates issued", "persons", "flow"),
    Indicator("advanced_certificates_issued", "新增取得高级工以上证书人数", "Certificates at senior-worker level and above",
              "persons", "flow"),
    Indicator("subsidised_training", "补贴性职业技能培训", "Subsidised vocational training", "person-times", "flow"),
    Indicator("technical_school_enrolment", "技工院校在校生", "Technical-school enrolment", "persons", "stock"),
    Indicator("cantonese_chef_training", "“粤菜师傅”培训人次", "Cantonese Chef (粤菜师傅) training", "person-times", "flow"),
    Indicator("housekeeping_training", "“南粤家政”培训人次", "South Guangdong Housekeeping (南粤家政) training",
              "person-times", "flow"),
    Indicator("rural_ecommerce_training", "“农村电商”培训人数", "Rural e-commerce (农村电商) training", "person-times", "flow"),
    # diagnostics: no plan target, shown to explain the targeted ones
    Indicator("surveyed_unemployment_rate", "城镇调查失业率(模型)", "Urban unemployment rate, true (survey concept)",
              "percent", "rate", False),
    Indicator("employed_local", "本地就业人员", "Employed in the city", "persons", "stock", False),
    Indicator("employed_outside", "在外部劳动力市场就业的本地劳动力",
              "Residents employed in the outside market", "persons", "stock", False),
    Indicator("unemployed", "失业人员", "Unemployed", "persons", "stock", False),
    Indicator("registered_unemployed", "城镇登记失业人员", "Registered urban unemployed", "persons", "stock", False),
    Indicator("long_term_unemployed", "长期失业人员(6个月以上)", "Unemployed for 6 months or more", "persons", "stock", False),
    Indicator("inactive", "非经济活动人口", "Inactive", "persons", "stock", False),
    Indicator("vacancies", "岗位空缺", "Open vacancies", "posts", "rate", False),
    Indicator("hires", "招聘录用", "Hires into local jobs", "persons", "flow", False),
    Indicator("unemployed_reemployed", "城镇失业人员再就业", "Registered urban unemployed re-employed", "persons", "flow", False),
    Indicator("hard_to_employ_reemployed", "就业困难人员再就业", "Hard-to-employ people re-employed", "persons", "flow", False),
    Indicator("mean_wage", "本地就业人员月平均工资(模型)", "Mean monthly wage of jobs in the city", "yuan a month", "rate",
              False),
    Indicator("mean_offered_wage", "企业平均月工资报价(无证书,按就业加权)",
              "Mean monthly wage firms offer (no certificate, employment-weighted)", "yuan a month", "rate", False),
    Indicator("mean_posted_wage", "当月空缺岗位平均月工资报价", "Mean monthly wage of this month's open posts",
              "yuan a month", "rate", False),
    Indicator("pes_vacancy_to_seeker_ratio", "公共就业服务机构求人倍率",
              "Vacancy-to-seeker ratio of the public employment service", "posts per seeker", "rate", False),
    Indicator("pes_certified_vacancy_ratio", "公共就业服务机构技能岗位求人倍率",
              "PES ratio of posts asking for a certificate to registered seekers holding one", "posts per seeker", "rate", False),
    Indicator("job_to_job_rate", "岗位间流动率", "Job-to-job moves per person employed in the city", "per year", "flow", False),
    Indicator("firm_exits", "企业退出数", "Firms closed", "firms", "flow", False),
    Indicator("mean_vacancy_duration_months", "空缺岗位平均持续月数", "Mean duration of a vacancy (stock / posts filled)",
              "months", "rate", False),
    Indicator("outside_wage", "外部劳动力市场月工资(无证书)", "Monthly wage of an outside-market job (no certificate)",
              "yuan a month", "rate", False),
    Indicator("job_to_job_moves", "在岗换工作", "Job-to-job moves", "persons", "flow", False),
    Indicator("firm_entries", "新设企业", "New firms (start-ups and replacements of closed firms)", "firms", "flow", False),
    Indicator("vacancy_to_seeker_ratio", "岗位空缺与求职人数之比", "Open posts per jobseeker", "ratio", "rate", False),
    Indicator("training_applicants", "补贴性培训申请人次", "Applicants for subsidised courses", "person-times", "flow",
              False),
    Indicator("public_cost", "措施公共支出", "Public cost of the measures", "yuan", "flow", False),
    Indicator("mean_unemployment_duration_months", "失业人员平均已失业时长", "Mean months unemployed so far (spells in progress)",
              "months", "stock", False),
]
BY_ID = {i.id: i for i in INDICATORS}


def measure(model, flows: dict, events: dict) -> dict[str, float]:
    """All indicators for the current state and this month's events (persons, percent)."""
    k = model.world.scale
    counted = person_stocks(model)
    n = {name: mask.sum() * k for name, mask in counted.items()}
    pct = {name: _pct(num.sum(), den.sum()) for name, (num, den) in stock_rates(model, counted).items()}
    ev = lambda name: events.get(name, 0) * k  # noqa: E731
    return {
        "urban_new_employment": ev("urban_entries") - ev("urban_attrition"),
        "registered_unemployment_rate": pct["registered_unemployment_rate"],
        "skilled_talent": n["skilled_talent"],
        "high_skilled_talent": n["high_skilled_talent"],
        "high_skilled_share": pct["high_skilled_share"],
        "skilled_share_of_employed": pct["skilled_share_of_employed"],
        "professional_technical_talent": n["professional_technical_talent"],
        "senior_title_talent": n["senior_title_talent"],
        "certificates_issued": ev("certificates"),
        "advanced_certificates_issued": ev("advanced_certificates"),
        "subsidised_training": ev("subsidised_training"),
        "technical_school_enrolment": n["technical_school_enrolment"],
        "cantonese_chef_training": ev("training_cantonese_chef"),
        "housekeeping_training": ev("training_housekeeping"),
        "rural_ecommerce_training": ev("training_rural_ecommerce"),
        "surveyed_unemployment_rate": pct["surveyed_unemployment_rate"],
        **{name: n[name] for name in ("employed_local", "employed_outside", "unemployed", "registered_unemployed",
                                      "long_term_unemployed", "inactive")},
        "vacancies": ev("vacancies"),
        "hires": ev("hires"),
        "unemployed_reemployed": ev("reemployed_registered"),
        "public_cost": float(events.get("public_cost", 0.0)),
        "training_applicants": ev("training_applicants"),
        "hard_to_employ_reemployed": ev("reemployed_hard_to_employ"),
        **market_diagnostics(model, flows, events),
    }


def person_stocks(model) -> dict[str, np.ndarray]:
    """Who each count of persons counts, as a mask over the population (the definitions of the module
    docstring); an indicator is its mask's sum times the scale, for the city or for one county."""
    pop, status = model.pop, model.pop.status
    here, unemployed = pop.in_shanwei(), status == UNEMP
    return {
        "skilled_talent": here & (pop.skill >= 1),
        "high_skilled_talent": here & (pop.skill >= HIGH_SKILL),
        "professional_technical_talent": here & (pop.title >= 1),
        "senior_title_talent": here & (pop.title == 3),
        "technical_school_enrolment": (status == SCHOOL) & ((pop.programme == PROGRAMME_TECH)
                                                           | (pop.programme == PROGRAMME_ORDER)),
        "employed_local": status == EMP_LOCAL,
        "employed_outside": status == EMP_OUT,
        "unemployed": unemployed,
        "registered_unemployed": unemployed & pop.registered & pop.urban,
        "long_term_unemployed": unemployed & (pop.status_m >= 6),
        "inactive": status == INACTIVE,
    }


def stock_rates(model, counted: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each rate of persons as (numerator, denominator) masks; the rate is 100 x their sums' ratio.
    The denominators' parts are disjoint (employed and unemployed), so a mask's sum is their total."""
    pop = model.pop
    employed, unemp_urban = counted["employed_local"], counted["unemployed"] & pop.urban
    registered = counted["registered_unemployed"]
    return {
        "registered_unemployment_rate": (registered, rate_denominator(pop, model.firms) | registered),
        "high_skilled_share": (counted["high_skilled_talent"], counted["skilled_talent"]),
        "skilled_share_of_employed": (employed & (pop.skill >= 1), employed),
        "surveyed_unemployment_rate": (unemp_urban, unemp_urban | (employed & pop.urban)),
    }


def by_county(model) -> dict[str, np.ndarray]:
    """The indicators reported per county, one value per county in `World.county_names` order: each
    count of persons (`person_stocks`), each rate of persons (`stock_rates`: the county's numerator over
    its denominator) and the mean unemployment duration, by the county a person lives in (Shenzhen
    workers: their home place); technical-school students by their school's county, as schools report
    enrolment. The counts add up to the city's, and so do a rate's numerators and denominators."""
    counted, k = person_stocks(model), model.world.scale
    tally = county_tally(model.world.place_county[model.pop.place], len(model.world.county_names))
    unemployed, students = counted["unemployed"], counted.pop("technical_school_enrolment")
    return {**{name: tally(mask) * k for name, mask in counted.items()},
            "technical_school_enrolment": enrolment_by_county(model, students) * k,
            **{name: _pct_each(tally(num), tally(den)) for name, (num, den) in stock_rates(model, counted).items()},
            "mean_unemployment_duration_months": _ratio_each(tally(unemployed, model.pop.status_m), tally(unemployed))}


def county_tally(county: np.ndarray, size: int):
    """`tally(mask, weights=None)`: how many persons of `mask` (or the sum of their `weights`) are in each
    of `size` counties, `county` giving each person's."""
    return lambda mask, weights=None: np.bincount(county[mask], weights=None if weights is None else weights[mask],
                                                  minlength=size)


def enrolment_by_county(model, students: np.ndarray) -> np.ndarray:
    """Technical-school students (a mask) by the county of the school they attend (`provider`)."""
    w = model.world
    school_county = w.place_county[[s.place for s in w.schools]]
    return np.bincount(school_county[model.pop.provider[students]], minlength=len(w.county_names))


def market_diagnostics(model, flows: dict, events: dict) -> dict[str, float]:
    """Wages, turnover, firm entry, tightness and unemployment duration (diagnostics, no targets)."""
    pop, k = model.pop, model.world.scale
    employed, unemployed = pop.status == EMP_LOCAL, pop.status == UNEMP
    moves = flows.get("job_to_job")
    return {
        "mean_wage": float(pop.wage[employed].mean()) if employed.any() else float("nan"),
        "mean_offered_wage": offered_wage_index(model),
        "mean_posted_wage": _ratio(events.get("offered_wage_sum", float("nan")), events.get("vacancies", 0)),
        "outside_wage": float(model.world.outside_wage(max(model.t, 0), 0)),
        "job_to_job_moves": float(moves.sum() * k) if moves is not None else 0.0,
        "firm_entries": float(events.get("firm_entries", 0)),
        "firm_exits": float(events.get("firm_exits", 0)),
        "mean_vacancy_duration_months": _ratio(events.get("vacancies", 0), events.get("posts_filled", 0)),
        "vacancy_to_seeker_ratio": _ratio(events.get("vacancies", 0), events.get("seekers", 0)),
        "pes_vacancy_to_seeker_ratio": _ratio(events.get("pes_posts", 0), events.get("pes_seekers", 0)),
        "pes_certified_vacancy_ratio": _ratio(events.get("pes_certified_posts", 0), events.get("pes_certified_seekers", 0)),
        "job_to_job_rate": _ratio(float(moves.sum()) if moves is not None else 0.0, employed.sum()),
        "mean_unemployment_duration_months": float(pop.status_m[unemployed].mean()) if unemployed.any() else float("nan"),
    }


def rate_denominator(pop, firms) -> np.ndarray:
    """Who is employed in the registered rate's denominator: urban residents at urban-sector firms (the
    official definition nets out the rural labour urban units employ; module docstring)."""
    return firms.urban_jobs(pop) & pop.urban


def offered_wage_index(model) -> float:
    """Employment-weighted mean of every firm's offer to a worker without a certificate."""
    firms = model.firms
    if firms.headcount.sum() == 0:
        return float("nan")
    offers = firms.wage_offer(np.arange(firms.n), np.zeros(firms.n, np.int8), max(model.t, 0))
    return float(np.average(offers, weights=firms.headcount))


def _pct(num, den) -> float:
    return float(100.0 * num / den) if den else float("nan")


def _ratio(num, den) -> float:
    return float(num / den) if den else float("nan")      # nan: not measured (e.g. at the start)


def _pct_each(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return _ratio_each(100.0 * num, den)


def _ratio_each(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Element by element; nan where the denominator is 0 (as `_ratio`)."""
    return np.divide(num, den, out=np.full(len(den), np.nan), where=den > 0)


def annual(monthly: list[dict], initial: dict, base_year: int) -> list[dict]:
    """Year rows: flows summed, stocks and rates at December; `base_year` row = initial stocks."""
    rows = [{"year": base_year, **{i.id: initial[i.id] for i in INDICATORS if i.kind != "flow"}}]
    years = sorted({int(m["month"][:4]) for m in monthly})
    for y in years:
        months = [m for m in monthly if int(m["month"][:4]) == y]
        row = {"year": y}
        for ind in INDICATORS:
            vals = [m[ind.id] for m in months]
            row[ind.id] = float(np.sum(vals)) if ind.kind == "flow" else float(vals[-1])
        rows.append(row)
    return rows


def county_annual(stocks: dict[int, dict[str, np.ndarray]], counties: list[str]) -> list[dict]:
    """Year-and-county rows of the county indicators (`by_county`), from their values at each year's last
    recorded month (December, or the run's last month; the base year's: the initial stocks)."""
    rows = []
    for year, values in sorted(stocks.items()):
        for c, county in enumerate(counties):
            rows.append({"year": year, "county": county,
                         **{i.id: float(values[i.id][c]) for i in INDICATORS if i.id in values}})
    return rows
