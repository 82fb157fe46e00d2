"""Another city is a data file: the synthetic Othertown runs end to end from its own file.

`sim/data/examples/othertown.yaml` is a made-up town of 18,000 residents with its own places,
sectors, age bands, key enterprises, school and targets, and the parameter keys and table columns of
the Shanwei file. `scenarios/examples/othertown_baseline.toml` points `run.city` at it. The run goes
through the command line (`sim run`), as an analyst would start it, at 10 persons per agent
(about 1,100 residents aged 16-64 as agents), in a second or two.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.params import file_hash, load_city
from sim.runner import city_rows

REPO = Path(__file__).resolve().parent.parent
CITY = REPO / "sim" / "data" / "examples" / "othertown.yaml"
SCENARIO = REPO / "scenarios" / "examples" / "othertown_baseline.toml"
YEARS = range(2021, 2026)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """One baseline run at scale 10 through `sim run`, started from another folder than the
    repository (the scenario's `run.city` is relative to the scenario file)."""
    out = tmp_path_factory.mktemp("othertown") / "run"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(out.parent)
        rc = main(["run", str(SCENARIO), "--scale", "10", "--out", str(out), "--no-charts"])
    assert rc == 0
    return out


@pytest.fixture(scope="module")
def annual(run_dir) -> pd.DataFrame:
    a = city_rows(pd.read_parquet(run_dir / "annual.parquet"))
    return a.pivot_table(index="year", columns="indicator", values="value")


def test_the_run_writes_its_tables(run_dir):
    for name in ("annual.parquet", "monthly.parquet", "targets.csv", "manifest.json"):
        assert (run_dir / name).is_file(), name
    assert set(pd.read_parquet(run_dir / "annual.parquet")["scenario"]) == {"othertown_baseline"}


def test_employment_is_in_persons_of_a_town_this_size(annual):
    d = load_city(str(CITY))
    working_age = d.get("population.resident_2020") * d.get("population.working_age_share")
    employed = annual.loc[list(YEARS), "employed_local"]
    assert (employed > working_age / 5).all() and (employed < working_age).all(), employed.to_dict()
    # roughly stable: no year more than a fifth away from the end-2020 stock
    assert ((employed / annual.loc[2020, "employed_local"] - 1).abs() < 0.2).all(), employed.to_dict()
    away = annual.loc[list(YEARS), "employed_outside"]
    assert (away > 0).all() and (away < working_age / 5).all(), away.to_dict()


def test_unemployment_neither_explodes_nor_vanishes(annual):
    rate = annual.loc[list(YEARS), "surveyed_unemployment_rate"]
    assert rate.between(0.5, 15).all(), rate.to_dict()
    unemployed = annual.loc[list(YEARS), "unemployed"]
    assert (unemployed > 0).all() and (unemployed < annual.loc[list(YEARS), "employed_local"] / 5).all()


def test_the_registered_rate_starts_at_the_file_value_and_stays_positive(annual):
    d = load_city(str(CITY))
    assert annual.loc[2020, "registered_unemployment_rate"] == pytest.approx(
        d.get("labour_market.registered_unemployment_rate_2020"), abs=0.5)
    registered = annual.loc[list(YEARS), "registered_unemployment_rate"]
    assert registered.mean() > 0 and (registered < 15).all(), registered.to_dict()


def test_the_targets_are_othertowns_own(run_dir):
    targets = pd.read_csv(run_dir / "targets.csv")
    assert len(targets) == len(load_city(str(CITY)).targets) > 0
    assert targets["source"].str.startswith("synthetic test target").all()


def test_the_manifest_names_the_othertown_data_file(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "run" and Path(manifest["data_file"]) == CITY.resolve()     # sim.outputs.manifest
    entry = manifest["scenarios"][0]
    assert entry["scenario"] == "othertown_baseline"
    assert Path(entry["data_file"]) == CITY.resolve()          # the scenario's relative path, anchored
    assert entry["data_hash"] == "sha256:" + file_hash(CITY)
    assert entry["resolved_scenario"]["run"]["city"] == str(CITY.resolve())


# -- the file itself ------------------------------------------------------------------------------------
def test_othertown_is_labelled_synthetic():
    meta = load_city(str(CITY)).meta
    assert meta["city"] == "Othertown" and meta["synthetic"] is True
    assert "not a real place" in meta["note"]


def test_othertown_has_the_shanwei_structure_but_its_own_ids():
    """Same parameter keys and table columns as the Shanwei file (add a new key to both files);
    none of the row ids that identify a city (places, sectors, age bands, enterprises, schools)."""
    town, shanwei = load_city(str(CITY)), load_city("shanwei")
    assert set(town.params) == set(shanwei.params), (
        f"only in shanwei.yaml: {sorted(set(shanwei.params) - set(town.params))}; "
        f"only in othertown.yaml: {sorted(set(town.params) - set(shanwei.params))}")
    assert {t: list(c) for t, c in town.columns.items()} == {t: list(c) for t, c in shanwei.columns.items()}
    for table in shanwei.tables:
        assert not set(town.table(table)) & set(shanwei.table(table)), table
    sectors = town.table("sectors").values()
    assert sum(r["public_service"] for r in sectors) == 1 and sum(r["manufacturing"] for r in sectors) >= 1


def test_no_policy_parameter_names_a_shanwei_place_or_sector():
    town, shanwei = load_city(str(CITY)), load_city("shanwei")
    shanwei_ids = {i for t in ("places", "sectors") for i in shanwei.table(t)}
    town_ids = {i for t in ("places", "sectors") for i in town.table(t)}
    for path, p in town.params.items():
        if path.startswith("policies.") and path.endswith(("sites", "places", "ninth_site", "sectors")):
            values = set(p.value if isinstance(p.value, list) else [p.value]) - {"none"}
            assert values <= town_ids and not values & shanwei_ids, (path, values)
