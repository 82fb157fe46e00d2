"""The plans' measures as policies, one module each, registered by name.

`sim list policies` prints them with their clauses. See `base.py` for the contract: a policy
changes the world agents act in (levers, institutions), never an indicator or a stock.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from .base import REGISTRY, Policy, register  # noqa: F401
from . import (cantonese_chef, employment_assistance, entrepreneurship, graduate_programmes,  # noqa: F401,E402
               guangdong_technician, high_skill_revitalisation, housekeeping, hr_industrial_park, hukou_settlement,
               online_hr_market, order_training, pes_strengthening, rural_craftsmen, rural_ecommerce,
               shenzhen_cooperation, skill_evaluation, skills_competitions, skills_upgrading, talent_and_titles,
               technical_schools, township_markets, ui_skills_subsidy)
from . import (high_skill_attraction, job_retention, retention_clauses, skill_title_crossing,  # noqa: F401,E402
               skills_as_diplomas)


def validate_params(name: str, params: Any, where: str) -> dict:
    """Check `[policies.NAME]`: a registered name and a table; keys are checked against the city data."""
    if name not in REGISTRY:
        raise InputError(where, f"policies.{name}", f"unknown policy; registered: {sorted(REGISTRY)}")
    if not isinstance(params, dict):
        raise InputError(where, f"policies.{name}", f"must be a table of parameters, e.g. [policies.NAME] with "
                         f"enabled = true; got {params!r}")
    if "enabled" in params and not isinstance(params["enabled"], bool):
        raise InputError(where, f"policies.{name}.enabled", f"must be true or false, got {params['enabled']!r}")
    return dict(params)


def parameters_of(data, name: str) -> dict[str, Any]:
    prefix = f"policies.{name}."
    return {path[len(prefix):]: p.value for path, p in data.params.items() if path.startswith(prefix)}


def build(chosen: dict[str, dict], data) -> list[Policy]:
    """Policy objects for the enabled entries, with parameters from the (overridden) city data."""
    return [REGISTRY[name](parameters_of(data, name)) for name, params in chosen.items()
            if params.get("enabled", True)]


def all_policies() -> dict[str, type[Policy]]:
    return dict(REGISTRY)
