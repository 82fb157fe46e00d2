"""Presentation in one place: the locale, the templates and the chart package.

Contract: every user-facing text has an English and a Chinese entry, and an unknown key or language
is a clear error; templates fail on a variable they are not given (never an empty string), escape
HTML but not Markdown, and lay the notes out as they were; the chart package keeps the public names
callers import and reads no model module.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import jinja2
import pandas as pd
import pytest

import sim
from sim import backcast, locale, smm
from sim.indicators import INDICATORS
from sim.params import load_city
from sim.render import TEMPLATES, autoescaped, render

CHARTS = Path(sim.__file__).parent / "charts"


def fields(s: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(s) if name}


# -- locale -------------------------------------------------------------------------------------------
def test_every_text_has_english_and_chinese_and_nothing_else():
    for key, entry in locale.TEXTS.items():
        assert set(entry) == set(locale.LANGS) == {"en", "zh"}, key
        assert all(isinstance(v, str) and v.strip() for v in entry.values()), key


def test_both_languages_fill_the_same_fields():
    """A format field in one language only would be silently dropped in the other; the one exception
    is the charts' footnote, whose Chinese version leaves out the scenario list (the legend has it)."""
    for key, entry in locale.TEXTS.items():
        en, zh = fields(entry["en"]), fields(entry["zh"])
        if key == "subtitle.simulated":
            assert zh < en
        else:
            assert en == zh, key


def test_unknown_key_or_language_is_a_clear_error():
    with pytest.raises(locale.LocaleError, match=r"no text 'report\.nope'.*report\.title"):
        locale.text("report.nope", "en")
    with pytest.raises(locale.LocaleError, match=r"language 'fr' is not available; choose one of \['en', 'zh'\]"):
        locale.text("report.title", "fr")
    with pytest.raises(locale.LocaleError, match="fr"):
        locale.strings("fr", "report.")
    with pytest.raises(locale.LocaleError, match="nothing"):
        locale.strings("en", "nothing.")


def test_text_fills_fields_and_strings_strips_the_prefix():
    assert locale.text("report.scale", "zh", k=20) == "1个主体代表20人"
    assert locale.text("report.how", "en", tol=0.05).count("5%") == 1
    tx = locale.strings("zh", "report.")
    assert tx["targets"] == "规划目标：模拟预测与目标值对比" and "title" in tx and not any(k.startswith("report.") for k in tx)


def test_every_indicator_unit_has_a_name_in_both_languages():
    from sim.charts import style

    for ind in INDICATORS:
        for lang in locale.LANGS:
            assert style.unit_label(ind.unit, lang)
    assert style.unit_label("persons", "zh") == "人" and style.unit_label("persons", "en") == "persons"


# -- templates ------------------------------------------------------------------------------------------
def report_context(**changes) -> dict:
    """The smallest context report.html.j2 takes (one scenario, one target, no chart)."""
    ctx = {"tx": locale.strings("en", "report."), "html_lang": "en", "meta": "Generated: now",
           "cards": [{"name": "plan <2025>", "n_met": 1, "n": 2, "size": "2 replicates", "scale": "1 agent = 20 persons"}],
           "how": "Projections are medians.",
           "targets": [{"indicator": "城镇新增就业  Urban new employment", "when": "2021-2025 total", "target": "≥200,000",
                        "scenario": "plan <2025>", "median": "210,000", "p10": "200,000", "p90": "220,000", "ok": True,
                        "p_met": "90%", "assumed": False, "gap": "+10,000", "first": "2024"}],
           "charts": [], "measures": [{"name": "plan <2025>", "rows": []}], "timetable": None, "changed": [],
           "used": [{"path": "outside_market.wage_premium", "value": "0.5", "range": "0.3 – 0.7", "unit": "share",
                     "why": "a & b"}],
           "all_assumptions": "All 1 assumptions", "sources": [], "plans": []}
    return ctx | changes


def test_report_template_lays_out_the_page_with_inline_css_and_escapes_text():
    page = render("report.html.j2", **report_context())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8").strip()
    assert f"<style>\n{css}\n</style>" in page                                       # inline, not linked
    assert "plan &lt;2025&gt;" in page and "plan <2025>" not in page                 # autoescaped
    assert "a &amp; b" in page
    row = re.search(r"<table class=\"targets\">.*?</table>", page, re.S).group(0)
    assert "<th>P(met)</th>" in row and '<span class="badge ok">met</span>' in row and "<b>城镇新增就业" in row
    assert "<p>no measures (baseline)</p>" in page and "<p>none</p>" in page        # empty lists say so
    assert "<img" not in page                                                       # no chart given, none drawn


