"""Input handling: the city data file (sim.params), scenario files (sim.scenario) and provenance.

Every kind of bad input must raise `InputError` naming the file and the key; the city data file's
seed values and targets must agree with shared/data/facts.yaml, the facts they were copied from.
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
from pathlib import Path

import pytest
import yaml

from sim import scenario as scen
from sim.calendar import parse_month
from sim.errors import InputError
from sim.params import DATA_DIR, load_city

DATA_FILE = DATA_DIR / "shanwei.yaml"
FACTS_FILE = Path(os.environ.get("SIM_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")) / "data" / "facts.yaml"
BASELINE = scen.SCENARIO_DIR / "baseline.toml"


@pytest.fixture(scope="module")
def city():
    return load_city("shanwei")


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# =================================================================================================
# sim.params: the city data file
# =================================================================================================
def test_packaged_city_loads_with_parameters_tables_and_targets(city):
    assert city.get("population.female_share") == 0.48
    assert "electronics" in city.table("sectors")
    assert city.targets, "the data file lists the plans' targets"
    assert set(city.provenance_counts()) == {"seed", "public", "assumption", "calibrated"}


def test_input_error_is_one_line_naming_where_and_key():
    exc = InputError("some.toml", "run.scale", "must be >= 1")
    assert str(exc) == "some.toml: run.scale: must be >= 1"
    assert (exc.where, exc.key, exc.message) == ("some.toml", "run.scale", "must be >= 1")
    assert str(InputError("some.toml", "", "file not found")) == "some.toml: file not found"


@pytest.mark.parametrize("ref", ["no_such_city", "cities/no_such_city.yaml"])
def test_missing_city_file_is_an_input_error(ref, tmp_path):
    with pytest.raises(InputError) as info:
        load_city(ref, base_dir=tmp_path)
    assert "no_such_city" in info.value.where
    assert "not found" in info.value.message


def test_malformed_city_yaml_is_an_input_error(tmp_path):
    bad = write(tmp_path / "bad.yaml", "population: {female_share: [1, 2\n")
    with pytest.raises(InputError) as info:
        load_city(str(bad))
    assert info.value.where == str(bad)
    assert "malformed YAML" in info.value.message


# -- overrides -------------------------------------------------------------------------------------
def test_override_of_a_parameter_changes_only_the_copy(city):
    new = city.with_overrides({"outside_market.wage_premium": 0.6}, "my.toml")
    assert new.get("outside_market.wage_premium") == 0.6
    assert city.get("outside_market.wage_premium") == 0.5


def test_override_of_a_table_cell_changes_the_table(city):
    before = city.table("sectors")["electronics"]["trend"]
    new = city.with_overrides({"sectors.electronics.trend": 0.1}, "my.toml")
    assert new.table("sectors")["electronics"]["trend"] == 0.1
    assert city.table("sectors")["electronics"]["trend"] == before        # original untouched
    assert new.table("sectors")["catering"] == city.table("sectors")["catering"]


@pytest.mark.parametrize("path", [
    "outside_market.no_such_parameter",           # unknown leaf
    "no_such_group.wage_premium",           # unknown group
    "outside_market",                             # a group, not a parameter
    "sectors.no_such_sector.trend",         # unknown table row
    "sectors.electronics.no_such_column",   # unknown table column
    "sectors.electronics",                  # a row, not a cell
])
def test_override_of_an_unknown_path_is_an_input_error(city, path):
    with pytest.raises(InputError) as info:
        city.with_overrides({path: 1}, "my.toml")
    assert info.value.where == "my.toml"
    assert info.value.key == f"assumptions.{path}"
    assert "sim list parameters" in info.value.message


@pytest.mark.parametrize("path, value, says", [
    ("population.female_share", 1.5, "out of range"),
    ("population.female_share", -0.1, "out of range"),
    ("labour_market.unemployment_rate_2020", -0.05, "out of range"),
    ("sectors.electronics.trend", 0.9, "out of range"),            # table cell, bounds [-0.5, 0.5]
    ("skills.level_shares_low", [0.5, 1.5], "out of range"),       # one element of a list
    ("population.female_share", "half", "must be a number"),
    ("population.female_share", True, "must be a number"),
])
def test_override_out_of_bounds_or_of_wrong_type_is_an_input_error(city, path, value, says):
    with pytest.raises(InputError) as info:
        city.with_overrides({path: value}, "my.toml")
    assert info.value.where == "my.toml"
    assert info.value.key == f"assumptions.{path}"
    assert says in info.value.message


# -- a broken copy of the data file ------------------------------------------------------------------
def broken_copy(tmp_path: Path, edit) -> str:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_unchanged_copy_of_the_data_file_loads(tmp_path, city):
    copy_ = load_city(broken_copy(tmp_path, lambda raw: None))
    assert copy_.params.keys() == city.params.keys()


@pytest.mark.parametrize("case, edit, key", [
    ("parameter without provenance",
     lambda raw: raw["population"]["female_share"].pop("provenance"), "population.female_share"),
    ("assumption without range",
     lambda raw: raw["population"]["female_share"].pop("range"), "population.female_share"),
    ("assumption without reasoning",
     lambda raw: raw["population"]["female_share"].pop("reasoning"), "population.female_share"),
    ("unknown provenance",
     lambda raw: raw["population"]["female_share"].update(provenance="hearsay"), "population.female_share"),
    ("seed value without source",
     lambda raw: raw["skills"]["skilled_talent_2020"].pop("source"), "skills.skilled_talent_2020"),
    ("unknown key in a parameter",
     lambda raw: raw["population"]["female_share"].update(vaule=0.5), "population.female_share"),
    ("value outside its bounds",
     lambda raw: raw["population"]["female_share"].update(value=1.2), "population.female_share"),
    ("table column without range",
     lambda raw: raw["sectors"]["columns"]["trend"].pop("range"), "sectors."),
    ("table row missing a column",
     lambda raw: raw["sectors"]["rows"]["electronics"].pop("trend"), "sectors.rows.electronics"),
    ("meta without the base year", lambda raw: raw["meta"].pop("base_year"), "meta.base_year"),
    ("base year not an integer", lambda raw: raw["meta"].update(base_year="2020"), "meta.base_year"),
    ("meta without the outside market's names", lambda raw: raw["meta"].pop("outside_market"), "meta.outside_market"),
    ("outside market without its Chinese name", lambda raw: raw["meta"].update(outside_market={"en": "X"}),
     "meta.outside_market"),
])
def test_broken_data_file_is_an_input_error_naming_the_key(tmp_path, case, edit, key):
    path = broken_copy(tmp_path, edit)
    with pytest.raises(InputError) as info:
        load_city(path)
    assert info.value.where == path
    assert info.value.key.startswith(key), case


def test_targets_are_typed_with_the_data_files_fields(city):
    from sim.params import Target

    assert all(isinstance(t, Target) for t in city.targets)
    total = next(t for t in city.targets if t.indicator == "urban_new_employment" and t.period)
    assert (total.year, total.period, total.value, total.comparator) == (2025, (2021, 2025), 175000, ">=")
    assert total.fact_id == "sw003_14fyp_new_urban_jobs_target_text" and total.source.startswith("[003]")
    with pytest.raises(dataclasses.FrozenInstanceError):
        total.value = 1


@pytest.mark.parametrize("case, change, key, says", [
    ("unknown key", {"colour": "red"}, "targets[3].colour", "allowed"),
    ("missing value", {"value": None}, "targets[3].value", "required"),
    ("string value", {"value": "many"}, "targets[3].value", "'many'"),
    ("unknown comparator", {"comparator": "~"}, "targets[3].comparator", "'~'"),
    ("period of one year", {"period": [2021]}, "targets[3].period", "[2021]"),
    ("period backwards", {"period": [2025, 2021]}, "targets[3].period", "[2025, 2021]"),
    ("year as text", {"year": "2025"}, "targets[3].year", "'2025'"),
], ids=lambda v: v if isinstance(v, str) and " " in v else None)
def test_bad_target_is_an_input_error_naming_the_file_key_and_value(tmp_path, case, change, key, says):
    """A bad row of a target file (sim.targets) names that file, not the city file that lists it."""
    targets = yaml.safe_load((DATA_DIR / "targets" / "shanwei_003_hrss_14th_five_year_plan.yaml").read_text(encoding="utf-8"))
    t = targets["targets"][3]
    t.update({k: v for k, v in change.items() if v is not None})
    for k in (k for k, v in change.items() if v is None):
        t.pop(k)
    bad = tmp_path / "targets.yaml"
    bad.write_text(yaml.safe_dump(targets, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = broken_copy(tmp_path, lambda raw: raw.update(target_files=["targets.yaml"]))
    with pytest.raises(InputError) as info:
        load_city(path)
    assert (info.value.where, info.value.key) == (str(bad), key), case
    assert says in info.value.message, info.value.message


# =================================================================================================
# sim.scenario: files, extends, --set, validation
# =================================================================================================
def test_baseline_scenario_loads():
    sc = scen.load(str(BASELINE))
    assert sc.name == "baseline"
    assert (str(sc.end), sc.scale, sc.replicates, sc.seed, sc.city) == ("2025-12", 100, 1, 1, "shanwei")
    assert sc.shocks == [] and sc.policies == {} and sc.assumptions == {}
    assert scen.load("baseline").name == "baseline"                 # by name, from scenarios/


@pytest.fixture
def chain(tmp_path):
    """grand <- parent <- child, extended by relative paths."""
    write(tmp_path / "grand.toml", f"""
        name = "grand"
        description = "the root"
        extends = "{BASELINE}"
        [run]
        end = "2023-06"
        scale = 50
        seed = 4
        [assumptions]
        outside_market.wage_premium = 0.55
        population.female_share = 0.47
        [[shocks]]
        kind = "demand"
        start = "2021-02"
        end = "2021-06"
        size = -0.08
    """)
    write(tmp_path / "parent.toml", """
        name = "parent"
        extends = "grand.toml"
        [run]
        seed = 5
        [assumptions]
        outside_market.wage_premium = 0.6
    """)
    write(tmp_path / "child.toml", """
        name = "child"
        extends = "parent.toml"
        [run]
        scale = 30
        [[shocks]]
        kind = "outside"
        start = "2022-01"
        end = "2022-12"
        size = 0.1
    """)
    return tmp_path


def test_extends_chain_merges_with_child_winning(chain):
    sc = scen.load(str(chain / "child.toml"))
    assert sc.name == "child"
    assert sc.description == ""                           # names and descriptions are not inherited
    assert sc.scale == 30                                 # child
    assert sc.seed == 5                                   # parent over grand
    assert str(sc.end) == "2023-06"                       # grand over baseline
    assert sc.replicates == 1 and sc.city == "shanwei"    # baseline
    assert sc.assumptions == {"outside_market.wage_premium": 0.6, "population.female_share": 0.47}  # merged by key
    assert [s.kind for s in sc.shocks] == ["outside"]     # lists are replaced, not appended


def test_extends_path_is_relative_to_the_scenario_file_not_the_working_directory(chain, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write(elsewhere / "parent.toml", """
        name = "decoy"
        [run]
        seed = 99
    """)
    monkeypatch.chdir(elsewhere)
    sc = scen.load(str(chain / "child.toml"))
    assert sc.seed == 5, "extends = 'parent.toml' must resolve next to child.toml, not in the working directory"


@pytest.mark.parametrize("files", [
    {"a.toml": 'extends = "a.toml"'},
    {"a.toml": 'extends = "b.toml"', "b.toml": 'extends = "a.toml"'},
    {"a.toml": 'extends = "b.toml"', "b.toml": 'extends = "c.toml"', "c.toml": 'extends = "a.toml"'},
], ids=["self", "two", "three"])
def test_circular_extends_is_an_input_error(tmp_path, files):
    for name, text in files.items():
        write(tmp_path / name, text)
    with pytest.raises(InputError) as info:
        scen.load(str(tmp_path / "a.toml"))
    assert info.value.key == "extends"
    assert "circular" in info.value.message


def test_unknown_extends_is_an_input_error_listing_known_scenarios(tmp_path):
    path = write(tmp_path / "s.toml", 'extends = "no_such_parent"')
    with pytest.raises(InputError) as info:
        scen.load(str(path))
    assert Path(info.value.where) == path.resolve()
    assert info.value.key == "extends"
    assert "no_such_parent" in info.value.message and "baseline" in info.value.message


@pytest.mark.parametrize("text, says", [
    ('name = "x', "malformed TOML"),
    ("[run\nscale = 1", "malformed TOML"),
    ("a = 1\na = 2", "malformed TOML"),
])
def test_malformed_toml_is_an_input_error(tmp_path, text, says):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(InputError) as info:
        scen.load(str(path))
    assert Path(info.value.where) == path.resolve()
    assert says in info.value.message and "\n" not in str(info.value)


def test_missing_scenario_file_or_name_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        scen.load(str(tmp_path / "nosuch.toml"))
    assert "nosuch.toml" in info.value.where and "not found" in info.value.message
    with pytest.raises(InputError) as info:
        scen.load("no_such_scenario")
    assert info.value.where == "no_such_scenario" and "baseline" in info.value.message


def test_unknown_top_level_key_is_an_input_error_naming_it(tmp_path):
    path = write(tmp_path / "s.toml", f'extends = "{BASELINE}"\nscenery = "sea"\n')
    with pytest.raises(InputError) as info:
        scen.load(str(path))
    assert info.value.key == "scenery"
    assert "allowed" in info.value.message and "assumptions" in info.value.message


# -- --set -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("item, keys, value", [
    ("run.scale=50", ["run", "scale"], 50),
    ("run.seed = 7", ["run", "seed"], 7),
    ("assumptions.outside_market.wage_premium=0.6", ["assumptions", "outside_market", "wage_premium"], 0.6),
    ("assumptions.x=-1e-2", ["assumptions", "x"], -0.01),
    ('run.end="2024-12"', ["run", "end"], "2024-12"),
    ("run.end=2024-12", ["run", "end"], "2024-12"),          # not a TOML literal: a plain string
    ("run.city=shanwei", ["run", "city"], "shanwei"),
    ("name=my run", ["name"], "my run"),
    ("x=true", ["x"], True),
    ("x=[0.5, 0.5]", ["x"], [0.5, 0.5]),
    ("x=a=b", ["x"], "a=b"),
])
def test_parse_set(item, keys, value):
    got_keys, got = scen.parse_set(item)
    assert got_keys == keys
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("item", ["run.scale", "=5", " =5", ""])
def test_parse_set_without_key_or_value_is_an_input_error(item):
    with pytest.raises(InputError) as info:
        scen.parse_set(item)
    assert info.value.where == "command line"


def test_sets_override_the_file():
    sets = scen.parse_sets(["run.scale=400", "run.seed=9", "assumptions.outside_market.wage_premium=0.6"])
    assert sets == {"run.scale": 400, "run.seed": 9, "assumptions.outside_market.wage_premium": 0.6}
    sc = scen.load(str(BASELINE), sets, scen.COMMAND_LINE)
    assert (sc.scale, sc.seed) == (400, 9)
    assert sc.assumptions == {"outside_market.wage_premium": 0.6}
    assert "--set" in sc.path


@pytest.mark.parametrize("item, key", [
    ("bogus=1", "--set bogus"),
    ("extends=other", "--set extends"),
    ("run.scale.x=1", "--set run.scale.x"),
])
def test_bad_set_is_an_input_error_from_the_command_line(item, key):
    with pytest.raises(InputError) as info:
        scen.load(str(BASELINE), scen.parse_sets([item]), scen.COMMAND_LINE)
    assert info.value.where == "command line"
    assert info.value.key == key


@pytest.mark.parametrize("item, key", [
    ("run.bogus=1", "run.bogus"),
    ("run.scale=0", "run.scale"),
    ("run.scale=abc", "run.scale"),
    ("run.replicates=0", "run.replicates"),
    ("run.end=2025-13", "run.end"),
])
def test_set_of_a_bad_run_value_names_the_key(item, key):
    with pytest.raises(InputError) as info:
        scen.load(str(BASELINE), scen.parse_sets([item]), scen.COMMAND_LINE)
    assert info.value.key == key


# -- validation of run, shocks, policies ----------------------------------------------------------------
@pytest.mark.parametrize("run, key, says", [
    ({"bogus": 1}, "run.bogus", "allowed"),
    ({"scale": 0}, "run.scale", ">= 1"),
    ({"scale": -5}, "run.scale", ">= 1"),
    ({"scale": "big"}, "run.scale", "integer"),
    ({"scale": 2.5}, "run.scale", "integer"),
    ({"scale": True}, "run.scale", "integer"),
    ({"replicates": 0}, "run.replicates", ">= 1"),
    ({"seed": -1}, "run.seed", ">= 0"),
    ({"end": "2025/12"}, "run.end", "YYYY-MM"),
    ({"city": 5}, "run.city", "string"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_run_table_is_an_input_error(run, key, says):
    with pytest.raises(InputError) as info:
        scen.validate({"run": run}, "s.toml")
    assert (info.value.where, info.value.key) == ("s.toml", key)
    assert says in info.value.message


@pytest.mark.parametrize("doc, key", [
    ({"run": 5}, "run"),
    ({"assumptions": 5}, "assumptions"),
    ({"shocks": {"kind": "demand"}}, "shocks"),
    ({"policies": 5}, "policies"),
    ({"name": 5}, "name"),
    ({"description": ["x"]}, "description"),
])
def test_wrong_type_of_a_section_is_an_input_error(doc, key):
    with pytest.raises(InputError) as info:
        scen.validate(doc, "s.toml")
    assert info.value.key == key


GOOD_SHOCK = {"kind": "demand", "sectors": ["electronics"], "start": "2021-02", "end": "2021-06", "size": -0.08}


def test_valid_shock_is_parsed():
    sc = scen.validate({"shocks": [GOOD_SHOCK, {**GOOD_SHOCK, "end": "2021-02", "sectors": None}]}, "s.toml")
    first, same_month = sc.shocks
    assert (first.kind, str(first.start), str(first.end), first.size, first.sectors) == \
        ("demand", "2021-02", "2021-06", -0.08, ["electronics"])
    assert same_month.start == same_month.end and same_month.sectors is None


@pytest.mark.parametrize("change, key, says", [
    ({"colour": "red"}, "shocks[0].colour", "allowed"),
    ({"kind": "earthquake"}, "shocks[0].kind", "must be one of"),
    ({"start": None}, "shocks[0].start", "required"),
    ({"end": None}, "shocks[0].end", "required"),
    ({"size": None}, "shocks[0].size", "required"),
    ({"start": "2021-07"}, "shocks[0].end", "before start"),
    ({"end": "2020-12"}, "shocks[0].end", "before start"),
    ({"start": "Feb 2021"}, "shocks[0].start", "YYYY-MM"),
    ({"size": -1.5}, "shocks[0].size", "[-1, 5]"),
    ({"size": "big"}, "shocks[0].size", "[-1, 5]"),
    ({"sectors": "electronics"}, "shocks[0].sectors", "list"),
    ({"sectors": [1, 2]}, "shocks[0].sectors", "list"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_shock_is_an_input_error(change, key, says):
    shock = {k: v for k, v in {**GOOD_SHOCK, **change}.items() if v is not None}
    with pytest.raises(InputError) as info:
        scen.validate({"shocks": [shock]}, "s.toml")
    assert (info.value.where, info.value.key) == ("s.toml", key)
    assert says in info.value.message


def test_bad_second_shock_is_named_by_its_index():
    with pytest.raises(InputError) as info:
        scen.validate({"shocks": [GOOD_SHOCK, {**GOOD_SHOCK, "size": 9}]}, "s.toml")
    assert info.value.key == "shocks[1].size"


def test_policy_parameters_are_checked_against_the_city_data():
    from sim.policies import parameters_of
    from sim.runner import city_data

    data = city_data(scen.load("baseline", {"policies.order_training.seats_per_year": 2500}))
    assert parameters_of(data, "order_training")["seats_per_year"] == 2500
    for item, key, says in (("policies.order_training.seets=5", "policies.order_training.seets", "allowed"),
                            ("policies.order_training.seats_per_year=-1", "policies.order_training.seats_per_year", "range"),
                            ("policies.township_markets.ninth_site='atlantis'", "policies.township_markets.ninth_site",
                             "unknown ids")):
        with pytest.raises(InputError) as info:
            city_data(scen.load("baseline", scen.parse_sets([item]), scen.COMMAND_LINE))
        assert info.value.key == key and says in info.value.message, (item, info.value)
    with pytest.raises(InputError) as info:
        scen.validate({"policies": {"order_training": {"enabled": "yes"}}}, "s.toml")
    assert info.value.key == "policies.order_training.enabled"
    with pytest.raises(InputError) as info:
        scen.validate({"policies": {"order_training": 5}}, "s.toml")
    assert info.value.key == "policies.order_training"


def test_unknown_policy_is_an_input_error():
    with pytest.raises(InputError) as info:
        scen.validate({"policies": {"no_such_measure": {}}}, "s.toml")
    assert info.value.key == "policies.no_such_measure"


# -- months ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, year, month", [("2021-01", 2021, 1), ("2025-12", 2025, 12), ("1999-07", 1999, 7)])
def test_parse_month(text, year, month):
    m = parse_month("s.toml", "run.end", text)
    assert (m.year, m.month, str(m)) == (year, month, text)
    assert m.index == year * 12 + month - 1


def test_month_index_orders_months():
    months = [parse_month("s", "k", t) for t in ("2020-12", "2021-01", "2021-02", "2022-01")]
    assert [b.index - a.index for a, b in zip(months, months[1:], strict=False)] == [1, 1, 11]


@pytest.mark.parametrize("value", ["2021-13", "2021-00", "2021-1", "2021/01", "21-01", "2021-01-01",
                                   "abcd-ef", "", 202101, None, ["2021-01"]])
def test_bad_month_is_an_input_error(value):
    with pytest.raises(InputError) as info:
        parse_month("s.toml", "run.end", value)
    assert (info.value.where, info.value.key) == ("s.toml", "run.end")
    assert "YYYY-MM" in info.value.message


# =================================================================================================
# Provenance: seed values and targets agree with shared/data/facts.yaml
# =================================================================================================
@pytest.fixture(scope="module")
def facts() -> dict[str, dict]:
    """The plans' figures. They live outside the repository (shared/ beside it, or $SIM_SHARED_DIR): a
    clone without them skips these two checks, saying why; CI (CI=true) has them and must run them."""
    if not FACTS_FILE.is_file():
        message = f"{FACTS_FILE} is absent (shared/data/facts.yaml sits beside the repository; or set SIM_SHARED_DIR)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must check the seed values against it")
        pytest.skip(message)
    doc = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    return {f["id"]: f for f in doc["facts"]}


@pytest.fixture(scope="module")
def raw_city() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def fact_value(fact: dict):
    """The fact's figure; `value_corrected` replaces `value` where the printed figure is a typo."""
    return fact.get("value_corrected", fact["value"])


