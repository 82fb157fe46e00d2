"""The model description (docs/ODD.md) stays current with the registries in the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import indicators, policies
from sim.backcast import CHECKS
from sim.params import load_city

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


def test_every_policy_is_described(odd):
    missing = [name for name in policies.all_policies() if f"`{name}`" not in odd]
    assert not missing, f"policies missing from docs/ODD.md: {missing}"


def test_every_indicator_is_described(odd):
    missing = [i.id for i in indicators.INDICATORS if f"`{i.id}`" not in odd and i.name_zh not in odd]
    assert not missing, f"indicators missing from docs/ODD.md: {missing}"


def test_every_calibrated_parameter_and_its_value_is_described(odd):
    data = load_city("shanwei")
    for path, p in data.params.items():
        if p.provenance == "calibrated":
            assert f"`{path}`" in odd, path
            assert f"{p.value:.3f}".rstrip("0") in odd, f"{path} = {p.value} is not the value in docs/ODD.md"


def test_every_backcast_check_is_in_the_results_table(odd):
    section = odd[odd.index("## 9 Calibration and validation"):]
    for c in CHECKS:
        assert c.role in section
    assert "统计口径调整" in section


def test_the_version_is_one_and_the_changelog_describes_it():
    """Run manifests record `sim.__version__`; it must be the installed project's version, and a
    model change that moves results gets its own entry in docs/CHANGELOG.md."""
    import tomllib

    import sim

    root = ODD.parent.parent
    with open(root / "pyproject.toml", "rb") as f:
        assert tomllib.load(f)["project"]["version"] == sim.__version__
    assert f"## {sim.__version__}" in (root / "docs" / "CHANGELOG.md").read_text(encoding="utf-8")
