"""Non-finite numbers (nan, inf, -inf) are bad input wherever a number is read, and errors name the bad value.

A NaN passes every range check (its comparisons are all false), so before this was checked
`sim run baseline --set assumptions.training.pass_rate=nan` ran and wrote `NaN` into manifest.json.
Contract: one line on stderr naming the origin, the key and the value, exit 2, nothing written.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
import yaml

from sim import scenario as scen
from sim import sweep as sw
from sim.cli import main
from sim.errors import InputError
from sim.params import DATA_DIR, load_city

BASELINE = (scen.SCENARIO_DIR / "baseline.toml").resolve()
FAST = ["--scale", "2000", "--set", "run.end=2021-12", "--no-charts"]


def run_cli(capsys, tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "out"
    code = main(["run", *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert not out.exists(), f"{out} was written"
    return code, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("key, literal", [
    ("assumptions.training.pass_rate", "nan"),
    ("assumptions.outside_market.wage_premium", "inf"),
    ("assumptions.sectors.electronics.trend", "-inf"),
    ("policies.order_training.seats_per_year", "nan"),
])
def test_non_finite_set_is_one_line_exit_2_and_nothing_written(capsys, tmp_path, key, literal):
    code, err = run_cli(capsys, tmp_path, "baseline", *FAST, "--set", f"{key}={literal}")
    line = one_line(err)
    assert code == 2
    assert "command line" in line and f"--set {key}" in line and literal in line and "finite" in line, line


def test_non_finite_number_inside_a_set_list_names_its_index(capsys, tmp_path):
    shocks = 'shocks=[{kind="demand", start="2021-02", end="2021-06", size=-inf}]'
    code, err = run_cli(capsys, tmp_path, "baseline", *FAST, "--set", shocks)
    line = one_line(err)
    assert code == 2 and "--set shocks[0].size" in line and "-inf" in line, line


@pytest.mark.parametrize("body, key, literal", [
    ("[assumptions]\ntraining.pass_rate = nan\n", "assumptions.training.pass_rate", "nan"),
    ("[assumptions]\noutside_market.age_range = [18, inf]\n", "assumptions.outside_market.age_range[1]", "inf"),
    ('[[shocks]]\nkind = "demand"\nstart = "2021-02"\nend = "2021-06"\nsize = -inf\n', "shocks[0].size", "-inf"),
])
def test_non_finite_number_in_a_scenario_file_names_the_file_key_and_value(capsys, tmp_path, body, key, literal):
    path = tmp_path / "s.toml"
    path.write_text(f'extends = "{BASELINE}"\n{body}', encoding="utf-8")
    code, err = run_cli(capsys, tmp_path, str(path), *FAST)
    line = one_line(err)
    assert code == 2 and str(path) in line and key in line and literal in line, line


def test_load_with_typed_non_finite_override_names_the_origin():
    origin = scen.Origin("spec.toml", "parameters.", "sweep spec.toml")
    with pytest.raises(InputError) as info:
        scen.load("baseline", {"assumptions.training.pass_rate": math.nan}, origin)
    assert (info.value.where, info.value.key) == ("spec.toml", "parameters.assumptions.training.pass_rate")
    assert "nan" in info.value.message


SPEC = f"""
name = "t"
base = "{BASELINE}"
scale = 2000
end = "2021-12"
[parameters]
"""


@pytest.mark.parametrize("param, key, literal", [
    ('"assumptions.training.pass_rate" = [0.7, nan]', "parameters.assumptions.training.pass_rate[1]", "nan"),
    ('"assumptions.outside_market.wage_premium" = {low = 0.3, high = inf}',
     "parameters.assumptions.outside_market.wage_premium.high",
     "inf"),
])
def test_non_finite_number_in_a_sweep_spec_is_one_line_exit_2(capsys, tmp_path, param, key, literal):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC + param + "\n", encoding="utf-8")
    code = main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "0"])
    line = one_line(capsys.readouterr().err)
    assert code == 2 and str(spec) in line and key in line and literal in line, line
    assert not (tmp_path / "out").exists()


def test_unknown_indicator_in_a_sweep_spec_names_the_bad_id(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("[parameters]", 'indicators = ["skilled_talent", "skilled_talnet"]\n[parameters]'),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        sw.load_spec(spec)
    assert info.value.key == "indicators" and "skilled_talnet" in info.value.message


def test_sweep_error_in_a_swept_value_names_the_spec_key_and_value(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC + '"assumptions.training.pass_rate" = [0.7, 1.5]\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        sw.validate(sw.load_spec(spec), sw.tasks(sw.load_spec(spec)))
    assert info.value.where == str(spec) and info.value.key == "parameters.assumptions.training.pass_rate"
    assert "1.5" in info.value.message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_data_override_is_an_input_error_naming_the_value(value):
    city = load_city("shanwei")
    for path in ("training.pass_rate", "sectors.electronics.trend", "population.resident_2020"):
        with pytest.raises(InputError) as info:
            city.with_overrides({path: value}, "my.toml")
        assert (info.value.where, info.value.key) == ("my.toml", f"assumptions.{path}")
        assert repr(value) in info.value.message and "finite" in info.value.message


def test_non_finite_number_in_the_city_data_file_names_the_file_and_key(tmp_path):
    raw = yaml.safe_load((DATA_DIR / "shanwei.yaml").read_text(encoding="utf-8"))
    raw["training"]["pass_rate"]["value"] = math.nan
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert ".nan" in path.read_text(encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_city(str(path))
    assert info.value.where == str(path) and info.value.key == "training.pass_rate.value"
    assert "nan" in info.value.message


def test_manifest_refuses_to_write_a_non_finite_number(tmp_path):
    """The last guard: a NaN that got past every reader makes writing fail, and nothing is left behind."""
    from sim.runner import city_data, run, write_run

    sc = scen.load("baseline", {"run.scale": 4000, "run.end": "2021-03"})
    tables = run(sc)
    poisoned = dataclasses.replace(sc, resolved={**sc.resolved, "assumptions": {"x": math.nan}})
    with pytest.raises(ValueError, match="JSON compliant"):
        write_run(tmp_path / "out", [(poisoned, city_data(sc), tables)])
    assert list(tmp_path.iterdir()) == []
    write_run(tmp_path / "ok", [(sc, city_data(sc), tables)])
    json.loads((tmp_path / "ok" / "manifest.json").read_text(encoding="utf-8"))