def seed_parameters(node, path=""):
    """(path, spec) for every parameter with provenance 'seed' in the raw data file."""
    if isinstance(node, dict):
        if node.get("provenance") == "seed" and "value" in node:
            yield path, node
            return
        for key, child in node.items():
            if key not in ("meta", "targets"):
                yield from seed_parameters(child, f"{path}.{key}" if path else key)


def same(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == pytest.approx(b, rel=1e-12, abs=0)


def test_seed_parameters_equal_their_facts(facts, raw_city):
    seeds = [(path, spec) for path, spec in seed_parameters(raw_city) if spec.get("fact_id")]
    assert len(seeds) >= 10, "the data file should carry the plans' 2020 figures as seed parameters"
    problems = []
    for path, spec in seeds:
        fact = facts.get(spec["fact_id"])
        if fact is None:
            problems.append(f"{path}: fact_id {spec['fact_id']!r} is not in facts.yaml")
        elif not same(spec["value"], fact_value(fact)):
            problems.append(f"{path} = {spec['value']!r} but fact {spec['fact_id']} = {fact_value(fact)!r}")
    assert not problems, "\n".join(problems)


def test_every_target_has_a_fact_with_the_same_value(facts, city):
    """Every row of the city's target files (one per plan) cites a fact of that plan with its value."""
    assert city.target_files and city.targets
    problems = []
    for f in city.target_files:
        tag = f.plan["ref"].strip("[]")
        for t in f.targets:
            label = f"{Path(f.path).name}: target {t.indicator} {t.year}"
            fact = facts.get(t.fact_id)
            if not t.fact_id:
                problems.append(f"{label}: no fact_id")
            elif fact is None:
                problems.append(f"{label}: fact_id {t.fact_id!r} is not in facts.yaml")
            elif not same(t.value, fact_value(fact)):
                problems.append(f"{label} = {t.value!r} but fact {t.fact_id} = {fact_value(fact)!r}")
            elif not t.fact_id.startswith(f"sw{tag}_"):
                problems.append(f"{label}: fact {t.fact_id} is not from plan {f.plan['ref']}")
    assert not problems, "\n".join(problems)


def test_parsed_seed_parameters_match_the_raw_file(city, raw_city):
    """The loader keeps every seed parameter and its fact_id (so the two checks above see them all)."""
    raw = {path: spec.get("fact_id") for path, spec in seed_parameters(raw_city)}
    parsed = {p.path: p.fact_id for p in city.params.values() if p.provenance == "seed"}
    assert parsed == raw


def test_sets_apply_in_the_order_given_with_the_last_repeat_winning():
    sets = scen.parse_sets(["run.scale=400", "run={scale = 300, seed = 4}", "run.scale=200"])
    assert list(sets) == ["run", "run.scale"] and sets["run.scale"] == 200
    sc = scen.load(str(BASELINE), sets, scen.COMMAND_LINE)
    assert (sc.scale, sc.seed) == (200, 4)


def test_typed_overrides_are_values_not_strings():
    """A string is kept as a string (no TOML parsing), lists and tables as given, and the caller's
    objects are copied, not shared with the scenario."""
    shocks = [{"kind": "demand", "start": "2021-02", "end": "2021-06", "size": -0.1, "sectors": ["electronics"]}]
    sc = scen.load(str(BASELINE), {"name": "[1, 2]", "run.end": "2022-12", "shocks": shocks})
    assert sc.name == "[1, 2]" and str(sc.end) == "2022-12" and sc.shocks[0].sectors == ["electronics"]
    shocks[0]["sectors"].append("catering")
    assert sc.resolved["shocks"][0]["sectors"] == ["electronics"]
    assert "(with overrides)" in sc.path
    with pytest.raises(TypeError, match="parse_sets"):
        scen.load(str(BASELINE), ["run.scale=400"])
