"""Targets in data files, one per plan, and runs past 2025 (issue 15, point 8).

The plans' targets live in `sim/data/targets/` (one file per plan, `sim.targets`); the city data file
names them and a scenario may add more (`[targets] files`). `scenarios/examples/horizon_2030.toml` runs
the full plan to 2030-12 against ILLUSTRATIVE 2030 targets. The runs here are coarse (scale 1000, about
a second each): they check the tables' shape, not the model's numbers.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim import runner
from sim import scenario as scen
from sim.cli import main
from sim.errors import InputError
from sim.inputs import city_data
from sim.params import DATA_DIR, files_hash, load_city
from sim.policies import build
from sim.targets import TARGETS_DIR, load_target_file

HORIZON = scen.SCENARIO_DIR / "examples" / "horizon_2030.toml"
ILLUSTRATIVE = scen.SCENARIO_DIR / "examples" / "targets_2030_illustrative.yaml"
PLAN_FILES = ["shanwei_000_labour_allocation", "shanwei_003_hrss_14th_five_year_plan"]
COARSE = {"run.scale": 1000}
SEEDS = Path(os.environ.get("SIM_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")) / "seeds"


# -- the plans' targets, one file per plan ----------------------------------------------------------
def test_the_city_names_one_target_file_per_plan_each_with_its_header():
    data = load_city("shanwei")
    assert [Path(f.path).stem for f in data.target_files] == PLAN_FILES
    for f, ref in zip(data.target_files, ("[000]", "[003]"), strict=True):
        assert f.plan["ref"] == ref and f.plan["period"] == [2021, 2025]
        seed = SEEDS / f.plan["file"]
        assert seed.is_file() or not SEEDS.is_dir(), f"{seed}: the plan's text in shared/seeds/"
        assert f.plan["file"].startswith(ref.strip("[]") + "_") and f.plan["en"] and f.plan["zh"]
        assert all(t.fact_id.startswith(f"sw{ref.strip('[]')}_") for t in f.targets), "a row in the wrong plan's file"
    assert [len(f.targets) for f in data.target_files] == [11, 15]


@pytest.mark.parametrize("name", ["baseline", "plan_2025"])
def test_baseline_and_plan_have_the_same_26_targets_as_before(name):
    """The rows and their order are those the data file listed inline before the split."""
    targets = city_data(scen.load(name)).targets
    assert len(targets) == 26
    ids = [runner.target_id(t) for t in targets]
    assert ids[:7] == [*(f"urban_new_employment_{y}" for y in range(2021, 2026)), "urban_new_employment_2021-2025",
                       "registered_unemployment_rate_2021"]
    assert ids[-4:] == ["technical_school_enrolment_2025", "cantonese_chef_training_2021-2025",
                        "housekeeping_training_2021-2025", "rural_ecommerce_training_2021-2025"]
    by_id = dict(zip(ids, targets, strict=True))
    skilled = by_id["skilled_talent_2025"]
    assert (skilled.value, skilled.comparator, skilled.fact_id) == (420000, ">=", "sw003_2025_skilled_talent_text")
    total = by_id["urban_new_employment_2021-2025"]
    assert (total.year, total.period, total.value) == (2025, (2021, 2025), 175000)
    assert by_id["high_skilled_talent_2025"].source.startswith("[000]")


def test_a_coarse_baseline_run_has_26_target_rows():
    sc = scen.load("baseline", COARSE)
    data = city_data(sc)
    table = runner.target_table(runner.run(sc, data=data).annual, data)
    assert len(table) == 26 and table["year"].max() == 2025


# -- bad target files: one InputError naming the file and the key ---------------------------------------
def scenario_with(tmp_path: Path, targets_toml: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f'extends = "{scen.SCENARIO_DIR / "baseline.toml"}"\n[run]\nscale = 1000\n{targets_toml}',
                    encoding="utf-8")
    return path


def target_file(tmp_path: Path, edit) -> Path:
    doc = yaml.safe_load(ILLUSTRATIVE.read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("case, edit, key, says", [
    ("unknown top key", lambda d: d.update(colour="red"), "colour", "allowed ['plan', 'targets']"),
    ("no period in the header", lambda d: d["plan"].pop("period"), "plan.period", "missing"),
    ("unknown header key", lambda d: d["plan"].update(year=2030), "plan.year", "unknown key"),
    ("unknown row key", lambda d: d["targets"][2].update(weight=1), "targets[2].weight", "unknown key"),
    ("unknown indicator", lambda d: d["targets"][0].update(indicator="skiled_talent"), "targets[0].indicator",
     "'skiled_talent'"),
    ("value as text", lambda d: d["targets"][1].update(value="many"), "targets[1].value", "'many'"),
    ("no targets", lambda d: d.update(targets=[]), "targets", "non-empty list"),
    ("a target the plans already set", lambda d: d["targets"].append({**d["targets"][3], "year": 2025}),
     "targets[7]", "skilled_talent_2025 is already set in"),
], ids=lambda v: v if isinstance(v, str) and " " in v else None)
def test_a_bad_target_file_names_the_file_and_the_key(tmp_path, case, edit, key, says):
    bad = target_file(tmp_path, edit)
    path = scenario_with(tmp_path, '[targets]\nfiles = ["t.yaml"]\n')
    with pytest.raises(InputError) as info:
        city_data(scen.load(str(path)))
    assert (info.value.where, info.value.key) == (str(bad), key), case
    assert says in info.value.message, info.value.message


@pytest.mark.parametrize("text, key, says", [
    ('[targets]\nfiles = ["nosuch.yaml"]\n', "targets.files[0]", "not found"),
    ('[targets]\nfiles = "t.yaml"\n', "targets.files", "must be a list"),
    ('[targets]\nfile = ["t.yaml"]\n', "targets.file", "allowed ['files']"),
])
def test_a_bad_targets_table_names_the_scenario_file_and_the_key(tmp_path, text, key, says):
    path = scenario_with(tmp_path, text)
    with pytest.raises(InputError) as info:
        scen.load(str(path))
    assert (info.value.where, info.value.key) == (str(path.resolve()), key)
    assert says in info.value.message


def test_a_bad_target_file_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys):
    target_file(tmp_path, lambda d: d["targets"][0].update(comparator="~"))
    path = scenario_with(tmp_path, '[targets]\nfiles = ["t.yaml"]\n')
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--no-charts"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(tmp_path / "t.yaml") in err[0] and "targets[0].comparator" in err[0], err
    assert not (tmp_path / "out").exists()


def test_a_city_target_file_is_a_packaged_name_or_a_path_relative_to_the_city_file(tmp_path):
    raw = yaml.safe_load((DATA_DIR / "shanwei.yaml").read_text(encoding="utf-8"))
    shutil.copy(TARGETS_DIR / f"{PLAN_FILES[1]}.yaml", tmp_path / "plan003.yaml")
    raw["target_files"] = [PLAN_FILES[0], "plan003.yaml", "nosuch.yaml"]
    city = tmp_path / "city.yaml"
    city.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_city(str(city))
    assert (info.value.where, info.value.key) == (str(city.resolve()), "target_files[2]")
    raw["target_files"].pop()
    city.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_city(str(city)).targets == load_city("shanwei").targets


# -- the data hash covers the target files ----------------------------------------------------------------
def test_the_data_hash_covers_the_target_files(tmp_path):
    data = load_city("shanwei")
    files = data.files()
    assert files[0] == DATA_DIR / "shanwei.yaml" and len(files) == 3
    copies = [shutil.copy(f, tmp_path / f.name) for f in files]
    before = files_hash(copies)
    Path(copies[2]).write_text(Path(copies[2]).read_text(encoding="utf-8").replace("25000", "26000"), encoding="utf-8")
    assert files_hash(copies) != before and files_hash(copies[:1]) == files_hash([files[0]])


# -- the horizon example: the full plan to 2030-12 ----------------------------------------------------
@pytest.fixture(scope="module")
def horizon(tmp_path_factory):
    out = tmp_path_factory.mktemp("horizon") / "run"
    assert main(["run", str(HORIZON), "--scale", "1000", "--workers", "0", "--no-charts", "--out", str(out)]) == 0
    return out


def test_the_illustrative_targets_say_so_in_every_row():
    f = load_target_file(ILLUSTRATIVE)
    assert "ILLUSTRATIVE" in f.plan["en"] and f.plan["period"] == [2026, 2030]
    assert f.targets and all(t.source.startswith("ILLUSTRATIVE, not from a plan") and not t.fact_id for t in f.targets)
    assert {t.year for t in f.targets} == {2030}


def test_the_horizon_example_runs_to_2030_with_2030_targets_and_their_status(horizon):
    annual = pd.read_parquet(horizon / "annual.parquet")
    assert annual["year"].max() == 2030
    assert set(annual.loc[annual["year"] == 2030, "indicator"]) >= {"skilled_talent", "registered_unemployment_rate"}
    targets = pd.read_csv(horizon / "targets.csv", keep_default_na=False)
    late = targets[targets["year"] == 2030]
    assert len(targets) == 26 + len(load_target_file(ILLUSTRATIVE).targets)
    assert len(late) == 7 and late["source"].str.startswith("ILLUSTRATIVE").all()
    assert set(late["status"]) <= {"met", "not met"} and late["prob_met"].between(0, 1).all()
    assert "2026-2030" in set(late["period"])


def test_the_horizon_manifest_records_the_target_files_and_hashes_them(horizon):
    entry = json.loads((horizon / "manifest.json").read_text(encoding="utf-8"))["scenarios"][0]
    assert entry["target_files"][-1] == str(ILLUSTRATIVE.resolve()) and len(entry["target_files"]) == 3
    assert entry["resolved_scenario"]["targets"]["files"] == [str(ILLUSTRATIVE.resolve())]
    assert entry["data_hash"] == "sha256:" + files_hash([DATA_DIR / "shanwei.yaml", *map(Path, entry["target_files"])])


def test_measures_continue_or_stop_after_2025_as_the_scenario_says():
    """horizon_2030 extends the permanent measures to 2030-12; the programmes stop at 2025-12 (the data
    file's end); `--set policies.NAME.end` continues one."""
    sc = scen.load(str(HORIZON), {"policies.skills_upgrading.end": "2030-12"})
    policies = {p.name: p for p in build(sc.policies, city_data(sc))}
    mid_2027 = 2027 * 12 + 6
    assert policies["township_markets"].intensity(mid_2027) == 1.0
    assert policies["technical_schools"].intensity(mid_2027) == 1.0
    assert policies["skills_upgrading"].intensity(mid_2027) == 1.0          # continued by the override
    assert policies["cantonese_chef"].intensity(mid_2027) == 0.0            # stopped at 2025-12
    assert policies["cantonese_chef"].intensity(2025 * 12 + 11) == 1.0


def test_running_totals_start_again_with_each_target_period():
    from sim.charts.targets import period_starts, quantiles

    annual = pd.DataFrame({"scenario": "s", "replicate": 0, "year": range(2021, 2031), "indicator": "certificates_issued",
                           "value": 1.0})
    targets = pd.DataFrame({"indicator": ["certificates_issued"] * 2, "period": ["2021-2025", "2026-2030"]})
    starts = period_starts("certificates_issued", targets)
    q = quantiles(annual, "certificates_issued", True, starts).set_index("year")[0.5]
    assert starts == [2021, 2026] and q[2025] == 5 and q[2026] == 1 and q[2030] == 5


def test_a_forecast_of_the_horizon_example_runs_its_file(tmp_path):
    """`sim forecast` runs each scenario's draws as a sweep whose base is the scenario; a scenario given
    by path (the examples) is loaded from its file, a packaged one by its name."""
    from sim import ensemble

    runs = [(sc, city_data(sc)) for sc in (scen.load("plan_2025", COARSE), scen.load(str(HORIZON), COARSE))]
    specs = ensemble.specs(runs, ensemble.draws(runs, 2, seed=3), 1000, ["skilled_talent"])
    assert [s.base for s in specs] == ["plan_2025", str(HORIZON.resolve())]
    again = scen.load(specs[1].base, COARSE)
    assert again.name == "horizon_2030" and str(again.end) == "2030-12"


def test_compare_and_report_read_the_target_files_the_runs_added(horizon, tmp_path):
    from sim.report_inputs import load_inputs

    assert main(["compare", str(horizon), "--no-charts", "--out", str(tmp_path / "cmp")]) == 0
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv", keep_default_na=False)
    assert (table["year"] == 2030).sum() == 7 and table["source"].str.startswith("ILLUSTRATIVE").sum() == 7
    data = load_inputs([horizon])[2]
    assert Path(data.target_files[-1].path) == ILLUSTRATIVE.resolve() and len(data.targets) == 33
