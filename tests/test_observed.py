"""Conditioning on observed outturns (sim/observed.py): the file's checks, the ABC weights, the effective sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import observed
from sim.errors import InputError

HEADER = "indicator,year,value,source,tolerance"
YEARS = range(2021, 2026)


def write(tmp_path, *lines: str):
    path = tmp_path / "observed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_good_file_is_read_with_its_scenario_defaulting_to_the_last(tmp_path):
    path = write(tmp_path, HEADER + ",scenario", "registered_unemployment_rate,2023,2.6,bulletin,0.3,",
                 "urban_new_employment,2023,52000,bulletin,5000,baseline")
    obs = observed.read(path, ["baseline", "plan_2025"], YEARS)
    assert [(o.indicator, o.year, o.value, o.tolerance, o.scenario) for o in obs] == [
        ("registered_unemployment_rate", 2023, 2.6, 0.3, "plan_2025"), ("urban_new_employment", 2023, 52000, 5000, "baseline")]


@pytest.mark.parametrize("lines, key", [
    (["indicator,year,value,source", "registered_unemployment_rate,2023,2.6,x"], "header"),
    ([HEADER + ",note", "registered_unemployment_rate,2023,2.6,x,0.3,hello"], "header"),
    ([HEADER, "no_such_indicator,2023,2.6,x,0.3"], "line 2: indicator"),
    ([HEADER, "registered_unemployment_rate,2019,2.6,x,0.3"], "line 2: year"),
    ([HEADER, "registered_unemployment_rate,2023.5,2.6,x,0.3"], "line 2: year"),
    ([HEADER, "registered_unemployment_rate,2023,two,x,0.3"], "line 2: value"),
    ([HEADER, "registered_unemployment_rate,2023,2.6,x,0"], "line 2: tolerance"),
    ([HEADER, "registered_unemployment_rate,2023,inf,x,0.3"], "line 2: value"),
    ([HEADER + ",scenario", "registered_unemployment_rate,2023,2.6,x,0.3,shenzhen_boom"], "line 2: scenario"),
    ([HEADER], "no observations"),
])
def test_a_bad_file_names_the_file_line_and_key(tmp_path, lines, key):
    with pytest.raises(InputError, match=key) as err:
        observed.read(write(tmp_path, *lines), ["baseline", "plan_2025"], YEARS)
    assert "observed.csv" in str(err.value)


def annual(values: dict[int, list[float]]) -> pd.DataFrame:
    """A forecast's annual rows of the 2023 registered rate: values[d] are draw d's runs."""
    rows = [{"scenario": "plan", "indicator": "registered_unemployment_rate", "year": 2023, "draw": d,
             "replicate": 10 * d + r, "value": v} for d, vs in values.items() for r, v in enumerate(vs)]
    return pd.DataFrame(rows)


def test_each_draw_is_weighted_by_the_mean_kernel_of_its_runs():
    obs = [observed.Observation("registered_unemployment_rate", 2023, 3.0, "x", 0.5, "plan")]
    w = observed.weights(annual({0: [3.0, 3.0], 1: [3.5, 2.0], 2: [6.0, 6.0]}), obs)
    k = lambda z: np.exp(-0.5 * z ** 2)          # noqa: E731
    np.testing.assert_allclose(w.to_numpy(), [1.0, (k(1) + k(2)) / 2, k(6)])
    assert observed.ess(pd.Series([1.0, 1.0, 1.0, 1.0])) == 4
    assert observed.ess(pd.Series([1.0, 0.0, 0.0])) == 1
    assert observed.ess(pd.Series([0.0, 0.0])) == 0


def test_two_figures_multiply_their_kernels():
    one = observed.Observation("registered_unemployment_rate", 2023, 3.0, "x", 1.0, "plan")
    other = observed.Observation("registered_unemployment_rate", 2023, 4.0, "x", 1.0, "plan")
    w = observed.weights(annual({0: [3.0], 1: [4.0]}), [one, other])
    np.testing.assert_allclose(w.to_numpy(), [np.exp(-0.5), np.exp(-0.5)])


def test_too_few_effective_draws_is_an_error_naming_the_file(tmp_path):
    obs = [observed.Observation("registered_unemployment_rate", 2023, 3.0, "x", 0.01, "plan")]
    with pytest.raises(InputError, match="effective draws"):
        observed.condition(annual({0: [3.0], 1: [5.0], 2: [7.0]}), obs, 2.0, tmp_path / "observed.csv")
    w, n = observed.condition(annual({0: [3.0], 1: [3.0], 2: [7.0]}), obs, 2.0, tmp_path / "observed.csv")
    assert n == pytest.approx(2.0) and w[2] == 0