def test_a_target_delivered_by_assumption_is_not_called_met_in_the_report():
    ctx = report_context()
    ctx["targets"] = [ctx["targets"][0] | {"assumed": True, "p_met": "delivered by assumption"}]
    row = re.search(r"<table class=\"targets\">.*?</table>", render("report.html.j2", **ctx), re.S).group(0)
    assert "delivered by assumption" in row and 'badge ok' not in row


FIT_OBJECTIVE = {"j_start": 2.0, "j_best": 0.5, "moments": 2, "parameters": 1, "dof": 1, "p_value": 0.48,
                 "noise": "one seed", "verdict": "chi-square(1) p-value 0.48", "search": 3, "jacobian": 1, "budget": 4,
                 "step": 0.05, "not_fit": []}


@pytest.mark.parametrize("name, context, missing", [
    ("report.html.j2", report_context(), "how"),
    ("report.html.j2", report_context(), "tx"),
    ("fit.md.j2", {"note": "n", "objective": FIT_OBJECTIVE, "parameters": [], "moments": []}, "note"),
    ("fit.md.j2", {"note": "n", "objective": FIT_OBJECTIVE, "parameters": [], "moments": []}, "objective"),
    ("backcast.md.j2", {"manifest": {"settings": {"scale": 1, "seeds": [1]}, "code_revision": "x"}, "stocks": [], "checks": [],
                        "feasibility": [], "explanations": {}}, "manifest"),
])
def test_a_missing_variable_is_an_error_not_an_empty_string(name, context, missing):
    render(name, **context)                                              # complete: renders
    del context[missing]
    with pytest.raises(jinja2.UndefinedError, match=missing):
        render(name, **context)


def test_a_missing_field_of_a_row_is_an_error_too():
    row = report_context()["targets"][0]
    del row["gap"]
    with pytest.raises(jinja2.UndefinedError, match="gap"):
        render("report.html.j2", **report_context(targets=[row]))


def test_html_is_autoescaped_and_markdown_is_not():
    assert autoescaped("report.html.j2") and not autoescaped("fit.md.j2") and not autoescaped("report.css")
    text = render("fit.md.j2", note="a <b> & c", objective=FIT_OBJECTIVE, parameters=[], moments=[])
    assert "a <b> & c." in text


def test_fit_note_layout():
    params = pd.DataFrame([{"parameter": "firms.separation_scale", "before": 0.41234, "after": 0.3456, "se": 0.0123,
                            "ci_low": 0.3215, "ci_high": 0.3697, "identified": True, "identification": "identified",
                            "range_low": 0.1, "range_high": 1.0, "unit": "share"}])
    report = pd.DataFrame([{"indicator": "urban_new_employment", "period": "2016-2020", "role": "fitted",
                            "simulated_before": 240000.0, "simulated_after": 251000.5, "observed": 250051.0,
                            "sigma": 12502.55, "error_pct": 0.38, "fits": True},
                           {"indicator": "skilled_talent", "period": "2020", "role": "held-out", "simulated_before": 1.0,
                            "simulated_after": 2.0, "observed": 3.0, "sigma": float("nan"), "error_pct": -33.3, "fits": None}])
    assert smm.fit_markdown(FIT_OBJECTIVE, report, params, "fitted by a test") == (
        "# Calibration (simulated moments, 2016-2020 back-cast)\n\nfitted by a test.\n\n## Objective\n\n"
        "J = Σ ((m − d) / σ)² over the 2 fitted moments, σ² = sd_data² + sd_sim²/S (one seed).\n"
        "J 2 at the start, 0.5 at the fit; M = 2 moments, P = 1 parameters, M − P = 1 degrees of freedom: "
        "chi-square(1) p-value 0.48.\n\n"
        "Evaluations: 3 for the search and 1 for the standard errors (forward differences, step 0.05 of each range), "
        "budget 4.\n\n## Parameters\n\n"
        "| parameter | before | after | standard error | 95% interval | identified | range |\n|---|---:|---:|---:|---|---|---|\n"
        "| firms.separation_scale | 0.4123 | 0.3456 | 0.012 | [0.3215, 0.3697] | identified | [0.1, 1] |\n"
        "\n## Moments\n\nOnly *fitted* rows enter the objective; *held-out* rows are validation; *identified* rows agree "
        "by construction (a build-time rate is solved from them); *input* rows are given. "
        "A fitted moment is fit when |m − d| ≤ 2σ.\n\n"
        "| indicator | period | role | observed | σ | before | after | error after | fit |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---|\n"
        "| urban_new_employment | 2016-2020 | fitted | 250,051.00 | 12,502.55 | 240,000.00 | 251,000.50 | +0.4% | yes |\n"
        "| skilled_talent | 2020 | held-out | 3.00 |  | 1.00 | 2.00 | -33.3% |  |\n"
        "\nMoments it could not fit: none.\n")


def test_backcast_note_layout():
    city = load_city("shanwei")
    table = pd.DataFrame([
        {"indicator": "urban_new_employment", "period": "2016-2020", "simulated": 251000.0, "observed": 250051.0,
         "error_pct": 0.38, "role": "fitted", "goal": "15%", "within_goal": True},
        {"indicator": "skilled_talent", "period": "2020", "simulated": 300000.0, "observed": 319600.0,
         "error_pct": -6.13, "role": "held-out", "goal": "", "within_goal": None}])
    text = backcast.report_markdown(table, city, {"settings": {"scale": 20, "seeds": [1, 2]}, "code_revision": "abc"})
    lines = text.split("\n")
    assert lines[:3] == ["# Back-cast 2016-2020", "", "Scale 20, seeds [1, 2], code abc."]
    assert "| urban_new_employment | 2016-2020 | 251,000.00 | 250,051.00 | +0.4% | fitted | 15%: met |" in lines
    assert "| skilled_talent | 2020 | 300,000.00 | 319,600.00 | -6.1% | held-out |  |" in lines
    stocks = [ln for ln in lines if ln.startswith("| titles.") or ln.startswith("| skills.")
              or ln.startswith("| labour_market.") or ln.startswith("| population.")]
    assert len(stocks) == len(backcast.stocks_2015(city))
    assert lines[-2].startswith("- **high_skilled_talent**: end-2015 stock")
    assert text.endswith(".\n") and not text.endswith("\n\n")


# -- the chart package ----------------------------------------------------------------------------------
def test_the_chart_package_keeps_the_names_callers_import():
    import sim.charts as charts

    for name in ("chart_indicator", "scenario_label", "write_charts", "chart_effects", "chart_tradeoff", "waterfall",
                 "chart_probabilities", "write_waterfalls", "chart_subtitle", "indicator_title", "player_label",
                 "backcast_chart", "sensitivity_chart", "timetable_chart", "style"):
        assert hasattr(charts, name), name
    assert charts.style.figure and charts.style.save


def test_charts_read_tables_never_the_model():
    """Chart modules import only the indicator catalogue, the locale, errors and each other."""
    allowed = {"indicators", "locale", "errors"}
    for path in CHARTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2:         # from ..x import y / from .. import x
                modules = [node.module] if node.module else [a.name for a in node.names]
                assert set(modules) <= allowed, f"{path.name} imports sim.{modules}"
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("sim"), f"{path.name} imports {node.module}"


def test_timetable_chart_draws_one_bar_pair_per_measure():
    from sim.charts import style, timetable_chart

    tt = pd.DataFrame({"label": ["a", "b"], "start": ["2022-01", "2021-06"], "full": ["2022-12", "2021-06"],
                       "end": ["2025-12", "2024-12"]})
    fig = timetable_chart(tt, "en")
    try:
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]            # sorted by start
        assert len(ax.patches) == 4
    finally:
        style.plt.close(fig)


def test_every_result_directory_has_the_one_manifest_schema(tmp_path):
    """Runs, comparisons, attributions, back-casts and calibrations write `sim.outputs.manifest`:
    the same keys, their kind, and the city file with its hash."""
    from sim import outputs
    from sim.backcast import provenance_manifest

    keys = {"schema", "kind", "created", "package_version", "code_revision", "python", "numpy", "data_file", "data_hash",
            "scenarios", "settings"}
    for kind, m in (("backcast", provenance_manifest("shanwei", 20, [1, 2])),
                    ("calibration", provenance_manifest("shanwei", 20, [1], kind="calibration", budget=3)),
                    ("compare", outputs.manifest("compare", city="shanwei", compared=["a", "b"]))):
        assert set(m) == keys and m["kind"] == kind and m["schema"] == outputs.SCHEMA
        assert m["data_hash"].startswith("sha256:") and Path(m["data_file"]).is_absolute()
    with pytest.raises(ValueError, match="unknown manifest kind"):
        outputs.manifest("runs")
